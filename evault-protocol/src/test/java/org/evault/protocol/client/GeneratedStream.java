package org.evault.protocol.client;

import java.io.InputStream;
import java.security.MessageDigest;

import org.evault.ida.Hash256;

/** {@code length} bytes of {@link FakeDaemon#generated}, made as read and hashed on the way. */
final class GeneratedStream extends InputStream {
    private final long length;
    private final MessageDigest sha = Hash256.sha256();
    private long position;

    GeneratedStream(long length) {
        this.length = length;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position == length) {
            return -1;
        }
        int n = (int) Math.min(len, length - position);
        for (int i = 0; i < n; i++) {
            b[off + i] = FakeDaemon.generated(position + i);
        }
        sha.update(b, off, n);
        position += n;
        return n;
    }

    long position() {
        return position;
    }

    byte[] digest() {
        return sha.digest();
    }
}
