package org.evault.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.evault.ida.Hash256;
import org.evault.protocol.receipt.ReceiptBody;
import org.evault.threshold.KeyFileException;
import org.evault.threshold.VaultPublicKey;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The paper's minimal client (section 2.3.1), three small programs around the browser:
 * {@code extractkey} takes the vault public key from the saved registration page (or the PEM
 * endpoint), {@code verify} checks a saved deposit reply's receipt with it and records the
 * document's name, version and SHA-256, {@code extractfile} checks a retrieved document against
 * that record before writing it. {@code bin/extractkey}, {@code bin/verify} and
 * {@code bin/extractfile} call them. The paper hashed with MD5; the receipts here carry SHA-256.
 */
final class MinimalClient {
    private static final long MAX_PAGE_BYTES = 4L << 20;

    private MinimalClient() {
    }

    static String readPage(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CliException(ExitCodes.USAGE, "no such file: " + file);
        }
        if (Files.size(file) > MAX_PAGE_BYTES) {
            throw new CliException(ExitCodes.USAGE, file + " is larger than a page or a receipt can be");
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Command(name = "extractkey", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Minimal client: store the vault public key, taken from a saved registration page "
                    + "(<pre id=\"vault-public-key\">), a PEM file, or the gateway's PEM endpoint URL."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {ExitCodes.OK_LINE, "1:the store already holds another key (see --replace)",
                    ExitCodes.USAGE_LINE, ExitCodes.UNAVAILABLE_LINE})
    static final class ExtractKey implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PAGE|PEM|URL",
                description = "The saved registration page, a PEM file, or https://.../api/v1/vault/public-key.pem.")
        String source;

        @Option(names = "--store", paramLabel = "DIR", description = "The client's folder; default $EVAULT_HOME or ~/.evault.")
        Path store;

        @Option(names = "--cacert", paramLabel = "FILE", description = "PEM CA to trust when SOURCE is a URL.")
        Path caCertificate;

        @Option(names = "--replace", description = "Replace a different key already stored.")
        boolean replace;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String text = source.regionMatches(true, 0, "https://", 0, 8)
                    ? GatewayClient.connect(source, caCertificate).fetch(URI.create(source))
                    : readPage(Path.of(source));
            String inPage = Html.preText(text, "vault-public-key");
            VaultPublicKey key;
            try {
                key = VaultPublicKey.fromPem((inPage != null ? inPage : text).strip() + "\n");
            } catch (KeyFileException e) {
                throw new CliException(ExitCodes.USAGE, source + " holds no vault public key (expected a page with "
                        + "<pre id=\"vault-public-key\"> or a PEM public key): " + e.getMessage());
            }
            ClientStore s = ClientStore.at(store);
            boolean stored = s.storeKey(key, replace);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("vault key %s (%d bits) %s %s%n", key.keyId().hex(), key.modulusBits(),
                    stored ? "stored in" : "already stored in", s.keyFile());
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Minimal client: check the receipt in a saved deposit reply (HTML page with "
                    + "<pre id=\"evault-receipt\">, or the receipt JSON) with the stored vault key, and record the "
                    + "document's name, version and SHA-256 for extractfile."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {ExitCodes.OK_LINE, "1:the receipt is not valid (nothing recorded)",
                    "2:no receipt in the file, no key stored (run extractkey), or a usage error"})
    static final class Verify implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "REPLY", description = "The saved deposit reply page or receipt JSON.")
        Path reply;

        @Option(names = "--store", paramLabel = "DIR", description = "The client's folder; default $EVAULT_HOME or ~/.evault.")
        Path store;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Receipts.Signed signed;
            try {
                signed = Receipts.parse(readPage(reply));
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, reply + ": " + e.getMessage());
            }
            ClientStore s = ClientStore.at(store);
            VaultPublicKey key = s.key();
            PrintWriter out = spec.commandLine().getOut();
            try {
                Receipts.Verified verified = Receipts.verify(signed, key);
                Path recorded = s.record(verified);
                out.println("valid receipt: " + verified.describe());
                out.println("recorded in " + recorded);
                return ExitCodes.OK;
            } catch (Receipts.InvalidReceiptException e) {
                out.println("INVALID: " + e.getMessage() + "; nothing recorded");
                return ExitCodes.VERIFICATION_FAILED;
            } finally {
                out.flush();
            }
        }
    }

    @Command(name = "extractfile", sortOptions = false,
            description = {"Minimal client: check a retrieved document against the SHA-256 that verify recorded for "
                    + "NAME (any recorded version, or --version V) and write it to --out; nothing is written on a "
                    + "mismatch."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {ExitCodes.OK_LINE, "1:the document does not match the recorded hash (nothing written)",
                    ExitCodes.USAGE_LINE, "4:no verified receipt recorded for NAME (or that version)"})
    static final class ExtractFile implements Callable<Integer> {
        // Not mixinStandardHelpOptions: its --version would clash with the document version option.
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Parameters(index = "0", paramLabel = "FILE", description = "The retrieved document, as downloaded.")
        Path file;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "The document's name in the vault.")
        String name;

        @Option(names = "--version", paramLabel = "V", description = "Only this version; default: any recorded one.")
        Integer version;

        @Option(names = "--out", paramLabel = "FILE", description = "Where to write it; default: NAME in the current folder.")
        Path out;

        @Option(names = "--store", paramLabel = "DIR", description = "The client's folder; default $EVAULT_HOME or ~/.evault.")
        Path store;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(file)) {
                throw new CliException(ExitCodes.USAGE, "no such file: " + file);
            }
            ClientStore s = ClientStore.at(store);
            List<ReceiptBody> recorded = s.recorded(name, spec.commandLine().getErr());
            if (version != null) {
                recorded.removeIf(r -> r.version() != version);
            }
            if (recorded.isEmpty()) {
                throw new CliException(ExitCodes.NOT_FOUND, "no verified receipt for " + name
                        + (version == null ? "" : " version " + version) + " in " + s.folder()
                        + ": run verify on its deposit reply first");
            }
            Path target = (out != null ? out : defaultOut(name)).toAbsolutePath();
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".partial");
            try {
                MessageDigest sha = Hash256.sha256();
                long size;
                try (InputStream in = Files.newInputStream(file);
                        OutputStream o = new DigestOutputStream(Files.newOutputStream(temp), sha)) {
                    size = in.transferTo(o);
                }
                Hash256 hash = Hash256.of(sha.digest());
                ReceiptBody match = null;
                for (ReceiptBody r : recorded) {
                    if (r.size() == size && r.sha256().equals(hash)) {
                        match = r;
                    }
                }
                if (match == null) {
                    throw new CliException(ExitCodes.VERIFICATION_FAILED, file + " is not " + name + ": its sha256 is "
                            + hash.hex() + " (" + size + " bytes), the recorded deposit" + (recorded.size() > 1 ? "s have " : " has ")
                            + recorded.stream().map(r -> "v" + r.version() + " " + r.sha256().hex())
                                    .collect(Collectors.joining(", ")) + "; nothing written");
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                PrintWriter o = spec.commandLine().getOut();
                o.printf("%s version %d: sha256 %s matches the verified receipt; written to %s%n", name, match.version(),
                        hash.hex(), target);
                o.flush();
                return ExitCodes.OK;
            } finally {
                Files.deleteIfExists(temp);
            }
        }

        private static Path defaultOut(String name) {
            if (name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")) {
                throw new CliException(ExitCodes.USAGE, "give --out: " + name + " is not a plain file name");
            }
            return Path.of(name);
        }
    }
}
