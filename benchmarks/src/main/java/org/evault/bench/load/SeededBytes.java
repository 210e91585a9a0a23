package org.evault.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Test documents as a pure function of (seed, position): byte p is byte p mod 8 of
 * SplitMix64(seed, p / 8), little-endian. Any range can be produced or checked without the rest,
 * so documents of any size stream from a seed and retrieved bytes are checked as they arrive;
 * nothing is ever held whole in memory.
 */
final class SeededBytes {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private SeededBytes() {
    }

    static long word(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Writes bytes {@code [position, position + len)} of document {@code seed} into {@code b[off..]}. */
    static void fill(long seed, long position, byte[] b, int off, int len) {
        int i = 0;
        while (i < len && ((position + i) & 7) != 0) {
            b[off + i] = byteAt(seed, position + i);
            i++;
        }
        for (; i + 8 <= len; i += 8) {
            LONGS.set(b, off + i, word(seed, (position + i) >>> 3));
        }
        for (; i < len; i++) {
            b[off + i] = byteAt(seed, position + i);
        }
    }

    static byte byteAt(long seed, long position) {
        return (byte) (word(seed, position >>> 3) >>> ((position & 7) * 8));
    }

    /** The whole document, for small sizes only. */
    static byte[] document(long seed, int length) {
        byte[] b = new byte[length];
        fill(seed, 0, b, 0, length);
        return b;
    }

    /** The document as a stream of {@code length} bytes. */
    static InputStream stream(long seed, long length) {
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                if (position >= length) {
                    return -1;
                }
                return byteAt(seed, position++) & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= length) {
                    return -1;
                }
                int n = (int) Math.min(len, length - position);
                fill(seed, position, b, off, n);
                position += n;
                return n;
            }
        };
    }

    /**
     * Reads {@code in} to its end, checking every byte against document {@code seed}.
     *
     * @return the number of bytes read
     * @throws IOException at the first wrong byte or if the stream is longer than {@code length}
     */
    static long check(long seed, long length, InputStream in) throws IOException {
        byte[] got = new byte[64 * 1024];
        byte[] want = new byte[got.length];
        long position = 0;
        int n;
        while ((n = in.read(got)) > 0) {
            if (position + n > length) {
                throw new IOException("document longer than " + length + " bytes");
            }
            fill(seed, position, want, 0, n);
            int at = Arrays.mismatch(got, 0, n, want, 0, n);
            if (at >= 0) {
                throw new IOException("wrong byte at " + (position + at));
            }
            position += n;
        }
        return position;
    }
}
