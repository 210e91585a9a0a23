package org.evault.ida;

import java.io.InputStream;
import java.util.Objects;

/**
 * One slice offered to {@link Ida#reconstruct}: its index (0-based column of the dispersal
 * matrix), the segment hashes its holder claims, and its bytes from the start. Nothing here is
 * trusted: the hashes must match the fingerprint vector, and every segment its hash.
 */
public record SliceInput(int index, SegmentHashes segmentHashes, InputStream data) {
    public SliceInput {
        Objects.requireNonNull(segmentHashes, "segmentHashes");
        Objects.requireNonNull(data, "data");
    }
}
