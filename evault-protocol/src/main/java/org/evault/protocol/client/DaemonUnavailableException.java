package org.evault.protocol.client;

/**
 * The daemon cannot be reached: no connection (refused, TLS refused, hello refused), or the
 * connection was lost while the request was open. The request may not have been carried out.
 */
public class DaemonUnavailableException extends DaemonException {
    private static final long serialVersionUID = 1L;

    public DaemonUnavailableException(String message) {
        super(message);
    }

    public DaemonUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
