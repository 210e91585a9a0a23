package org.evault.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.evault.deploy.CertificateAuthority;
import org.evault.deploy.Deployment;
import org.evault.ida.Hash256;
import org.evault.ida.Reconstruction;
import org.evault.protocol.DepositMetadata;
import org.evault.protocol.Message.DepositAck;
import org.evault.protocol.StoredDocument;
import org.evault.protocol.TlsConfig;
import org.evault.protocol.client.ClientOptions;
import org.evault.protocol.client.DaemonClient;
import org.evault.protocol.receipt.ReceiptBody;
import org.evault.threshold.ThresholdScheme;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Daemons as real processes over real mutual TLS: what a gateway sees. */
class DaemonProcessTest {
    @TempDir
    Path dir;

    private final List<DaemonProcess> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (DaemonProcess p : processes) {
            p.close();
        }
    }

    private List<Integer> startAll(Path deployment, int n, String... jvmOptions) throws Exception {
        List<DaemonProcess> started = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            DaemonProcess p = DaemonProcess.start(Deployment.daemonFolder(deployment, i), jvmOptions);
            processes.add(p);
            started.add(p);
        }
        List<Integer> ports = new ArrayList<>();
        for (DaemonProcess p : started) {
            ports.add(p.awaitPort());
        }
        return ports;
    }

    private static byte[] expectedSha(long size, long seed) throws Exception {
        return TestVault.sha256(TestVault.generated(size, seed));
    }

    private static final class Sha256Sink extends DigestOutputStream {
        Sha256Sink() {
            super(OutputStream.nullOutputStream(), Hash256.sha256());
        }
    }

    @Test
    void threeDaemonsAdditive_depositAndRetrieve_fromZeroBytesTo200MiB() throws Exception {
        Path deployment = TestDeployments.write(dir, 3, 1, ThresholdScheme.ADDITIVE);
        List<Integer> ports = startAll(deployment, 3);
        try (TestVault vault = new TestVault(deployment, ports, 1)) {
            long[] sizes = {0, 1, 1_000_003, 200L << 20};
            for (int k = 0; k < sizes.length; k++) {
                long size = sizes[k];
                long seed = 100 + k;
                String id = "doc-" + size;
                TestVault.Receipt receipt = vault.deposit(TestVault.meta(id, size), () -> TestVault.generated(size, seed));
                ReceiptBody body = ReceiptBody.parse(receipt.body());
                assertThat(body.size()).isEqualTo(size);
                assertThat(body.sha256().toBytes()).isEqualTo(expectedSha(size, seed));
                assertThat(receipt.combined().sharesUsed()).containsExactlyInAnyOrder(1, 2, 3);
                Sha256Sink sink = new Sha256Sink();
                Reconstruction r = vault.retrieve(id, sink);
                assertThat(sink.getMessageDigest().digest()).isEqualTo(expectedSha(size, seed));
                assertThat(r.faults()).isEmpty();
            }
            // One daemon (t = 1) killed: documents still come back exactly.
            processes.get(0).kill();
            Sha256Sink sink = new Sha256Sink();
            vault.retrieve("doc-1000003", sink);
            assertThat(sink.getMessageDigest().digest()).isEqualTo(expectedSha(1_000_003, 102));
        }
    }

    @Test
    void fiveDaemonsShoup_liarsAreNamed_andDocumentsStillExact() throws Exception {
        Path deployment = TestDeployments.write(dir, 5, 2, ThresholdScheme.SHOUP);
        TestDeployments.configure(deployment, 2, "testing.faults=wrong-signature,wrong-slice");
        TestDeployments.configure(deployment, 5, "testing.faults=wrong-fingerprints");
        List<Integer> ports = startAll(deployment, 5, "-Devault.testing=true");
        assertThat(processes.get(1).log()).anyMatch(l -> l.contains("faults injected: [WRONG_SLICE, WRONG_SIGNATURE]"));
        try (TestVault vault = new TestVault(deployment, ports, 2)) {
            byte[] doc = new byte[3_000_000];
            new Random(5).nextBytes(doc);
            TestVault.Receipt receipt = vault.deposit(TestVault.meta("shoup-doc", doc.length), doc);
            assertThat(receipt.combined().invalidShares()).containsExactly(2);
            // Shares come without proofs; a daemon proves its share of the body in its own slice header
            // on request, and knows no proof for a document it does not hold.
            for (var ack : receipt.acks()) {
                assertThat(org.evault.threshold.SignatureShare.fromBytes(ack.partialSignature(), vault.parameters).proof())
                        .isNull();
            }
            var proven = org.evault.threshold.SignatureShare.fromBytes(
                    vault.clients.get(0).prove("shoup-doc").get(1, java.util.concurrent.TimeUnit.MINUTES), vault.parameters);
            org.evault.threshold.SignatureCombiner.create(vault.parameters).checkShare(receipt.body(), proven);
            assertThat(vault.clients.get(0).prove("no-such-doc")).failsWithin(java.time.Duration.ofMinutes(1))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(org.evault.protocol.client.DaemonErrorException.class,
                            e -> assertThat(e.code()).isEqualTo(org.evault.protocol.ErrorCode.NOT_FOUND));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Reconstruction r = vault.retrieve("shoup-doc", out);
            assertThat(out.toByteArray()).isEqualTo(doc);
            // Node 2 serves slice 1 with flipped bytes: caught at its first segment and replaced.
            assertThat(r.faults()).anySatisfy(f -> assertThat(f.slice()).isEqualTo(1));
            // With daemon 4 killed, t + 1 = 3 valid shares (1, 3, 5) still make a receipt; the liar is named.
            processes.get(3).kill();
            TestVault.Receipt later = vault.deposit(TestVault.meta("after-kill", doc.length),
                    () -> new java.io.ByteArrayInputStream(doc), List.of(0, 1, 2, 4));
            assertThat(later.combined().sharesUsed()).containsExactlyInAnyOrder(1, 3, 5);
            assertThat(later.combined().invalidShares()).containsExactly(2);
            // With daemon 3 killed too, only two honest shares remain: no receipt, and the liar is named.
            processes.get(2).kill();
            assertThatThrownBy(() -> vault.deposit(TestVault.meta("no-receipt", doc.length),
                    () -> new java.io.ByteArrayInputStream(doc), List.of(0, 1, 4)))
                    .isInstanceOf(org.evault.threshold.NotEnoughSharesException.class)
                    .hasMessageContaining("2");
        }
    }

    @Test
    void manyConcurrentRequests_onOneConnectionPerDaemon() throws Exception {
        Path deployment = TestDeployments.write(dir, 3, 1, ThresholdScheme.ADDITIVE);
        List<Integer> ports = startAll(deployment, 3);
        try (TestVault vault = new TestVault(deployment, ports, 1)) {
            int count = 60;
            List<byte[]> docs = new ArrayList<>();
            List<CompletableFuture<TestVault.Receipt>> receipts = new ArrayList<>();
            Random random = new Random(9);
            for (int i = 0; i < count; i++) {
                byte[] doc = new byte[random.nextInt(200_000)];
                random.nextBytes(doc);
                docs.add(doc);
                String id = "c-" + i;
                receipts.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return vault.deposit(TestVault.meta(id, doc.length), doc);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (CompletableFuture<TestVault.Receipt> f : receipts) {
                assertThat(f.get(5, TimeUnit.MINUTES).signature()).hasSize(256);
            }
            List<StoredDocument> listed = vault.clients.get(0).list("alice").get(60, TimeUnit.SECONDS);
            assertThat(listed).hasSize(count);
            for (int i = 0; i < count; i++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                vault.retrieve("c-" + i, out);
                assertThat(out.toByteArray()).isEqualTo(docs.get(i));
            }
            assertThat(vault.clients.get(1).health().get(60, TimeUnit.SECONDS).documents()).isEqualTo(count);
        }
    }

    @Test
    void clientWithACertificateFromAnotherCa_isRefused() throws Exception {
        Path deployment = TestDeployments.write(dir, 3, 1, ThresholdScheme.ADDITIVE);
        List<Integer> ports = startAll(deployment, 1);
        CertificateAuthority other = CertificateAuthority.create("intruder CA", Duration.ofDays(1), new SecureRandom());
        CertificateAuthority.Issued cert = other.issue("gateway", List.of("localhost", "127.0.0.1"));
        Path foreign = Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(foreign.resolve("node.pem"), cert.certificatePem());
        Files.writeString(foreign.resolve("node.key"), cert.privateKeyPem());
        // It even trusts the real CA, so only the daemon's check of the client certificate can refuse it.
        Files.copy(deployment.resolve(Deployment.CA_FILE), foreign.resolve("ca.pem"));
        try (DaemonClient client = new DaemonClient("127.0.0.1", ports.get(0),
                new TlsConfig(foreign.resolve("ca.pem"), foreign.resolve("node.pem"), foreign.resolve("node.key")),
                ClientOptions.defaults("gateway").withConnectTimeout(Duration.ofSeconds(5)))) {
            assertThatThrownBy(() -> client.health().get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
        // The daemon is unharmed and still serves the real gateway.
        try (TestVault vault = new TestVault(deployment, ports, 1)) {
            assertThat(vault.clients.get(0).health().get(30, TimeUnit.SECONDS).nodeId()).isEqualTo("node-1");
        }
    }

    @Test
    void anotherDaemonsCertificate_cannotUseADaemon() throws Exception {
        // A broken daemon holds a valid deployment certificate; it must not delete or read slices elsewhere.
        Path deployment = TestDeployments.write(dir, 3, 1, ThresholdScheme.ADDITIVE);
        List<Integer> ports = startAll(deployment, 1);
        Path node2 = Deployment.daemonFolder(deployment, 2);
        try (DaemonClient asNode2 = new DaemonClient("127.0.0.1", ports.get(0),
                new TlsConfig(node2.resolve("ca.pem"), node2.resolve("node.pem"), node2.resolve("node.key")),
                ClientOptions.defaults("node-2").withConnectTimeout(Duration.ofSeconds(5)))) {
            assertThatThrownBy(() -> asNode2.delete("anything").get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
        assertThat(processes.get(0).log()).anyMatch(l -> l.contains("refusing node-2") && l.contains("only the gateway"));
    }

    @Test
    void killedMidDeposit_restartKeepsEveryAcknowledgedSliceAndNoHalfWrittenOne() throws Exception {
        Path deployment = TestDeployments.write(dir, 3, 1, ThresholdScheme.ADDITIVE);
        List<Integer> ports = startAll(deployment, 3);
        byte[] doc = new byte[2_000_000];
        new Random(11).nextBytes(doc);
        Path tmp = Deployment.daemonFolder(deployment, 1).resolve("data").resolve("tmp");
        try (TestVault vault = new TestVault(deployment, ports, 1)) {
            vault.deposit(TestVault.meta("acked", doc.length), doc);
            // A long deposit to daemon 1 alone, killed once its temporary file has grown.
            DaemonClient one = vault.clients.get(0);
            CompletableFuture<?> cut = one.deposit(TestVault.meta("cut", 1L << 30), TestVault.generated(1L << 30, 3));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (tmpBytes(tmp) < (8 << 20) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(tmpBytes(tmp)).isGreaterThanOrEqualTo(8 << 20);
            processes.get(0).kill();
            assertThatThrownBy(() -> cut.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
        DaemonProcess restarted = DaemonProcess.start(Deployment.daemonFolder(deployment, 1));
        processes.add(restarted);
        ports.set(0, restarted.awaitPort());
        assertThat(Files.list(tmp).count()).isZero();
        try (TestVault vault = new TestVault(deployment, ports, 1)) {
            List<StoredDocument> listed = vault.clients.get(0).list("").get(30, TimeUnit.SECONDS);
            assertThat(listed).extracting(StoredDocument::documentId).containsExactly("acked");
            // Daemon 1's own slice of the acknowledged document is intact: no faults on retrieval.
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Reconstruction r = vault.retrieve("acked", out);
            assertThat(out.toByteArray()).isEqualTo(doc);
            assertThat(r.faults()).isEmpty();
            assertThat(r.slicesUsed()).contains(0);
        }
        // 143 = 128 + SIGTERM: how a JVM reports a signal-initiated exit, after its shutdown hooks ran.
        assertThat(restarted.stop()).isIn(0, 143);
        assertThat(restarted.log()).as("log after SIGTERM").anyMatch(l -> l.contains("daemon node-1 stopped"));
    }

    private static long tmpBytes(Path tmp) {
        try (var files = Files.list(tmp)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    void badMetadata_isRefusedWithAClearError_andTheDaemonGoesOn() throws Exception {
        Path deployment = TestDeployments.write(dir, 3, 1, ThresholdScheme.ADDITIVE);
        List<Integer> ports = startAll(deployment, 1);
        try (TestVault vault = new TestVault(deployment, ports, 1)) {
            DaemonClient c = vault.clients.get(0);
            long anHourAgo = System.currentTimeMillis() - 3_600_000;
            assertThatThrownBy(() -> c.deposit(new DepositMetadata("old", "alice", "x", 1, anHourAgo, 3),
                    new java.io.ByteArrayInputStream(new byte[3])).get(30, TimeUnit.SECONDS))
                    .hasMessageContaining("away from this daemon's clock");
            assertThatThrownBy(() -> c.deposit(TestVault.meta("../etc", 3), new java.io.ByteArrayInputStream(new byte[3]))
                    .get(30, TimeUnit.SECONDS)).hasMessageContaining("document id must match");
            c.deposit(TestVault.meta("twice", 3), new java.io.ByteArrayInputStream(new byte[3])).get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> c.deposit(TestVault.meta("twice", 3), new java.io.ByteArrayInputStream(new byte[3]))
                    .get(30, TimeUnit.SECONDS)).hasMessageContaining("already stored");
            assertThatThrownBy(() -> c.deposit(TestVault.meta("short", 10), new java.io.ByteArrayInputStream(new byte[3]))
                    .get(30, TimeUnit.SECONDS)).hasMessageContaining("truncated upload, nothing stored");
            assertThat(c.list("").get(30, TimeUnit.SECONDS)).extracting(StoredDocument::documentId).containsExactly("twice");
        }
    }

    @Test
    void repair_storesTheSameSliceWithAnOldTime_signsNothing_andNeverOverwrites() throws Exception {
        Path deployment = TestDeployments.write(dir, 3, 1, ThresholdScheme.SHOUP);
        List<Integer> ports = startAll(deployment, 3);
        byte[] doc = new byte[300_000];
        new Random(13).nextBytes(doc);
        long anHourAgo = System.currentTimeMillis() - 3_600_000;
        DepositMetadata old = new DepositMetadata("missed", "alice", "missed.bin", 1, anHourAgo, doc.length);
        try (TestVault vault = new TestVault(deployment, ports, 1)) {
            DaemonClient one = vault.clients.get(0);
            DaemonClient two = vault.clients.get(1);
            // A plain deposit with that old time is refused; a repair of it is taken, unsigned.
            assertThatThrownBy(() -> one.deposit(old, new java.io.ByteArrayInputStream(doc)).get(30, TimeUnit.SECONDS))
                    .hasMessageContaining("away from this daemon's clock");
            DepositAck first = one.repair(old, new java.io.ByteArrayInputStream(doc)).get(30, TimeUnit.SECONDS);
            DepositAck second = two.repair(old, new java.io.ByteArrayInputStream(doc)).get(30, TimeUnit.SECONDS);
            assertThat(first.partialSignature()).isEmpty();
            assertThat(first.receiptBody()).isEqualTo(second.receiptBody());
            assertThat(ReceiptBody.parse(first.receiptBody()).depositTime().toEpochMilli()).isEqualTo(anHourAgo);
            assertThatThrownBy(() -> one.repair(old, new java.io.ByteArrayInputStream(new byte[doc.length]))
                    .get(30, TimeUnit.SECONDS)).hasMessageContaining("already stored");
            // The two repaired slices rebuild the document with the third daemon never asked.
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            vault.retrieve("missed", out);
            assertThat(out.toByteArray()).isEqualTo(doc);
        }
        assertThat(processes.get(0).log()).anyMatch(l -> l.contains("repair of missed stored"));
    }
}
