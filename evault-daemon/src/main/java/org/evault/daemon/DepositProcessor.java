package org.evault.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import org.evault.daemon.store.PendingSlice;
import org.evault.daemon.store.SliceStore;
import org.evault.ida.Dispersal;
import org.evault.ida.FingerprintVector;
import org.evault.ida.Hash256;
import org.evault.ida.Ida;
import org.evault.ida.slice.SliceHeader;
import org.evault.protocol.DepositMetadata;
import org.evault.protocol.receipt.ReceiptBody;
import org.evault.threshold.PublicParameters;
import org.evault.threshold.SignatureShare;
import org.evault.threshold.ThresholdSigner;

/**
 * One daemon's part of a deposit (paper section 2.2): disperse the incoming document with IDA,
 * keep this daemon's slice, fingerprint all slices, hash the document, build the receipt body
 * from what was received, store the slice durably, and only then sign.
 *
 * <p>The signed bytes are always built here from the received document and checked metadata:
 * there is no way for a caller to have this daemon sign a value of its choosing.
 */
public final class DepositProcessor {
    private final int nodeIndex;
    private final Ida ida;
    private final SliceStore store;
    private final ThresholdSigner signer;
    private final PublicParameters parameters;
    private final Clock clock;
    private final Duration maxClockSkew;
    private final long maxDocumentBytes;

    public DepositProcessor(int nodeIndex, Ida ida, SliceStore store, ThresholdSigner signer, Clock clock,
            Duration maxClockSkew, long maxDocumentBytes) {
        this.nodeIndex = nodeIndex;
        this.ida = ida;
        this.store = store;
        this.signer = signer;
        this.parameters = signer.parameters();
        this.clock = clock;
        this.maxClockSkew = maxClockSkew;
        this.maxDocumentBytes = maxDocumentBytes;
    }

    public PublicParameters parameters() {
        return parameters;
    }

    /** The outcome: the body as signed, what it was computed from, and this daemon's share. */
    public record Result(byte[] receiptBody, FingerprintVector fingerprints, Hash256 documentHash, byte[] partialSignature) {
        public Result {
            receiptBody = receiptBody.clone();
            partialSignature = partialSignature.clone();
        }

        @Override
        public byte[] receiptBody() {
            return receiptBody.clone();
        }

        @Override
        public byte[] partialSignature() {
            return partialSignature.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Result r && Arrays.equals(receiptBody, r.receiptBody) && fingerprints.equals(r.fingerprints)
                    && documentHash.equals(r.documentHash) && Arrays.equals(partialSignature, r.partialSignature);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(receiptBody);
        }
    }

    /**
     * Checks the descriptive fields before any byte is stored.
     *
     * @throws IllegalArgumentException naming the field that is not acceptable
     */
    public void check(DepositMetadata meta) {
        check(meta, false);
    }

    /**
     * {@link #check(DepositMetadata)}, except that a repair (which signs nothing) may carry the
     * original, long past deposit time.
     */
    public void check(DepositMetadata meta, boolean repair) {
        SliceStore.checkDocumentId(meta.documentId());
        if (store.get(meta.documentId()).isPresent()) {
            throw new IllegalArgumentException("document id " + meta.documentId() + " is already stored on this daemon");
        }
        Instant time = Instant.ofEpochMilli(meta.depositTimeMillis());
        Duration skew = Duration.between(clock.instant(), time).abs();
        if (!repair && skew.compareTo(maxClockSkew) > 0) {
            throw new IllegalArgumentException("deposit time " + time + " is " + skew.toSeconds()
                    + " s away from this daemon's clock (at most " + maxClockSkew.toSeconds() + " s allowed)");
        }
        if (meta.declaredLength() > maxDocumentBytes) {
            throw new IllegalArgumentException("document of " + meta.declaredLength() + " bytes is over this daemon's limit of "
                    + maxDocumentBytes);
        }
        // Builds (and so validates) the textual fields exactly as the receipt will carry them.
        new ReceiptBody(parameters.keyId().hex(), meta.owner(), meta.name(), meta.documentId(), meta.version(), 0,
                Hash256.digest(new byte[0]), ida.matrix(), ida.segmentSize(),
                new FingerprintVector(java.util.Collections.nCopies(ida.n(), Hash256.digest(new byte[0]))), time);
    }

