package org.evault.ida;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.evault.ida.internal.GfKernel;
import org.evault.ida.internal.Kernels;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * IDA encode and decode, one thread, over a 64 MiB document cut into 64 KiB segments; the
 * document is twice the L3 of this machine, so the data does not stay cache-hot.
 *
 * <ul>
 * <li>{@code encode}: the n - m parity pieces of every stripe, each to its own place (data slices
 *     are the document's own bytes and cost nothing), as ISA-L's enc_sys.</li>
 * <li>{@code decode}: the first min(n - m, m) data slices are lost; they are rebuilt from the
 *     remaining data slices and the first parity slices, as ISA-L's dec_sys.</li>
 * </ul>
 * Each call handles the whole document; the {@code documentBytes} counter gives bytes of document
 * per second (divide by 1e6 for MB/s). {@code kernel} is "preferred" (the Vector API where the
 * JVM has it) or "scalar" (the pure-Java path).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class IdaBenchmark {
    static final int DOCUMENT_BYTES = 64 << 20;

    @Param({"2:3", "3:5", "10:14"})
    public String shape;

    @Param({"preferred", "scalar"})
    public String kernel;

    /**
     * Bytes per slice per stripe: the product's 64 KiB segments, and the peers' harness's 1 MiB
     * slices (the like-for-like comparison: with 64 KiB pieces every stripe starts new memory
     * streams, and all coders here run 10% to 20% slower from memory).
     */
    @Param({"65536", "1048576"})
    public int segmentSize;

    private Ida ida;
    private byte[] document;
    private int stripes;
    private int stripeBytes;
    private byte[][][] parity;   // [stripe][column] or null for data columns
    private int[] survivors;
    private byte[][][] survivorPieces; // [stripe][k]
    private byte[][] rebuilt;     // [piece], null for pieces that survived

    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Bytes {
        public long documentBytes;

        @Setup(Level.Iteration)
        public void clear() {
            documentBytes = 0;
        }
    }

    @Setup
    public void setUp() {
        String[] mn = shape.split(":");
        int m = Integer.parseInt(mn[0]);
        int n = Integer.parseInt(mn[1]);
        GfKernel k = "scalar".equals(kernel) ? Kernels.scalar() : Kernels.preferred();
        ida = Ida.create(DispersalMatrix.systematicCauchy(m, n), segmentSize, k);
        stripeBytes = m * segmentSize;
        stripes = DOCUMENT_BYTES / stripeBytes;
        document = new byte[stripes * stripeBytes];
        new Random(0xabadc0cac01aL).nextBytes(document);
        parity = new byte[stripes][n][];
        for (int s = 0; s < stripes; s++) {
            for (int j = m; j < n; j++) {
                parity[s][j] = new byte[segmentSize];
            }
            ida.encodeStripe(document, s * stripeBytes, segmentSize, parity[s]);
        }
        int lost = Math.min(n - m, m);
        survivors = new int[m];
        for (int k2 = 0; k2 < m; k2++) {
            survivors[k2] = k2 < m - lost ? lost + k2 : m + k2 - (m - lost);
        }
        survivorPieces = new byte[stripes][m][];
        for (int s = 0; s < stripes; s++) {
            for (int k2 = 0; k2 < m; k2++) {
                int j = survivors[k2];
                survivorPieces[s][k2] = j < m
                        ? java.util.Arrays.copyOfRange(document, s * stripeBytes + j * segmentSize, s * stripeBytes + (j + 1) * segmentSize)
                        : parity[s][j];
            }
        }
        rebuilt = new byte[m][];
        for (int i = 0; i < lost; i++) {
            rebuilt[i] = new byte[segmentSize];
        }
        // Check once that the configuration decodes right before measuring it.
        ida.decodeStripe(survivors, survivorPieces[stripes - 1], segmentSize, rebuilt);
        for (int i = 0; i < lost; i++) {
            int from = (stripes - 1) * stripeBytes + i * segmentSize;
            if (!java.util.Arrays.equals(rebuilt[i], 0, segmentSize, document, from, from + segmentSize)) {
                throw new IllegalStateException("decode is wrong for " + shape + " with kernel " + ida.kernelName());
            }
        }
    }

    @Benchmark
    public byte[][][] encode(Bytes bytes) {
        for (int s = 0; s < stripes; s++) {
            ida.encodeStripe(document, s * stripeBytes, segmentSize, parity[s]);
        }
        bytes.documentBytes += (long) stripes * stripeBytes;
        return parity;
    }

    @Benchmark
    public byte[][] decode(Bytes bytes) {
        for (int s = 0; s < stripes; s++) {
            ida.decodeStripe(survivors, survivorPieces[s], segmentSize, rebuilt);
        }
        bytes.documentBytes += (long) stripes * stripeBytes;
        return rebuilt;
    }
}
