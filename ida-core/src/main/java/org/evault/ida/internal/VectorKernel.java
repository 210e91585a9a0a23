package org.evault.ida.internal;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import org.evault.ida.GaloisField;

/**
 * The Vector API kernel: split-nibble table lookups, c * x = LO_c[x & 15] ^ HI_c[x >>> 4], with
 * the two 16-entry tables held in vector registers and looked up by a byte permute (vpermb or
 * vpshufb), the technique of ISA-L and gf-complete. Loaded reflectively by {@link Kernels} only
 * when the incubating module {@code jdk.incubator.vector} is present.
 *
 * <p>When every row has only coefficients 0 and 1 (the code for n = 3, m = 2 is plain XOR) the
 * tables are skipped. Otherwise rows go in groups of up to four that share each input load and its
 * nibble split, two vectors per iteration so that each table is loaded once for both. Work
 * proceeds in chunks small enough for the inputs to stay in L1 between row groups.
 */
final class VectorKernel implements GfKernel {
    // static final, so that C2 sees one species and intrinsifies every call; a species held in a
    // field that is not constant makes the whole loop allocate boxed vectors.
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final int CHUNK = Integer.getInteger("evault.ida.chunk", 8192);

    @Override
    public String name() {
        return "vector-" + SPECIES.vectorBitSize();
    }

    static boolean usable() {
        // Below 128 bits a 16-entry table does not fit a register.
        return LANES >= 16;
    }

    @Override
    public Plan plan(GaloisField field, int[][] coef) {
        return new NibblePlan(field, coef);
    }

    @Override
    public void apply(Plan plan, byte[][] in, int[] inOff, byte[][] out, int[] outOff, int length) {
        NibblePlan p = (NibblePlan) plan;
        int vectorEnd = SPECIES.loopBound(length);
        for (int from = 0; from < vectorEnd; from += CHUNK) {
            int to = Math.min(vectorEnd, from + CHUNK);
            for (int r : p.xorRows) {
                xorRow(p.coef[r], in, inOff, out[r], outOff[r], from, to);
            }
            int[] g = p.tableRows;
            int k = 0;
            for (; k + 4 <= g.length; k += 4) {
                group4(p, g[k], g[k + 1], g[k + 2], g[k + 3], in, inOff, out, outOff, from, to);
            }
            for (; k + 2 <= g.length; k += 2) {
                group2(p, g[k], g[k + 1], in, inOff, out, outOff, from, to);
            }
            if (k < g.length) {
                group1(p, g[k], in, inOff, out, outOff, from, to);
            }
        }
        if (vectorEnd < length) {
            for (int r = 0; r < p.rows(); r++) {
                ScalarKernel.row(p, r, in, inOff, out[r], outOff[r] + vectorEnd, vectorEnd, length - vectorEnd);
            }
        }
    }

    private static void xorRow(int[] coef, byte[][] in, int[] inOff, byte[] dst, int d, int from, int to) {
        for (int p = from; p < to; p += LANES) {
            ByteVector acc = ByteVector.zero(SPECIES);
            for (int i = 0; i < coef.length; i++) {
                if (coef[i] != 0) {
                    acc = acc.lanewise(VectorOperators.XOR, ByteVector.fromArray(SPECIES, in[i], inOff[i] + p));
                }
            }
            acc.intoArray(dst, d + p);
        }
    }

    private static ByteVector highNibbles(ByteVector v) {
        // x86 has no byte shift: shift 16-bit lanes and mask, as ISA-L does (vpsrlw + vpand).
        return v.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                .lanewise(VectorOperators.AND, (byte) 0x0F);
    }

    private static ByteVector times(byte[] tables, ByteVector lo, ByteVector hi) {
        return lo.selectFrom(ByteVector.fromArray(SPECIES, tables, 0))
                .lanewise(VectorOperators.XOR, hi.selectFrom(ByteVector.fromArray(SPECIES, tables, LANES)));
    }

