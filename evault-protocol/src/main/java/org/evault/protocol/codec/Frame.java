package org.evault.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import org.evault.protocol.MessageType;

/**
 * One frame between {@link FrameDecoder}/{@link FrameEncoder} and the message codec: the header
 * fields and the payload (a retained slice the frame owns; release the frame when done).
 */
public final class Frame extends DefaultByteBufHolder {
    private final MessageType type;
    private final int flags;
    private final int requestId;

    public Frame(MessageType type, int flags, int requestId, ByteBuf payload) {
        super(payload);
        this.type = type;
        this.flags = flags;
        this.requestId = requestId;
    }

    public MessageType type() {
        return type;
    }

    public int flags() {
        return flags;
    }

    public int requestId() {
        return requestId;
    }

    @Override
    public Frame replace(ByteBuf content) {
        return new Frame(type, flags, requestId, content);
    }

    @Override
    public String toString() {
        return "Frame[" + type + ", flags " + flags + ", request " + Integer.toUnsignedString(requestId) + ", "
                + content().readableBytes() + " payload bytes]";
    }
}
