package org.evault.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.evault.gateway.db.AuditEntry;
import org.evault.gateway.db.DocumentRecord;
import org.evault.gateway.db.MetadataStore;
import org.evault.protocol.DepositMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deposits, look-ups and retrievals of one user's documents, shared by the JSON API and the HTML
 * pages so that both follow one set of rules: names are checked the same way, every look-up is
 * under the caller's own account (another user's document is simply not found), a failed deposit
 * leaves no record, and every outcome is audited.
 */
public final class Documents {
    private static final Logger LOG = LoggerFactory.getLogger(Documents.class);
    public static final int MAX_NAME_CHARS = 255;

    /** A recorded deposit: the verified receipt and the document's index entry. */
    public record Deposited(Receipt receipt, DocumentRecord record) {
    }

    private final VaultClient vault;
    private final MetadataStore store;

    public Documents(VaultClient vault, MetadataStore store) {
        this.vault = vault;
        this.store = store;
    }

    public long maxDocumentBytes() {
        return vault.config().maxDocumentBytes();
    }

    /**
     * Checks a document name: 1 to 255 characters, no path separators, not {@code .} or
     * {@code ..}, no control characters, no broken surrogate pairs.
     */
    public static String checkName(String raw) throws RequestRefused {
        if (raw == null || raw.isEmpty() || raw.length() > MAX_NAME_CHARS) {
            throw RequestRefused.badRequest("a document name has 1 to " + MAX_NAME_CHARS + " characters");
        }
        if (raw.equals(".") || raw.equals("..") || raw.indexOf('/') >= 0 || raw.indexOf('\\') >= 0) {
            throw RequestRefused.badRequest("a document name must not contain path separators or be . or ..");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isISOControl(c) || (Character.isSurrogate(c) && !validSurrogate(raw, i))) {
                throw RequestRefused.badRequest("a document name must not contain control characters");
            }
        }
        return raw;
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** Refuses a declared length over the limit before anything is read or reserved. */
    public void checkDeclaredLength(String user, long declared) throws RequestRefused {
        long limit = maxDocumentBytes();
        if (declared > limit) {
            store.audit(AuditEntry.of(user, "deposit", null, "denied", "too large: " + declared + " bytes"));
            throw tooLarge("the document is larger than the limit of " + limit + " bytes");
        }
    }

    private static RequestRefused tooLarge(String message) {
        return new RequestRefused(413, "too_large", message);
    }

    /**
     * Streams {@code body} to the daemons as the next version of {@code name} and records it once
     * the receipt verified. Any failure (too large, a daemon missing, a broken upload, which
     * includes a malformed form upload) abandons the reservation: nothing is recorded.
     *
     * @param declared the document's length if known, else -1
     * @throws RequestRefused 413 {@code too_large}, 503 {@code deposit_failed}, 400 {@code upload_incomplete}
     */
    public Deposited deposit(String user, String name, long declared, InputStream body) throws RequestRefused {
        checkDeclaredLength(user, declared);
        String documentId = UUID.randomUUID().toString();
        Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        DocumentRecord reserved = store.reserve(documentId, user, name, time);
        DepositMetadata meta = new DepositMetadata(documentId, user, name, reserved.version(), time.toEpochMilli(),
                declared >= 0 ? declared : DepositMetadata.UNKNOWN_LENGTH);
        Receipt receipt;
        try {
            receipt = vault.deposit(meta, body);
        } catch (DocumentTooLargeException e) {
            fail(user, documentId, e.getMessage());
            throw tooLarge(e.getMessage());
        } catch (DepositFailedException e) {
            fail(user, documentId, e.getMessage());
            LOG.warn("deposit {} by {} failed: {}", documentId, user, e.getMessage());
            throw new RequestRefused(503, "deposit_failed", "the deposit failed and nothing was stored: "
                    + e.getMessage());
        } catch (IOException e) {
            fail(user, documentId, "upload broken: " + e.getMessage());
            LOG.info("deposit {} by {}: the upload broke off: {}", documentId, user, e.getMessage());
            throw new RequestRefused(400, "upload_incomplete", "the upload was incomplete"
                    + (e instanceof UploadRejected ? " (" + e.getMessage() + ")" : "") + "; nothing was stored");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(user, documentId, "interrupted");
            throw new RequestRefused(503, "deposit_failed", "the gateway is shutting down; nothing was stored");
        } catch (RuntimeException e) {
            fail(user, documentId, "internal error");
            throw e;
        }
        DocumentRecord stored = store.complete(documentId, receipt);
        store.audit(AuditEntry.of(user, "deposit", documentId, "ok", name + " v" + stored.version() + ", "
                + stored.size() + " bytes"));
        return new Deposited(receipt, stored);
    }

    /**
     * An upload whose bytes arrived but whose framing is wrong (e.g. a malformed multipart body):
     * its message is safe to show to the client.
     */
    public static class UploadRejected extends IOException {
        private static final long serialVersionUID = 1L;

        public UploadRejected(String message) {
            super(message);
        }
    }

    private void fail(String user, String documentId, String why) {
        store.abandon(documentId);
        store.audit(AuditEntry.of(user, "deposit", documentId, "failed", why));
    }

    /** The user's own stored document (the given version, or the latest); 404 otherwise, audited. */
    public DocumentRecord find(String user, String name, Integer version, String action) throws RequestRefused {
        Optional<DocumentRecord> d = store.findDocument(user, name, version);
        if (d.isEmpty()) {
            store.audit(AuditEntry.of(user, action, null, "denied", "not found: " + name
                    + (version == null ? "" : " v" + version)));
            throw RequestRefused.notFound();
        }
        return d.get();
    }

    public Receipt receipt(DocumentRecord d) throws RequestRefused {
        return store.findReceipt(d.documentId()).orElseThrow(RequestRefused::notFound);
    }

    /**
     * Streams the document into {@code out}, checked against its receipt. On failure bytes may
     * have been written already: the caller must then break off its answer, never end it normally.
     *
     * @throws RequestRefused 503 {@code unavailable} when it cannot be rebuilt and checked
     */
    public void retrieve(String user, DocumentRecord d, OutputStream out) throws RequestRefused, IOException {
        Receipt r = receipt(d);
        try {
            vault.retrieve(d.documentId(), r.parsed(), out);
        } catch (RetrievalFailedException e) {
            LOG.warn("retrieve {} for {} failed: {}", d.documentId(), user, e.getMessage());
            store.audit(AuditEntry.of(user, "retrieve", d.documentId(), "failed", e.getMessage()));
            throw new RequestRefused(503, "unavailable", "the document cannot be retrieved right now");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        store.audit(AuditEntry.of(user, "retrieve", d.documentId(), "ok", d.name() + " v" + d.version()));
    }

    /** The receipt as the API's JSON object (contract 3): body, signature, name, version, documentId. */
    public static Map<String, Object> receiptJson(Receipt receipt, DocumentRecord d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("body", Base64.getEncoder().encodeToString(receipt.body()));
        out.put("signature", Base64.getEncoder().encodeToString(receipt.signature()));
        out.put("name", d.name());
        out.put("version", d.version());
        out.put("documentId", d.documentId());
        return out;
    }
}
