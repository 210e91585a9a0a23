package org.evault.cli;

/**
 * The launcher's exit codes, the same for every command (docs/operations.md lists them). The
 * {@code *_LINE} constants are picocli's "Exit codes:" section of {@code --help}.
 */
final class ExitCodes {
    static final int OK = 0;
    /** A receipt, a signature or a document hash did not verify (or, for init and recover, the job failed). */
    static final int VERIFICATION_FAILED = 1;
    /** Bad options, a missing input file, or a request the gateway refused as invalid. */
    static final int USAGE = 2;
    /** The gateway did not accept the user id and password. */
    static final int AUTHENTICATION_FAILED = 3;
    /** No such document (or version), or no verified receipt for it in the client's store. */
    static final int NOT_FOUND = 4;
    /** The gateway cannot be reached (connection, TLS) or answered with a server error. */
    static final int UNAVAILABLE = 5;

    static final String OK_LINE = "0:success";
    static final String FAILED_LINE = "1:verification failed (a receipt, a hash), or the job failed; the message says why";
    static final String VERIFICATION_LINE = "1:verification failed: a bad receipt signature or document hash";
    static final String USAGE_LINE = "2:usage error, a missing file, or a request the gateway refused";
    static final String AUTHENTICATION_LINE = "3:authentication failed (wrong user id or password)";
    static final String NOT_FOUND_LINE = "4:no such document or version";
    static final String UNAVAILABLE_LINE = "5:gateway unreachable (connection, TLS) or a server error";

    private ExitCodes() {
    }
}
