package org.evault.ida.slice;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import org.evault.ida.DispersalMatrix;
import org.evault.ida.FingerprintVector;
import org.evault.ida.Hash256;

/**
 * What a slice file says about itself: enough, with m - 1 other slice files of the same
 * document, to rebuild it with no gateway and no database.
 *
 * @param documentId   the vault's id of this document version (1 to 1024 bytes of UTF-8)
 * @param sliceIndex   0-based column of the dispersal matrix that this slice is
 * @param receiptBody  the canonical receipt body the daemon signed for this deposit (may be empty)
 */
public record SliceHeader(String documentId, int sliceIndex, DispersalMatrix matrix, int segmentSize,
        long documentLength, Hash256 documentHash, FingerprintVector fingerprints, byte[] receiptBody) {
    public static final int MAX_DOCUMENT_ID_BYTES = 1024;
    public static final int MAX_RECEIPT_BODY_BYTES = 1 << 20;

    public SliceHeader {
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(matrix, "matrix");
        Objects.requireNonNull(documentHash, "documentHash");
        Objects.requireNonNull(fingerprints, "fingerprints");
        int idBytes = documentId.getBytes(StandardCharsets.UTF_8).length;
        if (idBytes < 1 || idBytes > MAX_DOCUMENT_ID_BYTES) {
            throw new IllegalArgumentException("document id must be 1 to " + MAX_DOCUMENT_ID_BYTES
                    + " bytes of UTF-8, not " + idBytes);
        }
        if (sliceIndex < 0 || sliceIndex >= matrix.n()) {
            throw new IllegalArgumentException("slice index " + sliceIndex + " is outside 0.." + (matrix.n() - 1));
        }
        if (segmentSize < 1) {
            throw new IllegalArgumentException("segment size must be positive, not " + segmentSize);
        }
        if (documentLength < 0) {
            throw new IllegalArgumentException("document length is negative: " + documentLength);
        }
        if (fingerprints.size() != matrix.n()) {
            throw new IllegalArgumentException(fingerprints.size() + " fingerprints for n = " + matrix.n() + " slices");
        }
        receiptBody = receiptBody == null ? new byte[0] : receiptBody.clone();
        if (receiptBody.length > MAX_RECEIPT_BODY_BYTES) {
            throw new IllegalArgumentException("receipt body of " + receiptBody.length + " bytes is over the limit of "
                    + MAX_RECEIPT_BODY_BYTES);
        }
    }

    /** The header block exactly as a slice file stores it (docs/formats.md), e.g. to send it over the wire. */
    public byte[] toBytes() {
        return SliceFormat.encodeHeader(this);
    }

    /**
     * Parses a header block written by {@link #toBytes()}.
     *
     * @throws IllegalArgumentException naming the field that is short, out of range or inconsistent
     */
    public static SliceHeader fromBytes(byte[] block) {
        if (block.length > SliceFormat.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("header block of " + block.length + " bytes is over the limit of "
                    + SliceFormat.MAX_HEADER_BYTES);
        }
        return SliceFormat.decodeHeader(block);
    }

    @Override
    public byte[] receiptBody() {
        return receiptBody.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SliceHeader h && documentId.equals(h.documentId) && sliceIndex == h.sliceIndex
                && matrix.equals(h.matrix) && segmentSize == h.segmentSize && documentLength == h.documentLength
                && documentHash.equals(h.documentHash) && fingerprints.equals(h.fingerprints)
                && Arrays.equals(receiptBody, h.receiptBody);
    }

    @Override
    public int hashCode() {
        return Objects.hash(documentId, sliceIndex, matrix, segmentSize, documentLength, documentHash, fingerprints)
                * 31 + Arrays.hashCode(receiptBody);
    }

    @Override
    public String toString() {
        return "SliceHeader[document " + documentId + ", slice " + sliceIndex + " of " + matrix.n() + ", m = "
                + matrix.m() + ", " + documentLength + " bytes, sha256 " + documentHash.hex() + "]";
    }
}
