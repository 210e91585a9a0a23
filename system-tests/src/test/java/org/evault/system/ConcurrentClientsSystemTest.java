package org.evault.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.evault.threshold.ThresholdScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients at once against the small-heap (-Xmx128m) gateway: each request with HTTP Basic
 * costs a memory-hard password hash (Argon2id, 19 MiB), so concurrency must not exhaust the heap,
 * whether the passwords are right or wrong (the latter is what anyone on the network can send).
 *
 * <p>Before PasswordHasher shared a memory budget, this saw
 * {@code [500, 401, 500, 401, 200, 401, 200, 500, 500, 500, 200, 401, 200, 500, 200, 401]} and
 * {@code java.lang.OutOfMemoryError: Java heap space} at {@code Argon2BytesGenerator.allocateMemory}
 * in the gateway's log.
 */
class ConcurrentClientsSystemTest {
    static final int CLIENTS = 16;

    @Test
    void sixteenConcurrentRequests_rightAndWrongPasswords_allAnswered_gatewayStaysHealthy(@TempDir Path dir)
            throws Exception {
        try (SystemVault vault = SystemVault.start(dir, 3, 1, ThresholdScheme.ADDITIVE, Map.of(), "128m")) {
            VaultUser alice = VaultUser.register(vault, "alice", dir);
            VaultUser.Deposited doc = alice.depositVerified(new SeededDocument("doc.bin", 100_000, 41));
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Callable<Integer>> calls = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    boolean right = i % 2 == 0;
                    GatewayHttp client = vault.http("alice", right ? VaultUser.PASSWORD : "wrong password " + i);
                    calls.add(() -> client.list().status());
                }
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> f : pool.invokeAll(calls, 5, TimeUnit.MINUTES)) {
                    statuses.add(f.get());
                }
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    expected.add(i % 2 == 0 ? 200 : 401);
                }
                assertThat(statuses).as("statuses of %d concurrent requests (right password: 200, wrong: 401)", CLIENTS)
                        .isEqualTo(expected);
            } finally {
                pool.shutdownNow();
            }
            assertThat(vault.gateway().isAlive()).isTrue();
            assertThat(vault.gatewayLog()).doesNotContain("OutOfMemoryError");
            alice.assertRetrievesExactly(doc);
        }
    }
}
