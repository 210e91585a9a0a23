package org.evault.gateway.db;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the audit log (the paper's "transactions"): who did what to which document, and
 * how it ended. Never holds passwords, keys or document bytes.
 *
 * @param id         assigned by the store (0 before it is recorded)
 * @param userId     the acting account, or null (e.g. a failed login for an unknown id)
 * @param documentId null when no document is involved
 * @param outcome    e.g. "ok", "failed", "denied"
 */
public record AuditEntry(long id, Instant time, String userId, String action, String documentId, String outcome,
        String detail) {
    public static final int MAX_DETAIL_CHARS = 1000;

    public AuditEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        if (detail != null && detail.length() > MAX_DETAIL_CHARS) {
            detail = detail.substring(0, MAX_DETAIL_CHARS);
        }
    }

    public static AuditEntry of(String userId, String action, String documentId, String outcome, String detail) {
        return new AuditEntry(0, Instant.now(), userId, action, documentId, outcome, detail);
    }
}