    private static void group4(NibblePlan p, int r0, int r1, int r2, int r3, byte[][] in, int[] inOff,
            byte[][] out, int[] outOff, int from, int to) {
        byte[][] t0 = p.nibbles[r0];
        byte[][] t1 = p.nibbles[r1];
        byte[][] t2 = p.nibbles[r2];
        byte[][] t3 = p.nibbles[r3];
        int inputs = p.inputs();
        int q = from;
        // Two vectors per iteration: each table is loaded once for both, halving table loads.
        for (; q + 2 * LANES <= to; q += 2 * LANES) {
            ByteVector a0 = ByteVector.zero(SPECIES);
            ByteVector a1 = a0;
            ByteVector a2 = a0;
            ByteVector a3 = a0;
            ByteVector b0 = a0;
            ByteVector b1 = a0;
            ByteVector b2 = a0;
            ByteVector b3 = a0;
            for (int i = 0; i < inputs; i++) {
                byte[] src = in[i];
                int at = inOff[i] + q;
                ByteVector v = ByteVector.fromArray(SPECIES, src, at);
                ByteVector w = ByteVector.fromArray(SPECIES, src, at + LANES);
                ByteVector vlo = v.lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector vhi = highNibbles(v);
                ByteVector wlo = w.lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector whi = highNibbles(w);
                ByteVector lo = ByteVector.fromArray(SPECIES, t0[i], 0);
                ByteVector hi = ByteVector.fromArray(SPECIES, t0[i], LANES);
                a0 = a0.lanewise(VectorOperators.XOR, vlo.selectFrom(lo)).lanewise(VectorOperators.XOR, vhi.selectFrom(hi));
                b0 = b0.lanewise(VectorOperators.XOR, wlo.selectFrom(lo)).lanewise(VectorOperators.XOR, whi.selectFrom(hi));
                lo = ByteVector.fromArray(SPECIES, t1[i], 0);
                hi = ByteVector.fromArray(SPECIES, t1[i], LANES);
                a1 = a1.lanewise(VectorOperators.XOR, vlo.selectFrom(lo)).lanewise(VectorOperators.XOR, vhi.selectFrom(hi));
                b1 = b1.lanewise(VectorOperators.XOR, wlo.selectFrom(lo)).lanewise(VectorOperators.XOR, whi.selectFrom(hi));
                lo = ByteVector.fromArray(SPECIES, t2[i], 0);
                hi = ByteVector.fromArray(SPECIES, t2[i], LANES);
                a2 = a2.lanewise(VectorOperators.XOR, vlo.selectFrom(lo)).lanewise(VectorOperators.XOR, vhi.selectFrom(hi));
                b2 = b2.lanewise(VectorOperators.XOR, wlo.selectFrom(lo)).lanewise(VectorOperators.XOR, whi.selectFrom(hi));
                lo = ByteVector.fromArray(SPECIES, t3[i], 0);
                hi = ByteVector.fromArray(SPECIES, t3[i], LANES);
                a3 = a3.lanewise(VectorOperators.XOR, vlo.selectFrom(lo)).lanewise(VectorOperators.XOR, vhi.selectFrom(hi));
                b3 = b3.lanewise(VectorOperators.XOR, wlo.selectFrom(lo)).lanewise(VectorOperators.XOR, whi.selectFrom(hi));
            }
            a0.intoArray(out[r0], outOff[r0] + q);
            a1.intoArray(out[r1], outOff[r1] + q);
            a2.intoArray(out[r2], outOff[r2] + q);
            a3.intoArray(out[r3], outOff[r3] + q);
            b0.intoArray(out[r0], outOff[r0] + q + LANES);
            b1.intoArray(out[r1], outOff[r1] + q + LANES);
            b2.intoArray(out[r2], outOff[r2] + q + LANES);
            b3.intoArray(out[r3], outOff[r3] + q + LANES);
        }
        for (; q < to; q += LANES) {
            ByteVector a0 = ByteVector.zero(SPECIES);
            ByteVector a1 = a0;
            ByteVector a2 = a0;
            ByteVector a3 = a0;
            for (int i = 0; i < inputs; i++) {
                ByteVector v = ByteVector.fromArray(SPECIES, in[i], inOff[i] + q);
                ByteVector lo = v.lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector hi = highNibbles(v);
                a0 = a0.lanewise(VectorOperators.XOR, times(t0[i], lo, hi));
                a1 = a1.lanewise(VectorOperators.XOR, times(t1[i], lo, hi));
                a2 = a2.lanewise(VectorOperators.XOR, times(t2[i], lo, hi));
                a3 = a3.lanewise(VectorOperators.XOR, times(t3[i], lo, hi));
            }
            a0.intoArray(out[r0], outOff[r0] + q);
            a1.intoArray(out[r1], outOff[r1] + q);
            a2.intoArray(out[r2], outOff[r2] + q);
            a3.intoArray(out[r3], outOff[r3] + q);
        }
    }

