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
 * SHA-256. The run's shared honest vault of each shape; this class's user and names are its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedVaults.class)
abstract class DepositRetrieveTests {
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    /** Small enough that a document held in the gateway's memory would fail it. */
    static final String GATEWAY_HEAP = "128m";

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
        int gcLinesBefore = Files.readAllLines(vault.gatewayGcLog(), StandardCharsets.UTF_8).size();
        long started = System.nanoTime();
        roundTrip(new SeededDocument("one-gib.bin", GIB, 42));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertThat(vault.gateway().isAlive()).as("the gateway (-Xmx%s) survived 1 GiB", GATEWAY_HEAP).isTrue();
        System.out.printf("n = %d %s: 1 GiB deposited and retrieved through a -Xmx%s gateway in %d s; %s%n", n(),
                scheme(), GATEWAY_HEAP, seconds, gcSummary(gcLinesBefore));
        System.out.println(heapInfo());
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

    /**
     * From the gateway's -Xlog:gc file, the collections after line {@code from}: how many, and the
     * largest heap before and after one (after a young collection the old generation's garbage still
     * counts, so "after" bounds the live set from above).
     */
    private String gcSummary(int from) throws Exception {
        int collections = 0;
        long maxBefore = 0;
        long maxAfter = 0;
        List<String> lines = Files.readAllLines(vault.gatewayGcLog(), StandardCharsets.UTF_8);
        for (String line : lines.subList(Math.min(from, lines.size()), lines.size())) {
            Matcher m = GC_LINE.matcher(line);
            if (m.find()) {
                collections++;
                maxBefore = Math.max(maxBefore, Long.parseLong(m.group(1)));
                maxAfter = Math.max(maxAfter, Long.parseLong(m.group(2)));
            }
        }
        return "gateway GC log while it streamed: " + collections + " collections, heap at most " + maxBefore + " MiB before and "
                + maxAfter + " MiB after a collection";
    }

    /** {@code jcmd <gateway pid> GC.heap_info}, for the record. */
    private String heapInfo() throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(vault.gateway().pid()), "GC.heap_info")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return "jcmd GC.heap_info of the gateway:\n" + out;
    }
}
