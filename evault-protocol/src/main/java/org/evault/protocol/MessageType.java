package org.evault.protocol;

/**
 * The frame types: the u8 at offset 4 of every frame. Codes are fixed forever; an unknown code is
 * a framing error (docs/protocol.md, "Frame types").
 */
public enum MessageType {
    HELLO(0x01, Sender.BOTH, false),
    ERROR(0x02, Sender.BOTH, true),
    DEPOSIT_BEGIN(0x10, Sender.CLIENT, false),
    DEPOSIT_CHUNK(0x11, Sender.CLIENT, false),
    DEPOSIT_END(0x12, Sender.CLIENT, false),
    DEPOSIT_ACK(0x13, Sender.SERVER, true),
    /** A deposit that restores a missing or damaged slice of a document already receipted: not signed. */
    REPAIR_BEGIN(0x14, Sender.CLIENT, false),
    PROVE_REQUEST(0x15, Sender.CLIENT, false),
    PROVE_REPLY(0x16, Sender.SERVER, true),
    RETRIEVE_REQUEST(0x20, Sender.CLIENT, false),
    RETRIEVE_HEADER(0x21, Sender.SERVER, false),
    RETRIEVE_CHUNK(0x22, Sender.SERVER, false),
    RETRIEVE_END(0x23, Sender.SERVER, true),
    RETRIEVE_CREDIT(0x24, Sender.CLIENT, false),
    LIST_REQUEST(0x30, Sender.CLIENT, false),
    LIST_REPLY(0x31, Sender.SERVER, true),
    DELETE_REQUEST(0x40, Sender.CLIENT, false),
    DELETE_REPLY(0x41, Sender.SERVER, true),
    HEALTH_REQUEST(0x50, Sender.CLIENT, false),
    HEALTH_REPLY(0x51, Sender.SERVER, true),
    SCRUB_REQUEST(0x60, Sender.CLIENT, false),
    SCRUB_REPLY(0x61, Sender.SERVER, true),
    CANCEL(0x70, Sender.CLIENT, false);

    /** Which side of a connection may send a type: the client connects and allocates request ids. */
    public enum Sender { CLIENT, SERVER, BOTH }

    private static final MessageType[] BY_CODE = new MessageType[256];

    static {
        for (MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final Sender sender;
    private final boolean terminal;

    MessageType(int code, Sender sender, boolean terminal) {
        this.code = code;
        this.sender = sender;
        this.terminal = terminal;
    }

    /** The u8 on the wire. */
    public int code() {
        return code;
    }

    public Sender sender() {
        return sender;
    }

    /** Whether this reply ends its request (the request id is free again once it is sent). */
    public boolean terminal() {
        return terminal;
    }

    /** Whether a request of this type opens a new request id (sent by the client). */
    public boolean opensRequest() {
        return this == DEPOSIT_BEGIN || this == REPAIR_BEGIN || this == PROVE_REQUEST || this == RETRIEVE_REQUEST || this == LIST_REQUEST || this == DELETE_REQUEST
                || this == HEALTH_REQUEST || this == SCRUB_REQUEST;
    }

    /** The type for a wire code, or null when the code is unknown. */
    public static MessageType fromCode(int code) {
        return code < 0 || code > 255 ? null : BY_CODE[code];
    }
}