    private static void group2(NibblePlan p, int r0, int r1, byte[][] in, int[] inOff,
            byte[][] out, int[] outOff, int from, int to) {
        byte[][] t0 = p.nibbles[r0];
        byte[][] t1 = p.nibbles[r1];
        int inputs = p.inputs();
        int q = from;
        for (; q + 2 * LANES <= to; q += 2 * LANES) {
            ByteVector a0 = ByteVector.zero(SPECIES);
            ByteVector a1 = a0;
            ByteVector b0 = a0;
            ByteVector b1 = a0;
            for (int i = 0; i < inputs; i++) {
                byte[] src = in[i];
                int at = inOff[i] + q;
                ByteVector v = ByteVector.fromArray(SPECIES, src, at);
                ByteVector w = ByteVector.fromArray(SPECIES, src, at + LANES);
                ByteVector vlo = v.lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector vhi = highNibbles(v);
                ByteVector wlo = w.lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector whi = highNibbles(w);
                ByteVector lo = ByteVector.fromArray(SPECIES, t0[i], 0);
                ByteVector hi = ByteVector.fromArray(SPECIES, t0[i], LANES);
                a0 = a0.lanewise(VectorOperators.XOR, vlo.selectFrom(lo)).lanewise(VectorOperators.XOR, vhi.selectFrom(hi));
                b0 = b0.lanewise(VectorOperators.XOR, wlo.selectFrom(lo)).lanewise(VectorOperators.XOR, whi.selectFrom(hi));
                lo = ByteVector.fromArray(SPECIES, t1[i], 0);
                hi = ByteVector.fromArray(SPECIES, t1[i], LANES);
                a1 = a1.lanewise(VectorOperators.XOR, vlo.selectFrom(lo)).lanewise(VectorOperators.XOR, vhi.selectFrom(hi));
                b1 = b1.lanewise(VectorOperators.XOR, wlo.selectFrom(lo)).lanewise(VectorOperators.XOR, whi.selectFrom(hi));
            }
            a0.intoArray(out[r0], outOff[r0] + q);
            a1.intoArray(out[r1], outOff[r1] + q);
            b0.intoArray(out[r0], outOff[r0] + q + LANES);
            b1.intoArray(out[r1], outOff[r1] + q + LANES);
        }
        for (; q < to; q += LANES) {
            ByteVector a0 = ByteVector.zero(SPECIES);
            ByteVector a1 = a0;
            for (int i = 0; i < inputs; i++) {
                ByteVector v = ByteVector.fromArray(SPECIES, in[i], inOff[i] + q);
                ByteVector lo = v.lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector hi = highNibbles(v);
                a0 = a0.lanewise(VectorOperators.XOR, times(t0[i], lo, hi));
                a1 = a1.lanewise(VectorOperators.XOR, times(t1[i], lo, hi));
            }
            a0.intoArray(out[r0], outOff[r0] + q);
            a1.intoArray(out[r1], outOff[r1] + q);
        }
    }

    private static void group1(NibblePlan p, int r0, byte[][] in, int[] inOff,
            byte[][] out, int[] outOff, int from, int to) {
        byte[][] t0 = p.nibbles[r0];
        int inputs = p.inputs();
        for (int q = from; q < to; q += LANES) {
            ByteVector a0 = ByteVector.zero(SPECIES);
            for (int i = 0; i < inputs; i++) {
                ByteVector v = ByteVector.fromArray(SPECIES, in[i], inOff[i] + q);
                a0 = a0.lanewise(VectorOperators.XOR,
                        times(t0[i], v.lanewise(VectorOperators.AND, (byte) 0x0F), highNibbles(v)));
            }
            a0.intoArray(out[r0], outOff[r0] + q);
        }
    }

    /** Adds to the scalar tables (used for the tail) one pair of nibble tables per coefficient. */
    static final class NibblePlan extends ScalarKernel.TablePlan {
        final int[] xorRows;
        final int[] tableRows;
        /** nibbles[r][i]: LANES bytes of c * (j & 15), then LANES bytes of c * ((j & 15) << 4). */
        final byte[][][] nibbles;

        NibblePlan(GaloisField field, int[][] coef) {
            super(field, coef);
            int rows = coef.length;
            nibbles = new byte[rows][][];
            int xorCount = 0;
            boolean[] xorOnly = new boolean[rows];
            for (int r = 0; r < rows; r++) {
                xorOnly[r] = true;
                nibbles[r] = new byte[coef[r].length][];
                for (int i = 0; i < coef[r].length; i++) {
                    int c = coef[r][i];
                    xorOnly[r] &= c <= 1;
                    byte[] t = new byte[2 * LANES];
                    for (int j = 0; j < LANES; j++) {
                        t[j] = (byte) field.multiply(c, j & 15);
                        t[LANES + j] = (byte) field.multiply(c, (j & 15) << 4);
                    }
                    nibbles[r][i] = t;
                }
                xorCount += xorOnly[r] ? 1 : 0;
            }
            if (xorCount < rows) {
                // A separate XOR pass reloads every input; riding along in a table group (identity
                // tables) is cheaper whenever there is a group anyway (measured: 3 of 5, 10 of 14).
                java.util.Arrays.fill(xorOnly, false);
                xorCount = 0;
            }
            xorRows = new int[xorCount];
            tableRows = new int[rows - xorCount];
            for (int r = 0, x = 0, t = 0; r < rows; r++) {
                if (xorOnly[r]) {
                    xorRows[x++] = r;
                } else {
                    tableRows[t++] = r;
                }
            }
        }
    }
}
