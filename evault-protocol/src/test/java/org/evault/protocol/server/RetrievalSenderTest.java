package org.evault.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.evault.ida.SegmentHashes;
import org.evault.protocol.ErrorCode;
import org.evault.protocol.LeakRecorder;
import org.evault.protocol.Message;
import org.evault.protocol.Message.ErrorReply;
import org.evault.protocol.Message.RetrieveChunk;
import org.evault.protocol.Message.RetrieveEnd;
import org.evault.protocol.Message.RetrieveHeader;
import org.evault.protocol.Message.RetrieveRequest;
import org.evault.protocol.SampleMessages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetrievalSenderTest {
    private EmbeddedChannel ch;
    private ChannelHandlerContext ctx;
    private boolean closed;

    @BeforeEach
    void channel() {
        ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        ctx = ch.pipeline().firstContext();
    }

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    @AfterAll
    static void noLeaks() {
        assertThat(LeakRecorder.collect()).isEmpty();
    }

    private RetrievalSender.SliceSource bytes(byte[] data) {
        return new RetrievalSender.SliceSource() {
            private int pos;

            @Override
            public int read(ByteBuf target, int maxBytes) {
                if (pos == data.length) {
                    return -1;
                }
                int n = Math.min(maxBytes, data.length - pos);
                target.writeBytes(data, pos, n);
                pos += n;
                return n;
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    private List<Message> sent() {
        List<Message> out = new ArrayList<>();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            out.add((Message) o);
        }
        return out;
    }

    private static RetrieveHeader header(int id) {
        return new RetrieveHeader(id, SampleMessages.sliceHeader("doc", 250), SegmentHashes.fromBytes(new byte[0]));
    }

    private static int payload(List<Message> messages) {
        int total = 0;
        for (Message m : messages) {
            if (m instanceof RetrieveChunk) {
                total += ((RetrieveChunk) m).content().readableBytes();
            }
            ReferenceCountUtil.release(m);
        }
        return total;
    }

    // Prevents: a daemon that floods a reader past its window (unbounded client memory).
    @Test
    void sendsNoMoreThanTheWindow_thenMoreOnCredit_thenEnds() {
        byte[] data = new byte[250];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        RetrievalSender s = new RetrievalSender(ctx, new RetrieveRequest(5, "doc", 100), 40, bytes(data));
        s.start(header(5));
        List<Message> first = sent();
        assertThat(first.get(0)).isInstanceOf(RetrieveHeader.class);
        assertThat(first).hasSize(4); // header + 40 + 40 + 20
        assertThat(payload(first)).isEqualTo(100);
        s.credit(100);
        assertThat(payload(sent())).isEqualTo(100);
        assertThat(s.isDone()).isFalse();
        s.credit(1000);
        List<Message> last = sent();
        assertThat(last.get(last.size() - 1)).isEqualTo(new RetrieveEnd(5));
        assertThat(payload(last)).isEqualTo(50);
        assertThat(s.isDone()).isTrue();
        assertThat(s.bytesSent()).isEqualTo(250);
        assertThat(closed).isTrue();
    }

    @Test
    void chunkContents_areTheSourceBytesInOrder() {
        byte[] data = new byte[100];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        RetrievalSender s = new RetrievalSender(ctx, new RetrieveRequest(5, "doc"), 33, bytes(data));
        s.start(header(5));
        ByteBuf all = ch.alloc().buffer();
        for (Message m : sent()) {
            if (m instanceof RetrieveChunk) {
                all.writeBytes(((RetrieveChunk) m).content());
            }
            ReferenceCountUtil.release(m);
        }
        assertThat(ByteBufUtil.getBytes(all)).isEqualTo(data);
        all.release();
    }

    @Test
    void cancel_endsWithCancelled_andClosesTheSource() {
        RetrievalSender s = new RetrievalSender(ctx, new RetrieveRequest(5, "doc", 10), 10, bytes(new byte[100]));
        s.start(header(5));
        payload(sent());
        s.cancel();
        List<Message> out = sent();
        assertThat(out).containsExactly(new ErrorReply(5, ErrorCode.CANCELLED, "retrieval cancelled"));
        assertThat(closed).isTrue();
        s.credit(100);
        assertThat(sent()).isEmpty();
    }

    @Test
    void sourceFailure_endsWithIoError() {
        RetrievalSender s = new RetrievalSender(ctx, new RetrieveRequest(5, "doc"), 10, (target, max) -> {
            throw new IOException("disk unreadable");
        });
        s.start(header(5));
        List<Message> out = sent();
        assertThat(out.get(1)).isEqualTo(new ErrorReply(5, ErrorCode.IO_ERROR, "reading the slice failed: disk unreadable"));
        assertThat(s.isDone()).isTrue();
    }
}
