package org.evault.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.evault.threshold.KeyFiles;
import org.evault.threshold.VaultPublicKey;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code evault receipt ...}: work with deposit receipts without trusting the gateway. */
@Command(name = "receipt", mixinStandardHelpOptions = true, description = "Check deposit receipts.",
        subcommands = {ReceiptCommand.Verify.class})
final class ReceiptCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code evault receipt verify --key vault.pem RECEIPT.json} (or {@code --body B --signature S}):
     * checks the vault's signature over the exact body bytes, that the body is a canonical receipt
     * body of this vault's key, and prints what it certifies. Exit code 0 if valid, 1 if not.
     */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check a receipt's signature with the vault public key and print what it certifies.")
    static final class Verify implements Callable<Integer> {
        @Option(names = "--key", required = true, description = "The vault public key (PEM), e.g. ca folder's vault.pem.")
        Path key;

        @Parameters(arity = "0..1", paramLabel = "RECEIPT.json", description = "A receipt as JSON with base64 body and signature, or an HTML page carrying it.")
        Path receipt;

        @Option(names = "--body", description = "The receipt body bytes (instead of RECEIPT.json).")
        Path bodyFile;

        @Option(names = "--signature", description = "The raw signature bytes (instead of RECEIPT.json).")
        Path signatureFile;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Receipts.Signed signed;
            if (receipt != null) {
                signed = Receipts.parse(Files.readString(receipt, StandardCharsets.UTF_8));
            } else if (bodyFile != null && signatureFile != null) {
                signed = new Receipts.Signed(Files.readAllBytes(bodyFile), Files.readAllBytes(signatureFile));
            } else {
                throw new IllegalArgumentException("give RECEIPT.json, or --body and --signature");
            }
            VaultPublicKey vault = KeyFiles.readPublicKey(key);
            PrintWriter out = spec.commandLine().getOut();
            try {
                out.println("valid receipt: " + Receipts.verify(signed, vault).describe());
                return 0;
            } catch (Receipts.InvalidReceiptException e) {
                out.println("INVALID: " + e.getMessage());
                return ExitCodes.VERIFICATION_FAILED;
            } finally {
                out.flush();
            }
        }
    }
}
