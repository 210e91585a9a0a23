package org.evault.ida.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.evault.ida.DispersalMatrix;
import org.evault.ida.GaloisField;
import org.junit.jupiter.api.Test;

/** Both kernels against the field's own multiply, over random matrices, offsets and lengths. */
class KernelsTest {
    private static final GaloisField FIELD = GaloisField.standard();

    @Test
    void vectorKernel_isAvailableInTheTestJvm() {
        // The surefire JVM runs with --add-modules jdk.incubator.vector: the fast path must load.
        assertThat(Kernels.vectorOrNull()).isNotNull();
        assertThat(Kernels.preferred().name()).startsWith("vector-");
    }

    @Property(tries = 300)
    void kernelsMatchTheDefinition(@ForAll @IntRange(min = 1, max = 9) int rows,
            @ForAll @IntRange(min = 1, max = 12) int inputs,
            @ForAll @IntRange(min = 0, max = 5000) int length,
            @ForAll long seed) {
        Random random = new Random(seed);
        int[][] coef = new int[rows][inputs];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < inputs; i++) {
                // Plenty of 0 and 1, the special cases of both kernels.
                int pick = random.nextInt(4);
                coef[r][i] = pick == 0 ? 0 : pick == 1 ? 1 : random.nextInt(256);
            }
        }
        if (random.nextBoolean()) {
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < inputs; i++) {
                    coef[r][i] = Math.min(coef[r][i], 1); // an all-XOR matrix
                }
            }
        }
        assertKernelsMatchTheDefinition(coef, length, random);
    }

    /**
     * Longer ranges, across the vector kernel's chunks (8192 bytes), for matrices shaped like the
     * systematic Cauchy code and its inverses: a row and a column of ones (the vector kernel's XOR
     * columns and identity-table rows), some zeros, up to nine rows (groups of four, two and one).
     */
    @Property(tries = 40)
    void kernelsMatchTheDefinition_onLongRangesWithRowsAndColumnsOfOnes(
            @ForAll @IntRange(min = 1, max = 9) int rows,
            @ForAll @IntRange(min = 1, max = 12) int inputs,
            @ForAll @IntRange(min = 8000, max = 30000) int length,
            @ForAll long seed) {
        Random random = new Random(seed);
        int[][] coef = new int[rows][inputs];
        int oneRow = random.nextInt(rows);
        int oneColumn = random.nextInt(inputs);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < inputs; i++) {
                int pick = random.nextInt(8);
                coef[r][i] = r == oneRow || i == oneColumn ? 1 : pick == 0 ? 0 : 2 + random.nextInt(254);
            }
        }
        assertKernelsMatchTheDefinition(coef, length, random);
    }

    /**
     * The encoding shape of the systematic Cauchy code: the first row of every group of four all
     * ones (the vector kernel's group4Ones: plain XOR for that row, lookups for the other three),
     * some columns of only 0 and 1 for the whole group (its masked XOR columns), across chunks.
     */
    @Property(tries = 40)
    void kernelsMatchTheDefinition_withAGroupWhoseFirstRowIsAllOnes(
            @ForAll @IntRange(min = 4, max = 9) int rows,
            @ForAll @IntRange(min = 2, max = 12) int inputs,
            @ForAll @IntRange(min = 8000, max = 30000) int length,
            @ForAll long seed) {
        Random random = new Random(seed);
        int[][] coef = new int[rows][inputs];
        int xorColumn = random.nextInt(inputs);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < inputs; i++) {
                int pick = random.nextInt(8);
                coef[r][i] = r % 4 == 0 ? 1 : i == xorColumn ? random.nextInt(2) : pick == 0 ? 0 : 2 + random.nextInt(254);
            }
        }
        coef[1][(xorColumn + 1) % inputs] = 2 + random.nextInt(254); // at least one multiplied column
        assertKernelsMatchTheDefinition(coef, length, random);
    }

    /**
     * Other field polynomials: the pure-Java kernel doubles eight bytes at once and reduces by the
     * polynomial's low byte, the vector kernel's tables come from the field.
     */
    @Property(tries = 40)
    void kernelsMatchTheDefinition_inOtherFields(@ForAll("polynomials") int polynomial,
            @ForAll @IntRange(min = 1, max = 6) int rows,
            @ForAll @IntRange(min = 1, max = 8) int inputs,
            @ForAll @IntRange(min = 0, max = 3000) int length,
            @ForAll long seed) {
        Random random = new Random(seed);
        int[][] coef = new int[rows][inputs];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < inputs; i++) {
                coef[r][i] = random.nextInt(256);
            }
        }
        assertKernelsMatchTheDefinition(GaloisField.of(polynomial), coef, inputs, length, random);
    }

    @Provide
    Arbitrary<Integer> polynomials() {
        // Irreducible polynomials of degree 8, with the top bit of the low byte both set and clear.
        return Arbitraries.of(0x11B, 0x11D, 0x12B, 0x14D, 0x165, 0x171, 0x187, 0x1F5);
    }

    @Test
    void theParityRowsOfTheSystematicCode_skipTheLookupsOfTheirRowOfOnes() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.vectorOrNull() != null);
        DispersalMatrix matrix = DispersalMatrix.systematicCauchy(10, 14);
        int[][] parity = new int[4][10];
        for (int j = 0; j < 4; j++) {
            for (int i = 0; i < 10; i++) {
                parity[j][i] = matrix.get(i, 10 + j);
            }
        }
        VectorKernel.NibblePlan plan = (VectorKernel.NibblePlan) Kernels.vectorOrNull().plan(FIELD, parity);
        assertThat(plan.groups).hasSize(1);
        assertThat(plan.groups[0].onesRow).isTrue();
        parity[0][3] = 5; // no row of ones left: every column is looked up for every row
        plan = (VectorKernel.NibblePlan) Kernels.vectorOrNull().plan(FIELD, parity);
        assertThat(plan.groups[0].onesRow).isFalse();
        assertThat(plan.groups[0].xorCols).isEmpty();
    }

    /**
     * Chained plans (decoding's): each row may also read the outputs of the rows before it, as
     * 0, 1 or a general coefficient, across chunks, with the vector kernel's groups split there.
     * Three shapes: any row reading any earlier output; only 0 and 1 (the vector kernel's XOR
     * path); only the last row reading outputs, as the decoder builds them.
     */
    @Property(tries = 90)
    void chainedPlansMatchTheDefinition(@ForAll @IntRange(min = 1, max = 9) int rows,
            @ForAll @IntRange(min = 1, max = 12) int inputs,
            @ForAll @IntRange(min = 0, max = 20000) int length,
            @ForAll @IntRange(min = 0, max = 3) int shape,
            @ForAll long seed) {
        Random random = new Random(seed);
        if (shape == 3) {
            assertKernelsMatchTheDefinition(pairPlan(inputs, random), inputs, length, random);
            return;
        }
        int[][] coef = new int[rows][inputs + rows];
        for (int r = 0; r < rows; r++) {
            int readable = shape == 2 && r < rows - 1 ? inputs : inputs + r;
            for (int i = 0; i < readable; i++) {
                int pick = random.nextInt(4);
                int c = pick == 0 ? 0 : pick == 1 ? 1 : random.nextInt(256);
                coef[r][i] = shape == 1 ? Math.min(c, 1) : c;
            }
        }
        assertKernelsMatchTheDefinition(coef, inputs, length, random);
    }

    /**
     * The shape of Ida's two-lost-pieces plan: row 0 from the inputs, row 1 = c * row 0, row 2 =
     * XOR of inputs and (maybe) row 1.
     */
    private static int[][] pairPlan(int inputs, Random random) {
        int[][] coef = new int[3][inputs + 3];
        for (int i = 0; i < inputs; i++) {
            int pick = random.nextInt(4);
            coef[0][i] = pick == 0 ? 0 : pick == 1 ? 1 : random.nextInt(256);
            coef[2][i] = random.nextInt(2);
        }
        coef[1][inputs] = 1 + random.nextInt(255);
        coef[2][inputs + 1] = random.nextInt(2);
        return coef;
    }

    /** The (3, 5) pair shape, which the vector kernel fuses into one pass, on every kernel. */
    @Property(tries = 60)
    void pairPlansOfThreeInputsMatchTheDefinition(@ForAll @IntRange(min = 0, max = 20000) int length,
            @ForAll long seed) {
        Random random = new Random(seed);
        int[][] coef = new int[3][6];
        int table = random.nextInt(3);
        for (int i = 0; i < 3; i++) {
            coef[0][i] = i == table ? 2 + random.nextInt(254) : random.nextInt(2);
            coef[2][i] = random.nextInt(2);
        }
        coef[1][3] = 1 + random.nextInt(255);
        coef[2][4] = random.nextInt(2);
        assertKernelsMatchTheDefinition(coef, 3, length, random);
    }

    @Test
    void thePairShapeRunsInOnePassOnTheVectorKernel() {
        GfKernel vector = Kernels.vectorOrNull();
        org.junit.jupiter.api.Assumptions.assumeTrue(vector != null);
        int[][] pair = {{1, 7, 1, 0, 0, 0}, {0, 0, 0, 9, 0, 0}, {1, 1, 0, 0, 1, 0}};
        assertThat(vector.onePass(vector.chainedPlan(FIELD, 3, pair))).isTrue();
        assertThat(Kernels.scalar().onePass(Kernels.scalar().chainedPlan(FIELD, 3, pair))).isFalse();
        pair[2][0] = 5; // a multiplication in row 2: not the fused shape
        assertThat(vector.onePass(vector.chainedPlan(FIELD, 3, pair))).isFalse();
    }

    @Test
    void aChainedPlanTakesExactlyItsInputs() {
        int[][] coef = {{2, 0, 0}, {1, 3, 0}}; // one input; row 1 reads output 0
        for (GfKernel kernel : kernels()) {
            GfKernel.Plan plan = kernel.chainedPlan(FIELD, 1, coef);
            byte[][] twoInputs = {new byte[64], new byte[64]};
            assertThatThrownBy(() -> kernel.apply(plan, twoInputs, new int[2], new byte[][] {new byte[64], new byte[64]},
                    new int[2], 64))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("the plan has 1 inputs, got 2");
        }
    }

    @Test
    void aPlainPlanIsRectangular() {
        int[][] ragged = {{1, 2}, {1, 2, 3, 4}};
        for (GfKernel kernel : kernels()) {
            assertThatThrownBy(() -> kernel.plan(FIELD, ragged))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("row 1 has 4 coefficients, row 0 has 2");
        }
    }

    @Test
    void aRowCannotReadItsOwnOrALaterOutput() {
        int[][] coef = {{1, 0, 1}, {1, 0, 0}};
        for (GfKernel kernel : kernels()) {
            assertThatThrownBy(() -> kernel.chainedPlan(FIELD, 1, coef))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("row 0 reads output 1");
        }
    }

    private static void assertKernelsMatchTheDefinition(int[][] coef, int length, Random random) {
        assertKernelsMatchTheDefinition(coef, coef[0].length, length, random);
    }

    /** coef[r] has inputs entries, or inputs + rows when the rows read earlier outputs. */
    private static void assertKernelsMatchTheDefinition(int[][] coef, int inputs, int length, Random random) {
        assertKernelsMatchTheDefinition(FIELD, coef, inputs, length, random);
    }

    private static void assertKernelsMatchTheDefinition(GaloisField field, int[][] coef, int inputs, int length,
            Random random) {
        int rows = coef.length;
        boolean chained = coef[0].length > inputs;
        byte[][] in = new byte[inputs][];
        int[] inOff = new int[inputs];
        // A third of the cases with every offset 0: the scalar kernel's decoding path.
        boolean zeroOffsets = random.nextInt(3) == 0;
        for (int i = 0; i < inputs; i++) {
            inOff[i] = zeroOffsets ? 0 : random.nextInt(100);
            in[i] = new byte[inOff[i] + length + random.nextInt(50)];
            random.nextBytes(in[i]);
        }
        int[] outOff = new int[rows];
        byte[][] expected = new byte[rows][];
        for (int r = 0; r < rows; r++) {
            outOff[r] = zeroOffsets ? 0 : random.nextInt(100);
            expected[r] = new byte[outOff[r] + length + 7];
            for (int p = 0; p < length; p++) {
                int sum = 0;
                for (int i = 0; i < inputs; i++) {
                    sum ^= field.multiply(coef[r][i], in[i][inOff[i] + p]);
                }
                for (int s = 0; chained && s < r; s++) {
                    sum ^= field.multiply(coef[r][inputs + s], expected[s][outOff[s] + p]);
                }
                expected[r][outOff[r] + p] = (byte) sum;
            }
        }
        for (GfKernel kernel : kernels()) {
            byte[][] out = new byte[rows][];
            for (int r = 0; r < rows; r++) {
                out[r] = new byte[expected[r].length];
            }
            GfKernel.Plan plan = chained ? kernel.chainedPlan(field, inputs, coef) : kernel.plan(field, coef);
            kernel.apply(plan, in, inOff, out, outOff, length);
            for (int r = 0; r < rows; r++) {
                // Bytes outside [outOff, outOff + length) stay untouched (zero), like the expectation.
                assertThat(out[r]).as("%s row %d", kernel.name(), r).isEqualTo(expected[r]);
            }
        }
    }

    private static List<GfKernel> kernels() {
        List<GfKernel> kernels = new ArrayList<>(List.of(Kernels.scalar()));
        if (Kernels.vectorOrNull() != null) {
            kernels.add(Kernels.vectorOrNull());
        }
        return kernels;
    }

    @Test
    void withoutTheVectorModule_thePureJavaKernelIsChosen() throws IOException, InterruptedException {
        // A JVM started without --add-modules jdk.incubator.vector must still work, on the scalar path.
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ChosenKernel.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output.trim()).isEqualTo("scalar");
    }

    /** Prints the kernel a fresh JVM picks; run by the test above. */
    public static final class ChosenKernel {
        public static void main(String[] args) {
            System.out.println(Kernels.preferred().name());
        }
    }
}
