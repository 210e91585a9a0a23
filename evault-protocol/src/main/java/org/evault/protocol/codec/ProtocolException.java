package org.evault.protocol.codec;

import io.netty.handler.codec.CorruptedFrameException;
import org.evault.protocol.ErrorCode;

/**
 * Bytes from the peer that break the protocol. {@link ProtocolErrorHandler} turns it into an
 * ERROR frame for {@link #requestId()}; when {@link #fatal()} the connection is closed after it,
 * because the byte stream can no longer be split into frames (or the peer cannot be trusted to).
 */
public final class ProtocolException extends CorruptedFrameException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;
    private final int requestId;
    private final boolean fatal;

    public ProtocolException(ErrorCode code, int requestId, boolean fatal, String message) {
        super(message);
        this.code = code;
        this.requestId = requestId;
        this.fatal = fatal;
    }

    public ErrorCode code() {
        return code;
    }

    /** The request the bad frame belonged to, 0 when unknown or the connection itself. */
    public int requestId() {
        return requestId;
    }

    /** Whether the connection must close after the ERROR frame. */
    public boolean fatal() {
        return fatal;
    }
}
