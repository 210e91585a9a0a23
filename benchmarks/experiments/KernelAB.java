/*
 * A documented harness, not part of the build: two builds of ida-core compared in one JVM, round
 * by round, on IdaBenchmark's workload (64 MiB documents, pieces of one size, encode of the parity
 * pieces, decode of the first min(n - m, m) data pieces). This machine's speed drifts by 30% over
 * seconds, so separate runs cannot show a 10% change; here every round times build A and build B
 * within a fraction of a second, alternating which goes first, and the harness prints the median
 * of the per-round ratios B / A with its quartiles. See docs/performance.md, "Aligned loads".
 *
 * Position bias: with the same build as A and B it printed B / A = 1.09 to 1.13 for encoding and
 * 1.01 to 1.05 for decoding (the second build's arrays and code come later; why they are faster is
 * not known). So run it both ways, A B and B A, and take sqrt(ratio(A B) / ratio(B A)): the bias
 * cancels.
 *
 *   git worktree add /tmp/ida-before <commit> && (cd /tmp/ida-before && mvn -o -q compile -pl ida-core)
 *   mvn -o -q compile -pl ida-core
 *   javac -cp ida-core/target/classes -d /tmp/kernel-ab benchmarks/experiments/KernelAB.java
 *   java --add-modules jdk.incubator.vector -Xms3g -Xmx3g -cp /tmp/kernel-ab KernelAB \
 *       /tmp/ida-before/ida-core/target/classes ida-core/target/classes 10 14 1048576 41
 *
 * Arguments: classes of build A, classes of build B, m, n, bytes per piece, measured rounds (each
 * encodes and decodes 256 MiB of document per build, after three rounds of warm-up).
 */
import java.lang.reflect.Constructor;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntFunction;

import org.evault.ida.DispersalMatrix;
import org.evault.ida.Ida;

public class KernelAB {
    public static void main(String[] a) throws Exception {
        int m = Integer.parseInt(a[2]);
        int n = Integer.parseInt(a[3]);
        int piece = Integer.parseInt(a[4]);
        int rounds = Integer.parseInt(a[5]);
        // Each build gets its own loader, and with it its own copy of this class's Work and of
        // ida-core: the JIT compiles the two apart.
        URL self = KernelAB.class.getProtectionDomain().getCodeSource().getLocation();
        @SuppressWarnings("unchecked")
        IntFunction<double[]>[] builds = new IntFunction[2];
        for (int b = 0; b < 2; b++) {
            ClassLoader loader = new URLClassLoader(new URL[] {Path.of(a[b]).toUri().toURL(), self},
                    ClassLoader.getPlatformClassLoader());
            Constructor<?> c = loader.loadClass("KernelAB$Work").getConstructor(int.class, int.class, int.class);
            builds[b] = (IntFunction<double[]>) c.newInstance(m, n, piece);
        }
        double[][] encode = new double[2][rounds];
        double[][] decode = new double[2][rounds];
        for (int r = -3; r < rounds; r++) {
            for (int turn = 0; turn < 2; turn++) {
                int b = (r & 1) == 0 ? turn : 1 - turn;
                double[] gbps = builds[b].apply(256 << 20);
                if (r >= 0) {
                    encode[b][r] = gbps[0];
                    decode[b][r] = gbps[1];
                }
            }
        }
        System.out.printf("%d,%d pieces of %d: B/A per round, median (quartiles): encode %s, decode %s%n",
                m, n, piece, ratios(encode), ratios(decode));
        for (int b = 0; b < 2; b++) {
            System.out.printf("%s: encode %.2f, decode %.2f GB/s (medians)%n", a[b], median(encode[b]), median(decode[b]));
        }
    }

    private static String ratios(double[][] x) {
        double[] r = new double[x[0].length];
        for (int i = 0; i < r.length; i++) {
            r[i] = x[1][i] / x[0][i];
        }
        Arrays.sort(r);
        return String.format("%.3f (%.3f-%.3f)", r[r.length / 2], r[r.length / 4], r[3 * r.length / 4]);
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** One build's copy of the workload, laid out as IdaBenchmark's. */
    public static final class Work implements IntFunction<double[]> {
        private final Ida ida;
        private final int stripes;
        private final int stripeBytes;
        private final int piece;
        private final byte[] document;
        private final byte[][][] slices;
        private final byte[][][] survivorPieces;
        private final int[] survivors;
        private final byte[][] rebuilt;

        public Work(int m, int n, int piece) {
            this.piece = piece;
            ida = Ida.create(DispersalMatrix.systematicCauchy(m, n), piece);
            stripeBytes = m * piece;
            stripes = Math.max(1, (64 << 20) / stripeBytes);
            document = new byte[stripes * stripeBytes];
            new Random(1).nextBytes(document);
            slices = new byte[stripes][n][];
            for (int s = 0; s < stripes; s++) {
                for (int j = m; j < n; j++) {
                    slices[s][j] = new byte[piece];
                }
                ida.encodeStripe(document, s * stripeBytes, piece, slices[s]);
            }
            int lost = Math.min(n - m, m);
            survivors = new int[m];
            survivorPieces = new byte[stripes][m][];
            for (int k = 0; k < m; k++) {
                survivors[k] = k < m - lost ? lost + k : m + k - (m - lost);
            }
            for (int s = 0; s < stripes; s++) {
                for (int k = 0; k < m; k++) {
                    int j = survivors[k];
                    int at = s * stripeBytes + j * piece;
                    survivorPieces[s][k] = j < m ? Arrays.copyOfRange(document, at, at + piece) : slices[s][j];
                }
            }
            rebuilt = new byte[m][];
            for (int i = 0; i < lost; i++) {
                rebuilt[i] = new byte[piece];
            }
        }

        /** Encodes, then decodes, at least {@code bytes} of document; GB/s of each. */
        @Override
        public double[] apply(int bytes) {
            int passes = Math.max(1, bytes / document.length);
            long t0 = System.nanoTime();
            for (int p = 0; p < passes; p++) {
                for (int s = 0; s < stripes; s++) {
                    ida.encodeStripe(document, s * stripeBytes, piece, slices[s]);
                }
            }
            long t1 = System.nanoTime();
            for (int p = 0; p < passes; p++) {
                for (int s = 0; s < stripes; s++) {
                    ida.decodeStripe(survivors, survivorPieces[s], piece, rebuilt);
                }
            }
            long t2 = System.nanoTime();
            double done = (double) passes * document.length;
            return new double[] {done / (t1 - t0), done / (t2 - t1)};
        }
    }
}
