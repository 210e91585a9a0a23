package org.evault.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.evault.threshold.ThresholdScheme;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Deposit and retrieval through a whole running vault, over HTTPS only: every receipt checked
 * with openssl and JCA against the published key, every document compared by its streaming
 * SHA-256. Runs on the run's shared honest vault of its shape ({@link SharedVaults}) as its own user.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedVaults.class)
abstract class DepositRetrieveTests {
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    static final String GATEWAY_HEAP = SharedVaults.GATEWAY_HEAP;

    Path dir;
    SystemVault vault;
    VaultUser alice;

    abstract int n();

    abstract int t();

    abstract ThresholdScheme scheme();

    @BeforeAll
    void register(SharedVaults.Pool vaults, @TempDir Path dir) throws Exception {
        this.dir = dir;
        vault = vaults.get(n(), t(), scheme());
        alice = VaultUser.register(vault, "depositor", dir);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(longs = {0, 1, MIB})
    void depositAndRetrieve_exactBytes_verifiedReceipt(long size) throws Exception {
        roundTrip(new SeededDocument("doc-" + size + ".bin", size, 1000 + size));
    }

    @Test
    void oneGiB_streamsThroughASmallHeapGateway() throws Exception {
        int gcLinesBefore = gcLog().size();
        long started = System.nanoTime();
        roundTrip(new SeededDocument("one-gib.bin", GIB, 42));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertThat(vault.gateway().isAlive()).as("the gateway (-Xmx%s) survived 1 GiB", GATEWAY_HEAP).isTrue();
        String whileStreaming = gcSummary(gcLog().subList(gcLinesBefore, gcLog().size()));
        // A full collection now shows what the gateway keeps: nothing of the document.
        int gcLinesAfter = gcLog().size();
        String heapInfo = jcmd("GC.run") + jcmd("GC.heap_info");
        long liveMiB = awaitFullGcAfterMiB(gcLinesAfter);
        System.out.printf("n = %d %s: 1 GiB deposited and retrieved through a -Xmx%s gateway in %d s; %s;"
                + " after a full GC the heap holds %d MiB%n%s%n", n(), scheme(), GATEWAY_HEAP, seconds, whileStreaming,
                liveMiB, heapInfo);
        assertThat(liveMiB).as("gateway heap after a full GC, MiB").isLessThan(64);
    }

    @Test
    void aReceiptWithAnyBitChanged_failsOpenssl() throws Exception {
        SeededDocument doc = new SeededDocument("tamper.txt", 100, 7);
        GatewayHttp.Deposit d = alice.http.deposit(doc);
        assertThat(d.reply().status()).isEqualTo(201);
        byte[] body = Base64.getDecoder().decode(d.reply().json().get("body").asText());
        byte[] signature = Base64.getDecoder().decode(d.reply().json().get("signature").asText());
        assertThat(Receipts.verifiesWithOpenssl(body, signature, alice.publicKeyPem, dir)).isTrue();
        byte[] changed = body.clone();
        changed[changed.length / 2] ^= 1;
        assertThat(Receipts.verifiesWithOpenssl(changed, signature, alice.publicKeyPem, dir)).isFalse();
    }

    /** Deposits, checks the receipt, the receipt endpoint and the listing, then retrieves and compares. */
    void roundTrip(SeededDocument doc) throws Exception {
        VaultUser.Deposited d = alice.depositVerified(doc);
        assertThat(d.body().get("ida").get("n").asInt()).isEqualTo(n());
        assertThat(d.body().get("ida").get("m").asInt()).isEqualTo(n() - t());
        GatewayHttp.Reply again = alice.http.receipt(doc.name());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(d.receipt());
        assertThat(alice.listed(doc.name())).extracting(e -> e.get("sha256").asText(), e -> e.get("size").asLong())
                .containsExactly(tuple(d.sha256(), doc.size()));
        alice.assertRetrievesExactly(d);
    }

    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private List<String> gcLog() throws Exception {
        return Files.readAllLines(vault.gatewayGcLog(), StandardCharsets.UTF_8);
    }

    /**
     * From lines of the gateway's -Xlog:gc file: how many pauses, the largest heap before one (the
     * peak occupancy) and the largest after a remark (what was live once marking finished; after a
     * young pause the old generation's garbage still counts).
     */
    private static String gcSummary(List<String> lines) {
        int pauses = 0;
        long peak = 0;
        long liveAfterMarking = 0;
        for (String line : lines) {
            Matcher m = GC_LINE.matcher(line);
            if (m.find()) {
                pauses++;
                peak = Math.max(peak, Long.parseLong(m.group(1)));
                if (line.contains("Pause Remark")) {
                    liveAfterMarking = Math.max(liveAfterMarking, Long.parseLong(m.group(2)));
                }
            }
        }
        return "while it streamed the gateway GC log shows " + pauses + " pauses, a heap of at most " + peak
                + " MiB, at most " + liveAfterMarking + " MiB live after marking";
    }

    /** Waits for the full collection that {@code jcmd GC.run} asked for, and returns the heap after it. */
    private long awaitFullGcAfterMiB(int fromLine) throws Exception {
        long[] after = {-1};
        Await.until("a full GC in the gateway's GC log", java.time.Duration.ofSeconds(30), () -> {
            List<String> lines = gcLog();
            for (String line : lines.subList(Math.min(fromLine, lines.size()), lines.size())) {
                Matcher m = GC_LINE.matcher(line);
                if (line.contains("Pause Full") && m.find()) {
                    after[0] = Long.parseLong(m.group(2));
                    return true;
                }
            }
            return false;
        });
        return after[0];
    }

    /** Runs {@code jcmd <gateway pid> <command>} and returns its output. */
    private String jcmd(String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(vault.gateway().pid()), command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("jcmd %s finished", command).isTrue();
        return "jcmd " + command + ": " + out;
    }
}
