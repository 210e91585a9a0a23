package org.evault.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.evault.deploy.Deployment;
import org.evault.deploy.DeploymentSpec;
import org.evault.threshold.DealtKey;
import org.evault.threshold.Dealer;
import org.evault.threshold.ThresholdScheme;

/** Real deployments for tests: a real 2048-bit dealt key (made once per JVM and shape), real certificates. */
public final class TestDeployments {
    private static final Map<String, DealtKey> KEYS = new ConcurrentHashMap<>();

    private TestDeployments() {
    }

    public static DealtKey key(int n, int t, ThresholdScheme scheme) {
        return KEYS.computeIfAbsent(n + "/" + t + "/" + scheme, k -> {
            try {
                return Dealer.builder().modulusBits(2048).scheme(scheme).servers(n).threshold(t + 1)
                        .random(new SecureRandom()).build().generate();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** Writes a deployment whose daemons listen on ephemeral ports (port 0), and returns its folder. */
    public static Path write(Path parent, int n, int t, ThresholdScheme scheme) {
        Path out = parent.resolve("deployment-" + n + "-" + scheme.name().toLowerCase());
        try {
            Deployment.write(out, new DeploymentSpec(n, t, scheme, 2048, "127.0.0.1", 20000, 8443), key(n, t, scheme),
                    new SecureRandom());
            for (int i = 1; i <= n; i++) {
                Path config = Deployment.daemonFolder(out, i).resolve(DaemonConfig.FILE);
                String text = Files.readString(config).replaceAll("listen\\.port=\\d+", "listen.port=0");
                Files.writeString(config, text);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Appends settings to daemon {@code index}'s config (e.g. fault injection or limits). */
    public static void configure(Path deployment, int index, String properties) throws IOException {
        Path config = Deployment.daemonFolder(deployment, index).resolve(DaemonConfig.FILE);
        Files.writeString(config, Files.readString(config) + properties + "\n");
    }
}
