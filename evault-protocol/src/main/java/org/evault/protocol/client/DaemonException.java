package org.evault.protocol.client;

import java.io.IOException;

/** A request to a daemon failed; the message names the daemon (node id and address). */
public class DaemonException extends IOException {
    private static final long serialVersionUID = 1L;

    public DaemonException(String message) {
        super(message);
    }

    public DaemonException(String message, Throwable cause) {
        super(message, cause);
    }
}
