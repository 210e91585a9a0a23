package org.evault.cli;

/**
 * A command failed in a way the user can act on: the message is printed as one line (no stack
 * trace) and the process exits with {@link #exitCode()} (see {@link ExitCodes}).
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
