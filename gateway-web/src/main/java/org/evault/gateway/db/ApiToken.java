package org.evault.gateway.db;

import java.time.Instant;
import java.util.Objects;

/**
 * An API bearer token as the database keeps it: never the token itself, only its SHA-256, so a
 * copy of the database does not let anyone act as the users.
 *
 * @param hash    64 lower-case hex digits: SHA-256 of the token's ASCII text
 * @param expires the token is refused from this instant on
 */
public record ApiToken(String hash, String userId, Instant created, Instant expires) {
    public ApiToken {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(expires, "expires");
        if (!hash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a token hash is 64 lower-case hex digits");
        }
    }
}
