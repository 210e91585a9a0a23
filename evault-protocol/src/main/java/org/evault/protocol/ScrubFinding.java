package org.evault.protocol;

/**
 * One problem a scrub found.
 *
 * @param segment 0-based segment of the slice that failed its hash, or -1 when the problem is the
 *                whole file (unreadable header, missing file, wrong length)
 * @param problem human-readable, at most {@link #MAX_PROBLEM_BYTES} bytes of UTF-8 (longer text is cut)
 */
public record ScrubFinding(String documentId, int segment, String problem) {
    public static final int MAX_PROBLEM_BYTES = 1024;

    public ScrubFinding {
        Utf8Fields.check(documentId, "documentId", 1, DepositMetadata.MAX_DOCUMENT_ID_BYTES);
        if (segment < -1) {
            throw new IllegalArgumentException("segment must be -1 (whole file) or a segment index, not " + segment);
        }
        problem = Utf8Fields.truncate(problem, MAX_PROBLEM_BYTES);
    }
}
