package org.evault.daemon.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

import org.evault.ida.SegmentHashes;
import org.evault.ida.slice.SliceFileWriter;
import org.evault.ida.slice.SliceHeader;

/**
 * A slice being deposited: bytes go to {@link #data()} under a temporary name; {@link #commit}
 * makes it durable and visible; {@link #close} without commit throws it away.
 */
public final class PendingSlice implements Closeable {
    private final SliceStore store;
    private final String documentId;
    private final SliceFileWriter writer;
    private boolean done;

    PendingSlice(SliceStore store, String documentId, SliceFileWriter writer) {
        this.store = store;
        this.documentId = documentId;
        this.writer = writer;
    }

    public OutputStream data() {
        return writer.data();
    }

    /** Finishes the file (hashes, header, footer, fsync) and renames it into place (and fsyncs the folder). */
    public void commit(SliceHeader header, SegmentHashes hashes) throws IOException {
        if (!header.documentId().equals(documentId)) {
            throw new IllegalArgumentException("header names document " + header.documentId() + ", not " + documentId);
        }
        writer.finish(header, hashes);
        store.committed(documentId, writer, header);
        done = true;
    }

    @Override
    public void close() throws IOException {
        try {
            writer.close();
        } finally {
            if (!done) {
                store.abandoned(documentId);
            }
        }
    }
}
