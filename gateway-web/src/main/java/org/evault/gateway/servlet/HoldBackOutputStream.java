package org.evault.gateway.servlet;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes writes on one call late: the latest write is held back until the next one, or until
 * {@link #release()}. A retrieval streams into it and releases only after the document hash has
 * checked, so a client never receives the complete, correctly sized body of a document that
 * failed its final check. Holds at most one write's bytes (a decoded stripe).
 */
final class HoldBackOutputStream extends OutputStream {
    private final OutputStream out;
    private byte[] held = new byte[0];
    private int heldLength;

    HoldBackOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (heldLength > 0) {
            out.write(held, 0, heldLength);
        }
        if (held.length < len) {
            held = new byte[len];
        }
        System.arraycopy(b, off, held, 0, len);
        heldLength = len;
    }

    /** Passes on what is held; call once the output is known to be good. */
    void release() throws IOException {
        if (heldLength > 0) {
            out.write(held, 0, heldLength);
            heldLength = 0;
        }
    }

    @Override
    public void flush() {
        // Deliberately nothing: flushing must not pass on the held bytes.
    }
}
