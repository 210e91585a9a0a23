package org.evault.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.evault.threshold.ThresholdScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Daemons that lie (the daemon's own fault injection, {@code testing.faults}, allowed only with
 * -Devault.testing=true on its JVM): a wrong slice, a wrong fingerprint vector, a wrong partial
 * signature. The gateway must return exact bytes, name the liar in its log, and never issue a
 * receipt that does not verify.
 */
class LyingDaemonSystemTest {
    static final long MIB = 1L << 20;

    @Test
    void additive_wrongPartialSignature_noReceipt_nothingRecorded(@TempDir Path dir) throws Exception {
        try (SystemVault vault = SystemVault.start(dir, 3, 1, ThresholdScheme.ADDITIVE,
                Map.of(2, "wrong-signature"), "128m")) {
            VaultUser alice = VaultUser.register(vault, "alice", dir);
            for (SeededDocument doc : new SeededDocument[] {new SeededDocument("signed.bin", MIB, 21),
                    new SeededDocument("small.txt", 10, 22)}) {
                GatewayHttp.Deposit refused = alice.http.deposit(doc);
                assertThat(refused.reply().status()).as(refused.reply().body()).isEqualTo(503);
                JsonNode error = refused.reply().json();
                assertThat(error.get("error").asText()).isEqualTo("deposit_failed");
                // The additive scheme has no proofs: the gateway knows a share is wrong, not whose.
                assertThat(error.get("message").asText()).contains("wrong partial signature");
                assertThat(alice.listed(doc.name())).isEmpty();
                assertThat(alice.http.receipt(doc.name()).status()).isEqualTo(404);
                assertThat(alice.http.retrieve(doc.name()).status()).isEqualTo(404);
            }
            assertThat(alice.http.list().json().get("documents")).isEmpty();
            for (int i = 1; i <= 3; i++) {
                int daemon = i;
                Await.until(SystemVault.nodeId(daemon) + " keeps no slice of a refused deposit", Duration.ofSeconds(30),
                        () -> vault.sliceFiles(daemon).isEmpty());
            }
        }
    }

    @Test
    void additive_wrongSlice_thenWrongFingerprints_retrievalExact_liarNamed(@TempDir Path dir) throws Exception {
        try (SystemVault vault = SystemVault.start(dir, 3, 1, ThresholdScheme.ADDITIVE,
                Map.of(1, "wrong-slice"), "128m")) {
            VaultUser alice = VaultUser.register(vault, "alice", dir);
            // Serving a wrong slice does not affect deposits: every daemon stored and signed honestly.
            VaultUser.Deposited doc = alice.depositVerified(new SeededDocument("doc.bin", MIB + 3, 23));

            alice.assertRetrievesExactly(doc);
            awaitLogged(vault, "retrieve " + id(doc) + ": bad slice from daemon node-1: slice 0 segment ");

            // The same daemon, restarted, now reports a wrong fingerprint vector instead.
            vault.restartDaemon(1, "testing.faults=wrong-fingerprints");
            alice.assertRetrievesExactly(doc);
            awaitLogged(vault, "retrieve " + id(doc) + ": daemon node-1 reported a fingerprint vector that differs"
                    + " from the majority's");

            // With the additive scheme a deposit needs every daemon's honest body: refused, naming the liar.
            GatewayHttp.Deposit refused = alice.http.deposit(new SeededDocument("refused.bin", MIB, 24));
            assertThat(refused.reply().status()).as(refused.reply().body()).isEqualTo(503);
            assertThat(refused.reply().json().get("message").asText()).contains("node-1");
            assertThat(alice.listed("refused.bin")).isEmpty();
            assertThat(alice.listed("doc.bin")).hasSize(1);
        }
    }

    @Test
    void shoup_twoLiars_receiptFromTheValidShares_retrievalExact_liarsNamed(@TempDir Path dir) throws Exception {
        // t = 2 liars: node-1 signs wrongly and serves wrong slices, node-2 reports wrong fingerprints.
        try (SystemVault vault = SystemVault.start(dir, 5, 2, ThresholdScheme.SHOUP,
                Map.of(1, "wrong-signature,wrong-slice", 2, "wrong-fingerprints"), "128m")) {
            VaultUser alice = VaultUser.register(vault, "alice", dir);
            VaultUser.Deposited big = alice.depositVerified(new SeededDocument("big.bin", 2 * MIB + 5, 25));
            VaultUser.Deposited small = alice.depositVerified(new SeededDocument("small.bin", 1, 26));

            for (VaultUser.Deposited d : new VaultUser.Deposited[] {big, small}) {
                // t + 1 = 3 shares make the signature: exactly the three honest daemons'.
                awaitLogged(vault, "deposit " + id(d) + " (" + d.document().name() + " v1) signed by daemons [3, 4, 5]");
                awaitLogged(vault, "deposit " + id(d) + ": daemon node-1 sent an invalid partial signature");
                awaitLoggedRegex(vault, "deposit " + Pattern.quote(id(d)) + ": daemon node-2 (sent a wrong receipt body"
                        + "|signed a receipt body that differs)");
            }

            alice.assertRetrievesExactly(big);
            alice.assertRetrievesExactly(small);
            for (VaultUser.Deposited d : new VaultUser.Deposited[] {big, small}) {
                awaitLogged(vault, "retrieve " + id(d) + ": bad slice from daemon node-1");
                awaitLogged(vault, "retrieve " + id(d) + ": daemon node-2 reported a fingerprint vector that differs");
            }
        }
    }

    private static String id(VaultUser.Deposited d) {
        return d.receipt().get("documentId").asText();
    }

    private static Matcher awaitLogged(SystemVault vault, String text) throws InterruptedException {
        return vault.awaitGatewayLog(Pattern.compile(Pattern.quote(text)));
    }

    private static Matcher awaitLoggedRegex(SystemVault vault, String regex) throws InterruptedException {
        return vault.awaitGatewayLog(Pattern.compile(regex));
    }
}
