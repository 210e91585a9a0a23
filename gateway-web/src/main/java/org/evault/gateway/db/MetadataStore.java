package org.evault.gateway.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.evault.gateway.Receipt;

/**
 * The gateway's metadata: accounts, documents and their versions, receipts, API tokens, and the
 * audit log.
 * Kept small and in plain terms so that another database (PostgreSQL, for several gateways) can
 * replace the embedded Derby one ({@link DerbyMetadataStore}).
 *
 * <p>A deposit is recorded in two steps: {@link #reserve} assigns the next version of (owner,
 * name) before anything is sent to the daemons (the receipt names it), and {@link #complete}
 * records the verified receipt; {@link #abandon} drops a reservation whose deposit failed.
 * Only STORED documents are ever returned by the finders and lists.
 *
 * <p>Implementations are thread-safe. Database failures throw {@link MetadataStoreException}.
 */
public interface MetadataStore extends AutoCloseable {
    /** @throws DuplicateUserException if the user id is taken */
    void addAccount(Account account) throws DuplicateUserException;

    Optional<Account> findAccount(String userId);

    /** Assigns the next version of (owner, name) to a new PENDING document. */
    DocumentRecord reserve(String documentId, String owner, String name, Instant depositTime);

    /**
     * Records a document's verified receipt and marks it STORED.
     *
     * @throws IllegalStateException if the document is not PENDING
     */
    DocumentRecord complete(String documentId, Receipt receipt);

    /** Forgets a PENDING reservation (a failed deposit); a STORED document is left alone. */
    void abandon(String documentId);

    /** The owner's STORED document of that name: the given version, or the latest when version is null. */
    Optional<DocumentRecord> findDocument(String owner, String name, Integer version);

    /** All STORED versions of all the owner's documents, by name then version. */
    List<DocumentRecord> listDocuments(String owner);

    Optional<Receipt> findReceipt(String documentId);

    /** Records a newly issued API token (by its hash). */
    void addToken(ApiToken token);

    /** The token with this hash if it is still valid at {@code now} (expired ones are never returned). */
    Optional<ApiToken> findToken(String hash, Instant now);

    /** Revokes (forgets) a token; true if there was one. */
    boolean deleteToken(String hash);

    /** Forgets every token expired at {@code now}; returns how many. */
    int deleteExpiredTokens(Instant now);

    /** Appends to the audit log; returns the entry with its id. */
    AuditEntry audit(AuditEntry entry);

    /** The latest entries (newest first); for one user, or everyone when userId is null. */
    List<AuditEntry> auditLog(String userId, int maxEntries);

    @Override
    void close();
}
