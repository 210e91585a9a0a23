package org.evault.protocol.client;

/**
 * A request made no progress (no frame received or sent for it) within the request timeout. The
 * client sent a Cancel for it; the daemon may still have carried it out.
 */
public final class DaemonTimeoutException extends DaemonUnavailableException {
    private static final long serialVersionUID = 1L;

    public DaemonTimeoutException(String message) {
        super(message);
    }
}
