package org.evault.system;

import java.io.InputStream;
import java.util.HexFormat;

/**
 * A reproducible document of any length, generated on the fly from a seed (SplitMix64), so that a
 * 1 GiB document is never held in memory: the test sends it as a stream and compares what comes
 * back by its streaming SHA-256.
 */
record SeededDocument(String name, long size, long seed) {
    SeededDocument {
        if (size < 0) {
            throw new IllegalArgumentException("size " + size);
        }
    }

    /** A fresh stream of the document's bytes. */
    InputStream open() {
        return new Generator(size, seed);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static final class Generator extends InputStream {
        private final long size;
        private long state;
        private long position;
        private long word;
        private int wordBytesLeft;

        Generator(long size, long seed) {
            this.size = size;
            this.state = seed;
        }

        private long next() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            if (wordBytesLeft == 0) {
                word = next();
                wordBytesLeft = 8;
            }
            int b = (int) (word & 0xFF);
            word >>>= 8;
            wordBytesLeft--;
            position++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            long left = size - position;
            if (left <= 0) {
                return -1;
            }
            int count = (int) Math.min(len, left);
            int i = 0;
            // Drain a partly used word first, then whole words: the same byte sequence as read().
            while (i < count && wordBytesLeft > 0) {
                b[off + i++] = (byte) word;
                word >>>= 8;
                wordBytesLeft--;
            }
            while (count - i >= 8) {
                long w = next();
                for (int k = 0; k < 8; k++) {
                    b[off + i++] = (byte) w;
                    w >>>= 8;
                }
            }
            if (i < count) {
                word = next();
                wordBytesLeft = 8;
                while (i < count) {
                    b[off + i++] = (byte) word;
                    word >>>= 8;
                    wordBytesLeft--;
                }
            }
            position += count;
            return count;
        }

        @Override
        public long skip(long n) {
            long skipped = 0;
            byte[] scratch = new byte[8192];
            while (skipped < n) {
                int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, size - position);
        }
    }
}
