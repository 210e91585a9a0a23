package org.evault.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import org.evault.threshold.ThresholdScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * kill -9 of t daemons under a running gateway, first while a document streams through it (the
 * documents are large enough that slices are still in flight, beyond what socket buffers hold),
 * then with the daemons down. The killed daemons hold data slices (slice j < m is a plain piece of
 * the document), so the documents come back through the parity slices.
 */
class DaemonCrashSystemTest {
    static final long MIB = 1L << 20;

    @Test
    void additive_daemonKilled_duringAndBeforeDeposits_503NamingIt_nothingStored_retrievalExact(@TempDir Path dir)
            throws Exception {
        try (SystemVault vault = SystemVault.start(dir, 3, 1, ThresholdScheme.ADDITIVE, Map.of(), "128m")) {
            VaultUser alice = VaultUser.register(vault, "alice", dir);
            VaultUser.Deposited before = alice.depositVerified(new SeededDocument("before.bin", MIB + 12345, 1));
            VaultUser.Deposited tiny = alice.depositVerified(new SeededDocument("tiny.bin", 1, 2));

            // node-1 dies 4 MiB into a 32 MiB upload: no receipt, and the deposit leaves no trace.
            GatewayHttp.Deposit during = alice.http.deposit(new SeededDocument("during.bin", 32 * MIB, 3),
                    new GatewayHttp.Midway(4 * MIB, () -> vault.killDaemon(1)));
            assertRefusedNaming(during, SystemVault.nodeId(1));
            assertThat(alice.listed("during.bin")).isEmpty();
            assertThat(alice.http.retrieve("during.bin").status()).isEqualTo(404);
            assertOnlySlicesOf(vault, 2, 3);

            // With node-1 down: retrieval exact (through the parity slice), deposits refused naming it.
            alice.assertRetrievesExactly(before);
            alice.assertRetrievesExactly(tiny);
            assertRefusedNaming(alice.http.deposit(new SeededDocument("after.bin", MIB, 4)), SystemVault.nodeId(1));
            assertThat(alice.listed("after.bin")).isEmpty();
            assertThat(alice.http.retrieve("after.bin").status()).isEqualTo(404);
            assertThat(alice.http.receipt("after.bin").status()).isEqualTo(404);
            assertOnlySlicesOf(vault, 2, 3);
            assertThat(alice.listed("before.bin")).hasSize(1);

            // node-1 comes back on its port with its disk: the gateway reconnects by itself (its
            // client backs off at most 10 s), and deposits get receipts again.
            vault.restartKilledDaemon(1);
            VaultUser.Deposited[] back = new VaultUser.Deposited[1];
            Await.until("a deposit gets a receipt again after node-1 restarted", Duration.ofSeconds(60), () -> {
                GatewayHttp.Deposit attempt;
                try {
                    attempt = alice.http.deposit(new SeededDocument("back.bin", MIB, 9));
                } catch (java.io.IOException refusedMidUpload) {
                    // The gateway may answer 503 before it has read the whole body and close the
                    // connection; the client then sees a reset, not the 503. Another try.
                    return false;
                }
                if (attempt.reply().status() == 503) {
                    return false;
                }
                back[0] = alice.depositVerifiedReply(attempt, new SeededDocument("back.bin", MIB, 9));
                return true;
            });
            assertThat(alice.listed("back.bin")).hasSize(1);
            alice.assertRetrievesExactly(back[0]);
            alice.assertRetrievesExactly(before);
        }
    }

    @Test
    void shoup_twoDaemonsKilled_duringADepositAndARetrieval_exactBytes_verifiedReceipts(@TempDir Path dir)
            throws Exception {
        try (SystemVault vault = SystemVault.start(dir, 5, 2, ThresholdScheme.SHOUP, Map.of(), "128m")) {
            VaultUser alice = VaultUser.register(vault, "alice", dir);
            VaultUser.Deposited before = alice.depositVerified(new SeededDocument("before.bin", MIB + 7, 5));

            // node-1 dies 4 MiB into an upload: the other four take it, three shares sign it.
            SeededDocument duringDoc = new SeededDocument("during.bin", 32 * MIB + 3, 6);
            GatewayHttp.Deposit d = alice.http.deposit(duringDoc, new GatewayHttp.Midway(4 * MIB, () -> vault.killDaemon(1)));
            assertThat(d.reply().status()).as(d.reply().body()).isEqualTo(201);
            JsonNode body = Receipts.verify(d.reply().json(), alice.publicKeyPem, dir);
            assertThat(body.get("sha256").asText()).isEqualTo(SeededDocument.hex(d.sentSha256()));
            assertThat(body.get("size").asLong()).isEqualTo(duringDoc.size());
            VaultUser.Deposited during = new VaultUser.Deposited(duringDoc, d.reply().json(), body,
                    SeededDocument.hex(d.sentSha256()));

            // node-3 dies 2 MiB into retrieving it: the gateway goes on from slices 2, 4 and 5.
            GatewayHttp.Retrieved r = alice.http.retrieve(duringDoc.name(),
                    new GatewayHttp.Midway(2 * MIB, () -> vault.killDaemon(3)));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.error()).as("the retrieval went on after node-3 died").isNull();
            assertThat(r.length()).isEqualTo(duringDoc.size());
            assertThat(SeededDocument.hex(r.sha256())).isEqualTo(during.sha256());

            // With node-1 and node-3 down: everything exact, and deposits still get verified receipts.
            alice.assertRetrievesExactly(before);
            alice.assertRetrievesExactly(during);
            VaultUser.Deposited after = alice.depositVerified(new SeededDocument("after.bin", MIB + 1, 7));
            VaultUser.Deposited empty = alice.depositVerified(new SeededDocument("empty.bin", 0, 8));
            alice.assertRetrievesExactly(after);
            alice.assertRetrievesExactly(empty);
            assertThat(alice.listed("after.bin")).hasSize(1);
            // The gateway says which daemons signed: the three still running (by index).
            vault.awaitGatewayLog(Pattern.compile("deposit " + Pattern.quote(after.receipt().get("documentId").asText())
                    + " .*signed by daemons \\[2, 4, 5\\]"));
        }
    }

    private static void assertRefusedNaming(GatewayHttp.Deposit refused, String daemon) {
        assertThat(refused.reply().status()).as(refused.reply().body()).isEqualTo(503);
        JsonNode error = refused.reply().json();
        assertThat(error.get("error").asText()).isEqualTo("deposit_failed");
        assertThat(error.get("message").asText()).contains(daemon);
    }

    /** Each of {@code daemons} holds the slices of the two receipted documents and nothing else. */
    private static void assertOnlySlicesOf(SystemVault vault, int... daemons) throws Exception {
        for (int daemon : daemons) {
            Await.until(SystemVault.nodeId(daemon) + " holds only the 2 receipted slices", Duration.ofSeconds(30),
                    () -> vault.sliceFiles(daemon).size() == 2);
        }
    }
}
