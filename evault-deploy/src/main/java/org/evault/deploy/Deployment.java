package org.evault.deploy;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import org.evault.threshold.DealtKey;
import org.evault.threshold.KeyFiles;

/**
 * Writes a complete deployment from a dealt vault key: the CA certificate, and one folder per
 * daemon and one for the gateway, each holding only what that node needs. Secret files (private
 * keys, key shares) are owner-only; folders are owner-only. The file names and property keys are
 * fixed here; docs/operations.md lists them.
 */
public final class Deployment {
    public static final String CA_FILE = "ca.pem";
    public static final String DAEMON_CONFIG = "daemon.properties";
    public static final String GATEWAY_CONFIG = "gateway.properties";
    public static final String CERTIFICATE = "node.pem";
    public static final String PRIVATE_KEY = "node.key";
    public static final String VAULT_PUBLIC_KEY = "vault.pem";
    public static final String VAULT_PARAMETERS = "vault-params.bin";
    public static final String VAULT_SHARE = "vault-share.bin";
    public static final String GATEWAY_FOLDER = "gateway";

    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private Deployment() {
    }

    /** The folder of daemon {@code index} (1-based) inside a deployment. */
    public static Path daemonFolder(Path deployment, int index) {
        return deployment.resolve("node-" + index);
    }

    public static String nodeId(int index) {
        return "node-" + index;
    }

    /**
     * Writes the deployment into {@code out}, which must not exist or be empty. The CA's private
     * key is never written: see {@link CertificateAuthority}.
     */
    public static void write(Path out, DeploymentSpec spec, DealtKey key, SecureRandom random)
            throws IOException, GeneralSecurityException {
        if (key.parameters().n() != spec.n()) {
            throw new IllegalArgumentException("the key was dealt for " + key.parameters().n() + " servers, not " + spec.n());
        }
        if (key.parameters().scheme() != spec.scheme()) {
            throw new IllegalArgumentException("the key was dealt for " + key.parameters().scheme() + ", not " + spec.scheme());
        }
        if (key.parameters().k() != spec.sharesNeeded()) {
            throw new IllegalArgumentException("the key needs " + key.parameters().k() + " shares, the deployment "
                    + spec.sharesNeeded());
        }
        if (Files.exists(out) && (!Files.isDirectory(out) || !isEmpty(out))) {
            throw new FileAlreadyExistsException(out.toString(), null, "the deployment folder exists and is not empty");
        }
        createOwnerOnlyFolder(out);
        CertificateAuthority ca = CertificateAuthority.create("e-Vault CA", Duration.ofDays(5 * 365), random);
        String caPem = CertificateAuthority.pem(ca.certificate());
        writePublic(out.resolve(CA_FILE), caPem);
        List<String> hosts = hostsFor(spec.host());
        for (int i = 1; i <= spec.n(); i++) {
            Path dir = daemonFolder(out, i);
            createOwnerOnlyFolder(dir);
            writeNodeBasics(dir, caPem, ca.issue(nodeId(i), hosts), key);
            KeyFiles.writeShare(dir.resolve(VAULT_SHARE), key.share(i));
            Properties p = common(spec);
            p.setProperty("node.id", nodeId(i));
            p.setProperty("node.index", Integer.toString(i));
            p.setProperty("listen.host", spec.host());
            p.setProperty("listen.port", Integer.toString(spec.daemonPort(i)));
            p.setProperty("vault.share", VAULT_SHARE);
            p.setProperty("data.dir", "data");
            writeProperties(dir.resolve(DAEMON_CONFIG), p, "e-Vault daemon " + nodeId(i) + " of " + spec.n());
        }
        Path gw = out.resolve(GATEWAY_FOLDER);
        createOwnerOnlyFolder(gw);
        writeNodeBasics(gw, caPem, ca.issue("gateway", hosts), key);
        Properties p = common(spec);
        p.setProperty("https.host", spec.host());
        p.setProperty("https.port", Integer.toString(spec.gatewayPort()));
        p.setProperty("data.dir", "data");
        for (int i = 1; i <= spec.n(); i++) {
            p.setProperty("daemon." + i + ".id", nodeId(i));
            p.setProperty("daemon." + i + ".address", spec.host() + ":" + spec.daemonPort(i));
        }
        writeProperties(gw.resolve(GATEWAY_CONFIG), p, "e-Vault gateway");
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static Properties common(DeploymentSpec spec) {
        Properties p = new Properties();
        p.setProperty("deployment.n", Integer.toString(spec.n()));
        p.setProperty("deployment.t", Integer.toString(spec.t()));
        p.setProperty("deployment.m", Integer.toString(spec.m()));
        p.setProperty("signature.scheme", spec.scheme().name().toLowerCase(java.util.Locale.ROOT));
        p.setProperty("tls.ca", CA_FILE);
        p.setProperty("tls.certificate", CERTIFICATE);
        p.setProperty("tls.key", PRIVATE_KEY);
        p.setProperty("vault.public-key", VAULT_PUBLIC_KEY);
        p.setProperty("vault.parameters", VAULT_PARAMETERS);
        return p;
    }

    private static void writeNodeBasics(Path dir, String caPem, CertificateAuthority.Issued issued, DealtKey key)
            throws IOException {
        writePublic(dir.resolve(CA_FILE), caPem);
        writePublic(dir.resolve(CERTIFICATE), issued.certificatePem());
        writeSecret(dir.resolve(PRIVATE_KEY), issued.privateKeyPem());
        KeyFiles.writePublicKey(dir.resolve(VAULT_PUBLIC_KEY), key.publicKey());
        KeyFiles.writeParameters(dir.resolve(VAULT_PARAMETERS), key.parameters());
    }

    private static List<String> hostsFor(String host) {
        return host.equals("localhost") || host.equals("127.0.0.1")
                ? List.of("localhost", "127.0.0.1") : List.of(host, "localhost", "127.0.0.1");
    }

    private static void createOwnerOnlyFolder(Path dir) throws IOException {
        Files.createDirectories(dir);
        setPermissions(dir, OWNER_ONLY_DIR);
    }

    private static void writePublic(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.US_ASCII, java.nio.file.StandardOpenOption.CREATE_NEW);
        setPermissions(file, PUBLIC_FILE);
    }

    private static void writeSecret(Path file, String text) throws IOException {
        // Create it owner-only before any secret byte is written.
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    private static void writeProperties(Path file, Properties p, String comment) throws IOException {
        StringBuilder s = new StringBuilder("# " + comment + ", written by evault init\n");
        for (var e : new TreeMap<>(p).entrySet()) {
            s.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW)) {
            w.write(s.toString());
        }
        setPermissions(file, PUBLIC_FILE);
    }

    private static void setPermissions(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }
}
