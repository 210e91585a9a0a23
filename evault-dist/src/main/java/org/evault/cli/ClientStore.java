package org.evault.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.evault.protocol.receipt.ReceiptBody;
import org.evault.threshold.KeyFileException;
import org.evault.threshold.KeyFiles;
import org.evault.threshold.VaultPublicKey;

/**
 * The minimal client's folder (the paper's section 2.3.1): the vault public key that
 * {@code extractkey} stored, and the receipts that {@code verify} checked, from which
 * {@code extractfile} takes a document's name, version and SHA-256. A record is the signed
 * receipt itself, so nothing in the folder is trusted without the key: every read re-checks it.
 *
 * <pre>
 * STORE/vault.pem                        the vault public key (PEM)
 * STORE/receipts/DOCUMENT-ID.receipt.json one verified receipt (the API's receipt JSON)
 * </pre>
 */
final class ClientStore {
    static final String HOME_VARIABLE = "EVAULT_HOME";
    static final String KEY_FILE = "vault.pem";
    static final String RECEIPTS = "receipts";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;

    private ClientStore(Path folder) {
        this.folder = folder;
    }

    /** The store in {@code folder}, or else {@code $EVAULT_HOME}, or else {@code ~/.evault}. */
    static ClientStore at(Path folder) {
        if (folder != null) {
            return new ClientStore(folder);
        }
        String home = System.getenv(HOME_VARIABLE);
        if (home != null && !home.isBlank()) {
            return new ClientStore(Path.of(home));
        }
        return new ClientStore(Path.of(System.getProperty("user.home"), ".evault"));
    }

    Path folder() {
        return folder;
    }

    Path keyFile() {
        return folder.resolve(KEY_FILE);
    }

    /** The stored vault key; exit code 2 if extractkey has not stored one. */
    VaultPublicKey key() throws IOException {
        if (!Files.isRegularFile(keyFile())) {
            throw new CliException(ExitCodes.USAGE, "no vault key in " + folder + ": run extractkey first");
        }
        try {
            return KeyFiles.readPublicKey(keyFile());
        } catch (KeyFileException e) {
            throw new CliException(ExitCodes.USAGE, keyFile() + " is not a vault key: " + e.getMessage());
        }
    }

    /**
     * Stores the key. A different key already there is kept unless {@code replace}: silently
     * swapping the key would let whoever hands over a page make every later receipt "valid".
     *
     * @return false if this very key was already stored
     */
    boolean storeKey(VaultPublicKey key, boolean replace) throws IOException {
        if (Files.isRegularFile(keyFile())) {
            VaultPublicKey old = key();
            if (old.equals(key)) {
                return false;
            }
            if (!replace) {
                throw new CliException(ExitCodes.VERIFICATION_FAILED, folder + " already holds another vault key ("
                        + old.keyId().hex() + "); use --replace to replace it, or --store for another folder");
            }
        }
        createFolder(folder);
        writeAtomically(keyFile(), key.toPem());
        return true;
    }

    /** Records a verified receipt (again: the same file). */
    Path record(Receipts.Verified receipt) throws IOException {
        Path dir = createFolder(folder.resolve(RECEIPTS));
        ReceiptBody b = receipt.body();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("body", Base64.getEncoder().encodeToString(receipt.bodyBytes()));
        json.put("signature", Base64.getEncoder().encodeToString(receipt.signature()));
        json.put("name", b.documentName());
        json.put("version", b.version());
        json.put("documentId", b.documentId());
        Path file = dir.resolve(safeFileName(b.documentId()) + ".receipt.json");
        writeAtomically(file, JSON.writeValueAsString(json));
        return file;
    }

    /**
     * The recorded receipts of document {@code name} (every version, oldest first), each checked
     * again with the stored key; a record that fails the check is reported and skipped.
     */
    List<ReceiptBody> recorded(String name, PrintWriter warnings) throws IOException {
        VaultPublicKey key = key();
        List<ReceiptBody> found = new ArrayList<>();
        Path dir = folder.resolve(RECEIPTS);
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.receipt.json")) {
            for (Path f : files) {
                try {
                    ReceiptBody b = Receipts.verify(Receipts.parse(Files.readString(f, StandardCharsets.UTF_8)), key).body();
                    if (b.documentName().equals(name)) {
                        found.add(b);
                    }
                } catch (IllegalArgumentException | Receipts.InvalidReceiptException e) {
                    warnings.println("evault: ignoring " + f + ": " + e.getMessage());
                }
            }
        }
        found.sort(Comparator.comparingInt(ReceiptBody::version));
        return found;
    }

    private static String safeFileName(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static Path createFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        }
        return dir;
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".partial");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
