package org.evault.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.evault.protocol.receipt.ReceiptBody;
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
        private static final Pattern FIELD = Pattern.compile("\"(body|signature)\"\\s*:\\s*\"([A-Za-z0-9+/=]*)\"");

        @Option(names = "--key", required = true, description = "The vault public key (PEM), e.g. ca folder's vault.pem.")
        Path key;

        @Parameters(arity = "0..1", paramLabel = "RECEIPT.json", description = "A receipt as JSON with base64 body and signature.")
        Path receipt;

        @Option(names = "--body", description = "The receipt body bytes (instead of RECEIPT.json).")
        Path bodyFile;

        @Option(names = "--signature", description = "The raw signature bytes (instead of RECEIPT.json).")
        Path signatureFile;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            byte[] body;
            byte[] signature;
            if (receipt != null) {
                String json = Files.readString(receipt, StandardCharsets.UTF_8);
                body = field(json, "body");
                signature = field(json, "signature");
            } else if (bodyFile != null && signatureFile != null) {
                body = Files.readAllBytes(bodyFile);
                signature = Files.readAllBytes(signatureFile);
            } else {
                throw new IllegalArgumentException("give RECEIPT.json, or --body and --signature");
            }
            VaultPublicKey vault = KeyFiles.readPublicKey(key);
            PrintWriter out = spec.commandLine().getOut();
            if (!vault.verify(body, signature)) {
                out.println("INVALID: the signature does not match this body under " + key);
                out.flush();
                return 1;
            }
            ReceiptBody r = ReceiptBody.parse(body);
            if (!r.vaultKeyId().equals(vault.keyId().hex())) {
                out.println("INVALID: signed by this key but names another vault key " + r.vaultKeyId());
                out.flush();
                return 1;
            }
            out.printf("valid receipt: %s version %d of %s, %d bytes, sha256 %s, deposited %s, document id %s%n",
                    r.documentName(), r.version(), r.owner(), r.size(), r.sha256().hex(), r.depositTime(), r.documentId());
            out.flush();
            return 0;
        }

        private static byte[] field(String json, String name) {
            Matcher m = FIELD.matcher(json);
            while (m.find()) {
                if (m.group(1).equals(name)) {
                    return Base64.getDecoder().decode(m.group(2));
                }
            }
            throw new IllegalArgumentException("the receipt has no base64 \"" + name + "\" field");
        }
    }
}
