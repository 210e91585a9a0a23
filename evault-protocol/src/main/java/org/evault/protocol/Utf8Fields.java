package org.evault.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Checks string fields against their per-field UTF-8 maxima (docs/protocol.md, "Strings"). */
final class Utf8Fields {
    private Utf8Fields() {
    }

    static String check(String value, String field, int minBytes, int maxBytes) {
        Objects.requireNonNull(value, field);
        int n = value.getBytes(StandardCharsets.UTF_8).length;
        if (n < minBytes || n > maxBytes) {
            throw new IllegalArgumentException(field + " must be " + minBytes + " to " + maxBytes
                    + " bytes of UTF-8, not " + n);
        }
        return value;
    }

    /** Cuts free text so that its UTF-8 form fits; never throws (error paths use it). */
    static String truncate(String value, int maxBytes) {
        if (value == null) {
            return "";
        }
        // At most 3 UTF-8 bytes per UTF-16 char, so this many chars always fit.
        int maxChars = maxBytes / 3;
        if (value.length() <= maxChars || value.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return value;
        }
        String cut = value.substring(0, maxChars);
        if (Character.isHighSurrogate(cut.charAt(cut.length() - 1))) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut;
    }
}
