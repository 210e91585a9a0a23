package org.evault.ida;

import java.io.IOException;
import java.util.List;

/**
 * Fewer than m good slices remained, so the document cannot be rebuilt. Output written before
 * this was thrown is correct but incomplete; every fault that led here is listed.
 */
public final class NotEnoughSlicesException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int have;
    private final int need;
    private final transient List<SliceFault> faults;

    public NotEnoughSlicesException(int have, int need, List<SliceFault> faults) {
        super("need " + need + " good slices, only " + have + " remain"
                + (faults.isEmpty() ? "" : "; " + String.join("; ", faults.stream().map(SliceFault::toString).toList())));
        this.have = have;
        this.need = need;
        this.faults = List.copyOf(faults);
    }

    public int have() {
        return have;
    }

    public int need() {
        return need;
    }

    public List<SliceFault> faults() {
        return faults;
    }
}
