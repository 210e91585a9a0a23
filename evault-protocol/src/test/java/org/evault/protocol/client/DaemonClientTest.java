package org.evault.protocol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.handler.ssl.SslContext;
import org.evault.ida.Hash256;
import org.evault.protocol.DepositMetadata;
import org.evault.protocol.ErrorCode;
import org.evault.protocol.LeakRecorder;
import org.evault.protocol.Message;
import org.evault.protocol.Message.DepositAck;
import org.evault.protocol.NodeHealth;
import org.evault.protocol.StoredDocument;
import org.evault.protocol.TestPki;
import org.evault.protocol.TlsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** DaemonClient against FakeDaemon over real sockets and real mutual TLS 1.3 on 127.0.0.1. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DaemonClientTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static SslContext daemonTls;
    static TlsConfig gatewayTls;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create(dir.resolve("ca"), "e-Vault test CA");
        daemonTls = pki.issue("node-1").serverContext();
        gatewayTls = pki.issue("gateway").clientContext() != null ? TlsConfig.inFolder(pki.dir(), "gateway") : null;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @AfterAll
    static void noLeaks() {
        assertThat(LeakRecorder.collect()).isEmpty();
    }

    private FakeDaemon daemon() throws Exception {
        FakeDaemon d = new FakeDaemon("node-1", daemonTls).start(0);
        closeables.add(d);
        return d;
    }

    private DaemonClient client(FakeDaemon d, ClientOptions options) throws Exception {
        return client(d.port(), gatewayTls, options);
    }

    private DaemonClient client(int port, TlsConfig tls, ClientOptions options) throws Exception {
        DaemonClient c = new DaemonClient("127.0.0.1", port, tls, options);
        closeables.add(c);
        return c;
    }

    private static ClientOptions options() {
        return ClientOptions.defaults("gateway").withExpectedNodeId("node-1")
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(400));
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected the request to fail");
    }

    @Test
    void simpleRequests_overMutualTls13() throws Exception {
        FakeDaemon d = daemon();
        DaemonClient c = client(d, options());
        assertThat(get(c.connect())).isEqualTo("node-1");
        NodeHealth h = get(c.health());
        assertThat(h.nodeId()).isEqualTo("node-1");
        assertThat(get(c.delete("doc-1"))).isTrue();
        assertThat(get(c.delete("x"))).isFalse();
        assertThat(get(c.scrub()).findings()).hasSize(1);
        assertThat(c.label()).isEqualTo("daemon node-1 at 127.0.0.1:" + d.port());
    }

    @Test
    void list_fetchesEveryPage() throws Exception {
        FakeDaemon d = daemon();
        DaemonClient c = client(d, options());
        List<StoredDocument> all = get(c.list(""));
        assertThat(all).hasSize(FakeDaemon.LIST_SIZE);
        assertThat(all.get(FakeDaemon.LIST_SIZE - 1).documentId()).isEqualTo("doc-02499");
    }

    // The whole point of mutual TLS: only holders of a certificate from the deployment CA get in.
    @Test
    void clientCertificateFromAnotherCa_isRefused() throws Exception {
        FakeDaemon d = daemon();
        TestPki rogue = TestPki.create(dir.resolve("rogue"), "e-Vault test CA");
        rogue.issue("gateway");
        // The rogue client trusts the real CA, so only the daemon's check of its certificate can stop it.
        TlsConfig rogueTls = new TlsConfig(pki.dir().resolve("ca.pem"), rogue.dir().resolve("gateway.pem"),
                rogue.dir().resolve("gateway.key"));
        DaemonClient c = client(d.port(), rogueTls, options());
        Throwable t = failure(c.health());
        assertThat(t).isInstanceOf(DaemonUnavailableException.class).hasMessageContaining("127.0.0.1:" + d.port());
        assertThat(d.helloes.get()).isZero();
    }

    @Test
    void daemonCertificateFromAnotherCa_isRefusedByTheClient() throws Exception {
        TestPki rogue = TestPki.create(dir.resolve("rogue-daemon"), "e-Vault test CA");
        FakeDaemon d = new FakeDaemon("node-1", rogue.issue("node-1").serverContext()).start(0);
        closeables.add(d);
        DaemonClient c = client(d, options());
        assertThat(failure(c.health())).isInstanceOf(DaemonUnavailableException.class)
                .hasMessageContaining("TLS");
        assertThat(d.helloes.get()).isZero();
    }

    // A certificate from the CA does not let a node claim another node's id.
    @Test
    void helloNodeIdOtherThanCertificateCn_isRefused() throws Exception {
        FakeDaemon d = daemon();
        DaemonClient c = client(d, ClientOptions.defaults("node-2").withExpectedNodeId("node-1"));
        assertThat(failure(c.health())).isInstanceOf(DaemonUnavailableException.class)
                .hasMessageContaining("IDENTITY_MISMATCH");
    }

    @Test
    void unexpectedDaemonNodeId_isRefused() throws Exception {
        FakeDaemon d = daemon();
        DaemonClient c = client(d, options().withExpectedNodeId("node-3"));
        assertThat(failure(c.health())).isInstanceOf(DaemonUnavailableException.class)
                .hasMessageContaining("expected node node-3");
    }

    @Test
    void daemonOfAnotherProtocolVersion_isRefused() throws Exception {
        FakeDaemon d = new FakeDaemon("node-1", daemonTls, 2).start(0);
        closeables.add(d);
        DaemonClient c = client(d, options());
        assertThat(failure(c.health())).isInstanceOf(DaemonUnavailableException.class)
                .hasMessageContaining("UNSUPPORTED_VERSION");
    }

    @Test
    void manyConcurrentRequests_shareOneConnection() throws Exception {
        FakeDaemon d = daemon();
        DaemonClient c = client(d, options());
        get(c.connect());
        List<CompletableFuture<?>> all = new ArrayList<>();
        List<CompletableFuture<byte[]>> bodies = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            all.add(c.health());
            all.add(c.delete("doc-" + i));
            if (i % 25 == 0) {
                CompletableFuture<byte[]> body = c.retrieve("gen:300000").thenApplyAsync(r -> {
                    try (r; InputStream in = r.body()) {
                        return Hash256.sha256().digest(in.readAllBytes());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                bodies.add(body);
                all.add(body);
            }
            if (i % 50 == 0) {
                all.add(c.deposit(new DepositMetadata("doc-" + i, "alice", "n", 1, 0, -1),
                        new GeneratedStream(100_000)));
            }
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
        byte[] expected = FakeDaemon.sha256OfGenerated(300_000);
        for (CompletableFuture<byte[]> b : bodies) {
            assertThat(b.get()).isEqualTo(expected);
        }
        assertThat(d.connectionsAccepted.get()).isEqualTo(1);
    }

    // 200 MiB made on the fly, hashed on both sides: nothing may hold the document in memory.
    @Test
    void largeDeposit_streamsWithBackpressure() throws Exception {
        FakeDaemon d = daemon();
        DaemonClient c = client(d, options());
        long length = 200L << 20;
        GeneratedStream document = new GeneratedStream(length);
        long heapBefore = usedHeap();
        DepositAck ack = get(c.deposit(new DepositMetadata("big", "alice", "big.bin", 1, 0, length), document));
        assertThat(new String(ack.receiptBody())).isEqualTo("length=" + length);
        assertThat(ack.documentHash()).isEqualTo(Hash256.of(document.digest()));
        assertThat(d.bytesDeposited.get()).isEqualTo(length);
        assertThat(usedHeap() - heapBefore).as("heap growth").isLessThan(100L << 20);
    }

    // The gateway's deposit: one upload written to n daemons in turn, paced by the slowest.
    @Test
    void fanOutToThreeDaemons_pacedByTheSlowest() throws Exception {
        List<FakeDaemon> daemons = List.of(daemon(), daemon(), daemon());
        daemons.get(1).slowDeposits = true;
        List<DepositUpload> uploads = new ArrayList<>();
        for (FakeDaemon d : daemons) {
            uploads.add(get(client(d, options()).openDeposit(new DepositMetadata("fan", "alice", "f", 1, 0, -1))));
        }
        long length = 48L << 20;
        GeneratedStream source = new GeneratedStream(length);
        byte[] buf = new byte[100_000];
        long written = 0;
        long maxAhead = 0;
        int n;
        while ((n = source.read(buf, 0, buf.length)) > 0) {
            for (DepositUpload u : uploads) {
                u.write(buf, 0, n);
            }
            written += n;
            maxAhead = Math.max(maxAhead, written - daemons.get(1).bytesDeposited.get());
        }
        for (DepositUpload u : uploads) {
            u.close();
        }
        byte[] expected = source.digest();
        for (DepositUpload u : uploads) {
            assertThat(get(u.ack()).documentHash()).isEqualTo(Hash256.of(expected));
        }
        // Outbound buffer (4 MiB), TLS and the kernel's socket buffers: bounded, far below the document.
        assertThat(maxAhead).as("bytes written ahead of the slow daemon").isLessThan(24L << 20);
    }

    @Test
    void upload_writeAfterTheDaemonFailed_throwsItsError() throws Exception {
        FakeDaemon d = daemon();
        DaemonClient c = client(d, options());
        DepositUpload u = get(c.openDeposit(new DepositMetadata("doc-a", "alice", "n", 1, 0, -1)));
        u.write(new byte[1000]);
        u.abort(new DaemonException("given up"));
        assertThatThrownBy(() -> u.write(new byte[10])).isInstanceOf(IOException.class);
        assertThat(failure(u.ack())).hasMessageContaining("given up");
        await(() -> !d.cancels.isEmpty());
    }

    // Run with -Pslow: 1 GiB through a 1 GiB heap can only pass if nothing holds the document.
    @Test
    @org.junit.jupiter.api.Tag("slow")
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void oneGibDeposit_andRetrieve_inAOneGibHeap() throws Exception {
        FakeDaemon d = daemon();
        DaemonClient c = client(d, options());
        long length = 1L << 30;
        GeneratedStream document = new GeneratedStream(length);
        DepositAck ack = c.deposit(new DepositMetadata("huge", "alice", "huge.bin", 1, 0, length), document)
                .get(240, TimeUnit.SECONDS);
        assertThat(ack.documentHash()).isEqualTo(Hash256.of(document.digest()));
        try (Retrieval r = get(c.retrieve("gen:" + length)); InputStream in = r.body()) {
            MessageDigest sha = Hash256.sha256();
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                sha.update(buf, 0, n);
            }
            assertThat(sha.digest()).isEqualTo(ack.documentHash().toBytes());
        }
    }

    private static long usedHeap() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    @Test
    void emptyDeposit_isAcknowledged() throws Exception {
        FakeDaemon d = daemon();
        DaemonClient c = client(d, options());
        DepositAck ack = get(c.deposit(new DepositMetadata("empty", "alice", "e", 1, 0, 0), InputStream.nullInputStream()));
        assertThat(ack.documentHash()).isEqualTo(Hash256.digest(new byte[0]));
    }

    @Test
    void retrieve_streamsHeaderThenBody_withASmallWindow() throws Exception {
        FakeDaemon d = daemon();
        ClientOptions small = new ClientOptions("gateway", "gateway", "node-1", Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofMillis(50), Duration.ofMillis(400), 65536, 128 * 1024,
                org.evault.protocol.ProtocolLimits.defaults());
        DaemonClient c = client(d, small);
        long length = 20L << 20;
        try (Retrieval r = get(c.retrieve("gen:" + length))) {
            assertThat(r.header().documentLength()).isEqualTo(length);
            MessageDigest sha = Hash256.sha256();
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            try (InputStream in = r.body()) {
                while ((n = in.read(buf)) >= 0) {
                    sha.update(buf, 0, n);
                    total += n;
                    if (total % (1 << 20) < 8192) {
                        Thread.sleep(1); // a slow reader: the daemon must wait for it
                    }
                }
            }
            assertThat(total).isEqualTo(length);
            assertThat(sha.digest()).isEqualTo(FakeDaemon.sha256OfGenerated(length));
        }
        // Reading resumed after the pauses: the connection still serves.
        assertThat(get(c.health()).nodeId()).isEqualTo("node-1");
    }

    // Flow control is per retrieval: a reader that stops must not hold up the connection.
    @Test
    void stalledRetrieval_doesNotBlockOtherRequests() throws Exception {
        FakeDaemon d = daemon();
        DaemonClient c = client(d, options().withRetrieveWindowBytes(64 * 1024));
        try (Retrieval stalled = get(c.retrieve("gen:" + (50L << 20)))) {
            assertThat(stalled.body().read(new byte[10])).isPositive();
            for (int i = 0; i < 20; i++) {
                assertThat(get(c.health()).nodeId()).isEqualTo("node-1");
            }
            try (Retrieval other = get(c.retrieve("gen:1000000")); InputStream in = other.body()) {
                assertThat(Hash256.sha256().digest(in.readAllBytes())).isEqualTo(FakeDaemon.sha256OfGenerated(1_000_000));
            }
        }
    }

    @Test
    void retrieveUnknownDocument_notFound() throws Exception {
        FakeDaemon d = daemon();
        DaemonClient c = client(d, options());
        Throwable t = failure(c.retrieve("missing"));
        assertThat(t).isInstanceOf(DaemonErrorException.class);
        assertThat(((DaemonErrorException) t).code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void retrievalClosedBeforeItsEnd_cancelsOnTheDaemon() throws Exception {
        FakeDaemon d = daemon();
        DaemonClient c = client(d, options());
        Retrieval r = get(c.retrieve("gen:" + (200L << 20)));
        assertThat(r.body().read(new byte[100])).isPositive();
        r.close();
        await(() -> !d.cancels.isEmpty());
        assertThat(get(c.health()).nodeId()).isEqualTo("node-1");
    }

    @Test
    void silentDaemon_requestTimesOut_andIsCancelled() throws Exception {
        FakeDaemon d = daemon();
        DaemonClient c = client(d, options().withRequestTimeout(Duration.ofMillis(300)));
        long start = System.nanoTime();
        Throwable t = failure(c.retrieve("silent"));
        assertThat(t).isInstanceOf(DaemonTimeoutException.class).hasMessageContaining("node-1")
                .hasMessageContaining("300 ms");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
        await(() -> !d.cancels.isEmpty());
    }

    @Test
    void cancelledFuture_sendsCancel() throws Exception {
        FakeDaemon d = daemon();
        DaemonClient c = client(d, options());
        get(c.connect());
        CompletableFuture<Retrieval> f = c.retrieve("silent");
        Thread.sleep(100);
        assertThat(c.cancel(f)).isTrue();
        await(() -> !d.cancels.isEmpty());
    }

    @Test
    void downDaemon_unavailableNamingTheAddress_thenFailsFastUntilTheNextAttempt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        DaemonClient c = client(port, gatewayTls, options().withBackoff(Duration.ofSeconds(5), Duration.ofSeconds(10)));
        Throwable first = failure(c.health());
        assertThat(first).isInstanceOf(DaemonUnavailableException.class)
                .hasMessageContaining("daemon node-1 at 127.0.0.1:" + port).hasMessageContaining("cannot connect");
        long start = System.nanoTime();
        Throwable second = failure(c.health());
        assertThat(second).isInstanceOf(DaemonUnavailableException.class).hasMessageContaining("next attempt in");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
    }

    @Test
    void daemonRestart_clientReconnectsByItself() throws Exception {
        FakeDaemon d = daemon();
        DaemonClient c = client(d, options());
        get(c.health());
        int port = d.port();
        d.stop();
        await(() -> !c.isConnected());
        assertThat(failure(c.health())).isInstanceOf(DaemonUnavailableException.class);
        FakeDaemon again = new FakeDaemon("node-1", daemonTls).start(port);
        closeables.add(again);
        await(c::isConnected);
        assertThat(get(c.health()).nodeId()).isEqualTo("node-1");
        assertThat(again.connectionsAccepted.get()).isEqualTo(1);
    }

    @Test
    void connectionLostMidRequest_failsItAsUnavailable() throws Exception {
        FakeDaemon d = daemon();
        DaemonClient c = client(d, options());
        get(c.connect());
        CompletableFuture<Retrieval> f = c.retrieve("silent");
        Thread.sleep(100);
        d.dropConnections();
        assertThat(failure(f)).isInstanceOf(DaemonUnavailableException.class)
                .hasMessageContaining("while the request was open");
    }

    @Test
    void documentStreamFails_depositFailsWithIt_andIsCancelled() throws Exception {
        FakeDaemon d = daemon();
        DaemonClient c = client(d, options());
        InputStream broken = new InputStream() {
            private int calls;

            @Override
            public int read() throws IOException {
                throw new IOException("disk gone");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (calls++ < 3) {
                    return len;
                }
                throw new IOException("disk gone");
            }
        };
        Throwable t = failure(c.deposit(new DepositMetadata("doc-x", "alice", "n", 1, 0, -1), broken));
        assertThat(t).isInstanceOf(DaemonException.class).hasMessageContaining("disk gone");
        await(() -> !d.cancels.isEmpty());
    }

    // The client is as strict as the daemon: a broken frame from a daemon ends that connection.
    @Test
    void daemonSendsABrokenFrame_clientClosesAndSaysWhy() throws Exception {
        FakeDaemon d = daemon();
        DaemonClient c = client(d, options());
        Throwable t = failure(c.delete("garbage"));
        assertThat(t).isInstanceOf(DaemonUnavailableException.class).hasMessageContaining("BAD_FRAME");
        await(() -> !c.isConnected());
        assertThat(get(c.health()).nodeId()).isEqualTo("node-1"); // a fresh connection
        assertThat(d.connectionsAccepted.get()).isEqualTo(2);
    }

    @Test
    void closedClient_failsRequests() throws Exception {
        FakeDaemon d = daemon();
        DaemonClient c = client(d, options());
        get(c.health());
        c.close();
        assertThat(failure(c.health())).isInstanceOf(DaemonUnavailableException.class).hasMessageContaining("closed");
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }

    static {
        LeakRecorder.install();
        Message.class.getName();
    }
}
