package org.evault.cli;

import java.io.Console;
import java.nio.file.Path;
import java.util.Arrays;

import org.evault.threshold.KeyFiles;
import org.evault.threshold.VaultPublicKey;

import picocli.CommandLine.Option;

/**
 * The options every client command shares: where the gateway is, which CA to trust, who the user
 * is. The password never comes from the command line (it would show in {@code ps} and shell
 * history): from {@code EVAULT_PASSWORD}, or asked on the terminal.
 */
final class ClientOptions {
    static final String PASSWORD_VARIABLE = "EVAULT_PASSWORD";

    @Option(names = "--gateway", defaultValue = "https://localhost:8443", paramLabel = "URL",
            description = "The gateway's base URL; default ${DEFAULT-VALUE}.")
    String gateway;

    @Option(names = "--cacert", paramLabel = "FILE",
            description = "PEM CA certificate to trust (the deployment's ca.pem); default: the JDK's trusted CAs.")
    Path caCertificate;

    @Option(names = "--user", paramLabel = "ID", defaultValue = "${env:EVAULT_USER}",
            description = "Your user id (default: $EVAULT_USER). The password comes from $EVAULT_PASSWORD or is asked.")
    String user;

    GatewayClient client() {
        return GatewayClient.connect(gateway, caCertificate);
    }

    String user() {
        if (user == null || user.isBlank()) {
            throw new CliException(ExitCodes.USAGE, "--user is required (or set EVAULT_USER)");
        }
        return user;
    }

    GatewayClient.Credentials credentials() {
        char[] password = password("password for " + user() + ": ", false);
        try {
            return GatewayClient.Credentials.of(user(), password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** The vault key from {@code keyFile} if given, else as the gateway publishes it. */
    static VaultPublicKey vaultKey(Path keyFile, GatewayClient gateway) throws Exception {
        return keyFile != null ? KeyFiles.readPublicKey(keyFile) : gateway.publicKey();
    }

    /** The password from EVAULT_PASSWORD, else asked on the terminal (twice when {@code confirm}). */
    static char[] password(String prompt, boolean confirm) {
        String fromEnvironment = System.getenv(PASSWORD_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return fromEnvironment.toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            throw new CliException(ExitCodes.USAGE, "no password: set " + PASSWORD_VARIABLE
                    + " or run on a terminal to be asked");
        }
        char[] first = console.readPassword("%s", prompt);
        if (first == null || first.length == 0) {
            throw new CliException(ExitCodes.USAGE, "no password given");
        }
        if (confirm) {
            char[] again = console.readPassword("%s", "again: ");
            boolean same = Arrays.equals(first, again);
            if (again != null) {
                Arrays.fill(again, '\0');
            }
            if (!same) {
                Arrays.fill(first, '\0');
                throw new CliException(ExitCodes.USAGE, "the two passwords differ");
            }
        }
        return first;
    }

    /** A value from an option, else asked on the terminal. */
    static String askIfMissing(String value, String option, String prompt) {
        if (value != null && !value.isBlank()) {
            return value;
        }
        Console console = System.console();
        String answer = console == null ? null : console.readLine("%s", prompt);
        if (answer == null || answer.isBlank()) {
            throw new CliException(ExitCodes.USAGE, option + " is required");
        }
        return answer.strip();
    }
}
