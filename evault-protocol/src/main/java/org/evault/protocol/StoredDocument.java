package org.evault.protocol;

/**
 * One document version a daemon holds, as ListReply reports it. Field maxima as in
 * {@link DepositMetadata}; {@code length} is the document's length (not the slice's).
 */
public record StoredDocument(String documentId, String owner, String name, int version, long length,
        long depositTimeMillis) {
    public StoredDocument {
        Utf8Fields.check(documentId, "documentId", 1, DepositMetadata.MAX_DOCUMENT_ID_BYTES);
        Utf8Fields.check(owner, "owner", 1, DepositMetadata.MAX_OWNER_BYTES);
        Utf8Fields.check(name, "name", 1, DepositMetadata.MAX_NAME_BYTES);
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, not " + version);
        }
        if (length < 0) {
            throw new IllegalArgumentException("length is negative: " + length);
        }
        if (depositTimeMillis < 0) {
            throw new IllegalArgumentException("depositTimeMillis is negative: " + depositTimeMillis);
        }
    }
}
