package org.evault.ida.slice;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import org.evault.ida.Dispersal;
import org.evault.ida.Hash256;
import org.evault.ida.Ida;
import org.evault.ida.Reconstruction;

/**
 * Disperses a generated stream of the given size into n slice files and recovers it from the
 * last m files (so the lost data slices must be computed), checking the SHA-256 at both ends.
 * Run in a JVM with a small heap to show that memory does not grow with the document:
 * {@code java -Xmx64m -cp ... org.evault.ida.slice.LargeStreamCheck DIR BYTES}.
 */
public final class LargeStreamCheck {
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        long size = Long.parseLong(args[1]);
        Ida ida = Ida.create(3, 5);
        long t0 = System.nanoTime();
        List<SliceFileWriter> writers = new ArrayList<>();
        List<OutputStream> outs = new ArrayList<>();
        for (int j = 0; j < ida.n(); j++) {
            SliceFileWriter w = SliceFileWriter.create(dir.resolve("big." + j + ".slice.tmp"));
            writers.add(w);
            outs.add(w.data());
        }
        Dispersal d = ida.disperse(new GeneratedStream(size), outs);
        List<Path> files = new ArrayList<>();
        for (int j = 0; j < ida.n(); j++) {
            try (SliceFileWriter w = writers.get(j)) {
                w.finish(new SliceHeader("big", j, ida.matrix(), ida.segmentSize(), d.documentLength(), d.documentHash(),
                        d.fingerprints(), "{}".getBytes(StandardCharsets.UTF_8)), d.segmentHashes().get(j));
                Path target = dir.resolve("big." + j + ".slice");
                w.commit(target);
                files.add(target);
            }
        }
        long t1 = System.nanoTime();
        HashingSink sink = new HashingSink();
        Reconstruction r = SliceFiles.recover(files.subList(ida.n() - ida.m(), ida.n()), sink);
        long t2 = System.nanoTime();
        Hash256 expected = Hash256.of(new GeneratedStream(size).sha256());
        boolean ok = sink.count == size && d.documentHash().equals(expected)
                && Hash256.of(sink.sha.digest()).equals(expected) && r.faults().isEmpty();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("%s bytes=%d disperse=%.1fs recover=%.1fs maxHeap=%dMiB kernel=%s%n", ok ? "ok" : "FAILED",
                size, (t1 - t0) / 1e9, (t2 - t1) / 1e9, rt.maxMemory() >> 20, ida.kernelName());
        for (Path f : files) {
            Files.deleteIfExists(f);
        }
        System.exit(ok ? 0 : 1);
    }

    /** A reproducible pseudo-random stream (xorshift64), produced 8 bytes at a time. */
    static final class GeneratedStream extends InputStream {
        private final long size;
        private long produced;
        private long state = 0x9E3779B97F4A7C15L;

        GeneratedStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (produced >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - produced);
            for (int i = 0; i < n; i++) {
                if (((produced + i) & 7) == 0) {
                    state ^= state << 13;
                    state ^= state >>> 7;
                    state ^= state << 17;
                }
                b[off + i] = (byte) (state >>> (((produced + i) & 7) * 8));
            }
            produced += n;
            return n;
        }

        byte[] sha256() throws IOException {
            MessageDigest sha = Hash256.sha256();
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = read(buffer, 0, buffer.length)) > 0; ) {
                sha.update(buffer, 0, n);
            }
            return sha.digest();
        }
    }

    static final class HashingSink extends OutputStream {
        final MessageDigest sha = Hash256.sha256();
        long count;

        @Override
        public void write(int b) {
            sha.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            sha.update(b, off, len);
            count += len;
        }
    }
}
