package org.evault.system;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.evault.daemon.TestDeployments;
import org.evault.deploy.Deployment;
import org.evault.threshold.ThresholdScheme;

/**
 * A whole vault as it runs in production: a deployment written by the dealer, each of the n
 * daemons and the gateway in its own JVM started through bin/evault's main class
 * ({@code evault daemon --config DIR}, {@code evault gateway --config DIR}), logging to files.
 * Tests reach it only over HTTPS ({@link #http(String, String)}), and see its insides only where an
 * operator would: the daemons' slice files and the processes' logs.
 *
 * <p>Daemons listen on ports their OS picks (port 0, read from their log); the gateway's
 * {@code gateway.properties} is rewritten to point at them and to listen on a free port.
 */
final class SystemVault implements AutoCloseable {
    static final String MAIN = "org.evault.cli.Main";
    private static final Pattern DAEMON_LISTENING = Pattern.compile("listening on [^:\\s]+:(\\d+)");
    private static final Pattern GATEWAY_LISTENING = Pattern.compile("gateway listening on https://[^:/]+:(\\d+)/");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    /** Where the logs of every run are kept for reading after a failure (the deployment is temporary). */
    private static final Path KEPT_LOGS = Path.of("target", "system-logs");

    private final Path deployment;
    private final int n;
    private final String gatewayHeap;
    private final JvmProcess[] daemons;
    private final int[] daemonPorts;
    private final List<JvmProcess> everStarted = new ArrayList<>();
    private JvmProcess gateway;
    private Path gatewayGcLog;
    private int gatewayPort;

    private SystemVault(Path deployment, int n, String gatewayHeap) {
        this.deployment = deployment;
        this.n = n;
        this.gatewayHeap = gatewayHeap;
        this.daemons = new JvmProcess[n];
        this.daemonPorts = new int[n];
    }

    /**
     * Writes a deployment under {@code parent} and starts it.
     *
     * @param faults      per 1-based daemon index, a {@code testing.faults} value (e.g. "wrong-signature")
     * @param gatewayHeap the gateway JVM's -Xmx value (e.g. "128m")
     */
    static SystemVault start(Path parent, int n, int t, ThresholdScheme scheme, Map<Integer, String> faults,
            String gatewayHeap) throws Exception {
        Path deployment = TestDeployments.write(parent, n, t, scheme);
        for (Map.Entry<Integer, String> f : faults.entrySet()) {
            TestDeployments.configure(deployment, f.getKey(), "testing.faults=" + f.getValue());
        }
        SystemVault vault = new SystemVault(deployment, n, gatewayHeap);
        try {
            for (int i = 1; i <= n; i++) {
                vault.launchDaemon(i);
            }
            for (int i = 1; i <= n; i++) {
                vault.awaitDaemon(i);
            }
            vault.startGateway();
            return vault;
        } catch (Exception | Error e) {
            vault.close();
            throw e;
        }
    }

    /** The deployment's CA certificate: what clients trust for the gateway's HTTPS. */
    Path caPem() {
        return deployment.resolve(Deployment.CA_FILE);
    }

    URI gatewayUri() {
        return URI.create("https://localhost:" + gatewayPort);
    }

    /** A client logged in as {@code user} (Basic auth). */
    GatewayHttp http(String user, String password) throws Exception {
        return new GatewayHttp(gatewayUri(), caPem(), user, password);
    }

    static String nodeId(int index) {
        return Deployment.nodeId(index);
    }

    Path daemonFolder(int index) {
        return Deployment.daemonFolder(deployment, index);
    }

