package org.evault.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.evault.protocol.LeakRecorder;
import org.evault.protocol.Message;
import org.evault.protocol.Message.ErrorReply;
import org.evault.protocol.Message.Hello;
import org.evault.protocol.MessageType;
import org.evault.protocol.ProtocolLimits;
import org.evault.protocol.SampleMessages;

/**
 * Random and mutated input against the server pipeline: nothing escapes as an exception, every
 * buffer is released, whatever the server writes back is well-formed, and a broken frame header
 * always ends in an ERROR frame and a close.
 */
class DecoderFuzzTest {
    private static final byte[] VALID_STREAM = validStream();

    private static byte[] validStream() {
        List<Message> all = new ArrayList<>();
        all.add(Hello.of("gateway", "gateway"));
        for (Message m : SampleMessages.all()) {
            // Small frames only, so each try stays fast; size limits have their own tests.
            if (m instanceof Hello || (m instanceof Message.Chunk && ((Message.Chunk) m).content().readableBytes() > 64)) {
                ReferenceCountUtil.release(m);
            } else {
                all.add(m);
            }
        }
        return CodecTestSupport.encodeToArray(all.toArray(new Message[0]));
    }

    /** What a run did. */
    private record Outcome(List<Message> replies, boolean open, int delivered) {
    }

    private static Outcome run(byte[] input, int splitEvery) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ProtocolPipeline.initServer(ch.pipeline(), null, ProtocolLimits.defaults().withMaxChunkBytes(128 * 1024)
                .withMaxFrameLength(256 * 1024), Hello.of("node-1", "daemon"));
        int[] delivered = {0};
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                delivered[0]++;
                ReferenceCountUtil.release(msg);
            }
        });
        for (int off = 0; off < input.length && ch.isOpen(); off += splitEvery) {
            int n = Math.min(splitEvery, input.length - off);
            ch.writeInbound(Unpooled.wrappedBuffer(input, off, n));
        }
        // Anything reaching the tail of the pipeline unhandled is rethrown here.
        ch.checkException();
        boolean open = ch.isOpen();
        List<Message> replies = CodecTestSupport.outboundMessages(ch);
        ch.finishAndReleaseAll();
        return new Outcome(replies, open, delivered[0]);
    }

    private static void assertWellFormedReplies(Outcome o) {
        assertThat(o.replies()).isNotEmpty();
        assertThat(o.replies().get(0)).isEqualTo(Hello.of("node-1", "daemon"));
        for (Message m : o.replies().subList(1, o.replies().size())) {
            assertThat(m).isInstanceOf(ErrorReply.class);
        }
    }

    @Property(tries = 500, seed = "20261124")
    void randomBytes_neverEscape_andABadFirstHeaderClosesWithAnError(
            @ForAll @Size(max = 2048) byte[] input, @ForAll @IntRange(min = 1, max = 700) int split) {
        Outcome o = run(input, split);
        assertWellFormedReplies(o);
        if (input.length >= 10 && badHeader(input)) {
            assertThat(o.open()).isFalse();
            assertThat(o.replies()).hasSizeGreaterThan(1);
        }
    }

    /** Whether the first 10 bytes break framing: length, type or flags. */
    private static boolean badHeader(byte[] b) {
        ByteBuf h = Unpooled.wrappedBuffer(b, 0, 10);
        long length = h.getUnsignedInt(0);
        return length < 6 || length > 256 * 1024 || MessageType.fromCode(h.getUnsignedByte(4)) == null
                || h.getUnsignedByte(5) != 0;
    }

    @Provide
    Arbitrary<byte[]> mutatedStreams() {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, VALID_STREAM.length - 1);
        Arbitrary<Byte> value = Arbitraries.bytes();
        Arbitrary<byte[]> flip = net.jqwik.api.Combinators.combine(position.list().ofMinSize(1).ofMaxSize(4),
                value.list().ofSize(4)).as((ps, vs) -> {
                    byte[] copy = VALID_STREAM.clone();
                    for (int i = 0; i < ps.size(); i++) {
                        copy[ps.get(i)] = vs.get(i);
                    }
                    return copy;
                });
        Arbitrary<byte[]> cut = position.map(p -> java.util.Arrays.copyOf(VALID_STREAM, p));
        Arbitrary<byte[]> splice = net.jqwik.api.Combinators.combine(position, position).as((a, b) -> {
            byte[] copy = new byte[a + (VALID_STREAM.length - b)];
            System.arraycopy(VALID_STREAM, 0, copy, 0, a);
            System.arraycopy(VALID_STREAM, b, copy, a, VALID_STREAM.length - b);
            return copy;
        });
        return Arbitraries.oneOf(flip, cut, splice);
    }

    @Property(tries = 400, seed = "20261124")
    void mutatedValidFrames_neverEscape_andRepliesAreWellFormed(@ForAll("mutatedStreams") byte[] input,
            @ForAll @IntRange(min = 1, max = 3000) int split) {
        Outcome o = run(input, split);
        assertWellFormedReplies(o);
    }

    @Property(tries = 20)
    void unmutatedStream_allDelivered_noErrors(@ForAll @IntRange(min = 1, max = 3000) int split) {
        Outcome o = run(VALID_STREAM, split);
        // Samples include server-only kinds: those get OUT_OF_ORDER, never a close.
        assertThat(o.open()).isTrue();
        assertThat(o.delivered()).isPositive();
    }

    @AfterContainer
    static void noLeaks() {
        assertThat(LeakRecorder.collect()).isEmpty();
    }
}
