package org.evault.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.evault.threshold.ThresholdScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon that hangs (accepts requests and never answers: {@code testing.faults=silent}) is one of
 * the t faults Shoup's scheme tolerates: n - 1 = 4 honest daemons are more than the m = 3 slices
 * and t + 1 = 3 shares and fingerprint votes needed. Deposits and retrievals should not wait for
 * the hung daemon's request timeout (60 s by default) before answering.
 *
 * <p>Before the gateway stopped waiting for stragglers once it had enough answers, this saw
 * "deposit of 1 MiB took 66105 ms, retrieval 60692 ms" (the full 60 s request timeout each).
 */
class SilentDaemonSystemTest {
    static final long MIB = 1L << 20;
    static final Duration PROMPT = Duration.ofSeconds(20);

    @Test
    void shoup_oneSilentDaemon_depositAndRetrievalAnswerPromptly(@TempDir Path dir) throws Exception {
        try (SystemVault vault = SystemVault.start(dir, 5, 2, ThresholdScheme.SHOUP, Map.of(5, "silent"), "128m")) {
            VaultUser alice = VaultUser.register(vault, "alice", dir);
            long t0 = System.nanoTime();
            VaultUser.Deposited d = alice.depositVerified(new SeededDocument("doc.bin", MIB, 51));
            Duration deposit = Duration.ofNanos(System.nanoTime() - t0);
            long t1 = System.nanoTime();
            alice.assertRetrievesExactly(d);
            Duration retrieval = Duration.ofNanos(System.nanoTime() - t1);
            System.out.println("one silent daemon: deposit of 1 MiB took " + deposit.toMillis() + " ms, retrieval "
                    + retrieval.toMillis() + " ms");
            assertThat(deposit).as("deposit with one silent daemon").isLessThan(PROMPT);
            assertThat(retrieval).as("retrieval with one silent daemon").isLessThan(PROMPT);
        }
    }
}
