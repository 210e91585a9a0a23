package org.evault.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.evault.protocol.ErrorCode;
import org.evault.protocol.LeakRecorder;
import org.evault.protocol.Message;
import org.evault.protocol.Message.ErrorReply;
import org.evault.protocol.Message.HealthRequest;
import org.evault.protocol.Message.Hello;
import org.evault.protocol.ProtocolLimits;
import org.evault.protocol.SampleMessages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageCodecTest {
    static Stream<Message> everyKind() {
        return SampleMessages.all().stream();
    }

    // Prevents: a field written in one order and read in another, or a kind the codec forgot.
    @ParameterizedTest
    @MethodSource("everyKind")
    void roundTrip_everyKind_decodesEqual(Message original) {
        Message expected = original instanceof Message.Chunk ? ((Message.Chunk) original).copy() : original;
        try {
            List<Message> back = CodecTestSupport.decode(CodecTestSupport.encodeToArray(original));
            try {
                assertThat(back).containsExactly(expected);
            } finally {
                CodecTestSupport.releaseAll(back);
            }
        } finally {
            if (expected instanceof Message.Chunk) {
                ((Message.Chunk) expected).release();
            }
        }
    }

    @Test
    void everyTypeIsCoveredBySamples() {
        assertThat(SampleMessages.all().stream().map(Message::type).distinct().count())
                .isEqualTo(org.evault.protocol.MessageType.values().length);
        SampleMessages.all().forEach(io.netty.util.ReferenceCountUtil::release);
    }

    // The byte-by-byte examples of docs/protocol.md: the document and the code must agree.
    @Test
    void healthRequest_bytesAsDocumented() {
        assertThat(HexFormat.of().formatHex(CodecTestSupport.encodeToArray(new HealthRequest(7))))
                .isEqualTo("00000006" + "50" + "00" + "00000007");
    }

    @Test
    void hello_bytesAsDocumented() {
        assertThat(HexFormat.of().formatHex(CodecTestSupport.encodeToArray(Hello.of("n1", "daemon"))))
                .isEqualTo("00000014" + "01" + "00" + "00000000" + "0001" + "0002" + "6e31" + "0006" + "6461656d6f6e");
    }

    @Test
    void errorReply_bytesAsDocumented() {
        assertThat(HexFormat.of().formatHex(CodecTestSupport.encodeToArray(
                new ErrorReply(5, ErrorCode.NOT_FOUND, "no"))))
                .isEqualTo("0000000c" + "02" + "00" + "00000005" + "0005" + "0002" + "6e6f");
    }

    @Test
    void manyMessagesInOneBuffer_allDecodeInOrder() {
        List<Message> samples = SampleMessages.all();
        List<Message> expected = samples.stream()
                .map(m -> m instanceof Message.Chunk ? (Message) ((Message.Chunk) m).copy() : m).toList();
        List<Message> back = CodecTestSupport.decode(CodecTestSupport.encodeToArray(samples.toArray(new Message[0])));
        try {
            assertThat(back).isEqualTo(expected);
        } finally {
            CodecTestSupport.releaseAll(back);
            CodecTestSupport.releaseAll(expected);
        }
    }

    // Prevents: a decoder that assumes a whole frame per read (TCP delivers any split).
    @Test
    void byteByByteDelivery_decodesTheSameMessages() {
        byte[] wire = CodecTestSupport.encodeToArray(new HealthRequest(1), Hello.of("a", "b"),
                new Message.DepositChunk(3, Unpooled.wrappedBuffer(new byte[] {7, 8, 9})));
        EmbeddedChannel ch = CodecTestSupport.codecChannel(ProtocolLimits.defaults());
        for (byte b : wire) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        Message a = ch.readInbound();
        Message b = ch.readInbound();
        Message.DepositChunk c = ch.readInbound();
        assertThat(a).isEqualTo(new HealthRequest(1));
        assertThat(b).isEqualTo(Hello.of("a", "b"));
        assertThat(c.requestId()).isEqualTo(3);
        assertThat(io.netty.buffer.ByteBufUtil.getBytes(c.content())).containsExactly(7, 8, 9);
        c.release();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    // Prevents: a chunk copied on the way in (200 MiB deposits would double their memory traffic).
    @Test
    void chunk_isASliceOfTheReceivedBuffer_andReleasedWithIt() {
        ByteBuf wire = CodecTestSupport.encode(new Message.DepositChunk(9, Unpooled.wrappedBuffer(new byte[8192])));
        EmbeddedChannel ch = CodecTestSupport.codecChannel(ProtocolLimits.defaults());
        ch.writeInbound(wire);
        Message.DepositChunk chunk = ch.readInbound();
        assertThat(chunk.content().readableBytes()).isEqualTo(8192);
        assertThat(chunk.refCnt()).isEqualTo(1);
        assertThat(chunk.release()).isTrue();
        assertThat(wire.refCnt()).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void oversizedChunk_failsTheWrite_andReleasesIt() {
        EmbeddedChannel ch = CodecTestSupport.codecChannel(ProtocolLimits.defaults().withMaxChunkBytes(16));
        ByteBuf data = Unpooled.buffer(17).writeZero(17);
        var future = ch.writeOneOutbound(new Message.DepositChunk(1, data));
        ch.flushOutbound();
        assertThat(future.isSuccess()).isFalse();
        assertThat(data.refCnt()).isZero();
        ch.finishAndReleaseAll();
    }

    @AfterAll
    static void noLeaks() {
        assertThat(LeakRecorder.paranoid()).as("surefire runs with paranoid leak detection").isTrue();
        assertThat(LeakRecorder.collect()).isEmpty();
    }
}
