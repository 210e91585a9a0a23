package org.evault.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.evault.ida.Hash256;
import org.evault.protocol.receipt.ReceiptBody;
import org.evault.threshold.VaultPublicKey;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code evault deposit FILE...}: deposits each file under its file name, streamed from disk, and
 * accepts a deposit only when its receipt verifies with the vault key and certifies exactly the
 * bytes sent (name, owner, size and SHA-256 as this client computed them while sending).
 */
@Command(name = "deposit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Deposit files (each under its file name; a name deposited again gets the next version).",
                "Each receipt is verified with the vault public key before success is reported, then saved as "
                        + "NAME.vVERSION.receipt.json; one line per document: NAME version V id DOCUMENT-ID."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.VERIFICATION_LINE, ExitCodes.USAGE_LINE,
                ExitCodes.AUTHENTICATION_LINE, ExitCodes.UNAVAILABLE_LINE})
final class DepositCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Option(names = "--key", paramLabel = "FILE",
            description = "The vault public key (PEM) to check receipts with; default: fetched from the gateway.")
    Path key;

    @Option(names = "--receipts", paramLabel = "DIR", defaultValue = ".",
            description = "Where to save the receipts; default: the current folder.")
    Path receipts;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The files to deposit.")
    List<Path> files;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new CliException(ExitCodes.USAGE, "not a readable file: " + f);
            }
        }
        String user = options.user();
        GatewayClient gateway = options.client();
        VaultPublicKey vault = ClientOptions.vaultKey(key, gateway);
        GatewayClient.Credentials who = options.credentials();
        gateway.checkCredentials(who);
        Files.createDirectories(receipts);
        PrintWriter out = spec.commandLine().getOut();
        for (Path f : files) {
            String name = f.getFileName().toString();
            GatewayClient.Deposited sent = gateway.deposit(who, name, f);
            ReceiptBody body = check(name, user, sent, vault);
            Path saved = save(name, body, sent.receiptJson());
            out.printf("%s version %d id %s%n", name, body.version(), body.documentId());
            out.flush();
            spec.commandLine().getErr().printf("  receipt verified (vault key %s), saved to %s%n",
                    vault.keyId().hex().substring(0, 16), saved);
            spec.commandLine().getErr().flush();
        }
        return ExitCodes.OK;
    }

    /** The receipt's body if it is signed by the vault and certifies what was sent; exit code 1 otherwise. */
    private static ReceiptBody check(String name, String user, GatewayClient.Deposited sent, VaultPublicKey vault) {
        Receipts.Verified receipt;
        try {
            receipt = Receipts.verify(Receipts.parse(sent.receiptJson()), vault);
        } catch (IllegalArgumentException | Receipts.InvalidReceiptException e) {
            throw new CliException(ExitCodes.VERIFICATION_FAILED, name + ": INVALID receipt: " + e.getMessage());
        }
        ReceiptBody b = receipt.body();
        String wrong = !b.documentName().equals(name) ? "names document " + b.documentName()
                : !b.owner().equals(user) ? "names owner " + b.owner()
                : b.size() != sent.bytesSent() ? "certifies " + b.size() + " bytes, " + sent.bytesSent() + " were sent"
                : !b.sha256().equals(Hash256.of(sent.sha256Sent())) ? "certifies sha256 " + b.sha256().hex()
                        + ", the bytes sent have " + GatewayClient.hex(sent.sha256Sent())
                : null;
        if (wrong != null) {
            throw new CliException(ExitCodes.VERIFICATION_FAILED, name + ": INVALID receipt: validly signed, but it "
                    + wrong);
        }
        return b;
    }

    /** Saves the receipt JSON as the gateway sent it; never overwrites an existing receipt. */
    private Path save(String name, ReceiptBody body, String json) throws IOException {
        Path temp = Files.createTempFile(receipts, ".receipt-", ".partial");
        try {
            Files.writeString(temp, json, StandardCharsets.UTF_8);
            Path target = receipts.resolve(name + ".v" + body.version() + ".receipt.json");
            try {
                Files.move(temp, target);
            } catch (FileAlreadyExistsException e) {
                // Another vault's (or account's) receipt for the same name and version: keep both.
                target = receipts.resolve(name + ".v" + body.version() + "." + body.documentId() + ".receipt.json");
                Files.move(temp, target);
            }
            return target;
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
