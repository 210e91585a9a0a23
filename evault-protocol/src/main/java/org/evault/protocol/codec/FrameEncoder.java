package org.evault.protocol.codec;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import org.evault.protocol.ErrorCode;
import org.evault.protocol.ProtocolLimits;

/**
 * Writes a {@link Frame} as its 10 header bytes followed by its payload. Large payloads are not
 * copied: header and payload go out as one composite buffer. A frame over {@code maxFrameLength}
 * fails its write promise (the peer would refuse it anyway).
 */
public final class FrameEncoder extends MessageToMessageEncoder<Frame> {
    static final int HEADER_BYTES = 4 + ProtocolLimits.FRAME_HEADER_AFTER_LENGTH;
    private static final int COPY_BELOW_BYTES = 4096;

    private final int maxFrameLength;

    public FrameEncoder(ProtocolLimits limits) {
        super(Frame.class);
        this.maxFrameLength = limits.maxFrameLength();
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
        ByteBuf payload = frame.content();
        int payloadBytes = payload.readableBytes();
        long length = (long) ProtocolLimits.FRAME_HEADER_AFTER_LENGTH + payloadBytes;
        if (length > maxFrameLength) {
            throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED, frame.requestId(), false, "refusing to send a "
                    + frame.type() + " frame of length " + length + ", over the limit of " + maxFrameLength);
        }
        boolean copy = payloadBytes < COPY_BELOW_BYTES;
        ByteBuf header = ctx.alloc().buffer(copy ? HEADER_BYTES + payloadBytes : HEADER_BYTES);
        header.writeInt((int) length);
        header.writeByte(frame.type().code());
        header.writeByte(frame.flags());
        header.writeInt(frame.requestId());
        if (copy) {
            header.writeBytes(payload, payload.readerIndex(), payloadBytes);
            out.add(header);
        } else {
            out.add(ctx.alloc().compositeBuffer(2).addComponents(true, header, payload.retain()));
        }
    }
}
