package org.evault.cli;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

import org.evault.ida.DispersalMatrix;
import org.evault.ida.Ida;
import org.evault.ida.SegmentHashes;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code evault bench ida}: IDA throughput of this node, one thread, in MB/s (10^6 bytes) of
 * document. Prints one line per figure, e.g. {@code encode m=3 n=5 9876.5 MB/s}:
 * <ul>
 * <li>encode: the parity slices of every stripe (data slices are the document's own bytes);</li>
 * <li>decode: the first min(n - m, m) data slices lost and rebuilt from the rest;</li>
 * <li>disperse: what a daemon does per deposit, streaming encode plus SHA-256 of every segment of
 *     every slice and of the document;</li>
 * <li>fingerprint: SHA-256 of 64 KiB segments alone, in MB/s of slice bytes.</li>
 * </ul>
 * Each figure is the median of {@code --runs} timed passes after at least two seconds of warm-up,
 * so that the JIT has compiled the kernels before anything is timed.
 */
@Command(name = "ida", mixinStandardHelpOptions = true,
        description = "Measure IDA encode, decode and fingerprinting on this node (MB/s of document, one thread).")
final class BenchIdaCommand implements Callable<Integer> {
    private static final int[][] DEFAULT_SHAPES = {{2, 3}, {3, 5}, {10, 14}};

    @Option(names = "--m", description = "Slices needed to rebuild (default: the shapes 2/3, 3/5 and 10/14).")
    Integer m;

    @Option(names = "--n", description = "Slices made.")
    Integer n;

    @Option(names = "--size", description = "Document bytes per pass (default: ${DEFAULT-VALUE}).", defaultValue = "67108864")
    long size;

    @Option(names = "--runs", description = "Timed passes per figure; the median is printed (default: ${DEFAULT-VALUE}).",
            defaultValue = "7")
    int runs;

    @Option(names = "--warmup-ms", description = "Minimum warm-up per figure (default: ${DEFAULT-VALUE}).", defaultValue = "2000")
    long warmupMillis;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if ((m == null) != (n == null)) {
            throw new IllegalArgumentException("give both --m and --n, or neither");
        }
        if (size < 1 || size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("--size must be 1 byte to 2 GiB, not " + size);
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1, not " + runs);
        }
        int[][] shapes = m == null ? DEFAULT_SHAPES : new int[][] {{m, n}};
        PrintWriter out = spec.commandLine().getOut();
        for (int[] shape : shapes) {
            Ida ida = Ida.create(DispersalMatrix.systematicCauchy(shape[0], shape[1]), Ida.DEFAULT_SEGMENT_SIZE);
            Workload w = new Workload(ida, (int) size);
            String label = " m=" + shape[0] + " n=" + shape[1];
            print(out, "encode" + label, w.documentBytes(), w::encode);
            print(out, "decode" + label, w.documentBytes(), w::decode);
            print(out, "disperse" + label, w.documentBytes(), w::disperse);
        }
        byte[] slice = new byte[(int) size];
        new Random(2).nextBytes(slice);
        print(out, "fingerprint", slice.length, () -> SegmentHashes.ofSlice(slice, Ida.DEFAULT_SEGMENT_SIZE));
        out.println("# kernel " + Ida.create(2, 3).kernelName() + ", " + Runtime.version() + ", "
                + Runtime.getRuntime().availableProcessors() + " cpus");
        out.flush();
        return 0;
    }

    private void print(PrintWriter out, String what, long bytes, Pass pass) {
        try {
            long start = System.nanoTime();
            while (System.nanoTime() - start < warmupMillis * 1_000_000L) {
                pass.run();
            }
            double[] rates = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                pass.run();
                rates[i] = bytes / ((System.nanoTime() - t0) / 1e9) / 1e6;
            }
            Arrays.sort(rates);
            out.printf("%s %.1f MB/s%n", what, rates[runs / 2]);
            out.flush();
        } catch (Exception e) {
            throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
        }
    }

    private interface Pass {
        void run() throws Exception;
    }

    /** One document in memory and the buffers to encode and decode it stripe by stripe. */
    private static final class Workload {
        private final Ida ida;
        private final byte[] document;
        private final int stripeBytes;
        private final int stripes;
        private final byte[][][] slices;
        private final int[] survivors;
        private final byte[][] rebuilt;

        Workload(Ida ida, int size) {
            this.ida = ida;
            int piece = ida.segmentSize();
            stripeBytes = ida.m() * piece;
            stripes = Math.max(1, size / stripeBytes);
            document = new byte[stripes * stripeBytes];
            new Random(1).nextBytes(document);
            slices = new byte[stripes][ida.n()][];
            for (int s = 0; s < stripes; s++) {
                for (int j = 0; j < ida.n(); j++) {
                    // A data slice is the caller's own piece of the document; encode leaves it alone.
                    slices[s][j] = ida.matrix().unitRow(j) >= 0
                            ? Arrays.copyOfRange(document, s * stripeBytes + j * piece, s * stripeBytes + (j + 1) * piece)
                            : new byte[piece];
                }
                encodeStripe(s);
            }
            int lost = Math.min(ida.n() - ida.m(), ida.m());
            List<Integer> alive = new ArrayList<>();
            for (int j = lost; j < ida.n() && alive.size() < ida.m(); j++) {
                alive.add(j);
            }
            survivors = alive.stream().mapToInt(Integer::intValue).toArray();
            rebuilt = new byte[ida.m()][];
            for (int i = 0; i < lost; i++) {
                rebuilt[i] = new byte[piece];
            }
        }

        long documentBytes() {
            return document.length;
        }

        private void encodeStripe(int s) {
            byte[][] out = slices[s].clone();
            for (int j = 0; j < out.length; j++) {
                if (ida.matrix().unitRow(j) >= 0) {
                    out[j] = null;
                }
            }
            ida.encodeStripe(document, s * stripeBytes, ida.segmentSize(), out);
        }

        void encode() {
            for (int s = 0; s < stripes; s++) {
                encodeStripe(s);
            }
        }

        void decode() {
            byte[][] pieces = new byte[survivors.length][];
            for (int s = 0; s < stripes; s++) {
                for (int k = 0; k < survivors.length; k++) {
                    pieces[k] = slices[s][survivors[k]];
                }
                ida.decodeStripe(survivors, pieces, ida.segmentSize(), rebuilt);
            }
        }

        void disperse() throws java.io.IOException {
            ida.disperse(new ByteArrayInputStream(document), Arrays.asList(new OutputStream[ida.n()]));
        }
    }
}
