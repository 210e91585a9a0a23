package org.evault.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.evault.protocol.DepositMetadata;
import org.evault.protocol.ErrorCode;
import org.evault.protocol.LeakRecorder;
import org.evault.protocol.Message;
import org.evault.protocol.Message.Cancel;
import org.evault.protocol.Message.DeleteReply;
import org.evault.protocol.Message.DeleteRequest;
import org.evault.protocol.Message.DepositBegin;
import org.evault.protocol.Message.DepositChunk;
import org.evault.protocol.Message.DepositEnd;
import org.evault.protocol.Message.ErrorReply;
import org.evault.protocol.Message.HealthRequest;
import org.evault.protocol.Message.Hello;
import org.evault.protocol.ProtocolLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server's pipeline (codec, errors, hello, ordering) on an EmbeddedChannel, without TLS. */
class ServerPipelineTest {
    private final List<Object> received = new ArrayList<>();
    private EmbeddedChannel ch;

    private EmbeddedChannel server(ProtocolLimits limits) {
        ch = new EmbeddedChannel();
        ProtocolPipeline.initServer(ch.pipeline(), null, limits, Hello.of("node-1", "daemon"));
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                received.add(msg);
            }
        });
        // The server's own Hello goes out first.
        assertThat(CodecTestSupport.outboundMessages(ch)).containsExactly(Hello.of("node-1", "daemon"));
        return ch;
    }

    private EmbeddedChannel serverAfterHello() {
        server(ProtocolLimits.defaults());
        feed(Hello.of("gateway", "gateway"));
        assertThat(received).containsExactly(Hello.of("gateway", "gateway"));
        received.clear();
        return ch;
    }

    private void feed(Message... messages) {
        ch.writeInbound(Unpooled.wrappedBuffer(CodecTestSupport.encodeToArray(messages)));
    }

    private void feedBytes(byte[] bytes) {
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    private List<Message> replies() {
        return CodecTestSupport.outboundMessages(ch);
    }

    @AfterEach
    void release() {
        received.forEach(ReferenceCountUtil::release);
        if (ch != null) {
            ch.checkException();
            ch.finishAndReleaseAll();
        }
    }

    @AfterAll
    static void noLeaks() {
        assertThat(LeakRecorder.collect()).isEmpty();
    }

    private static byte[] header(long length, int type, int flags, int id) {
        return Unpooled.buffer(10).writeInt((int) length).writeByte(type).writeByte(flags).writeInt(id).array();
    }

    // Prevents: trusting a peer's length field (a 4 GiB "frame" must not be waited for or allocated).
    @Test
    void lengthOverLimit_errorLimitExceeded_andClose_withoutWaitingForThePayload() {
        serverAfterHello();
        feedBytes(header(0xFFFF_FFF0L, 0x50, 0, 7));
        assertThat(replies()).containsExactly(new ErrorReply(7, ErrorCode.LIMIT_EXCEEDED,
                "frame length 4294967280 is over the limit of " + ProtocolLimits.MAX_FRAME_LENGTH_DEFAULT));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void lengthBelowHeader_badFrame_andClose() {
        serverAfterHello();
        feedBytes(header(5, 0x50, 0, 7));
        List<Message> r = replies();
        assertThat(r).hasSize(1);
        assertThat(((ErrorReply) r.get(0)).code()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void unknownType_badFrame_andClose_andLaterBytesIgnored() {
        serverAfterHello();
        byte[] bad = header(6, 0x99, 0, 3);
        byte[] good = CodecTestSupport.encodeToArray(new HealthRequest(4));
        byte[] both = new byte[bad.length + good.length];
        System.arraycopy(bad, 0, both, 0, bad.length);
        System.arraycopy(good, 0, both, bad.length, good.length);
        feedBytes(both);
        assertThat(replies()).containsExactly(new ErrorReply(3, ErrorCode.BAD_FRAME, "unknown frame type 0x99"));
        assertThat(received).isEmpty();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void nonZeroFlags_badFrame_andClose() {
        serverAfterHello();
        feedBytes(header(6, 0x50, 0x80, 3));
        assertThat(((ErrorReply) replies().get(0)).code()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(ch.isOpen()).isFalse();
    }

    // A payload that does not parse: the frame boundaries are intact, so only that request fails.
    @Test
    void truncatedString_badFrameForThatRequest_connectionStaysOpen() {
        serverAfterHello();
        ByteBuf frame = Unpooled.buffer().writeInt(6 + 2 + 1).writeByte(0x40).writeByte(0).writeInt(9)
                .writeShort(50).writeByte('x');
        feedBytes(io.netty.buffer.ByteBufUtil.getBytes(frame));
        List<Message> r = replies();
        assertThat(r).hasSize(1);
        assertThat(((ErrorReply) r.get(0)).requestId()).isEqualTo(9);
        assertThat(((ErrorReply) r.get(0)).code()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(ch.isOpen()).isTrue();
        feed(new HealthRequest(10));
        assertThat(received).containsExactly(new HealthRequest(10));
    }

    @Test
    void invalidUtf8_badFrame() {
        serverAfterHello();
        ByteBuf frame = Unpooled.buffer().writeInt(6 + 2 + 2).writeByte(0x40).writeByte(0).writeInt(9)
                .writeShort(2).writeByte(0xC3).writeByte(0x28);
        feedBytes(io.netty.buffer.ByteBufUtil.getBytes(frame));
        ErrorReply e = (ErrorReply) replies().get(0);
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(e.message()).contains("UTF-8");
    }

    @Test
    void trailingBytes_badFrame() {
        serverAfterHello();
        feedBytes(header(7, 0x50, 0, 9));
        feedBytes(new byte[] {0});
        ErrorReply e = (ErrorReply) replies().get(0);
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(e.message()).contains("after its last field");
        assertThat(received).isEmpty();
    }

    @Test
    void depositMetadataOutOfRange_badMetadata() {
        serverAfterHello();
        ByteBuf frame = Unpooled.buffer().writeInt(0).writeByte(0x10).writeByte(0).writeInt(9);
        for (String s : new String[] {"d", "o", "n"}) {
            frame.writeShort(1).writeByte(s.charAt(0));
        }
        frame.writeInt(0).writeLong(0).writeLong(-1); // version 0 is out of range
        frame.setInt(0, frame.readableBytes() - 4);
        feedBytes(io.netty.buffer.ByteBufUtil.getBytes(frame));
        assertThat(((ErrorReply) replies().get(0)).code()).isEqualTo(ErrorCode.BAD_METADATA);
    }

    // Prevents: a leak or an exception when the peer vanishes inside a frame (or a deposit).
    @Test
    void peerVanishesMidFrame_nothingEscapes_nothingLeaks() {
        serverAfterHello();
        feed(begin(1), chunk(1));
        byte[] big = CodecTestSupport.encodeToArray(new DepositChunk(1, Unpooled.wrappedBuffer(new byte[50_000])));
        ch.writeInbound(Unpooled.wrappedBuffer(big, 0, 30_000));
        ch.close();
        ch.checkException();
        assertThat(received).hasSize(2);
    }

    @Test
    void requestBeforeHello_outOfOrder_andClose() {
        server(ProtocolLimits.defaults());
        feed(new HealthRequest(1));
        assertThat(replies()).containsExactly(new ErrorReply(0, ErrorCode.OUT_OF_ORDER,
                "expected Hello first, got HEALTH_REQUEST"));
        assertThat(received).isEmpty();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void wrongVersion_unsupportedVersion_andClose() {
        server(ProtocolLimits.defaults());
        feed(new Hello(2, "gateway", "gateway"));
        assertThat(replies()).containsExactly(new ErrorReply(0, ErrorCode.UNSUPPORTED_VERSION,
                "this node speaks protocol version 1, not 2"));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void secondHello_outOfOrder_andClose() {
        serverAfterHello();
        feed(Hello.of("gateway", "gateway"));
        assertThat(((ErrorReply) replies().get(0)).code()).isEqualTo(ErrorCode.OUT_OF_ORDER);
        assertThat(ch.isOpen()).isFalse();
    }

    // Prevents: a peer that connects and says nothing holding a connection forever.
    @Test
    void silentPeer_closedAfterHelloTimeout() {
        server(ProtocolLimits.defaults().withHelloTimeoutMillis(60_000));
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(60_001, TimeUnit.MILLISECONDS);
        ch.runPendingTasks();
        assertThat(((ErrorReply) replies().get(0)).code()).isEqualTo(ErrorCode.OUT_OF_ORDER);
        assertThat(ch.isOpen()).isFalse();
    }

    private static DepositBegin begin(int id) {
        return new DepositBegin(id, new DepositMetadata("doc-" + id, "alice", "a", 1, 0, -1));
    }

    private static DepositChunk chunk(int id) {
        return new DepositChunk(id, Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
    }

    @Test
    void deposit_inOrder_reachesTheApplication() {
        serverAfterHello();
        feed(begin(1), chunk(1), chunk(1), new DepositEnd(1));
        assertThat(received).hasSize(4);
        assertThat(replies()).isEmpty();
    }

    @Test
    void chunkWithoutBegin_unknownRequest() {
        serverAfterHello();
        feed(chunk(5));
        assertThat(received).isEmpty();
        assertThat(((ErrorReply) replies().get(0)).code()).isEqualTo(ErrorCode.UNKNOWN_REQUEST);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void chunkAfterEnd_outOfOrder_andTheApplicationGetsACancel() {
        serverAfterHello();
        feed(begin(1), new DepositEnd(1), chunk(1));
        assertThat(replies()).containsExactly(new ErrorReply(1, ErrorCode.OUT_OF_ORDER,
                "DEPOSIT_CHUNK after the request's last inbound frame"));
        assertThat(received.get(received.size() - 1)).isEqualTo(new Cancel(1));
    }

    @Test
    void duplicateOpenId_duplicateId_firstRequestGoesOn() {
        serverAfterHello();
        feed(begin(1), new HealthRequest(1));
        assertThat(((ErrorReply) replies().get(0)).code()).isEqualTo(ErrorCode.DUPLICATE_ID);
        feed(chunk(1));
        assertThat(received).hasSize(2);
    }

    @Test
    void idIsFreeAgainAfterTheTerminalReply() {
        serverAfterHello();
        feed(new DeleteRequest(3, "x"));
        ch.writeAndFlush(new DeleteReply(3, false));
        replies();
        feed(new DeleteRequest(3, "y"));
        assertThat(received).hasSize(2);
        assertThat(replies()).isEmpty();
    }

    // Prevents: an error flood when a client keeps streaming a deposit the server already failed.
    @Test
    void chunksForARecentlyEndedRequest_droppedSilently() {
        serverAfterHello();
        feed(begin(1));
        ch.writeAndFlush(new ErrorReply(1, ErrorCode.STORAGE_FULL, "full"));
        replies();
        feed(chunk(1), chunk(1), new DepositEnd(1));
        assertThat(replies()).isEmpty();
        assertThat(received).hasSize(1);
    }

    @Test
    void retrieveCredit_passedForAnOpenRetrieval_droppedAfterItsEnd_refusedOnOtherRequests() {
        serverAfterHello();
        feed(new Message.RetrieveRequest(1, "doc"), new Message.RetrieveCredit(1, 100));
        assertThat(received).containsExactly(new Message.RetrieveRequest(1, "doc"), new Message.RetrieveCredit(1, 100));
        ch.writeAndFlush(new Message.RetrieveEnd(1));
        replies();
        feed(new Message.RetrieveCredit(1, 100));
        assertThat(replies()).isEmpty();
        feed(new DeleteRequest(2, "x"), new Message.RetrieveCredit(2, 100));
        assertThat(((ErrorReply) replies().get(0)).code()).isEqualTo(ErrorCode.OUT_OF_ORDER);
        assertThat(received.get(received.size() - 1)).isEqualTo(new Cancel(2));
    }

    @Test
    void serverOnlyMessage_outOfOrder() {
        serverAfterHello();
        feed(new DeleteReply(4, true));
        assertThat(((ErrorReply) replies().get(0)).code()).isEqualTo(ErrorCode.OUT_OF_ORDER);
        assertThat(received).isEmpty();
    }

    @Test
    void tooManyOpenRequests_busy() {
        server(ProtocolLimits.defaults().withMaxOpenRequests(2));
        feed(Hello.of("g", "gateway"), new HealthRequest(1), new HealthRequest(2), new HealthRequest(3));
        assertThat(replies()).containsExactly(new ErrorReply(3, ErrorCode.BUSY,
                "2 requests are open on this connection, the limit is 2"));
    }

    @Test
    void cancelForUnknownRequest_dropped_cancelForOpenRequest_passed() {
        serverAfterHello();
        feed(new Cancel(8), new HealthRequest(9), new Cancel(9));
        assertThat(received).containsExactly(new HealthRequest(9), new Cancel(9));
        assertThat(replies()).isEmpty();
    }
}
