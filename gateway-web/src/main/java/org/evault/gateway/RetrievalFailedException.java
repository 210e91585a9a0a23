package org.evault.gateway;

/**
 * A document that could not be rebuilt and checked. The message is for the log (it may name
 * daemons and slices); users get a generic answer.
 */
public final class RetrievalFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    public RetrievalFailedException(String message) {
        super(message);
    }

    public RetrievalFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
