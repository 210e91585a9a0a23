package org.evault.gateway;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.evault.daemon.DaemonProcess;
import org.evault.daemon.TestDeployments;
import org.evault.deploy.Deployment;
import org.evault.threshold.ThresholdScheme;

/**
 * A deployment with its n daemons running as real processes, for gateway tests: daemons listen on
 * ephemeral ports, and {@link #config()} is the gateway's configuration pointed at them.
 */
final class RunningVault implements AutoCloseable {
    final Path deployment;
    final List<DaemonProcess> daemons = new ArrayList<>();
    private final GatewayConfig config;

    /** @param faults per 1-based daemon index, a {@code testing.faults} value (e.g. "wrong-signature") */
    RunningVault(Path parent, int n, int t, ThresholdScheme scheme, Map<Integer, String> faults) throws Exception {
        deployment = TestDeployments.write(parent, n, t, scheme);
        for (Map.Entry<Integer, String> f : faults.entrySet()) {
            TestDeployments.configure(deployment, f.getKey(), "testing.faults=" + f.getValue());
        }
        try {
            for (int i = 1; i <= n; i++) {
                daemons.add(DaemonProcess.startWithClassPath(Deployment.daemonFolder(deployment, i), classPathSnapshot(),
                        "-Devault.testing=true"));
            }
            List<Integer> ports = new ArrayList<>();
            for (DaemonProcess d : daemons) {
                ports.add(d.awaitPort());
            }
            Path gateway = deployment.resolve(Deployment.GATEWAY_FOLDER);
            config = GatewayConfig.load(gateway).withDaemonPorts(ports).withHttpsPort(0);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private static String snapshot;

    /**
     * This JVM's class path with every class folder copied once to a private place: the daemons
     * then run on classes that a concurrent build in the same checkout cannot delete or rewrite.
     */
    static synchronized String classPathSnapshot() throws IOException {
        if (snapshot == null) {
            Path root = Files.createTempDirectory("evault-classpath-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root), "classpath-snapshot-cleanup"));
            List<String> entries = new ArrayList<>();
            int k = 0;
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path p = Path.of(entry);
                if (Files.isDirectory(p)) {
                    Path copy = root.resolve(Integer.toString(k++));
                    try (Stream<Path> files = Files.walk(p)) {
                        for (Path f : (Iterable<Path>) files::iterator) {
                            Path target = copy.resolve(p.relativize(f).toString());
                            if (Files.isDirectory(f)) {
                                Files.createDirectories(target);
                            } else {
                                Files.copy(f, target);
                            }
                        }
                    }
                    entries.add(copy.toString());
                } else {
                    entries.add(entry);
                }
            }
            snapshot = String.join(File.pathSeparator, entries);
        }
        return snapshot;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // Best effort: it is a temporary folder.
        }
    }

    GatewayConfig config() {
        return config;
    }

    /** Starts daemon {@code index} (1-based) again, after a kill, on the port the gateway knows. */
    void restart(int index) throws Exception {
        int port = config.daemons().get(index - 1).port();
        TestDeployments.configure(deployment, index, "listen.port=" + port);
        DaemonProcess d = DaemonProcess.startWithClassPath(Deployment.daemonFolder(deployment, index),
                classPathSnapshot(), "-Devault.testing=true");
        daemons.add(d);
        if (d.awaitPort() != port) {
            throw new IllegalStateException("daemon " + index + " came back on another port");
        }
    }

    Path gatewayFolder() {
        return deployment.resolve(Deployment.GATEWAY_FOLDER);
    }

    @Override
    public void close() throws InterruptedException {
        for (DaemonProcess d : daemons) {
            d.close();
        }
        // Keep the daemons' logs for a failed run to read (the deployment lives in a temporary folder).
        Path keep = Path.of("target", "daemon-logs", deployment.getFileName().toString());
        try {
            Files.createDirectories(keep);
            for (DaemonProcess d : daemons) {
                Files.write(keep.resolve(d.folder().getFileName() + ".log"), d.log());
            }
        } catch (IOException e) {
            // Only a convenience for debugging.
        }
    }
}
