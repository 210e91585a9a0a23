package org.evault.ida;

/**
 * Why a slice was not used, from some segment on: {@code segment} is 0-based, or -1 when the
 * slice as a whole was refused (its segment hash list does not match its fingerprint); {@code slice}
 * is -1 for input that could not even be identified (an unreadable slice file).
 */
public record SliceFault(int slice, int segment, String reason) {
    @Override
    public String toString() {
        if (slice < 0) {
            return reason;
        }
        return segment < 0 ? "slice " + slice + ": " + reason : "slice " + slice + " segment " + segment + ": " + reason;
    }
}
