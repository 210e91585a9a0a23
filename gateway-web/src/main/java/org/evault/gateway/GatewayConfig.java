package org.evault.gateway;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import org.evault.threshold.ThresholdScheme;

/**
 * The gateway's configuration, read once at start from {@code <gateway folder>/gateway.properties}
 * (written by {@code evault init}); paths in it are relative to the gateway folder.
 *
 * @param httpPort plain HTTP port that only redirects to HTTPS, or -1 for none (the default)
 * @param daemons  the n daemons in index order (daemon i is at position i - 1)
 * @param metadata where the metadata database lives: embedded under the data folder by default
 * @param repairInterval how often the repairer gives daemons back missing or damaged slices; zero: never
 * @param web      lifetimes of API tokens and browser sessions
 */
public record GatewayConfig(Path folder, int n, int t, ThresholdScheme scheme, String httpsHost, int httpsPort,
        int httpPort, Path caFile, Path certificateFile, Path privateKeyFile, Path publicKeyFile, Path parametersFile, Path dataDir,
        List<Daemon> daemons, long maxDocumentBytes, Duration daemonRequestTimeout, MetadataDatabase metadata,
        Duration repairInterval, Web web) {

    public static final String FILE = "gateway.properties";
    public static final String HTTP_PORT_KEY = "http.port";
    public static final long HTTP_PORT_DEFAULT = -1;
    public static final String MAX_DOCUMENT_BYTES_KEY = "limits.max-document-bytes";
    public static final long MAX_DOCUMENT_BYTES_DEFAULT = 64L << 30;
    public static final String DAEMON_TIMEOUT_KEY = "daemon.request-timeout-seconds";
    public static final long DAEMON_TIMEOUT_DEFAULT = 60;
    public static final String REPAIR_INTERVAL_KEY = "repair.interval-seconds";
    public static final long REPAIR_INTERVAL_DEFAULT = 3600;
    public static final String TOKEN_LIFETIME_KEY = "tokens.lifetime-minutes";
    public static final String SESSION_IDLE_KEY = "sessions.idle-minutes";
    public static final String SESSION_MAX_KEY = "sessions.max-minutes";
    public static final String LOGIN_PER_USER_KEY = "login.max-failures-per-user";
    public static final String LOGIN_PER_ADDRESS_KEY = "login.max-failures-per-address";
    public static final String LOGIN_WINDOW_KEY = "login.window-seconds";

    /**
     * Lifetimes of what the web layer hands out.
     *
     * @param tokenLifetime how long an API bearer token is accepted after it was issued
     * @param sessionIdle   a browser session ends after this long without a request
     * @param sessionMax    and at the latest this long after login, however busy
     */
    public record Web(Duration tokenLifetime, Duration sessionIdle, Duration sessionMax, int loginFailuresPerUser,
            int loginFailuresPerAddress, Duration loginWindow) {
        public static final Web DEFAULTS = new Web(Duration.ofHours(24), Duration.ofMinutes(30), Duration.ofHours(12),
                LoginThrottle.DEFAULT_MAX_PER_USER, LoginThrottle.DEFAULT_MAX_PER_ADDRESS, LoginThrottle.DEFAULT_WINDOW);

        public Web {
            for (Duration d : new Duration[] {tokenLifetime, sessionIdle, sessionMax, loginWindow}) {
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("web lifetimes must be positive: " + d);
                }
            }
            if (loginFailuresPerUser < 1 || loginFailuresPerAddress < 1) {
                throw new IllegalArgumentException("login failure limits must be at least 1");
            }
        }
    }

    /** One daemon as the gateway reaches it. {@code index} is 1-based, as in the node id. */
    public record Daemon(int index, String id, String host, int port) {
        public Daemon {
            if (index < 1) {
                throw new IllegalArgumentException("daemon index must be at least 1, not " + index);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("daemon " + id + " port is outside 1..65535: " + port);
            }
        }

        @Override
        public String toString() {
            return id + "@" + host + ":" + port;
        }
    }

    /**
     * The metadata database. Without {@code url} it is embedded Derby in {@code data.dir/metadata}
     * (one gateway process owns it); with a {@code jdbc:derby://host:port/name} URL it is a Derby
     * network server the operator runs. The password lives in an owner-only file, never in the URL
     * or the properties, so that neither ends up in a log.
     */
    public record MetadataDatabase(String url, String user, Path passwordFile) {
        public static final MetadataDatabase EMBEDDED = new MetadataDatabase(null, null, null);

        public MetadataDatabase {
            if (url != null) {
                if (!url.startsWith("jdbc:derby://")) {
                    throw new IllegalArgumentException("metadata.url must be a Derby network URL (jdbc:derby://host:port/name), not "
                            + url.split(";", 2)[0]);
                }
                if (url.toLowerCase(Locale.ROOT).contains("password=")) {
                    throw new IllegalArgumentException("metadata.url must not carry a password: put it in metadata.password-file");
                }
            }
            if ((user == null) != (passwordFile == null)) {
                throw new IllegalArgumentException("metadata.user and metadata.password-file go together");
            }
        }

        public boolean embedded() {
            return url == null;
        }

        @Override
        public String toString() {
            return embedded() ? "embedded" : url + (user == null ? "" : " as " + user);
        }
    }

    public GatewayConfig {
        daemons = List.copyOf(daemons);
        java.util.Objects.requireNonNull(web, "web");
        if (daemons.size() != n) {
            throw new IllegalArgumentException(daemons.size() + " daemons configured for n = " + n);
        }
        if (t < 0 || 2 * t >= n) {
            throw new IllegalArgumentException("deployment.t = " + t + " needs 0 <= t < n/2 with n = " + n);
        }
    }

    public int m() {
        return n - t;
    }

    /** Reads {@code folder/gateway.properties}; errors name the file and the key. */
    public static GatewayConfig load(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Keys k = new Keys(file, p);
        int n = (int) k.number("deployment.n", null, 1, 64);
        int t = (int) k.number("deployment.t", null, 0, 63);
        List<Daemon> daemons = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String address = k.text("daemon." + i + ".address");
            int colon = address.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(file + ": daemon." + i + ".address is not host:port: " + address);
            }
            int port;
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ": daemon." + i + ".address has no port number: " + address);
            }
            daemons.add(new Daemon(i, k.text("daemon." + i + ".id"), address.substring(0, colon), port));
        }
        ThresholdScheme scheme;
        try {
            scheme = ThresholdScheme.valueOf(k.text("signature.scheme").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": signature.scheme must be additive or shoup, not "
                    + p.getProperty("signature.scheme"));
        }
        return new GatewayConfig(folder, n, t, scheme, k.text("https.host"),
                (int) k.number("https.port", null, 0, 65535), (int) k.number(HTTP_PORT_KEY, HTTP_PORT_DEFAULT, -1, 65535),
                k.path(folder, "tls.ca", "ca.pem"), k.path(folder, "tls.certificate", "node.pem"),
                k.path(folder, "tls.key", "node.key"), k.path(folder, "vault.public-key", "vault.pem"),
                k.path(folder, "vault.parameters", "vault-params.bin"), k.path(folder, "data.dir", "data"),
                daemons, k.number(MAX_DOCUMENT_BYTES_KEY, MAX_DOCUMENT_BYTES_DEFAULT, 0, Long.MAX_VALUE),
                Duration.ofSeconds(k.number(DAEMON_TIMEOUT_KEY, DAEMON_TIMEOUT_DEFAULT, 1, 86_400)),
                new MetadataDatabase(k.optional("metadata.url"), k.optional("metadata.user"),
                        k.optional("metadata.password-file") == null ? null : k.path(folder, "metadata.password-file", "")),
                Duration.ofSeconds(k.number(REPAIR_INTERVAL_KEY, REPAIR_INTERVAL_DEFAULT, 0, 86_400 * 365)),
                new Web(Duration.ofMinutes(k.number(TOKEN_LIFETIME_KEY, Web.DEFAULTS.tokenLifetime().toMinutes(), 1,
                                366L * 24 * 60)),
                        Duration.ofMinutes(k.number(SESSION_IDLE_KEY, Web.DEFAULTS.sessionIdle().toMinutes(), 1, 7L * 24 * 60)),
                        Duration.ofMinutes(k.number(SESSION_MAX_KEY, Web.DEFAULTS.sessionMax().toMinutes(), 1,
                                31L * 24 * 60)),
                        (int) k.number(LOGIN_PER_USER_KEY, (long) Web.DEFAULTS.loginFailuresPerUser(), 1, 1_000_000),
                        (int) k.number(LOGIN_PER_ADDRESS_KEY, (long) Web.DEFAULTS.loginFailuresPerAddress(), 1, 1_000_000),
                        Duration.ofSeconds(k.number(LOGIN_WINDOW_KEY, Web.DEFAULTS.loginWindow().toSeconds(), 1, 86_400))));
    }

    /** With the daemons' addresses replaced (tests whose daemons listen on ephemeral ports). */
    public GatewayConfig withDaemonPorts(List<Integer> ports) {
        List<Daemon> moved = new ArrayList<>();
        for (int i = 0; i < daemons.size(); i++) {
            Daemon d = daemons.get(i);
            moved.add(new Daemon(d.index(), d.id(), d.host(), ports.get(i)));
        }
        return new GatewayConfig(folder, n, t, scheme, httpsHost, httpsPort, httpPort, caFile, certificateFile, privateKeyFile,
                publicKeyFile, parametersFile, dataDir, moved, maxDocumentBytes, daemonRequestTimeout, metadata, repairInterval, web);
    }

    public GatewayConfig withHttpsPort(int port) {
        return new GatewayConfig(folder, n, t, scheme, httpsHost, port, httpPort, caFile, certificateFile, privateKeyFile,
                publicKeyFile, parametersFile, dataDir, daemons, maxDocumentBytes, daemonRequestTimeout, metadata, repairInterval, web);
    }

    /** With a plain HTTP redirect port (0: any free port; -1: none). */
    public GatewayConfig withHttpPort(int port) {
        return new GatewayConfig(folder, n, t, scheme, httpsHost, httpsPort, port, caFile, certificateFile,
                privateKeyFile, publicKeyFile, parametersFile, dataDir, daemons, maxDocumentBytes, daemonRequestTimeout, metadata, repairInterval, web);
    }

    public GatewayConfig withMaxDocumentBytes(long bytes) {
        return new GatewayConfig(folder, n, t, scheme, httpsHost, httpsPort, httpPort, caFile, certificateFile, privateKeyFile,
                publicKeyFile, parametersFile, dataDir, daemons, bytes, daemonRequestTimeout, metadata, repairInterval, web);
    }

    public GatewayConfig withWeb(Web settings) {
        return new GatewayConfig(folder, n, t, scheme, httpsHost, httpsPort, httpPort, caFile, certificateFile, privateKeyFile,
                publicKeyFile, parametersFile, dataDir, daemons, maxDocumentBytes, daemonRequestTimeout, metadata, repairInterval,
                settings);
    }

    /** A one-line summary for the start-up log (holds no secrets: only paths and numbers). */
    public String describe() {
        return "n = " + n + ", t = " + t + ", m = " + m() + ", scheme " + scheme.name().toLowerCase(Locale.ROOT)
                + ", https " + httpsHost + ":" + httpsPort + ", daemons " + daemons + ", data " + dataDir
                + ", max document " + maxDocumentBytes + " bytes, metadata " + metadata + ", repair "
                + (repairInterval.isZero() ? "off" : "every " + repairInterval.toSeconds() + " s");
    }

    private record Keys(Path file, Properties p) {
        String text(String key) {
            String v = p.getProperty(key);
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(file + ": " + key + " is missing");
            }
            return v.trim();
        }

        String optional(String key) {
            String v = p.getProperty(key);
            return v == null || v.isBlank() ? null : v.trim();
        }

        Path path(Path folder, String key, String defaultValue) {
            String v = p.getProperty(key);
            return folder.resolve(v == null || v.isBlank() ? defaultValue : v.trim());
        }

        long number(String key, Long defaultValue, long min, long max) {
            String v = p.getProperty(key);
            if (v == null) {
                if (defaultValue == null) {
                    throw new IllegalArgumentException(file + ": " + key + " is missing");
                }
                return defaultValue;
            }
            long value;
            try {
                value = Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ": " + key + " is not a number: " + v);
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(file + ": " + key + " = " + value + " is outside " + min + ".." + max);
            }
            return value;
        }
    }
}
