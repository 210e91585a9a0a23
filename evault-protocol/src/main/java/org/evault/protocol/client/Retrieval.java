package org.evault.protocol.client;

import java.io.InputStream;

import org.evault.ida.SegmentHashes;
import org.evault.ida.slice.SliceHeader;

/**
 * A slice coming from a daemon: its header and segment hashes (already received) and its bytes
 * as a stream, fed by the connection as the daemon sends them.
 *
 * <h2>Pitfalls</h2>
 * Read {@link #body()} to its end or {@link #close()} the retrieval: an abandoned one holds up
 * to {@code retrieveWindowBytes} of buffers until it times out. Other requests on the connection
 * are not held up by a slow reader: flow control is per retrieval.
 * The body checks nothing: verify segments against {@link #segmentHashes()} as they stream by.
 */
public final class Retrieval implements AutoCloseable {
    private final SliceHeader header;
    private final SegmentHashes segmentHashes;
    private final SliceStream body;

    Retrieval(SliceHeader header, SegmentHashes segmentHashes, SliceStream body) {
        this.header = header;
        this.segmentHashes = segmentHashes;
        this.body = body;
    }

    public SliceHeader header() {
        return header;
    }

    public SegmentHashes segmentHashes() {
        return segmentHashes;
    }

    /**
     * The slice bytes. {@code read} blocks until bytes arrive, returns -1 after the daemon's
     * RetrieveEnd, and throws an IOException (cause: a {@link DaemonException}) when the daemon
     * fails the request, the connection drops or the request times out. Not thread-safe.
     */
    public InputStream body() {
        return body;
    }

    /** Releases what is buffered and, before the end, cancels the request on the daemon. */
    @Override
    public void close() {
        body.close();
    }
}
