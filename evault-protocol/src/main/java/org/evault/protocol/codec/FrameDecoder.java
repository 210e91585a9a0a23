package org.evault.protocol.codec;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.evault.protocol.ErrorCode;
import org.evault.protocol.MessageType;
import org.evault.protocol.ProtocolLimits;

/**
 * Splits the byte stream into {@link Frame}s: u32 length, u8 type, u8 flags, u32 request id,
 * payload (docs/protocol.md). The length is checked against {@code maxFrameLength} before a
 * single payload byte is buffered, so memory per connection stays below that bound however the
 * peer lies. A bad length, an unknown type or non-zero flags lose the frame boundaries: the
 * decoder throws a fatal {@link ProtocolException} once and discards everything after it.
 *
 * <p>Stateful: one instance per channel, never {@code @Sharable}.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private static final int LENGTH_FIELD_BYTES = 4;

    private final int maxFrameLength;
    private boolean failed;

    public FrameDecoder(ProtocolLimits limits) {
        this.maxFrameLength = limits.maxFrameLength();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < LENGTH_FIELD_BYTES + ProtocolLimits.FRAME_HEADER_AFTER_LENGTH) {
            return;
        }
        int start = in.readerIndex();
        long length = in.getUnsignedInt(start);
        int typeCode = in.getUnsignedByte(start + 4);
        int flags = in.getUnsignedByte(start + 5);
        int requestId = in.getInt(start + 6);
        if (length < ProtocolLimits.FRAME_HEADER_AFTER_LENGTH) {
            throw fail(in, ErrorCode.BAD_FRAME, requestId, "frame length " + length + " is below the minimum of "
                    + ProtocolLimits.FRAME_HEADER_AFTER_LENGTH);
        }
        if (length > maxFrameLength) {
            throw fail(in, ErrorCode.LIMIT_EXCEEDED, requestId, "frame length " + length + " is over the limit of "
                    + maxFrameLength);
        }
        MessageType type = MessageType.fromCode(typeCode);
        if (type == null) {
            throw fail(in, ErrorCode.BAD_FRAME, requestId, "unknown frame type 0x" + Integer.toHexString(typeCode));
        }
        if (flags != 0) {
            throw fail(in, ErrorCode.BAD_FRAME, requestId, "frame flags must be 0 in protocol version 1, not 0x"
                    + Integer.toHexString(flags));
        }
        // length <= maxFrameLength <= Integer.MAX_VALUE, so the sum cannot overflow an int.
        if (in.readableBytes() < LENGTH_FIELD_BYTES + (int) length) {
            return;
        }
        in.skipBytes(LENGTH_FIELD_BYTES + ProtocolLimits.FRAME_HEADER_AFTER_LENGTH);
        ByteBuf payload = in.readRetainedSlice((int) length - ProtocolLimits.FRAME_HEADER_AFTER_LENGTH);
        out.add(new Frame(type, flags, requestId, payload));
    }

    private ProtocolException fail(ByteBuf in, ErrorCode code, int requestId, String message) {
        failed = true;
        in.skipBytes(in.readableBytes());
        return new ProtocolException(code, requestId, true, message);
    }
}
