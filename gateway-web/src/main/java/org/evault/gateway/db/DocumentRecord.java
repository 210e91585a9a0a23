package org.evault.gateway.db;

import java.time.Instant;
import java.util.Objects;

/**
 * One version of one document in the gateway's index.
 *
 * @param state   PENDING from reservation until the receipt is recorded, then STORED
 * @param size    bytes, or -1 while pending
 * @param sha256  64 lower-case hex digits, or null while pending
 */
public record DocumentRecord(String documentId, String owner, String name, int version, State state, long size,
        String sha256, Instant depositTime) {
    public enum State { PENDING, STORED }

    public DocumentRecord {
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(depositTime, "depositTime");
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, not " + version);
        }
    }
}
