package org.evault.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-24T12:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock, 3, 5, Duration.ofMinutes(10), 100);

    @Test
    void afterMaxFailures_theUserIsRefusedFromThatAddress_untilTheWindowEnds() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.refusal("alice", "10.0.0.1")).isEmpty();
            throttle.failed("alice", "10.0.0.1");
        }
        assertThat(throttle.refusal("alice", "10.0.0.1")).contains(Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(4));
        assertThat(throttle.refusal("alice", "10.0.0.1")).contains(Duration.ofMinutes(6));
        // The owner elsewhere, and other users here, may still try.
        assertThat(throttle.refusal("alice", "10.0.0.2")).isEmpty();
        assertThat(throttle.refusal("bob", "10.0.0.1")).isEmpty();
        clock.advance(Duration.ofMinutes(6));
        assertThat(throttle.refusal("alice", "10.0.0.1")).isEmpty();
    }

    @Test
    void oneAddressSprayingManyIds_isRefusedForEveryId() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("user" + i, "10.0.0.9");
        }
        assertThat(throttle.refusal("someone-else", "10.0.0.9")).isPresent();
        assertThat(throttle.refusal("someone-else", "10.0.0.8")).isEmpty();
    }

    @Test
    void aRightPassword_clearsThatUsersCount() {
        throttle.failed("alice", "10.0.0.1");
        throttle.failed("alice", "10.0.0.1");
        throttle.succeeded("alice", "10.0.0.1");
        throttle.failed("alice", "10.0.0.1");
        throttle.failed("alice", "10.0.0.1");
        assertThat(throttle.refusal("alice", "10.0.0.1")).isEmpty();
    }

    @Test
    void countersStayBounded_expiredFirst_thenTheOldest() {
        for (int i = 0; i < 1_000; i++) {
            throttle.failed("u" + i, "10.1." + (i / 250) + "." + (i % 250));
            clock.advance(Duration.ofMillis(1));
        }
        // 2 counters per failure (the pair and the address), never more than 100 kept
        assertThat(throttle.size()).isLessThanOrEqualTo(101);
        // the newest pairs survive
        throttle.failed("u999", "10.1.3.249");
        throttle.failed("u999", "10.1.3.249");
        assertThat(throttle.refusal("u999", "10.1.3.249")).isPresent();
    }
}
