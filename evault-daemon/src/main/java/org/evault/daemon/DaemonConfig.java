package org.evault.daemon;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

import org.evault.threshold.ThresholdScheme;

/**
 * One daemon's configuration, read once at start from {@code <node folder>/daemon.properties}
 * (written by {@code evault init}); paths in it are relative to the node folder. Every limit has a
 * default; docs/operations.md lists the keys.
 */
public record DaemonConfig(Path folder, String nodeId, int nodeIndex, int n, int t, ThresholdScheme scheme,
        String listenHost, int listenPort, Path caFile, Path certificateFile, Path privateKeyFile, Path publicKeyFile,
        Path parametersFile, Path shareFile, Path dataDir, int segmentSize, long maxDocumentBytes, int maxConnections,
        Duration maxClockSkew, Duration scrubInterval, Duration idleTimeout, Set<Fault> faults) {

    public static final String FILE = "daemon.properties";
    /** The JVM switch without which any fault injection in a config is refused. */
    public static final String TESTING_PROPERTY = "evault.testing";

    /** Misbehaviour for tests of the gateway's robustness; refused unless -Devault.testing=true. */
    public enum Fault {
        /** Serves slice bytes with one byte flipped per segment. */
        WRONG_SLICE,
        /** Reports a fingerprint vector with one entry changed, at deposit and retrieval. */
        WRONG_FINGERPRINTS,
        /** Returns a random partial signature. */
        WRONG_SIGNATURE,
        /** Accepts requests and never answers. */
        SILENT,
        /** Answers every request after a delay of two seconds. */
        SLOW
    }

    public int m() {
        return n - t;
    }

    /** This daemon's slice: column nodeIndex - 1 of the dispersal matrix. */
    public int sliceIndex() {
        return nodeIndex - 1;
    }

    public static DaemonConfig load(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Keys k = new Keys(file, p);
        int n = k.integer("deployment.n", null, 1, 64);
        int t = k.integer("deployment.t", null, 0, 63);
        if (2 * t >= n) {
            throw new IllegalArgumentException(file + ": deployment.t = " + t + " needs t < n/2 with n = " + n);
        }
        Set<Fault> faults = EnumSet.noneOf(Fault.class);
        String faultList = p.getProperty("testing.faults", "").trim();
        if (!faultList.isEmpty()) {
            if (!Boolean.getBoolean(TESTING_PROPERTY)) {
                throw new IllegalArgumentException(file + ": testing.faults is set, but fault injection is for tests only"
                        + " (the JVM must be started with -D" + TESTING_PROPERTY + "=true); remove it");
            }
            for (String f : faultList.split(",")) {
                faults.add(Fault.valueOf(f.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
            }
        }
        return new DaemonConfig(folder, k.text("node.id"), k.integer("node.index", null, 1, n), n, t,
                ThresholdScheme.valueOf(k.text("signature.scheme").toUpperCase(Locale.ROOT)),
                k.text("listen.host"), k.integer("listen.port", null, 0, 65535),
                k.path(folder, "tls.ca"), k.path(folder, "tls.certificate"), k.path(folder, "tls.key"),
                k.path(folder, "vault.public-key"), k.path(folder, "vault.parameters"), k.path(folder, "vault.share"),
                k.path(folder, "data.dir"),
                k.integer("ida.segment-size", 65536, 4096, 1 << 24),
                k.longValue("limits.max-document-bytes", 64L << 30, 0),
                k.integer("limits.max-connections", 1024, 1, 1 << 20),
                Duration.ofSeconds(k.longValue("limits.max-clock-skew-seconds", 300, 0)),
                Duration.ofSeconds(k.longValue("scrub.interval-seconds", 86_400, 0)),
                Duration.ofSeconds(k.longValue("limits.idle-timeout-seconds", 600, 1)),
                Set.copyOf(faults));
    }

    /** Typed access to the properties, with errors that name the file and the key. */
    private record Keys(Path file, Properties p) {
        String text(String key) {
            String v = p.getProperty(key);
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(file + ": " + key + " is missing");
            }
            return v.trim();
        }

        Path path(Path folder, String key) {
            return folder.resolve(text(key));
        }

        int integer(String key, Integer defaultValue, int min, int max) {
            return (int) longValue(key, defaultValue == null ? null : (long) defaultValue, min, max);
        }

        long longValue(String key, long defaultValue, long min) {
            return longValue(key, defaultValue, min, Long.MAX_VALUE);
        }

        long longValue(String key, Long defaultValue, long min, long max) {
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