    /**
     * Runs the deposit to its end: reads {@code document} to EOF, stores this daemon's slice
     * durably (fsync of file and folder) and returns the signed receipt body.
     *
     * @throws IOException on a storage failure (nothing is kept) or a document over the limit
     */
    public Result deposit(DepositMetadata meta, InputStream document) throws IOException, GeneralSecurityException {
        return store(meta, document, false);
    }

    /**
     * Restores this daemon's slice of a document receipted before (missed while the daemon was
     * down, or lost to damage): the same dispersal and durable commit as a deposit, but nothing is
     * signed, so the result's partial signature is empty. The gateway compares the returned body
     * with the receipt it holds.
     */
    public Result repair(DepositMetadata meta, InputStream document) throws IOException, GeneralSecurityException {
        return store(meta, document, true);
    }

    private Result store(DepositMetadata meta, InputStream document, boolean repair)
            throws IOException, GeneralSecurityException {
        check(meta, repair);
        try (PendingSlice pending = store.create(meta.documentId())) {
            OutputStream[] outputs = new OutputStream[ida.n()];
            outputs[nodeIndex - 1] = pending.data();
            Dispersal d = ida.disperse(new LimitedInputStream(document, maxDocumentBytes), Arrays.asList(outputs));
            if (meta.declaredLength() >= 0 && meta.declaredLength() != d.documentLength()) {
                throw new IOException("document has " + d.documentLength() + " bytes, " + meta.declaredLength()
                        + " were declared: truncated upload, nothing stored");
            }
            ReceiptBody body = new ReceiptBody(parameters.keyId().hex(), meta.owner(), meta.name(), meta.documentId(),
                    meta.version(), d.documentLength(), d.documentHash(), ida.matrix(), ida.segmentSize(), d.fingerprints(),
                    Instant.ofEpochMilli(meta.depositTimeMillis()));
            byte[] bytes = body.toCanonicalBytes();
            pending.commit(new SliceHeader(meta.documentId(), nodeIndex - 1, ida.matrix(), ida.segmentSize(),
                    d.documentLength(), d.documentHash(), d.fingerprints(), bytes), d.segmentHashes().get(nodeIndex - 1));
            if (repair) {
                return new Result(bytes, d.fingerprints(), d.documentHash(), new byte[0]);
            }
            // Durable first, signed second: a receipt never covers a slice that is not on disk.
            // Optimistically without a proof (half the cost of a Shoup share): the gateway asks for
            // it through prove() only when the shares do not combine.
            SignatureShare share = signer.signWithoutProof(bytes);
            return new Result(bytes, d.fingerprints(), d.documentHash(), share.toBytes(parameters));
        }
    }

    /**
     * This daemon's partial signature, with its proof, of the receipt body in its own slice header
     * of {@code documentId}: the body it computed and signed at deposit (or checked at repair),
     * never one a caller supplies. Empty when no such slice is stored.
     */
    public java.util.Optional<byte[]> prove(String documentId) throws IOException, GeneralSecurityException {
        var opened = store.open(documentId);
        if (opened.isEmpty()) {
            return java.util.Optional.empty();
        }
        byte[] body;
        try (var file = opened.get()) {
            body = file.header().receiptBody();
        }
        return java.util.Optional.of(signer.sign(body).toBytes(parameters));
    }

    /** Fails the read (and so the deposit) once more than {@code limit} bytes arrive. */
    private static final class LimitedInputStream extends java.io.FilterInputStream {
        private final long limit;
        private long count;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(long n) throws IOException {
            count += n;
            if (count > limit) {
                throw new IOException("document is over this daemon's limit of " + limit + " bytes; nothing stored");
            }
        }
    }
}
