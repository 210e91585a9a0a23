package org.evault.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import org.evault.gateway.db.ApiToken;
import org.evault.gateway.db.AuditEntry;
import org.evault.gateway.db.MetadataStore;

/**
 * API bearer tokens: 256 random bits from {@link SecureRandom}, handed out once as unpadded
 * base64url (43 characters) and stored only as their SHA-256, with an expiry. A token is checked
 * by one indexed lookup of its hash: no Argon2id per request, unlike Basic authentication. Since
 * the token has 256 bits of entropy, a fast hash is enough to make a stolen table useless.
 */
public final class ApiTokens {
    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final int CLEANUP_EVERY = 256;

    /** A newly issued token: the only time its text exists outside the client. */
    public record Issued(String token, Instant expires) {
    }

    private final MetadataStore store;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private int issuedSinceCleanup;

    public ApiTokens(MetadataStore store, Duration lifetime, Clock clock) {
        this.store = store;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public Issued issue(String userId) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant expires = now.plus(lifetime);
        store.addToken(new ApiToken(hash(token), userId, now, expires));
        store.audit(AuditEntry.of(userId, "token", null, "ok", "issued, expires " + expires));
        maybeCleanUp(now);
        return new Issued(token, expires);
    }

    /** The token's user if it is well formed, known, not revoked and not expired. */
    public Optional<String> userOf(String token) {
        if (token == null || !FORM.matcher(token).matches()) {
            return Optional.empty();
        }
        return store.findToken(hash(token), clock.instant()).map(ApiToken::userId);
    }

    /** Revokes the token; true if it was valid. */
    public boolean revoke(String token, String userId) {
        boolean revoked = token != null && FORM.matcher(token).matches() && store.deleteToken(hash(token));
        if (revoked) {
            store.audit(AuditEntry.of(userId, "token", null, "ok", "revoked"));
        }
        return revoked;
    }

    private void maybeCleanUp(Instant now) {
        boolean due;
        synchronized (this) {
            due = ++issuedSinceCleanup >= CLEANUP_EVERY;
            if (due) {
                issuedSinceCleanup = 0;
            }
        }
        if (due) {
            store.deleteExpiredTokens(now);
        }
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
