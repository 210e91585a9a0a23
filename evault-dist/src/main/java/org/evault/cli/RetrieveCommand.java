package org.evault.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * {@code evault retrieve NAME [--version V] --out FILE}: streams the document into a temporary
 * file beside FILE, hashing it on the way, and renames it to FILE only if its size and SHA-256
 * are the ones the vault signed in the version's receipt (the receipt is checked with the vault
 * key too). A wrong or short document never appears under FILE.
 */
@Command(name = "retrieve", sortOptions = false,
        description = {"Retrieve a document (the latest version, or --version V) into --out FILE.",
                "FILE appears only when the bytes match the size and SHA-256 of the version's signed receipt."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.VERIFICATION_LINE, ExitCodes.USAGE_LINE,
                ExitCodes.AUTHENTICATION_LINE, ExitCodes.NOT_FOUND_LINE, ExitCodes.UNAVAILABLE_LINE})
final class RetrieveCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    // Not mixinStandardHelpOptions: its --version would clash with the document version option.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(index = "0", paramLabel = "NAME", description = "The document's name.")
    String name;

    @Option(names = "--version", paramLabel = "V", description = "The version to retrieve; default: the latest.")
    Integer version;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the document.")
    Path out;

    @Option(names = "--key", paramLabel = "FILE",
            description = "The vault public key (PEM) to check the receipt with; default: fetched from the gateway.")
    Path key;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (version != null && version < 1) {
            throw new CliException(ExitCodes.USAGE, "--version must be 1 or more");
        }
        Path target = out.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new CliException(ExitCodes.USAGE, "--out " + out + " is a folder; give a file name");
        }
        Files.createDirectories(target.getParent());
        GatewayClient gateway = options.client();
        GatewayClient.Credentials who = options.credentials();
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".partial");
        try {
            GatewayClient.Retrieved got = gateway.retrieve(who, name, version, temp);
            VaultPublicKey vault = ClientOptions.vaultKey(key, gateway);
            ReceiptBody signed;
            try {
                signed = Receipts.verify(Receipts.parse(gateway.receipt(who, name, got.version())), vault).body();
            } catch (IllegalArgumentException | Receipts.InvalidReceiptException e) {
                throw new CliException(ExitCodes.VERIFICATION_FAILED, name + " version " + got.version()
                        + ": INVALID receipt: " + e.getMessage() + "; nothing written");
            }
            if (!signed.documentName().equals(name) || signed.version() != got.version()
                    || (!got.documentId().isEmpty() && !signed.documentId().equals(got.documentId()))) {
                throw new CliException(ExitCodes.VERIFICATION_FAILED, "the receipt is for " + signed.documentName()
                        + " version " + signed.version() + ", not the document sent; nothing written");
            }
            Hash256 received = Hash256.of(got.sha256());
            if (got.size() != signed.size() || !received.equals(signed.sha256())) {
                throw new CliException(ExitCodes.VERIFICATION_FAILED, String.format(
                        "%s version %d: the retrieved bytes (%d, sha256 %s) are not the deposited ones (%d, sha256 %s); "
                                + "nothing written", name, got.version(), got.size(), received.hex(), signed.size(),
                        signed.sha256().hex()));
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            PrintWriter o = spec.commandLine().getOut();
            o.printf("%s version %d id %s: %d bytes written to %s, sha256 %s matches the signed receipt%n", name,
                    got.version(), signed.documentId(), got.size(), out, received.hex());
            o.flush();
            return ExitCodes.OK;
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
