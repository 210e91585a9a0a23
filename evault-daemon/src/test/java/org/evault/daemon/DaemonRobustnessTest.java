package org.evault.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.evault.deploy.Deployment;
import org.evault.protocol.ErrorCode;
import org.evault.protocol.StoredDocument;
import org.evault.protocol.client.DaemonClient;
import org.evault.protocol.client.DaemonErrorException;
import org.evault.protocol.client.Retrieval;
import org.evault.threshold.ThresholdScheme;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A daemon never dies of a client: full disks, floods of connections, garbage, slow readers. */
class DaemonRobustnessTest {
    @TempDir
    Path dir;

    private final List<DaemonProcess> processes = new ArrayList<>();
    private Path mounted;

    @AfterEach
    void cleanUp() throws Exception {
        for (DaemonProcess p : processes) {
            p.close();
        }
        if (mounted != null) {
            new ProcessBuilder("umount", mounted.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private int start(Path deployment) throws Exception {
        DaemonProcess p = DaemonProcess.start(Deployment.daemonFolder(deployment, 1));
        processes.add(p);
        return p.awaitPort();
    }

    @Test
    void fullDisk_failsThatDeposit_keepsNothing_andTheDaemonServesOn() throws Exception {
        Path deployment = TestDeployments.write(dir, 3, 1, ThresholdScheme.ADDITIVE);
        Path data = Deployment.daemonFolder(deployment, 1).resolve("small-disk");
        Files.createDirectories(data);
        // A real file system that fills up: a 6 MiB tmpfs (needs root, as CI has).
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", data.toString())
                .redirectErrorStream(true).start();
        assumeTrue(mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0, "cannot mount a tmpfs here (not root?)");
        mounted = data;
        TestDeployments.configure(deployment, 1, "data.dir=small-disk");
        int port = start(deployment);
        try (TestVault vault = new TestVault(deployment, List.of(port), 1)) {
            DaemonClient c = vault.clients.get(0);
            // m = 2: the slice is half the document, 10 MiB of slice does not fit in 6 MiB.
            assertThatThrownBy(() -> c.deposit(TestVault.meta("too-big", 20 << 20), TestVault.generated(20 << 20, 1))
                    .get(60, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(DaemonErrorException.class)
                    .hasMessageContaining("No space left on device");
            assertThat(((DaemonErrorException) catchCause(() -> c.deposit(TestVault.meta("too-big-2", 20 << 20),
                    TestVault.generated(20 << 20, 1)).get(60, TimeUnit.SECONDS))).code()).isEqualTo(ErrorCode.STORAGE_FULL);
            try (var tmp = Files.list(data.resolve("tmp"))) {
                assertThat(tmp).isEmpty();
            }
            byte[] small = new byte[100_000];
            new Random(2).nextBytes(small);
            c.deposit(TestVault.meta("fits", small.length), new ByteArrayInputStream(small)).get(60, TimeUnit.SECONDS);
            assertThat(c.list("").get(30, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    private static Throwable catchCause(ThrowingRunnable r) {
        try {
            r.run();
            throw new AssertionError("expected a failure");
        } catch (Exception e) {
            return e.getCause();
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void floodOfConnectionsAndGarbage_doesNotStopTheDaemon() throws Exception {
        Path deployment = TestDeployments.write(dir, 3, 1, ThresholdScheme.ADDITIVE);
        TestDeployments.configure(deployment, 1, "limits.max-connections=200");
        int port = start(deployment);
        List<Socket> sockets = new ArrayList<>();
        Random random = new Random(3);
        try {
            // 1500 connections: far over the limit; every tenth sends garbage instead of a TLS hello.
            for (int i = 0; i < 1500; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                sockets.add(s);
                if (i % 10 == 0) {
                    byte[] junk = new byte[1 + random.nextInt(2000)];
                    random.nextBytes(junk);
                    try {
                        s.getOutputStream().write(junk);
                    } catch (IOException closedByDaemon) {
                        // over the limit: already closed
                    }
                }
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        assertThat(processes.get(0).isAlive()).isTrue();
        awaitHealthy(deployment, port);
        try (TestVault vault = new TestVault(deployment, List.of(port), 1)) {
            byte[] doc = new byte[50_000];
            vault.clients.get(0).deposit(TestVault.meta("after-flood", doc.length), new ByteArrayInputStream(doc))
                    .get(60, TimeUnit.SECONDS);
            assertThat(vault.clients.get(0).health().get(30, TimeUnit.SECONDS).documents()).isEqualTo(1);
        }
        assertThat(processes.get(0).log()).anyMatch(l -> l.contains("refused: 200 connections open (limit)"));
    }

    @Test
    void aGatewayThatVanishesMidDeposit_leavesNothingBehind() throws Exception {
        Path deployment = TestDeployments.write(dir, 3, 1, ThresholdScheme.ADDITIVE);
        int port = start(deployment);
        Path tmp = Deployment.daemonFolder(deployment, 1).resolve("data").resolve("tmp");
        TestVault vanishing = new TestVault(deployment, List.of(port), 1);
        vanishing.clients.get(0).deposit(TestVault.meta("half", 1L << 30), TestVault.generated(1L << 30, 5));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (tmpBytes(tmp) < (4 << 20) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        vanishing.close(); // the connection drops mid-stream
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (tmpBytes(tmp) > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(tmpBytes(tmp)).isZero();
        try (TestVault vault = new TestVault(deployment, List.of(port), 1)) {
            assertThat(vault.clients.get(0).list("").get(30, TimeUnit.SECONDS)).isEmpty();
            assertThat(vault.clients.get(0).health().get(30, TimeUnit.SECONDS).requestsFailed()).isPositive();
        }
        assertThat(processes.get(0).isAlive()).isTrue();
    }

    @Test
    void scrub_findsASliceDamagedOnDisk() throws Exception {
        Path deployment = TestDeployments.write(dir, 3, 1, ThresholdScheme.ADDITIVE);
        int port = start(deployment);
        try (TestVault vault = new TestVault(deployment, List.of(port), 1)) {
            DaemonClient c = vault.clients.get(0);
            byte[] doc = new byte[300_000];
            new Random(6).nextBytes(doc);
            c.deposit(TestVault.meta("good", doc.length), new ByteArrayInputStream(doc)).get(60, TimeUnit.SECONDS);
            c.deposit(TestVault.meta("bad", doc.length), new ByteArrayInputStream(doc)).get(60, TimeUnit.SECONDS);
            assertThat(c.scrub().get(60, TimeUnit.SECONDS).findings()).isEmpty();
            Path file = Deployment.daemonFolder(deployment, 1).resolve("data/slices/bad.slice");
            byte[] bytes = Files.readAllBytes(file);
            bytes[16 + 70_000] ^= 1; // segment 1 of the slice
            Files.write(file, bytes);
            var reply = c.scrub().get(60, TimeUnit.SECONDS);
            assertThat(reply.documentsChecked()).isEqualTo(2);
            assertThat(reply.findings()).singleElement().satisfies(f -> {
                assertThat(f.documentId()).isEqualTo("bad");
                assertThat(f.segment()).isEqualTo(1);
            });
            // Set aside: no longer listed or served, kept in damaged/ for an operator.
            assertThat(c.list("").get(30, TimeUnit.SECONDS)).extracting(StoredDocument::documentId).containsExactly("good");
            assertThat(Files.exists(file)).isFalse();
            try (var aside = Files.list(file.getParent().resolveSibling("damaged"))) {
                assertThat(aside.map(p -> p.getFileName().toString())).singleElement().asString().startsWith("bad.slice.");
            }
            assertThat(c.scrub().get(60, TimeUnit.SECONDS).findings()).isEmpty();
        }
        assertThat(processes.get(0).log()).anyMatch(l -> l.contains("scrub: document bad segment 1"));
    }

    @Test
    void silentAndSlowDaemons_areWhatTheGatewayWillSee() throws Exception {
        Path deployment = TestDeployments.write(dir, 3, 1, ThresholdScheme.ADDITIVE);
        TestDeployments.configure(deployment, 1, "testing.faults=silent");
        TestDeployments.configure(deployment, 2, "testing.faults=slow");
        List<Integer> ports = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            DaemonProcess p = DaemonProcess.start(Deployment.daemonFolder(deployment, i), "-Devault.testing=true");
            processes.add(p);
            ports.add(p.awaitPort());
        }
        try (TestVault vault = new TestVault(deployment, ports, 1)) {
            DaemonClient silent = new DaemonClient("127.0.0.1", ports.get(0), vault.tls,
                    org.evault.protocol.client.ClientOptions.defaults("gateway")
                            .withRequestTimeout(java.time.Duration.ofSeconds(2)));
            try (silent) {
                assertThatThrownBy(() -> silent.health().get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(org.evault.protocol.client.DaemonTimeoutException.class);
            }
            long t0 = System.nanoTime();
            assertThat(vault.clients.get(1).health().get(30, TimeUnit.SECONDS).nodeId()).isEqualTo("node-2");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(2000);
        }
    }

    @Test
    void faultInjection_withoutTheTestingSwitch_isRefusedAtStart() throws Exception {
        Path deployment = TestDeployments.write(dir, 3, 1, ThresholdScheme.ADDITIVE);
        TestDeployments.configure(deployment, 1, "testing.faults=wrong-signature");
        DaemonProcess p = DaemonProcess.start(Deployment.daemonFolder(deployment, 1));
        processes.add(p);
        assertThatThrownBy(p::awaitPort).hasMessageContaining("fault injection is for tests only");
    }

    private static long tmpBytes(Path tmp) {
        try (var files = Files.list(tmp)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Waits until the daemon has noticed the closed sockets and takes a real client again. */
    private static void awaitHealthy(Path deployment, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (TestVault vault = new TestVault(deployment, List.of(port), 1)) {
                vault.clients.get(0).health().get(10, TimeUnit.SECONDS);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    @Test
    void aReaderThatStopsReading_doesNotHoldUpOtherRequests() throws Exception {
        Path deployment = TestDeployments.write(dir, 3, 1, ThresholdScheme.ADDITIVE);
        int port = start(deployment);
        try (TestVault slowVault = new TestVault(deployment, List.of(port), 1);
                TestVault other = new TestVault(deployment, List.of(port), 1)) {
            DaemonClient slow = slowVault.clients.get(0);
            slow.deposit(TestVault.meta("big", 64 << 20), TestVault.generated(64 << 20, 4)).get(2, TimeUnit.MINUTES);
            Retrieval stalled = slow.retrieve("big").get(60, TimeUnit.SECONDS);
            InputStream body = stalled.body();
            assertThat(body.read(new byte[1000])).isPositive(); // then never reads again
            long t0 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                other.clients.get(0).health().get(10, TimeUnit.SECONDS);
            }
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(10);
            stalled.close();
            OutputStream sink = OutputStream.nullOutputStream();
            try (Retrieval again = other.clients.get(0).retrieve("big").get(60, TimeUnit.SECONDS)) {
                assertThat(again.body().transferTo(sink)).isEqualTo(32L << 20);
            }
        }
    }
}
