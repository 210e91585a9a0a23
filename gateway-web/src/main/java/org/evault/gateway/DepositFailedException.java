package org.evault.gateway;

/**
 * A deposit that did not get a valid receipt: nothing is recorded. The message is meant for the
 * depositor and names the daemons at fault where that is known (never keys or document bytes).
 */
public class DepositFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    public DepositFailedException(String message) {
        super(message);
    }

    public DepositFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
