package org.evault.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.evault.deploy.Deployment;
import org.evault.deploy.DeploymentSpec;
import org.evault.gateway.Gateway;
import org.evault.gateway.GatewayConfig;
import org.evault.threshold.KeyFiles;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code evault demo}: a whole vault on this machine in one command. Runs the dealer into a
 * folder (a temporary one, deleted at the end, unless {@code --dir} is given; an existing demo
 * folder is reused with its documents), starts the n daemons as separate processes on free
 * ports, waits until each listens, runs the gateway in this process, prints the URL and the lines
 * to try, and on Ctrl-C or SIGTERM stops the gateway and the daemons and waits for them.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a whole vault on this machine: the dealer, n daemons as processes, the HTTPS gateway.",
                "Prints the URL, the CA certificate and the commands to try; Ctrl-C stops everything."})
final class DemoCommand implements Callable<Integer> {
    static final int DEFAULT_BITS = 3072;
    private static final Pattern LISTENING = Pattern.compile("listening on [^:\\s]+:(\\d+)");
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final long STOP_TIMEOUT_SECONDS = 30;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Keep the vault in DIR (an existing demo vault there is reused as it is, documents "
                    + "included); default: a temporary folder, deleted when the demo stops.")
    Path dir;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "3", description = "Daemons n; default ${DEFAULT-VALUE}.")
    int nodes;

    @Option(names = "--faults", paramLabel = "T", defaultValue = "1",
            description = "Daemons that may fail or lie, t < n/2; default ${DEFAULT-VALUE}.")
    int faults;

    @Option(names = "--scheme", defaultValue = "shoup", paramLabel = "SCHEME",
            description = "Receipt signatures: shoup (t+1 of n) or additive (all n); default ${DEFAULT-VALUE}.")
    String scheme;

    @Option(names = "--bits", defaultValue = "" + DEFAULT_BITS, paramLabel = "BITS",
            description = "Vault RSA key bits: 2048, 3072 or 4096; default ${DEFAULT-VALUE} (a few seconds).")
    int bits;

    @Option(names = "--port", defaultValue = "8443", paramLabel = "PORT", description = "The gateway's HTTPS port (0: any free one); "
            + "default ${DEFAULT-VALUE}.")
    int port;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The daemons started so far; guarded by itself, so that a stop during the start misses none. */
    private final List<Process> daemons = new ArrayList<>();
    private volatile boolean stopping;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean temporary = dir == null;
        Path folder = temporary ? Files.createTempDirectory("evault-demo-") : dir.toAbsolutePath().normalize();
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<Gateway> gateway = new AtomicReference<>();
        Thread hook = new Thread(() -> stop(gateway.get(), temporary ? folder : null, err, stopped), "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run(folder, temporary, gateway, stopped, out, err);
        } catch (Exception | Error e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            stop(gateway.get(), temporary ? folder : null, err, stopped);
            throw e;
        }
    }

    private int run(Path folder, boolean temporary, AtomicReference<Gateway> gateway, CountDownLatch stopped, PrintWriter out,
            PrintWriter err) throws Exception {
        boolean reuse = Files.isRegularFile(folder.resolve(Deployment.CA_FILE))
                && Files.isRegularFile(folder.resolve(Deployment.GATEWAY_FOLDER).resolve(Deployment.GATEWAY_CONFIG));
        if (!reuse) {
            deal(folder, err);
        } else {
            err.printf("reusing the demo vault in %s (its documents too)%n", folder);
        }
        Path logs = Files.createDirectories(folder.resolve("logs"));
        // The in-process gateway logs to a file, so that this terminal shows only what to do; this must
        // happen before the first logger is made.
        System.setProperty("org.slf4j.simpleLogger.logFile", logs.resolve("gateway.log").toString());
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");

        GatewayConfig config = GatewayConfig.load(folder.resolve(Deployment.GATEWAY_FOLDER));
        err.printf("starting %d daemons (logs in %s)...%n", config.n(), logs);
        err.flush();
        for (int i = 1; i <= config.n(); i++) {
            synchronized (daemons) {
                if (stopping) {
                    throw new CliException(ExitCodes.VERIFICATION_FAILED, "stopped while starting");
                }
                daemons.add(startDaemon(Deployment.daemonFolder(folder, i), logs.resolve("node-" + i + ".log")));
            }
        }
        List<Integer> ports = awaitDaemons(logs);
        for (int i = 0; i < daemons.size(); i++) {
            watch(i + 1, daemons.get(i), logs, err);
        }
        err.println("starting the gateway...");
        err.flush();
        try {
            gateway.set(Gateway.start(config.withDaemonPorts(ports).withHttpsPort(port)));
        } catch (Exception e) {
            throw new CliException(ExitCodes.VERIFICATION_FAILED, "the gateway could not start: " + e.getMessage()
                    + (port != 0 ? " (is port " + port + " in use? try --port 0 or another port)" : "")
                    + "; see " + logs.resolve("gateway.log"));
        }
        printWelcome(out, folder, config, ports, gateway.get().port(), temporary);
        stopped.await();
        return 0;
    }

    private void deal(Path folder, PrintWriter err) throws Exception {
        DeploymentSpec d = new DeploymentSpec(nodes, faults, InitCommand.scheme(scheme), InitCommand.checkedBits(bits),
                "127.0.0.1", 7701, port == 0 ? 8443 : port);
        err.printf("e-Vault demo: dealing a %d-bit vault key from safe primes for n = %d, t = %d, %s receipts...%n", bits,
                nodes, faults, d.scheme().name().toLowerCase(Locale.ROOT));
        err.flush();
        AtomicInteger primes = new AtomicInteger();
        long t0 = System.nanoTime();
        InitCommand.dealAndWrite(folder, d, p -> {
            if (p.primesFound() > primes.getAndAccumulate(p.primesFound(), Math::max)) {
                err.printf("  safe prime %d of 2 found after %d candidates, %.1f s%n", p.primesFound(),
                        p.candidatesTested(), p.elapsed().toMillis() / 1000.0);
                err.flush();
            }
        });
        // The daemons take any free port and say which in their logs; the gateway is pointed at them.
        for (int i = 1; i <= nodes; i++) {
            Path config = Deployment.daemonFolder(folder, i).resolve(Deployment.DAEMON_CONFIG);
            Files.writeString(config, Files.readString(config).replaceAll("(?m)^listen\\.port=\\d+$", "listen.port=0"));
        }
        err.printf("  deployment written to %s in %.1f s%n", folder, (System.nanoTime() - t0) / 1e9);
        err.flush();
    }

    /** A daemon as its own process: this JVM's java and class path, running {@code evault daemon}. */
    private static Process startDaemon(Path nodeFolder, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.add("daemon");
        command.add("--config");
        command.add(nodeFolder.toString());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until every daemon logs its port (polling their logs); fails if one exits or time runs out. */
    private List<Integer> awaitDaemons(Path logs) throws Exception {
        Integer[] ports = new Integer[daemons.size()];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        int ready = 0;
        while (ready < ports.length) {
            for (int i = 0; i < ports.length; i++) {
                if (ports[i] != null) {
                    continue;
                }
                Path log = logs.resolve("node-" + (i + 1) + ".log");
                Matcher m = LISTENING.matcher(readQuietly(log));
                if (m.find()) {
                    ports[i] = Integer.parseInt(m.group(1));
                    ready++;
                } else if (!daemons.get(i).isAlive()) {
                    throw new CliException(ExitCodes.VERIFICATION_FAILED, "daemon node-" + (i + 1) + " exited with "
                            + daemons.get(i).exitValue() + " before listening: " + lastLine(log) + " (log: " + log + ")");
                }
            }
            if (ready < ports.length) {
                if (System.nanoTime() > deadline) {
                    throw new CliException(ExitCodes.VERIFICATION_FAILED, "the daemons did not all listen within "
                            + START_TIMEOUT_SECONDS + " s; see the logs in " + logs);
                }
                // Poll: wake up early if the first daemon not yet listening exits.
                for (int i = 0; i < ports.length; i++) {
                    if (ports[i] == null) {
                        daemons.get(i).waitFor(50, TimeUnit.MILLISECONDS);
                        break;
                    }
                }
            }
        }
        return List.of(ports);
    }

    /** Says so when a daemon dies while the demo runs (e.g. killed to see the vault survive it). */
    private void watch(int index, Process daemon, Path logs, PrintWriter err) {
        daemon.onExit().thenAccept(p -> {
            if (!stopping) {
                err.printf("daemon node-%d (pid %d) exited with %d; the vault goes on while at most t daemons are "
                        + "down (log: %s)%n", index, p.pid(), p.exitValue(), logs.resolve("node-" + index + ".log"));
                err.flush();
            }
        });
    }

    private void printWelcome(PrintWriter out, Path folder, GatewayConfig config, List<Integer> ports, int httpsPort,
            boolean temporary) throws Exception {
        String url = "https://localhost:" + httpsPort + "/";
        String ca = quote(folder.resolve(Deployment.CA_FILE).toString());
        String evault = launcher();
        String common = (httpsPort == 8443 ? "" : " --gateway https://localhost:" + httpsPort) + " --cacert " + ca
                + " --user alice";
        String keyId = KeyFiles.readPublicKey(config.publicKeyFile()).keyId().hex();
        out.printf("e-Vault demo running at %s%n", url);
        out.printf("  CA certificate: %s%n", folder.resolve(Deployment.CA_FILE));
        out.printf("  vault: n = %d daemons, any %d rebuild a document (t = %d may fail or lie), %s receipts, key %s...%n",
                config.n(), config.m(), config.t(), config.scheme().name().toLowerCase(Locale.ROOT), keyId.substring(0, 16));
        for (int i = 0; i < daemons.size(); i++) {
            out.printf("  daemon node-%d on 127.0.0.1:%d, pid %d%n", i + 1, ports.get(i), daemons.get(i).pid());
        }
        out.printf("  folder: %s (logs in logs/%s)%n", folder, temporary ? "; deleted when the demo stops" : "");
        out.println();
        out.println("Try, in another terminal:");
        out.println("  export EVAULT_PASSWORD='demo password 1'");
        out.printf("  %s register%s --name 'Alice Example' --address '1 Main St' --phone 555-0100 "
                + "--email alice@example.org%n", evault, common);
        out.println("  echo 'hello, e-Vault' > hello.txt");
        out.printf("  %s deposit%s hello.txt%n", evault, common);
        out.printf("  %s list%s%n", evault, common);
        out.printf("  %s retrieve%s hello.txt --out hello.copy.txt%n", evault, common);
        out.printf("  curl --cacert %s -u \"alice:$EVAULT_PASSWORD\" %sapi/v1/documents%n", ca, url);
        out.printf("  curl --cacert %s %sapi/v1/vault/public-key.pem%n", ca, url);
        out.printf("  kill %d    # stop daemon node-1: retrieval still works with %d of %d%n", daemons.get(0).pid(),
                config.m(), config.n());
        out.println("Ctrl-C stops the vault.");
        out.flush();
    }

    /** How to call the launcher: bin/evault passes its own path; relative to here when it is below. */
    private static String launcher() {
        String path = System.getProperty("evault.launcher");
        if (path == null) {
            return "evault";
        }
        Path launcher = Path.of(path).toAbsolutePath().normalize();
        Path here = Path.of("").toAbsolutePath();
        return quote(launcher.startsWith(here) ? here.relativize(launcher).toString() : launcher.toString());
    }

    private static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:=@%+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    /** Stops the gateway, then SIGTERMs every daemon and waits for it; deletes a temporary folder. */
    private void stop(Gateway gateway, Path deleteFolder, PrintWriter err, CountDownLatch stopped) {
        synchronized (daemons) {
            stopping = true;
        }
        try {
            err.println("stopping the demo vault...");
            err.flush();
            if (gateway != null) {
                try {
                    gateway.close();
                } catch (RuntimeException e) {
                    err.println("  gateway: " + e.getMessage());
                }
            }
            for (Process d : daemons) {
                d.destroy();
            }
            for (int i = 0; i < daemons.size(); i++) {
                Process d = daemons.get(i);
                try {
                    if (!d.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                        err.printf("  daemon node-%d did not stop within %d s of SIGTERM: killed%n", i + 1,
                                STOP_TIMEOUT_SECONDS);
                        d.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    d.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
            if (deleteFolder != null) {
                deleteTree(deleteFolder);
            }
            err.println("demo vault stopped");
            err.flush();
        } finally {
            stopped.countDown();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // A temporary folder: best effort.
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String lastLine(Path log) {
        String[] lines = readQuietly(log).strip().split("\n");
        return lines[lines.length - 1];
    }
}
