package org.evault.protocol;

/**
 * The bounds both sides enforce on what they receive (and check before they send). Every length
 * field on the wire is checked against one of these before any byte is buffered for it.
 *
 * @param maxFrameLength     largest value of a frame's u32 length field: type + flags + request id
 *                           + payload (default 4 MiB, enough for a RetrieveHeader with
 *                           {@code maxSegmentHashes} hashes and a 1 MiB receipt body)
 * @param maxChunkBytes      largest DepositChunk/RetrieveChunk payload (default 1 MiB)
 * @param maxListEntries     most documents in one ListReply or findings in one ScrubReply (default 1000)
 * @param maxSegmentHashes   most segment hashes in one RetrieveHeader (default 65536: a 4 GiB slice
 *                           at 64 KiB segments)
 * @param maxOpenRequests    most requests a server keeps open per connection; more get BUSY (default 1024)
 * @param helloTimeoutMillis how long a side waits for the peer's Hello before it closes (default 10 s)
 */
public record ProtocolLimits(int maxFrameLength, int maxChunkBytes, int maxListEntries, int maxSegmentHashes,
        int maxOpenRequests, long helloTimeoutMillis) {
    public static final int MAX_FRAME_LENGTH_DEFAULT = 4 << 20;
    public static final int MAX_CHUNK_BYTES_DEFAULT = 1 << 20;
    public static final int MAX_LIST_ENTRIES_DEFAULT = 1000;
    public static final int MAX_SEGMENT_HASHES_DEFAULT = 65536;
    public static final int MAX_OPEN_REQUESTS_DEFAULT = 1024;
    public static final long HELLO_TIMEOUT_MILLIS_DEFAULT = 10_000;

    /** The smallest legal frame length: type (1) + flags (1) + request id (4), empty payload. */
    public static final int FRAME_HEADER_AFTER_LENGTH = 6;

    public ProtocolLimits {
        if (maxChunkBytes < 1) {
            throw new IllegalArgumentException("maxChunkBytes must be positive: " + maxChunkBytes);
        }
        if (maxFrameLength < 64 * 1024 || maxFrameLength < maxChunkBytes + FRAME_HEADER_AFTER_LENGTH) {
            throw new IllegalArgumentException("maxFrameLength must be at least 64 KiB and at least maxChunkBytes + "
                    + FRAME_HEADER_AFTER_LENGTH + ", not " + maxFrameLength);
        }
        if (maxListEntries < 1) {
            throw new IllegalArgumentException("maxListEntries must be positive: " + maxListEntries);
        }
        if (maxSegmentHashes < 1) {
            throw new IllegalArgumentException("maxSegmentHashes must be positive: " + maxSegmentHashes);
        }
        if (maxOpenRequests < 1) {
            throw new IllegalArgumentException("maxOpenRequests must be positive: " + maxOpenRequests);
        }
        if (helloTimeoutMillis < 1) {
            throw new IllegalArgumentException("helloTimeoutMillis must be positive: " + helloTimeoutMillis);
        }
    }

    public static ProtocolLimits defaults() {
        return new ProtocolLimits(MAX_FRAME_LENGTH_DEFAULT, MAX_CHUNK_BYTES_DEFAULT, MAX_LIST_ENTRIES_DEFAULT,
                MAX_SEGMENT_HASHES_DEFAULT, MAX_OPEN_REQUESTS_DEFAULT, HELLO_TIMEOUT_MILLIS_DEFAULT);
    }

    public ProtocolLimits withMaxFrameLength(int value) {
        return new ProtocolLimits(value, maxChunkBytes, maxListEntries, maxSegmentHashes, maxOpenRequests,
                helloTimeoutMillis);
    }

    public ProtocolLimits withMaxChunkBytes(int value) {
        return new ProtocolLimits(maxFrameLength, value, maxListEntries, maxSegmentHashes, maxOpenRequests,
                helloTimeoutMillis);
    }

    public ProtocolLimits withMaxOpenRequests(int value) {
        return new ProtocolLimits(maxFrameLength, maxChunkBytes, maxListEntries, maxSegmentHashes, value,
                helloTimeoutMillis);
    }

    public ProtocolLimits withHelloTimeoutMillis(long value) {
        return new ProtocolLimits(maxFrameLength, maxChunkBytes, maxListEntries, maxSegmentHashes, maxOpenRequests,
                value);
    }
}
