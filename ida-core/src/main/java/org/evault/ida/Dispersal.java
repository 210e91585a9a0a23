package org.evault.ida;

import java.util.List;

/**
 * What dispersing one document produced: its length and SHA-256, the fingerprint vector of all n
 * slices, and each slice's segment hashes (which a slice file stores after the slice bytes).
 */
public record Dispersal(long documentLength, Hash256 documentHash, FingerprintVector fingerprints,
        List<SegmentHashes> segmentHashes) {
    public Dispersal {
        segmentHashes = List.copyOf(segmentHashes);
        if (segmentHashes.size() != fingerprints.size()) {
            throw new IllegalArgumentException(segmentHashes.size() + " segment hash lists for "
                    + fingerprints.size() + " fingerprints");
        }
    }
}