    /** Daemon {@code index}'s slice files ({@code data/slices/*.slice}). */
    List<Path> sliceFiles(int index) throws IOException {
        Path slices = daemonFolder(index).resolve("data").resolve("slices");
        if (!Files.isDirectory(slices)) {
            return List.of();
        }
        try (var files = Files.list(slices)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".slice")).sorted().toList();
        }
    }

    JvmProcess gateway() {
        return gateway;
    }

    /** The gateway JVM's GC log (-Xlog:gc): one line per collection with the heap before and after. */
    Path gatewayGcLog() {
        return gatewayGcLog;
    }

    /** The gateway's log so far. */
    String gatewayLog() {
        return gateway.log();
    }

    /** Waits for a match of {@code pattern} in the gateway's log (a log line may trail the HTTP answer). */
    Matcher awaitGatewayLog(Pattern pattern) throws InterruptedException {
        return gateway.awaitLog(pattern, 0, Duration.ofSeconds(30));
    }

    /** kill -9 of daemon {@code index}: a crash, no shutdown of any kind. */
    void killDaemon(int index) throws InterruptedException {
        daemons[index - 1].kill();
    }

    /**
     * Starts daemon {@code index} again after a crash, on its old port and with its old data, as an
     * operator's service manager would; the gateway, which keeps trying, must find it by itself.
     */
    void restartKilledDaemon(int index) throws Exception {
        if (daemons[index - 1].isAlive()) {
            throw new IllegalStateException(nodeId(index) + " still runs");
        }
        int port = daemonPorts[index - 1];
        TestDeployments.configure(deployment, index, "listen.port=" + port);
        launchDaemon(index);
        awaitDaemon(index);
        if (daemonPorts[index - 1] != port) {
            throw new IllegalStateException(nodeId(index) + " came back on port " + daemonPorts[index - 1] + ", not " + port);
        }
    }

    /**
     * Stops daemon {@code index} (SIGTERM), appends {@code properties} to its config, starts it
     * again and restarts the gateway (same HTTPS port) pointing at its new port. The gateway's
     * database survives.
     */
    void restartDaemon(int index, String properties) throws Exception {
        daemons[index - 1].stop();
        TestDeployments.configure(deployment, index, properties);
        launchDaemon(index);
        awaitDaemon(index);
        gateway.stop();
        startGateway();
    }

    private void launchDaemon(int index) throws IOException {
        Path folder = daemonFolder(index);
        JvmProcess p = JvmProcess.start(nodeId(index), logFile(nodeId(index) + "-" + everStarted.size()),
                List.of("-Xmx256m", "-Devault.testing=true"), MAIN, List.of("daemon", "--config", folder.toString()));
        daemons[index - 1] = p;
        everStarted.add(p);
    }

    private void awaitDaemon(int index) throws InterruptedException {
        daemonPorts[index - 1] = Integer.parseInt(daemons[index - 1].awaitLog(DAEMON_LISTENING, 0, START_TIMEOUT).group(1));
    }

    private void startGateway() throws Exception {
        Path folder = deployment.resolve(Deployment.GATEWAY_FOLDER);
        Path config = folder.resolve(Deployment.GATEWAY_CONFIG);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        p.setProperty("https.host", "127.0.0.1");
        // A restarted gateway keeps its port (Jetty reuses the address), so clients keep working, as in production.
        p.setProperty("https.port", Integer.toString(gatewayPort));
        for (int i = 1; i <= n; i++) {
            p.setProperty("daemon." + i + ".address", "127.0.0.1:" + daemonPorts[i - 1]);
        }
        try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(w, "e-Vault gateway (system test: daemons on their logged ports)");
        }
        String run = "gateway-" + everStarted.size();
        gatewayGcLog = logFile(run + "-gc");
        gateway = JvmProcess.start("gateway", logFile(run), List.of("-Xmx" + gatewayHeap, "-Xlog:gc:file=" + gatewayGcLog), MAIN,
                List.of("gateway", "--config", folder.toString()));
        everStarted.add(gateway);
        gatewayPort = Integer.parseInt(gateway.awaitLog(GATEWAY_LISTENING, 0, START_TIMEOUT).group(1));
    }

    private Path logFile(String name) {
        return deployment.resolveSibling(deployment.getFileName() + "-logs").resolve(name + ".log");
    }

    /** Kills whatever still runs and keeps every log under target/system-logs. */
    @Override
    public void close() {
        try {
            stopAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        keepLogs();
    }

    private void stopAll() throws InterruptedException {
        if (gateway != null && gateway.isAlive()) {
            try {
                gateway.stop();
            } catch (IllegalStateException e) {
                // It was killed instead; the log says what it was doing.
            }
        }
        for (JvmProcess p : everStarted) {
            p.killIfAlive();
        }
    }

    private void keepLogs() {
        Path keep = KEPT_LOGS.resolve(deployment.getParent().getFileName() + "-" + deployment.getFileName());
        try {
            Files.createDirectories(keep);
            Path logs = logFile("x").getParent();
            if (Files.isDirectory(logs)) {
                try (var files = Files.list(logs)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.copy(f, keep.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            // Only a convenience for debugging.
        }
    }
}
