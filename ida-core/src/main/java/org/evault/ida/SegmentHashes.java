package org.evault.ida;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The SHA-256 hashes of one slice's fixed-size segments, in order: Krawczyk's distributed
 * fingerprint, refined so that a reader can check each segment as it streams by instead of only
 * the whole slice at the end. The slice's fingerprint is {@link #root}: a hash over the slice
 * length, the segment size and this list, so a fingerprint vector that the servers agree on pins
 * every segment of every slice.
 *
 * <p>Immutable; memory is 32 bytes per segment (0.05% of the slice for 64 KiB segments).
 */
public final class SegmentHashes {
    private static final byte[] ROOT_DOMAIN = "e-Vault slice fingerprint v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final byte[] hashes; // count * 32 bytes

    private SegmentHashes(byte[] hashes) {
        this.hashes = hashes;
    }

    /** From the concatenated 32-byte hashes. */
    public static SegmentHashes fromBytes(byte[] concatenated) {
        if (concatenated.length % Hash256.LENGTH != 0) {
            throw new IllegalArgumentException("segment hash list of " + concatenated.length
                    + " bytes is not a whole number of 32-byte hashes");
        }
        return new SegmentHashes(concatenated.clone());
    }

    static SegmentHashes wrap(byte[] concatenated) {
        return new SegmentHashes(concatenated);
    }

    /** Hashes a whole in-memory slice; the streaming encoder does the same segment by segment. */
    public static SegmentHashes ofSlice(byte[] slice, int segmentSize) {
        int count = (slice.length + segmentSize - 1) / segmentSize;
        byte[] all = new byte[count * Hash256.LENGTH];
        MessageDigest sha = Hash256.sha256();
        for (int k = 0; k < count; k++) {
            int from = k * segmentSize;
            sha.update(slice, from, Math.min(segmentSize, slice.length - from));
            System.arraycopy(sha.digest(), 0, all, k * Hash256.LENGTH, Hash256.LENGTH);
        }
        return new SegmentHashes(all);
    }

    public int count() {
        return hashes.length / Hash256.LENGTH;
    }

    public Hash256 get(int segment) {
        return Hash256.of(hashes, segment * Hash256.LENGTH);
    }

    /** Whether {@code digest} (32 bytes) is the hash of segment {@code segment}; constant time. */
    public boolean matches(int segment, byte[] digest) {
        return MessageDigest.isEqual(digest,
                Arrays.copyOfRange(hashes, segment * Hash256.LENGTH, (segment + 1) * Hash256.LENGTH));
    }

    /** The slice fingerprint: SHA-256(domain, slice length, segment size, segment hashes). */
    public Hash256 root(long sliceLength, int segmentSize) {
        MessageDigest sha = Hash256.sha256();
        sha.update(ROOT_DOMAIN);
        sha.update(ByteBuffer.allocate(12).putLong(sliceLength).putInt(segmentSize).array());
        sha.update(hashes);
        return Hash256.wrap(sha.digest());
    }

    public byte[] toBytes() {
        return hashes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentHashes other && Arrays.equals(hashes, other.hashes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hashes);
    }

    @Override
    public String toString() {
        return "SegmentHashes[" + count() + " segments]";
    }
}
