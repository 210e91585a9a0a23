package org.evault.protocol.codec;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.evault.protocol.ErrorCode;

/**
 * Field readers and writers for payloads. Every reader checks its length field against its limit
 * and against the bytes actually left in the frame before it allocates anything.
 */
final class Wire {
    private Wire() {
    }

    static ProtocolException bad(int requestId, String message) {
        return new ProtocolException(ErrorCode.BAD_FRAME, requestId, requestId == 0, message);
    }

    /** u16 length, then that many bytes of valid UTF-8. */
    static String readString(ByteBuf in, int requestId, String field, int maxBytes) {
        need(in, 2, requestId, field + " length");
        int n = in.readUnsignedShort();
        if (n > maxBytes) {
            throw bad(requestId, field + " of " + n + " bytes is over its limit of " + maxBytes);
        }
        need(in, n, requestId, field);
        if (!ByteBufUtil.isText(in, in.readerIndex(), n, StandardCharsets.UTF_8)) {
            throw bad(requestId, field + " is not valid UTF-8");
        }
        String s = in.toString(in.readerIndex(), n, StandardCharsets.UTF_8);
        in.skipBytes(n);
        return s;
    }

    static void writeString(ByteBuf out, String s) {
        int lengthAt = out.writerIndex();
        out.writeShort(0);
        int n = out.writeCharSequence(s, StandardCharsets.UTF_8);
        if (n > 0xFFFF) {
            throw new IllegalArgumentException("string of " + n + " UTF-8 bytes does not fit a u16 length");
        }
        out.setShort(lengthAt, n);
    }

    /** u32 length, then that many bytes. */
    static byte[] readBytes(ByteBuf in, int requestId, String field, int maxBytes) {
        need(in, 4, requestId, field + " length");
        long n = in.readUnsignedInt();
        if (n > maxBytes) {
            throw bad(requestId, field + " of " + n + " bytes is over its limit of " + maxBytes);
        }
        need(in, (int) n, requestId, field);
        byte[] bytes = new byte[(int) n];
        in.readBytes(bytes);
        return bytes;
    }

    static void writeBytes(ByteBuf out, byte[] bytes) {
        out.writeInt(bytes.length);
        out.writeBytes(bytes);
    }

    static byte[] readFixed(ByteBuf in, int requestId, String field, int n) {
        need(in, n, requestId, field);
        byte[] bytes = new byte[n];
        in.readBytes(bytes);
        return bytes;
    }

    static boolean readBoolean(ByteBuf in, int requestId, String field) {
        need(in, 1, requestId, field);
        int b = in.readUnsignedByte();
        if (b > 1) {
            throw bad(requestId, field + " must be 0 or 1, not " + b);
        }
        return b == 1;
    }

    static int readU8(ByteBuf in, int requestId, String field) {
        need(in, 1, requestId, field);
        return in.readUnsignedByte();
    }

    static int readU16(ByteBuf in, int requestId, String field) {
        need(in, 2, requestId, field);
        return in.readUnsignedShort();
    }

    static int readInt(ByteBuf in, int requestId, String field) {
        need(in, 4, requestId, field);
        return in.readInt();
    }

    static long readLong(ByteBuf in, int requestId, String field) {
        need(in, 8, requestId, field);
        return in.readLong();
    }

    static void need(ByteBuf in, int n, int requestId, String field) {
        if (in.readableBytes() < n) {
            throw bad(requestId, "frame ends inside " + field + " (" + in.readableBytes() + " of " + n
                    + " bytes left)");
        }
    }
}
