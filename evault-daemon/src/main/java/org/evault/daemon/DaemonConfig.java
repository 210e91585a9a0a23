package org.evault.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import org.evault.deploy.NodeProperties;
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

    public DaemonConfig {
        // Enum order, not Set.copyOf's per-JVM order: logs and tests read the same list every run.
        faults = faults.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(faults));
    }

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
        NodeProperties k = NodeProperties.load(file);
        int n = k.integer("deployment.n", null, 1, 64);
        int t = k.integer("deployment.t", null, 0, 63);
        if (2 * t >= n) {
            throw new IllegalArgumentException(file + ": deployment.t = " + t + " needs t < n/2 with n = " + n);
        }
        Set<Fault> faults = EnumSet.noneOf(Fault.class);
        String faultList = k.text("testing.faults", "");
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
                k.path("tls.ca"), k.path("tls.certificate"), k.path("tls.key"),
                k.path("vault.public-key"), k.path("vault.parameters"), k.path("vault.share"),
                k.path("data.dir"),
                k.integer("ida.segment-size", 65536, 4096, 1 << 24),
                k.longValue("limits.max-document-bytes", 64L << 30, 0, Long.MAX_VALUE),
                k.integer("limits.max-connections", 1024, 1, 1 << 20),
                Duration.ofSeconds(k.longValue("limits.max-clock-skew-seconds", 300L, 0, 86_400 * 365)),
                Duration.ofSeconds(k.longValue("scrub.interval-seconds", 86_400L, 0, 86_400 * 365)),
                Duration.ofSeconds(k.longValue("limits.idle-timeout-seconds", 600L, 1, 86_400 * 365)),
                faults);
    }
}
