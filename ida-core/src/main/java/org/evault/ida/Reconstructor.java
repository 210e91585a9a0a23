package org.evault.ida;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One run of {@link Ida#reconstruct}: stripe by stripe, read segment k of m slices, check each
 * against its hash, swap in a spare slice at the first fault, decode and write. Memory is m + a
 * few segment buffers.
 */
final class Reconstructor {
    private final Ida ida;
    private final long documentLength;
    private final FingerprintVector fingerprints;
    private final Hash256 documentHash;
    private final OutputStream out;
    private final List<Candidate> candidates = new ArrayList<>();
    private final List<SliceFault> faults = new ArrayList<>();
    private final MessageDigest segmentSha = Hash256.sha256();
    private final byte[] digest = new byte[Hash256.LENGTH];

    Reconstructor(Ida ida, long documentLength, FingerprintVector fingerprints, Hash256 documentHash,
            List<SliceInput> slices, OutputStream out) {
        if (documentLength < 0) {
            throw new IllegalArgumentException("document length is negative: " + documentLength);
        }
        this.ida = ida;
        this.documentLength = documentLength;
        this.fingerprints = fingerprints;
        this.documentHash = documentHash;
        this.out = out;
        boolean[] seen = new boolean[ida.n()];
        for (SliceInput slice : slices) {
            int index = slice.index();
            if (index < 0 || index >= ida.n()) {
                throw new IllegalArgumentException("slice index " + index + " is outside 0.." + (ida.n() - 1));
            }
            if (seen[index]) {
                throw new IllegalArgumentException("slice " + index + " offered twice");
            }
            seen[index] = true;
            candidates.add(new Candidate(slice));
        }
        // Data slices first (they decode by copying), then the rest in index order.
        candidates.sort(Comparator.comparingInt((Candidate c) -> ida.unitRow(c.input.index()) >= 0 ? 0 : 1)
                .thenComparingInt(c -> c.input.index()));
    }

    Reconstruction run() throws IOException {
        int m = ida.m();
        int segmentSize = ida.segmentSize();
        long sliceLength = ida.sliceLength(documentLength);
        long segments = ida.segmentCount(documentLength);
        for (Candidate c : candidates) {
            SegmentHashes hashes = c.input.segmentHashes();
            if (hashes.count() != segments) {
                drop(c, -1, "has " + hashes.count() + " segment hashes, the document needs " + segments);
            } else if (!hashes.root(sliceLength, segmentSize).equals(fingerprints.get(c.input.index()))) {
                drop(c, -1, "segment hash list does not match the slice's fingerprint");
            }
        }
        Candidate[] active = new Candidate[m];
        for (int slot = 0; slot < m; slot++) {
            active[slot] = nextSpare(active);
        }
        // The received segments share one array at offsets 64 apart, so that they all start at the
        // same place in a cache line and the vector kernel can align its loads for every one.
        int stride = (segmentSize + 63) & ~63;
        byte[] received = new byte[m * stride];
        byte[][] buffers = new byte[m][];
        Arrays.fill(buffers, received);
        int[] bufferAt = new int[m];
        for (int slot = 0; slot < m; slot++) {
            bufferAt[slot] = slot * stride;
        }
        // One more than the data pieces: a pair plan has an intermediate row.
        byte[][] computed = new byte[m + 1][segmentSize];
        int[] indexes = new int[m];
        MessageDigest outputSha = documentHash == null ? null : Hash256.sha256();
        long written = 0;
        for (long k = 0; k < segments; k++) {
            long remaining = documentLength - written;
            int piece = remaining >= (long) m * segmentSize ? segmentSize : (int) ((remaining + m - 1) / m);
            for (int slot = 0; slot < m; slot++) {
                while (!readSegment(active[slot], k, received, bufferAt[slot], piece)) {
                    active[slot] = nextSpare(active);
                }
                indexes[slot] = active[slot].input.index();
            }
            Ida.DecodePlan plan = ida.decodePlan(indexes);
            byte[][] pieceOut = new byte[plan.computedPieces().length][];
            for (int r = 0; r < pieceOut.length; r++) {
                pieceOut[r] = computed[r];
            }
            ida.kernel().apply(plan.kernelPlan(), buffers, bufferAt, pieceOut, new int[pieceOut.length], piece);
            for (int i = 0; i < m; i++) {
                int slot = plan.sourceOfPiece()[i];
                byte[] source = slot >= 0 ? received : computed[plan.rowOf(i)];
                int from = slot >= 0 ? bufferAt[slot] : 0;
                int length = (int) Math.min(piece, documentLength - written);
                if (length > 0) {
                    out.write(source, from, length);
                    if (outputSha != null) {
                        outputSha.update(source, from, length);
                    }
                    written += length;
                }
            }
        }
        if (outputSha != null && !documentHash.equals(Hash256.wrap(outputSha.digest()))) {
            // Unreachable unless the fingerprint vector itself was forged by a majority.
            throw new IOException("rebuilt document does not match its SHA-256 " + documentHash.hex()
                    + ": the fingerprint vector is not the one the document was dispersed with");
        }
        List<Integer> used = new ArrayList<>();
        for (Candidate c : active) {
            if (c != null) {
                used.add(c.input.index());
            }
        }
        return new Reconstruction(documentLength, faults, used);
    }

    /** Reads and checks segment k into {@code buffer}; false (and the slice dropped) on any fault. */
    private boolean readSegment(Candidate c, long k, byte[] buffer, int at, int piece) {
        try {
            if (c.position < k) {
                c.input.data().skipNBytes((k - c.position) * ida.segmentSize());
                c.position = k;
            }
            int read = c.input.data().readNBytes(buffer, at, piece);
            c.position = k + 1;
            if (read < piece) {
                drop(c, k, "truncated: " + read + " of " + piece + " bytes");
                return false;
            }
        } catch (EOFException e) {
            drop(c, k, "truncated before this segment");
            return false;
        } catch (IOException e) {
            drop(c, k, "read failed: " + e.getMessage());
            return false;
        }
        segmentSha.update(buffer, at, piece);
        Ida.digestInto(segmentSha, digest);
        if (!c.input.segmentHashes().matches((int) k, digest)) {
            drop(c, k, "hash mismatch (corrupted or out of order)");
            return false;
        }
        return true;
    }

    private Candidate nextSpare(Candidate[] active) throws NotEnoughSlicesException {
        for (Candidate c : candidates) {
            if (!c.dropped && !contains(active, c)) {
                return c;
            }
        }
        long good = candidates.stream().filter(c -> !c.dropped).count();
        throw new NotEnoughSlicesException((int) good, ida.m(), faults);
    }

    private static boolean contains(Candidate[] active, Candidate c) {
        for (Candidate a : active) {
            if (a == c) {
                return true;
            }
        }
        return false;
    }

    private void drop(Candidate c, long segment, String reason) {
        c.dropped = true;
        faults.add(new SliceFault(c.input.index(), (int) segment, reason));
    }

    private static final class Candidate {
        final SliceInput input;
        long position;
        boolean dropped;

        Candidate(SliceInput input) {
            this.input = input;
        }
    }
}
