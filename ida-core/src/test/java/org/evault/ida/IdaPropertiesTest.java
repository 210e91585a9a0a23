package org.evault.ida;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

import org.evault.ida.internal.GfKernel;
import org.evault.ida.internal.Kernels;

/**
 * Random documents, shapes, surviving slices and corruption: exact recovery whenever m good
 * slices remain, a clear error naming slices and segments otherwise, and never wrong output.
 */
class IdaPropertiesTest {

    /** A random case: shape, segment size, document and the seed for choices made later. */
    record Case(int m, int n, int segmentSize, byte[] document, long seed, boolean scalar) {
        Ida ida() {
            GfKernel kernel = scalar ? Kernels.scalar() : Kernels.preferred();
            return Ida.create(DispersalMatrix.systematicCauchy(m, n), segmentSize, kernel);
        }

        @Override
        public String toString() {
            return "Case[m=" + m + ", n=" + n + ", segment=" + segmentSize + ", length=" + document.length
                    + ", seed=" + seed + ", scalar=" + scalar + "]";
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<int[]> shape = Arbitraries.integers().between(1, 12).flatMap(n ->
                Arbitraries.integers().between(1, n).map(m -> new int[] {m, n}));
        // Segment sizes that are not multiples of anything, and lengths around stripe edges.
        Arbitrary<Integer> segment = Arbitraries.of(1, 7, 64, 100, 1000, 4096, 65536);
        Arbitrary<Integer> length = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 300),
                Arbitraries.integers().between(0, 200_000),
                Arbitraries.integers().between(0, 3 << 20));
        return Combinators.combine(shape, segment, length, Arbitraries.longs(), Arbitraries.of(true, false))
                .as((mn, seg, len, seed, scalar) -> {
                    // Keep tiny segments to small documents: millions of 1-byte segments prove nothing more.
                    int size = seg < 64 ? Math.min(len, 5000) : len;
                    byte[] doc = new byte[size];
                    new Random(seed).nextBytes(doc);
                    return new Case(mn[0], mn[1], seg, doc, seed, scalar);
                });
    }

    @Property(tries = 150)
    void anyMSlicesRebuildTheDocument(@ForAll("cases") Case c) throws IOException {
        Ida ida = c.ida();
        Stored stored = disperse(ida, c.document);
        assertThat(stored.dispersal.documentLength()).isEqualTo(c.document.length);
        assertThat(stored.dispersal.documentHash()).isEqualTo(Hash256.digest(c.document));
        for (byte[] slice : stored.slices) {
            assertThat((long) slice.length).isEqualTo(ida.sliceLength(c.document.length));
        }
        Random random = new Random(c.seed);
        List<Integer> chosen = shuffled(c.n, random).subList(0, c.m);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Reconstruction r = ida.reconstruct(c.document.length, stored.dispersal.fingerprints(),
                stored.dispersal.documentHash(), stored.inputs(chosen), out);
        assertThat(out.toByteArray()).isEqualTo(c.document);
        assertThat(r.faults()).isEmpty();
    }

    @Property(tries = 150)
    void corruptionIsDetectedAndRoutedAround_orReportedByName(@ForAll("cases") Case c) throws IOException {
        Ida ida = c.ida();
        Stored stored = disperse(ida, c.document);
        Random random = new Random(c.seed ^ 0x5DEECE66DL);
        int offered = c.m + random.nextInt(c.n - c.m + 1);
        List<Integer> chosen = new ArrayList<>(shuffled(c.n, random).subList(0, offered));
        List<Integer> bad = damage(ida, c, stored, chosen, random);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int good = offered - bad.size();
        String outcome;
        try {
            Reconstruction r = ida.reconstruct(c.document.length, stored.dispersal.fingerprints(),
                    stored.dispersal.documentHash(), stored.inputs(chosen), out);
            // Damage in a part of a slice that was never needed is not an error; wrong output would be.
            assertThat(out.toByteArray()).isEqualTo(c.document);
            assertThat(r.faults()).allSatisfy(f -> assertThat(bad).contains(f.slice()));
            outcome = good >= c.m ? "rebuilt" : "rebuilt from the undamaged parts";
        } catch (NotEnoughSlicesException e) {
            assertThat(good).as("with %d good slices of m = %d", good, c.m).isLessThan(c.m);
            assertThat(e).hasMessageContaining("need " + c.m + " good slices")
                    .hasMessageMatching("(?s).*slice \\d+ (segment \\d+: |: ).*");
            assertThat(e.faults()).isNotEmpty().allSatisfy(f -> assertThat(bad).contains(f.slice()));
            // Whatever was written before the error is a correct prefix of the document.
            byte[] prefix = out.toByteArray();
            assertThat(prefix).isEqualTo(Arrays.copyOf(c.document, prefix.length));
            outcome = "refused";
        }
        Statistics.label("outcome").collect(outcome);
        Statistics.label("outcome").coverage(cover -> {
            cover.check("rebuilt").percentage(p -> p > 20);
            cover.check("refused").percentage(p -> p > 10);
        });
    }

    @Property(tries = 60)
    void stripeApi_agreesWithStreamingApi(@ForAll("cases") Case c, @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Ida ida = c.ida();
        int piece = 1 + seed % 200;
        byte[] stripe = new byte[c.m * piece];
        new Random(seed).nextBytes(stripe);
        byte[][] slices = new byte[c.n][piece];
        ida.encodeStripe(stripe, 0, piece, slices);
        List<Integer> chosen = shuffled(c.n, new Random(seed)).subList(0, c.m);
        int[] indexes = chosen.stream().mapToInt(Integer::intValue).toArray();
        byte[][] pieces = new byte[c.m][];
        for (int k = 0; k < c.m; k++) {
            pieces[k] = slices[indexes[k]];
        }
        byte[][] data = new byte[c.m][piece];
        ida.decodeStripe(indexes, pieces, piece, data);
        for (int i = 0; i < c.m; i++) {
            assertThat(data[i]).isEqualTo(Arrays.copyOfRange(stripe, i * piece, (i + 1) * piece));
        }
    }

    /**
     * Without the first data slices, both kernels decode (3, 5) from slices 2, 3, 4 with a pair
     * plan: two multiplications per position instead of the inverse's six (the intermediate t
     * needs one on slice 2, piece 1 one on t, piece 0 is XOR; the vector kernel fuses the three
     * rows). (10, 14) from slices 4..13 loses four pieces: the pure-Java kernel takes 30 (one piece
     * by XOR from the all-ones parity slice) instead of 40; the vector kernel keeps the inverse's
     * rows, which it runs faster than chained ones.
     */
    @Example
    void decodingTakesFewerMultiplicationsThanTheInverse() {
        GfKernel vector = Kernels.vectorOrNull();
        org.junit.jupiter.api.Assumptions.assumeTrue(vector != null, "the vector kernel is not available");
        int[] lastTen = java.util.stream.IntStream.range(4, 14).toArray();
        assertThat(Ida.create(DispersalMatrix.systematicCauchy(3, 5), 4096, Kernels.scalar())
                .decodePlan(new int[] {2, 3, 4}).kernelPlan().multiplications()).isEqualTo(2);
        assertThat(Ida.create(DispersalMatrix.systematicCauchy(10, 14), 4096, Kernels.scalar())
                .decodePlan(lastTen).kernelPlan().multiplications()).isEqualTo(30);
        assertThat(Ida.create(DispersalMatrix.systematicCauchy(3, 5), 4096, vector)
                .decodePlan(new int[] {2, 3, 4}).kernelPlan().multiplications()).isEqualTo(2);
        assertThat(Ida.create(DispersalMatrix.systematicCauchy(10, 14), 4096, vector)
                .decodePlan(lastTen).kernelPlan().multiplications()).isEqualTo(40);
    }

    /**
     * Every m-subset of slices: both kernels rebuild the stripe exactly, and neither plan ever
     * costs more multiplications than the inverse's. The pure-Java plan costs fewer for some subsets of the systematic Cauchy codes (the all-ones parity column) and of a
     * code whose parity column is (2, 2, 2), where the chained row scales that slice by 2^-1 and
     * XORs the rest; a Cauchy code with no data slice and no repeated entry in a column has no
     * cheaper way, and keeps the inverse.
     */
    @Example
    void everySliceSubsetDecodes_andChainedPlansNeverCostMore() {
        GfKernel vector = Kernels.vectorOrNull();
        org.junit.jupiter.api.Assumptions.assumeTrue(vector != null, "the vector kernel is not available");
        GaloisField field = GaloisField.standard();
        DispersalMatrix constantColumn = DispersalMatrix.of(field, new int[][] {
            {1, 0, 0, 2, 1},
            {0, 1, 0, 2, 3},
            {0, 0, 1, 2, 5}});
        Map<DispersalMatrix, Boolean> savesSomewhere = new LinkedHashMap<>();
        savesSomewhere.put(DispersalMatrix.systematicCauchy(3, 6), true);
        savesSomewhere.put(DispersalMatrix.systematicCauchy(4, 8), true);
        savesSomewhere.put(DispersalMatrix.systematicCauchy(5, 9), true);
        savesSomewhere.put(constantColumn, true);
        savesSomewhere.put(cauchy(field, 4, 8), false);
        savesSomewhere.forEach((matrix, saves) -> {
            int m = matrix.m();
            int n = matrix.n();
            Ida scalar = Ida.create(matrix, 4096, Kernels.scalar());
            Ida inverse = Ida.create(matrix, 4096, vector);
            int piece = 300;
            byte[] stripe = new byte[m * piece];
            new Random(m * 31 + n).nextBytes(stripe);
            byte[][] slices = new byte[n][piece];
            scalar.encodeStripe(stripe, 0, piece, slices);
            int cheaper = 0;
            for (int[] subset : subsets(n, m)) {
                byte[][] pieces = new byte[m][];
                for (int k = 0; k < m; k++) {
                    pieces[k] = slices[subset[k]];
                }
                for (Ida ida : List.of(scalar, inverse)) {
                    byte[][] data = new byte[m][piece];
                    ida.decodeStripe(subset, pieces, piece, data);
                    for (int i = 0; i < m; i++) {
                        assertThat(data[i]).as("%s, slices %s, piece %d", matrix, Arrays.toString(subset), i)
                                .isEqualTo(Arrays.copyOfRange(stripe, i * piece, (i + 1) * piece));
                    }
                }
                int direct = inverseMultiplications(matrix, subset);
                for (Ida ida : List.of(scalar, inverse)) {
                    assertThat(ida.decodePlan(subset).kernelPlan().multiplications()).isLessThanOrEqualTo(direct);
                }
                cheaper += scalar.decodePlan(subset).kernelPlan().multiplications() < direct ? 1 : 0;
            }
            assertThat(cheaper > 0).as("some subset of %s decodes with fewer multiplications", matrix).isEqualTo(saves);
        });
    }

    /** What decoding from the inverse alone costs: its entries above 1 in the lost pieces' columns. */
    private static int inverseMultiplications(DispersalMatrix matrix, int[] subset) {
        int[][] inverse = org.evault.ida.internal.GfMatrices.invert(matrix.field(), matrix.columns(subset));
        int count = 0;
        for (int i = 0; i < matrix.m(); i++) {
            boolean given = false;
            for (int slice : subset) {
                given |= matrix.unitRow(slice) == i;
            }
            for (int k = 0; k < matrix.m() && !given; k++) {
                count += inverse[k][i] > 1 ? 1 : 0;
            }
        }
        return count;
    }

    /** A Cauchy matrix 1 / (x_i + y_j) with x = 0..m-1, y = m..m+n-1: every m columns independent, no unit column. */
    private static DispersalMatrix cauchy(GaloisField field, int m, int n) {
        int[][] rows = new int[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                rows[i][j] = field.inverse(i ^ (m + j));
            }
        }
        return DispersalMatrix.of(field, rows);
    }

    private static List<int[]> subsets(int n, int m) {
        List<int[]> all = new ArrayList<>();
        for (int bits = 0; bits < 1 << n; bits++) {
            if (Integer.bitCount(bits) == m) {
                int[] subset = new int[m];
                for (int j = 0, k = 0; j < n; j++) {
                    if ((bits & 1 << j) != 0) {
                        subset[k++] = j;
                    }
                }
                all.add(subset);
            }
        }
        return all;
    }

    @Example
    void emptyDocument_hasEmptySlicesAndRebuilds() throws IOException {
        Ida ida = Ida.create(3, 5);
        Stored stored = disperse(ida, new byte[0]);
        assertThat(Arrays.asList(stored.slices)).allSatisfy(s -> assertThat(s).isEmpty());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ida.reconstruct(0, stored.dispersal.fingerprints(), stored.dispersal.documentHash(),
                stored.inputs(List.of(3, 4, 1)), out);
        assertThat(out.size()).isZero();
    }

    @Example
    void wrongFingerprintVector_refusesEverySlice() throws IOException {
        Ida ida = Ida.create(2, 3);
        byte[] doc = new byte[100_000];
        new Random(3).nextBytes(doc);
        Stored stored = disperse(ida, doc);
        byte[] another = new byte[doc.length];
        new Random(5).nextBytes(another);
        Stored other = disperse(ida, another);
        assertThatThrownBy(() -> ida.reconstruct(doc.length, other.dispersal.fingerprints(), null,
                stored.inputs(List.of(0, 1, 2)), OutputStream.nullOutputStream()))
                .isInstanceOf(NotEnoughSlicesException.class)
                .hasMessageContaining("slice 0: segment hash list does not match the slice's fingerprint");
    }

    @Example
    void flippedByte_isNamedBySliceAndSegment() throws IOException {
        Ida ida = Ida.create(DispersalMatrix.systematicCauchy(3, 5), 1000);
        byte[] doc = new byte[10_000];
        new Random(4).nextBytes(doc);
        Stored stored = disperse(ida, doc);
        stored.slices[4][2500] ^= 1; // segment 2 of slice 4
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Reconstruction r = ida.reconstruct(doc.length, stored.dispersal.fingerprints(), stored.dispersal.documentHash(),
                stored.inputs(List.of(4, 3, 0, 1)), out);
        assertThat(out.toByteArray()).isEqualTo(doc);
        assertThat(r.faults()).isEmpty(); // data slices 0 and 1 and parity 3 were preferred; 4 never read
        ByteArrayOutputStream out2 = new ByteArrayOutputStream();
        Reconstruction r2 = ida.reconstruct(doc.length, stored.dispersal.fingerprints(), stored.dispersal.documentHash(),
                stored.inputs(List.of(4, 3, 0, 2)), out2);
        assertThat(out2.toByteArray()).isEqualTo(doc);
        assertThat(r2.faults()).isEmpty();
        assertThatThrownBy(() -> ida.reconstruct(doc.length, stored.dispersal.fingerprints(),
                stored.dispersal.documentHash(), stored.inputs(List.of(4, 3, 0)), OutputStream.nullOutputStream()))
                .isInstanceOf(NotEnoughSlicesException.class)
                .hasMessageContaining("slice 4 segment 2: hash mismatch");
    }

    @Example
    void duplicateOrOutOfRangeSlice_isRefused() throws IOException {
        Ida ida = Ida.create(2, 3);
        Stored stored = disperse(ida, new byte[10]);
        assertThatThrownBy(() -> ida.reconstruct(10, stored.dispersal.fingerprints(), null,
                stored.inputs(List.of(1, 1)), OutputStream.nullOutputStream())).hasMessageContaining("slice 1 offered twice");
        assertThatThrownBy(() -> ida.decodeStripe(new int[] {0, 3}, new byte[2][1], 1, new byte[2][1]))
                .hasMessageContaining("slice index 3 is outside 0..2");
    }

    /** Damages some of the offered slices: a flipped byte, a truncation, or two swapped segments. */
    static List<Integer> damage(Ida ida, Case c, Stored stored, List<Integer> chosen, Random random) {
        int damaged = random.nextInt(chosen.size() + 1);
        List<Integer> bad = new ArrayList<>();
        for (int k = 0; k < damaged; k++) {
            int j = chosen.get(k);
            byte[] slice = stored.slices[j];
            if (slice.length == 0) {
                continue;
            }
            int kind = random.nextInt(3);
            long segments = ida.segmentCount(c.document.length);
            if (kind == 2 && segments >= 2 && differentSegments(slice, c.segmentSize)) {
                stored.slices[j] = swapFirstTwoSegments(slice, c.segmentSize);
            } else if (kind == 1) {
                stored.slices[j] = Arrays.copyOf(slice, random.nextInt(slice.length));
            } else {
                slice[random.nextInt(slice.length)] ^= (byte) (1 + random.nextInt(255));
            }
            bad.add(j);
        }
        return bad;
    }

    // ---- helpers

    record Stored(Dispersal dispersal, byte[][] slices) {
        List<SliceInput> inputs(List<Integer> indexes) {
            List<SliceInput> list = new ArrayList<>();
            for (int j : indexes) {
                list.add(new SliceInput(j, dispersal.segmentHashes().get(j), new ByteArrayInputStream(slices[j])));
            }
            return list;
        }
    }

    static Stored disperse(Ida ida, byte[] document) throws IOException {
        List<ByteArrayOutputStream> outs = new ArrayList<>();
        for (int j = 0; j < ida.n(); j++) {
            outs.add(new ByteArrayOutputStream());
        }
        Dispersal d = ida.disperse(new ByteArrayInputStream(document), outs);
        byte[][] slices = new byte[ida.n()][];
        for (int j = 0; j < ida.n(); j++) {
            slices[j] = outs.get(j).toByteArray();
        }
        return new Stored(d, slices);
    }

    static List<Integer> shuffled(int n, Random random) {
        List<Integer> all = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            all.add(j);
        }
        Collections.shuffle(all, random);
        return all;
    }

    private static boolean differentSegments(byte[] slice, int segmentSize) {
        return slice.length >= 2 * segmentSize
                && !Arrays.equals(slice, 0, segmentSize, slice, segmentSize, 2 * segmentSize);
    }

    private static byte[] swapFirstTwoSegments(byte[] slice, int segmentSize) {
        byte[] out = slice.clone();
        System.arraycopy(slice, 0, out, segmentSize, segmentSize);
        System.arraycopy(slice, segmentSize, out, 0, segmentSize);
        return out;
    }
}
