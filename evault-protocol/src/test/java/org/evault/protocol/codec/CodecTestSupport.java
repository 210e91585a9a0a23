package org.evault.protocol.codec;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.evault.protocol.Message;
import org.evault.protocol.ProtocolLimits;

/** Encodes and decodes through the real codec on EmbeddedChannels. */
final class CodecTestSupport {
    private CodecTestSupport() {
    }

    static EmbeddedChannel codecChannel(ProtocolLimits limits) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ProtocolPipeline.addCodec(ch.pipeline(), limits);
        return ch;
    }

    /** The wire bytes of the messages (chunks are consumed), as one heap buffer the caller releases. */
    static ByteBuf encode(Message... messages) {
        EmbeddedChannel ch = codecChannel(ProtocolLimits.defaults());
        for (Message m : messages) {
            ch.writeOutbound(m);
        }
        ByteBuf all = Unpooled.buffer();
        drainOutbound(ch, all);
        ch.finishAndReleaseAll();
        return all;
    }

    static byte[] encodeToArray(Message... messages) {
        ByteBuf b = encode(messages);
        try {
            byte[] a = new byte[b.readableBytes()];
            b.readBytes(a);
            return a;
        } finally {
            b.release();
        }
    }

    /** Appends every outbound buffer of {@code ch} to {@code into}, releasing them. */
    static void drainOutbound(EmbeddedChannel ch, ByteBuf into) {
        Object o;
        while ((o = ch.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            into.writeBytes(b);
            b.release();
        }
    }

    /** Decodes complete frames; the caller releases chunk messages. */
    static List<Message> decode(byte[] wire) {
        EmbeddedChannel ch = codecChannel(ProtocolLimits.defaults());
        ch.writeInbound(Unpooled.wrappedBuffer(wire));
        List<Message> out = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            out.add((Message) o);
        }
        ch.finishAndReleaseAll();
        return out;
    }

    /** Decodes what a handler wrote: the outbound frames of {@code ch}. */
    static List<Message> outboundMessages(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        drainOutbound(ch, all);
        byte[] a = new byte[all.readableBytes()];
        all.readBytes(a);
        all.release();
        return decode(a);
    }

    static void releaseAll(List<?> messages) {
        for (Object m : messages) {
            ReferenceCountUtil.release(m);
        }
    }
}
