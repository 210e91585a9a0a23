package org.evault.protocol;

/**
 * What the gateway says about a document it deposits. The daemon checks these for sanity (unique
 * id, time within its skew) before it signs a receipt body naming them.
 *
 * @param documentId        the vault's id of this document version, 1 to 1024 bytes of UTF-8
 * @param owner             the owning account, 1 to 256 bytes
 * @param name              the document's name, 1 to 1024 bytes
 * @param version           version of (owner, name), at least 1
 * @param depositTimeMillis the gateway's clock at deposit, ms since the epoch, not negative
 * @param declaredLength    the document's length in bytes, or -1 when the gateway does not know it
 */
public record DepositMetadata(String documentId, String owner, String name, int version, long depositTimeMillis,
        long declaredLength) {
    public static final int MAX_DOCUMENT_ID_BYTES = 1024;
    public static final int MAX_OWNER_BYTES = 256;
    public static final int MAX_NAME_BYTES = 1024;
    public static final long UNKNOWN_LENGTH = -1;

    public DepositMetadata {
        Utf8Fields.check(documentId, "documentId", 1, MAX_DOCUMENT_ID_BYTES);
        Utf8Fields.check(owner, "owner", 1, MAX_OWNER_BYTES);
        Utf8Fields.check(name, "name", 1, MAX_NAME_BYTES);
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, not " + version);
        }
        if (depositTimeMillis < 0) {
            throw new IllegalArgumentException("depositTimeMillis is negative: " + depositTimeMillis);
        }
        if (declaredLength < UNKNOWN_LENGTH) {
            throw new IllegalArgumentException("declaredLength must be -1 (unknown) or a length, not " + declaredLength);
        }
    }
}
