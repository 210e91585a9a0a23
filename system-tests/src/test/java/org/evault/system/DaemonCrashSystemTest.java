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
 * kill -9 of t daemons under a running gateway. The killed daemons include data slices (slice j < m
 * is a plain piece of the document), so the documents come back through the parity slices.
 */
class DaemonCrashSystemTest {
    static final long MIB = 1L << 20;

    @Test
    void additive_oneDaemonKilled_retrievalExact_depositRefusedNamingIt_nothingRecorded(@TempDir Path dir) throws Exception {
        try (SystemVault vault = SystemVault.start(dir, 3, 1, ThresholdScheme.ADDITIVE, Map.of(), "128m")) {
            VaultUser alice = VaultUser.register(vault, "alice", dir);
            VaultUser.Deposited before = alice.depositVerified(new SeededDocument("before.bin", MIB + 12345, 1));
            VaultUser.Deposited tiny = alice.depositVerified(new SeededDocument("tiny.bin", 1, 2));

            vault.killDaemon(1);

            alice.assertRetrievesExactly(before);
            alice.assertRetrievesExactly(tiny);
            GatewayHttp.Deposit refused = alice.http.deposit(new SeededDocument("after.bin", MIB, 3));
            assertThat(refused.reply().status()).as(refused.reply().body()).isEqualTo(503);
            JsonNode error = refused.reply().json();
            assertThat(error.get("error").asText()).isEqualTo("deposit_failed");
            assertThat(error.get("message").asText()).contains(SystemVault.nodeId(1));
            assertThat(alice.listed("after.bin")).isEmpty();
            // Nor do the daemons that took part keep a slice of it (only those of the two receipted documents).
            for (int i = 2; i <= 3; i++) {
                int daemon = i;
                Await.until(SystemVault.nodeId(daemon) + " holds only the 2 receipted slices", Duration.ofSeconds(30),
                        () -> vault.sliceFiles(daemon).size() == 2);
            }
            assertThat(alice.http.retrieve("after.bin").status()).isEqualTo(404);
            assertThat(alice.http.receipt("after.bin").status()).isEqualTo(404);
            // The earlier documents are untouched by the failed deposit.
            assertThat(alice.listed("before.bin")).hasSize(1);
            alice.assertRetrievesExactly(before);
        }
    }

    @Test
    void shoup_twoDaemonsKilled_retrievalExact_depositsStillGetVerifiedReceipts(@TempDir Path dir) throws Exception {
        try (SystemVault vault = SystemVault.start(dir, 5, 2, ThresholdScheme.SHOUP, Map.of(), "128m")) {
            VaultUser alice = VaultUser.register(vault, "alice", dir);
            VaultUser.Deposited before = alice.depositVerified(new SeededDocument("before.bin", 3 * MIB + 7, 4));

            vault.killDaemon(1);
            vault.killDaemon(3);

            alice.assertRetrievesExactly(before);
            VaultUser.Deposited after = alice.depositVerified(new SeededDocument("after.bin", MIB + 1, 5));
            VaultUser.Deposited empty = alice.depositVerified(new SeededDocument("empty.bin", 0, 6));
            alice.assertRetrievesExactly(after);
            alice.assertRetrievesExactly(empty);
            assertThat(alice.listed("after.bin")).hasSize(1);
            // The gateway says which daemons signed: the three still running (by index).
            vault.awaitGatewayLog(Pattern.compile("deposit " + Pattern.quote(after.receipt().get("documentId").asText())
                    + " .*signed by daemons \\[2, 4, 5\\]"));
        }
    }
}
