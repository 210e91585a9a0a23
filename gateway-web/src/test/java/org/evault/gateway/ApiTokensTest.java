package org.evault.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.evault.gateway.db.Account;
import org.evault.gateway.db.DerbyMetadataStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tokens against a real (in-memory) Derby, with a clock the test moves instead of waiting. */
class ApiTokensTest {
    private final DerbyMetadataStore store = DerbyMetadataStore.inMemory("tokens-test");
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    @AfterEach
    void close() {
        store.close();
    }

    private ApiTokens tokens(Duration lifetime) throws Exception {
        store.addAccount(new Account("alice", "A", "B", "C", "D", "h", Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        return new ApiTokens(store, lifetime, clock);
    }

    @Test
    void issued_is256BitsBase64url_storedOnlyAsHash_expires() throws Exception {
        ApiTokens t = tokens(Duration.ofHours(24));
        ApiTokens.Issued issued = t.issue("alice");
        assertThat(issued.token()).matches("[A-Za-z0-9_-]{43}");
        assertThat(issued.expires()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));
        assertThat(t.userOf(issued.token())).contains("alice");
        assertThat(store.findToken(issued.token(), clock.instant())).isEmpty();
        assertThat(store.findToken(ApiTokens.hash(issued.token()), clock.instant())).isPresent();

        clock.advance(Duration.ofHours(24).minusMillis(1));
        assertThat(t.userOf(issued.token())).contains("alice");
        clock.advance(Duration.ofMillis(1));
        assertThat(t.userOf(issued.token())).isEmpty();
    }

    @Test
    void revoked_isRefused_othersNot() throws Exception {
        ApiTokens t = tokens(Duration.ofMinutes(5));
        ApiTokens.Issued a = t.issue("alice");
        ApiTokens.Issued b = t.issue("alice");
        assertThat(a.token()).isNotEqualTo(b.token());
        assertThat(t.revoke(a.token(), "alice")).isTrue();
        assertThat(t.userOf(a.token())).isEmpty();
        assertThat(t.userOf(b.token())).contains("alice");
        assertThat(t.revoke(a.token(), "alice")).isFalse();
    }

    @Test
    void malformedTokens_neverLookedUp() throws Exception {
        ApiTokens t = tokens(Duration.ofMinutes(5));
        for (String bad : new String[] {null, "", "x", "a".repeat(42), "a".repeat(44), "a".repeat(42) + "=",
                "a".repeat(42) + "\u00e9"}) {
            assertThat(t.userOf(bad)).as(String.valueOf(bad)).isEmpty();
        }
    }
}
