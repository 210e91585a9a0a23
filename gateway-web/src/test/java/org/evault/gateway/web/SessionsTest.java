package org.evault.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.evault.gateway.ManualClock;
import org.junit.jupiter.api.Test;

/** Session expiry with a clock the test moves (the HTTPS tests cover cookies, login and logout). */
class SessionsTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Sessions sessions = new Sessions(Duration.ofMinutes(30), Duration.ofHours(12), clock);

    @Test
    void idleExpiry_resetByUse() {
        Sessions.Session s = sessions.start("alice");
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(s.id)).isSameAs(s);
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(s.id)).isSameAs(s);
        clock.advance(Duration.ofMinutes(30));
        assertThat(sessions.find(s.id)).isNull();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void absoluteExpiry_evenWhenBusy() {
        Sessions.Session s = sessions.start("alice");
        for (int i = 0; i < 12 * 4 - 1; i++) {
            clock.advance(Duration.ofMinutes(15));
            assertThat(sessions.find(s.id)).isSameAs(s);
        }
        clock.advance(Duration.ofMinutes(15));
        assertThat(sessions.find(s.id)).isNull();
    }

    @Test
    void idsAndTokens_are256BitAndDistinct_csrfComparedExactly() {
        Sessions.Session a = sessions.start(null);
        Sessions.Session b = sessions.start(null);
        assertThat(a.id).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(b.id);
        assertThat(a.csrfToken).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(a.id).isNotEqualTo(b.csrfToken);
        assertThat(Sessions.csrfMatches(a, a.csrfToken)).isTrue();
        assertThat(Sessions.csrfMatches(a, b.csrfToken)).isFalse();
        assertThat(Sessions.csrfMatches(a, a.csrfToken.substring(1))).isFalse();
        assertThat(Sessions.csrfMatches(a, null)).isFalse();
        assertThat(Sessions.csrfMatches(null, a.csrfToken)).isFalse();
        assertThat(sessions.find("unknown")).isNull();
        assertThat(sessions.find((String) null)).isNull();
    }
}
