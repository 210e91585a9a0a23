package org.evault.ida;

import java.util.List;

/**
 * The outcome of a successful {@link Ida#reconstruct}: the document was written in full and
 * matched every checked hash. {@code faults} lists the slices found bad on the way (logged and
 * counted by callers; the output is exact regardless), {@code slicesUsed} those the last stripe
 * was rebuilt from.
 */
public record Reconstruction(long documentLength, List<SliceFault> faults, List<Integer> slicesUsed) {
    public Reconstruction {
        faults = List.copyOf(faults);
        slicesUsed = List.copyOf(slicesUsed);
    }
}
