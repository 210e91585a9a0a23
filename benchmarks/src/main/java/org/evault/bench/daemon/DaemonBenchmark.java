package org.evault.bench.daemon;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.evault.daemon.Daemon;
import org.evault.daemon.DaemonConfig;
import org.evault.deploy.Deployment;
import org.evault.deploy.DeploymentSpec;
import org.evault.protocol.DepositMetadata;
import org.evault.protocol.StoredDocument;
import org.evault.protocol.TlsConfig;
import org.evault.protocol.client.ClientOptions;
import org.evault.protocol.client.DaemonClient;
import org.evault.threshold.DealtKey;
import org.evault.threshold.Dealer;
import org.evault.threshold.ThresholdScheme;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One daemon over loopback TLS 1.3 with mutual authentication, as the gateway uses it: a real
 * deployment (n = 3, t = 1, additive 2048-bit key, m = 2), the daemon started in this JVM, and one
 * {@link DaemonClient} (one connection). {@code deposit} streams a document, the daemon disperses
 * it, stores its slice durably (fsync) and signs; {@code documentBytes} gives bytes per second.
 * {@code health} is the small-request rate (8 requests in flight from 8 threads). Client and daemon
 * share this machine's two cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class DaemonBenchmark {
    @Param({"1048576", "104857600"})
    public int documentBytes;

    private Path dir;
    private Daemon daemon;
    private DaemonClient client;
    private byte[] document;
    private final AtomicLong ids = new AtomicLong();

    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Bytes {
        public long documentBytes;

        @Setup(Level.Iteration)
        public void clear() {
            documentBytes = 0;
        }
    }

    @Setup
    public void start() throws Exception {
        dir = Files.createTempDirectory("evault-daemon-bench");
        DealtKey key = Dealer.builder().modulusBits(2048).scheme(ThresholdScheme.ADDITIVE).servers(3)
                .random(new SecureRandom()).build().generate();
        Path deployment = dir.resolve("deployment");
        Deployment.write(deployment, new DeploymentSpec(3, 1, ThresholdScheme.ADDITIVE, 2048, "127.0.0.1", 1, 8443), key,
                new SecureRandom());
        Path node = Deployment.daemonFolder(deployment, 1);
        Path config = node.resolve(DaemonConfig.FILE);
        Files.writeString(config, Files.readString(config).replaceAll("listen\\.port=\\d+", "listen.port=0")
                + "scrub.interval-seconds=0\n");
        daemon = Daemon.start(DaemonConfig.load(node));
        Path gw = deployment.resolve(Deployment.GATEWAY_FOLDER);
        client = new DaemonClient("127.0.0.1", daemon.port(), new TlsConfig(gw.resolve("ca.pem"), gw.resolve("node.pem"),
                gw.resolve("node.key")), ClientOptions.defaults("gateway"));
        client.health().get(30, TimeUnit.SECONDS);
        document = new byte[documentBytes];
        new Random(1).nextBytes(document);
    }

    @Benchmark
    public Object deposit(Bytes bytes) throws Exception {
        String id = "b" + ids.incrementAndGet();
        Object ack = client.deposit(new DepositMetadata(id, "bench", id, 1, System.currentTimeMillis(), document.length),
                new ByteArrayInputStream(document)).get(10, TimeUnit.MINUTES);
        bytes.documentBytes += document.length;
        return ack;
    }

    @Benchmark
    @Threads(8)
    public Object health() throws Exception {
        return client.health().get(30, TimeUnit.SECONDS);
    }

    /** Keeps the disk from filling: what one iteration stored is deleted after it. */
    @TearDown(Level.Iteration)
    public void deleteStored() throws Exception {
        for (StoredDocument d : client.list("bench").get(60, TimeUnit.SECONDS)) {
            client.delete(d.documentId()).get(60, TimeUnit.SECONDS);
        }
    }

    @TearDown
    public void stop() throws Exception {
        client.close();
        daemon.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temporary folder; best effort
        }
    }
}
