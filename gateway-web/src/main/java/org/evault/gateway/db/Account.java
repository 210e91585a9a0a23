package org.evault.gateway.db;

import java.time.Instant;
import java.util.Objects;

/**
 * A registered client, as in the paper: name, address, phone, email, user id, and the password's
 * Argon2id hash (an encoded string, never the password). {@link #toString()} leaves the hash out.
 */
public record Account(String userId, String name, String address, String phone, String email, String passwordHash,
        Instant created) {
    public Account {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(phone, "phone");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(created, "created");
    }

    @Override
    public String toString() {
        return "Account[" + userId + "]";
    }
}
