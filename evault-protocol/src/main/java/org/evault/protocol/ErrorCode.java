package org.evault.protocol;

/**
 * Why a request or a connection failed. The wire value (u16) of each code is fixed forever;
 * docs/protocol.md lists what a receiver does with each.
 */
public enum ErrorCode {
    /** A frame or payload that does not parse: bad length, unknown type, non-zero flags, short field. */
    BAD_FRAME(1),
    /** The peer's Hello names a protocol version this side does not speak. */
    UNSUPPORTED_VERSION(2),
    /** A frame names a request id that has no open request (and is not a Cancel). */
    UNKNOWN_REQUEST(3),
    /** A frame that is valid on its own but not at this point of its request or of the connection. */
    OUT_OF_ORDER(4),
    /** The document id is not stored on this daemon. */
    NOT_FOUND(5),
    /** A request id already open on this connection, or a document id already stored. */
    DUPLICATE_ID(6),
    /** Deposit metadata the daemon refuses: id, owner, name, version or time out of range or skew. */
    BAD_METADATA(7),
    /** A configured limit was reached: frame, chunk, document length, list size, open requests. */
    LIMIT_EXCEEDED(8),
    /** The daemon has no room for the slice. */
    STORAGE_FULL(9),
    /** The daemon failed to read or write its storage. */
    IO_ERROR(10),
    /** The daemon is at capacity; the request may be retried later. */
    BUSY(11),
    /** The daemon is stopping and takes no new requests. */
    SHUTTING_DOWN(12),
    /** The request was abandoned by a Cancel from the client. */
    CANCELLED(13),
    /** A bug on the sending side. */
    INTERNAL(14),
    /** The peer's Hello names a node id other than the common name of its TLS certificate. */
    IDENTITY_MISMATCH(15);

    private final int wireValue;

    ErrorCode(int wireValue) {
        this.wireValue = wireValue;
    }

    /** The u16 sent on the wire. */
    public int wireValue() {
        return wireValue;
    }

    /**
     * The code for a wire value. An unknown value (from a newer peer) maps to {@link #INTERNAL},
     * so that a reply is never lost for want of a name.
     */
    public static ErrorCode fromWire(int value) {
        for (ErrorCode c : values()) {
            if (c.wireValue == value) {
                return c;
            }
        }
        return INTERNAL;
    }
}
