package org.evault.ida.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

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
 * <p>Rows go in groups of up to four that share each input load and its nibble split, several
 * vectors per iteration so that each table is loaded once for all of them. An input whose
 * coefficients in a group are all 0 or 1 costs no lookup (see {@link Group}); with the default
 * matrix every parity block has a first row and column of ones, and the code for n = 3, m = 2 is
 * plain XOR. Work proceeds in chunks small enough for the inputs to stay in L1 between row groups.
 */
final class VectorKernel implements GfKernel {
    // static final, so that C2 sees one species and intrinsifies every call; a species held in a
    // field that is not constant makes the whole loop allocate boxed vectors.
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /**
     * A whole number of passes of every group loop: four vectors for groups of one or two rows,
     * three for groups of four. A remainder loop in group4 instead (and a step of four vectors)
     * measured 11% slower for (10, 14) in alternating JMH runs; C2 compiled the method differently.
     */
    private static final int STEP = 12 * LANES;
    // A whole number of steps, so that every group loop ends exactly at the end of a chunk.
    private static final int CHUNK = Math.max(STEP, Integer.getInteger("evault.ida.chunk", 8192) / STEP * STEP);

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
        return new NibblePlan(field, ScalarKernel.TablePlan.width(coef), coef);
    }

    @Override
    public Plan chainedPlan(GaloisField field, int inputs, int[][] coef) {
        return new NibblePlan(field, inputs, coef);
    }

    /**
     * False: a row that reads back an output costs a second pass over each chunk, which does not
     * overlap the loads from memory as the lookups do. Measured (JMH, 64 MiB, JDK 17): (3, 5)
     * decoding with one lost piece rebuilt by XOR from the others ran at 10.3 GB/s, against 12.0
     * with both pieces from the inverse; (10, 14) at 6.1 against 8.3.
     */
    @Override
    public boolean rereadsOutputsCheaply() {
        return false;
    }

    @Override
    public boolean onePass(Plan plan) {
        NibblePlan p = (NibblePlan) plan;
        return !p.chained || p.pair != null;
    }

    @Override
    public void apply(Plan plan, byte[][] in, int[] inOff, byte[][] out, int[] outOff, int length) {
        NibblePlan p = (NibblePlan) plan;
        if (p.chained) {
            in = p.withOutputs(in, out);
            inOff = p.withOutputs(inOff, outOff);
        }
        if (length < STEP) {
            ScalarKernel.horner(p, in, inOff, out, outOff, length);
            return;
        }
        // Whole steps only: remainder loops in each group method made them too large for C2 to
        // inline the vector operations (NodeCountInliningCutoff), which then boxed every vector
        // (JDK 17). The body starts where most inputs begin a cache line; one unaligned step at
        // each end covers the rest, overlapping the body. Every output byte is a function of the
        // inputs (and of earlier rows' outputs) at its own position, so computing a few twice
        // writes the same values; outputs never overlap inputs. The scalar kernel for these ends
        // cost a fifth or more of the time at 16 KiB pieces.
        int start = alignedStart(in, inOff, p.inputs(), length);
        int end = start + (length - start) / STEP * STEP;
        // The three ranges in one loop, so that this method keeps a single copy of the chunk loop,
        // the form whose compilation by C2 was measured (see the note on the group loops).
        for (int range = 0; range < 3; range++) {
            int from = range == 0 ? 0 : range == 1 ? start : length - STEP;
            int to = range == 0 ? (start > 0 ? STEP : 0) : range == 1 ? end : (end < length ? length : 0);
            for (int chunk = from; chunk < to; chunk += CHUNK) {
                int chunkEnd = Math.min(to, chunk + CHUNK);
                if (p.pair != null) {
                    pair(p.pair, in, inOff, out, outOff, chunk, chunkEnd);
                    continue;
                }
                if (p.xorOnly) {
                    for (int r = 0; r < p.rows(); r++) {
                        xorRow(p.bitInputs[r][0], in, inOff, out[r], outOff[r], chunk, chunkEnd);
                    }
                    continue;
                }
                for (Group g : p.groups) {
                    switch (g.rows.length) {
                        case 4:
                            if (g.onesRow) {
                                group4Ones(g, in, inOff, out, outOff, chunk, chunkEnd);
                            } else {
                                group4(g, in, inOff, out, outOff, chunk, chunkEnd);
                            }
                            break;
                        case 2:
                            group2(g, in, inOff, out, outOff, chunk, chunkEnd);
                            break;
                        default:
                            group1(g, in, inOff, out, outOff, chunk, chunkEnd);
                            break;
                    }
                }
            }
        }
    }

    /**
     * The position where the vector loops start: the one, under 64, that puts the most inputs on a
     * cache-line boundary (see {@link ArrayAddresses}: split loads cost encoding up to 20%;
     * split stores much less, so outputs do not vote). Inputs of one array at offsets 64 apart,
     * such as the pieces of a stripe, agree. 0 when the JVM does not tell or the range is short.
     */
    private static int alignedStart(byte[][] in, int[] inOff, int inputs, int length) {
        if (!ArrayAddresses.known() || length < STEP + ArrayAddresses.LINE) {
            return 0;
        }
        int[] votes = new int[ArrayAddresses.LINE];
        int best = 0;
        for (int i = 0; i < inputs; i++) {
            int start = (ArrayAddresses.LINE - ArrayAddresses.lineOffset(in[i], inOff[i])) & (ArrayAddresses.LINE - 1);
            if (++votes[start] > votes[best] || votes[start] == votes[best] && start < best) {
                best = start;
            }
        }
        return best;
    }

    /**
     * One row of a matrix of only 0 and 1 (the whole code for n = 3, m = 2): the inputs with
     * coefficient 1, four vectors per pass as in the group loops, no branch inside the loop.
     */
    private static void xorRow(int[] cols, byte[][] in, int[] inOff, byte[] dst, int d, int from, int to) {
        for (int q = from; q < to; q += 4 * LANES) {
            ByteVector a = ByteVector.zero(SPECIES);
            ByteVector b = a;
            ByteVector c = a;
            ByteVector e = a;
            for (int k = 0; k < cols.length; k++) {
                byte[] src = in[cols[k]];
                int at = inOff[cols[k]] + q;
                a = a.lanewise(VectorOperators.XOR, ByteVector.fromArray(SPECIES, src, at));
                b = b.lanewise(VectorOperators.XOR, ByteVector.fromArray(SPECIES, src, at + LANES));
                c = c.lanewise(VectorOperators.XOR, ByteVector.fromArray(SPECIES, src, at + 2 * LANES));
                e = e.lanewise(VectorOperators.XOR, ByteVector.fromArray(SPECIES, src, at + 3 * LANES));
            }
            a.intoArray(dst, d + q);
            b.intoArray(dst, d + q + LANES);
            c.intoArray(dst, d + q + 2 * LANES);
            e.intoArray(dst, d + q + 3 * LANES);
        }
    }

    /*
     * The high nibbles of v: v.reinterpretAsShorts().lanewise(LSHR, 4).reinterpretAsBytes() & 0x0F.
     * x86 has no byte shift: shift 16-bit lanes and mask, as ISA-L does (vpsrlw + vpand).
     *
     * The group loops. Several vectors per iteration, so that each table and mask is loaded once
     * for all of them: four (a, b, c, d) for groups of one or two rows (measured 15% to 20% faster
     * than two for (3, 5)), three for groups of four rows (against two, (10, 14) decoding 1.13x and
     * encoding 1.07x in alternating JMH runs; four need more accumulators and nibble vectors than
     * the 32 vector registers, and ran slower, as did splitting four rows into two pairs to use
     * four vectors, 25% slower for (10, 14)). A table column is split into nibbles
     * and looked up for every row of the group (identity or zero tables for a row whose
     * coefficient there is 1 or 0); an XOR column is added as v & mask (all ones for 1, zero for 0;
     * a group of one row has only ones there and needs no mask).
     *
     * What C2 (JDK 17) needs here, measured: no branch on a coefficient inside the loop (a vector
     * merged at a branch is boxed, at a tenth of the speed), methods small enough to stay under
     * NodeCountInliningCutoff (past it C2 stops inlining our own helpers, whose vectors are then
     * boxed; the Vector API's methods are force-inlined whatever the size, so the loops spell out
     * the high-nibble split, which a helper did until group4 and group2 passed the cutoff), and
     * the tables in one array per group at offsets linear in k (C2 then hoists their range checks
     * out of the loop: 5% faster than an array per coefficient).
     */

    private static void group4(Group g, byte[][] in, int[] inOff, byte[][] out, int[] outOff, int from, int to) {
        int r0 = g.rows[0];
        int r1 = g.rows[1];
        int r2 = g.rows[2];
        int r3 = g.rows[3];
        byte[] t = g.tables;
        int[] tableCols = g.tableCols;
        for (int q = from; q < to; q += 3 * LANES) {
            ByteVector a0 = ByteVector.zero(SPECIES);
            ByteVector a1 = a0;
            ByteVector a2 = a0;
            ByteVector a3 = a0;
            ByteVector b0 = a0;
            ByteVector b1 = a0;
            ByteVector b2 = a0;
            ByteVector b3 = a0;
            ByteVector c0 = a0;
            ByteVector c1 = a0;
            ByteVector c2 = a0;
            ByteVector c3 = a0;
            for (int k = 0; k < tableCols.length; k++) {
                int i = tableCols[k];
                byte[] src = in[i];
                int at = inOff[i] + q;
                ByteVector v = ByteVector.fromArray(SPECIES, src, at);
                ByteVector w = ByteVector.fromArray(SPECIES, src, at + LANES);
                ByteVector x = ByteVector.fromArray(SPECIES, src, at + 2 * LANES);
                ByteVector vlo = v.lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector vhi = v.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                        .lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector wlo = w.lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector whi = w.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                        .lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector xlo = x.lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector xhi = x.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                        .lanewise(VectorOperators.AND, (byte) 0x0F);
                int ta = k * 8 * LANES;
                ByteVector lo0 = ByteVector.fromArray(SPECIES, t, ta);
                ByteVector hi0 = ByteVector.fromArray(SPECIES, t, ta + LANES);
                a0 = a0.lanewise(VectorOperators.XOR, vlo.selectFrom(lo0)).lanewise(VectorOperators.XOR, vhi.selectFrom(hi0));
                b0 = b0.lanewise(VectorOperators.XOR, wlo.selectFrom(lo0)).lanewise(VectorOperators.XOR, whi.selectFrom(hi0));
                c0 = c0.lanewise(VectorOperators.XOR, xlo.selectFrom(lo0)).lanewise(VectorOperators.XOR, xhi.selectFrom(hi0));
                ByteVector lo1 = ByteVector.fromArray(SPECIES, t, ta + 2 * LANES);
                ByteVector hi1 = ByteVector.fromArray(SPECIES, t, ta + 3 * LANES);
                a1 = a1.lanewise(VectorOperators.XOR, vlo.selectFrom(lo1)).lanewise(VectorOperators.XOR, vhi.selectFrom(hi1));
                b1 = b1.lanewise(VectorOperators.XOR, wlo.selectFrom(lo1)).lanewise(VectorOperators.XOR, whi.selectFrom(hi1));
                c1 = c1.lanewise(VectorOperators.XOR, xlo.selectFrom(lo1)).lanewise(VectorOperators.XOR, xhi.selectFrom(hi1));
                ByteVector lo2 = ByteVector.fromArray(SPECIES, t, ta + 4 * LANES);
                ByteVector hi2 = ByteVector.fromArray(SPECIES, t, ta + 5 * LANES);
                a2 = a2.lanewise(VectorOperators.XOR, vlo.selectFrom(lo2)).lanewise(VectorOperators.XOR, vhi.selectFrom(hi2));
                b2 = b2.lanewise(VectorOperators.XOR, wlo.selectFrom(lo2)).lanewise(VectorOperators.XOR, whi.selectFrom(hi2));
                c2 = c2.lanewise(VectorOperators.XOR, xlo.selectFrom(lo2)).lanewise(VectorOperators.XOR, xhi.selectFrom(hi2));
                ByteVector lo3 = ByteVector.fromArray(SPECIES, t, ta + 6 * LANES);
                ByteVector hi3 = ByteVector.fromArray(SPECIES, t, ta + 7 * LANES);
                a3 = a3.lanewise(VectorOperators.XOR, vlo.selectFrom(lo3)).lanewise(VectorOperators.XOR, vhi.selectFrom(hi3));
                b3 = b3.lanewise(VectorOperators.XOR, wlo.selectFrom(lo3)).lanewise(VectorOperators.XOR, whi.selectFrom(hi3));
                c3 = c3.lanewise(VectorOperators.XOR, xlo.selectFrom(lo3)).lanewise(VectorOperators.XOR, xhi.selectFrom(hi3));
            }
            a0.intoArray(out[r0], outOff[r0] + q);
            a1.intoArray(out[r1], outOff[r1] + q);
            a2.intoArray(out[r2], outOff[r2] + q);
            a3.intoArray(out[r3], outOff[r3] + q);
            b0.intoArray(out[r0], outOff[r0] + q + LANES);
            b1.intoArray(out[r1], outOff[r1] + q + LANES);
            b2.intoArray(out[r2], outOff[r2] + q + LANES);
            b3.intoArray(out[r3], outOff[r3] + q + LANES);
            c0.intoArray(out[r0], outOff[r0] + q + 2 * LANES);
            c1.intoArray(out[r1], outOff[r1] + q + 2 * LANES);
            c2.intoArray(out[r2], outOff[r2] + q + 2 * LANES);
            c3.intoArray(out[r3], outOff[r3] + q + 2 * LANES);
        }
    }

    /*
     * group4 for a group whose first row is 1 on every multiplied column, as the first parity row
     * of the systematic Cauchy code is: that row adds the input itself, no lookup (27 lookups in
     * place of 36 for (10, 14) encoding), and columns of only 0 and 1 are added under masks. A copy
     * of group4, not a flag in it: C2 does not inline these loops into apply, so a flag would be
     * a branch inside the loop, and a flag-driven group4 ran decoding 4% to 6% slower (see
     * docs/performance.md). group4 itself looks every column up, identity tables included:
     * decoding plans have no 0/1 columns, and the smaller method compiles better. Against group4
     * alone (KernelAB both ways, three pairs of 61 rounds each, (10, 14)): encode 1.02x-1.03x at
     * 1 MiB and 1.02x-1.06x at 64 KiB; decode 0.98x-0.99x at 1 MiB and 1.00x-1.03x at 64 KiB.
     */
    private static void group4Ones(Group g, byte[][] in, int[] inOff, byte[][] out, int[] outOff, int from, int to) {
        int r0 = g.rows[0];
        int r1 = g.rows[1];
        int r2 = g.rows[2];
        int r3 = g.rows[3];
        byte[] t = g.tables;
        byte[] m = g.masks;
        int[] tableCols = g.tableCols;
        int[] xorCols = g.xorCols;
        for (int q = from; q < to; q += 3 * LANES) {
            ByteVector a0 = ByteVector.zero(SPECIES);
            ByteVector a1 = a0;
            ByteVector a2 = a0;
            ByteVector a3 = a0;
            ByteVector b0 = a0;
            ByteVector b1 = a0;
            ByteVector b2 = a0;
            ByteVector b3 = a0;
            ByteVector c0 = a0;
            ByteVector c1 = a0;
            ByteVector c2 = a0;
            ByteVector c3 = a0;
            for (int k = 0; k < tableCols.length; k++) {
                int i = tableCols[k];
                byte[] src = in[i];
                int at = inOff[i] + q;
                ByteVector v = ByteVector.fromArray(SPECIES, src, at);
                ByteVector w = ByteVector.fromArray(SPECIES, src, at + LANES);
                ByteVector x = ByteVector.fromArray(SPECIES, src, at + 2 * LANES);
                ByteVector vlo = v.lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector vhi = v.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                        .lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector wlo = w.lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector whi = w.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                        .lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector xlo = x.lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector xhi = x.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                        .lanewise(VectorOperators.AND, (byte) 0x0F);
                int ta = k * 8 * LANES;
                a0 = a0.lanewise(VectorOperators.XOR, v);
                b0 = b0.lanewise(VectorOperators.XOR, w);
                c0 = c0.lanewise(VectorOperators.XOR, x);
                ByteVector lo1 = ByteVector.fromArray(SPECIES, t, ta + 2 * LANES);
                ByteVector hi1 = ByteVector.fromArray(SPECIES, t, ta + 3 * LANES);
                a1 = a1.lanewise(VectorOperators.XOR, vlo.selectFrom(lo1)).lanewise(VectorOperators.XOR, vhi.selectFrom(hi1));
                b1 = b1.lanewise(VectorOperators.XOR, wlo.selectFrom(lo1)).lanewise(VectorOperators.XOR, whi.selectFrom(hi1));
                c1 = c1.lanewise(VectorOperators.XOR, xlo.selectFrom(lo1)).lanewise(VectorOperators.XOR, xhi.selectFrom(hi1));
                ByteVector lo2 = ByteVector.fromArray(SPECIES, t, ta + 4 * LANES);
                ByteVector hi2 = ByteVector.fromArray(SPECIES, t, ta + 5 * LANES);
                a2 = a2.lanewise(VectorOperators.XOR, vlo.selectFrom(lo2)).lanewise(VectorOperators.XOR, vhi.selectFrom(hi2));
                b2 = b2.lanewise(VectorOperators.XOR, wlo.selectFrom(lo2)).lanewise(VectorOperators.XOR, whi.selectFrom(hi2));
                c2 = c2.lanewise(VectorOperators.XOR, xlo.selectFrom(lo2)).lanewise(VectorOperators.XOR, xhi.selectFrom(hi2));
                ByteVector lo3 = ByteVector.fromArray(SPECIES, t, ta + 6 * LANES);
                ByteVector hi3 = ByteVector.fromArray(SPECIES, t, ta + 7 * LANES);
                a3 = a3.lanewise(VectorOperators.XOR, vlo.selectFrom(lo3)).lanewise(VectorOperators.XOR, vhi.selectFrom(hi3));
                b3 = b3.lanewise(VectorOperators.XOR, wlo.selectFrom(lo3)).lanewise(VectorOperators.XOR, whi.selectFrom(hi3));
                c3 = c3.lanewise(VectorOperators.XOR, xlo.selectFrom(lo3)).lanewise(VectorOperators.XOR, xhi.selectFrom(hi3));
            }
            for (int k = 0; k < xorCols.length; k++) {
                int i = xorCols[k];
                byte[] src = in[i];
                int at = inOff[i] + q;
                ByteVector v = ByteVector.fromArray(SPECIES, src, at);
                ByteVector w = ByteVector.fromArray(SPECIES, src, at + LANES);
                ByteVector x = ByteVector.fromArray(SPECIES, src, at + 2 * LANES);
                int ma = k * 4 * LANES;
                ByteVector mask0 = ByteVector.fromArray(SPECIES, m, ma);
                a0 = a0.lanewise(VectorOperators.XOR, v.lanewise(VectorOperators.AND, mask0));
                b0 = b0.lanewise(VectorOperators.XOR, w.lanewise(VectorOperators.AND, mask0));
                c0 = c0.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.AND, mask0));
                ByteVector mask1 = ByteVector.fromArray(SPECIES, m, ma + LANES);
                a1 = a1.lanewise(VectorOperators.XOR, v.lanewise(VectorOperators.AND, mask1));
                b1 = b1.lanewise(VectorOperators.XOR, w.lanewise(VectorOperators.AND, mask1));
                c1 = c1.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.AND, mask1));
                ByteVector mask2 = ByteVector.fromArray(SPECIES, m, ma + 2 * LANES);
                a2 = a2.lanewise(VectorOperators.XOR, v.lanewise(VectorOperators.AND, mask2));
                b2 = b2.lanewise(VectorOperators.XOR, w.lanewise(VectorOperators.AND, mask2));
                c2 = c2.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.AND, mask2));
                ByteVector mask3 = ByteVector.fromArray(SPECIES, m, ma + 3 * LANES);
                a3 = a3.lanewise(VectorOperators.XOR, v.lanewise(VectorOperators.AND, mask3));
                b3 = b3.lanewise(VectorOperators.XOR, w.lanewise(VectorOperators.AND, mask3));
                c3 = c3.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.AND, mask3));
            }
            a0.intoArray(out[r0], outOff[r0] + q);
            a1.intoArray(out[r1], outOff[r1] + q);
            a2.intoArray(out[r2], outOff[r2] + q);
            a3.intoArray(out[r3], outOff[r3] + q);
            b0.intoArray(out[r0], outOff[r0] + q + LANES);
            b1.intoArray(out[r1], outOff[r1] + q + LANES);
            b2.intoArray(out[r2], outOff[r2] + q + LANES);
            b3.intoArray(out[r3], outOff[r3] + q + LANES);
            c0.intoArray(out[r0], outOff[r0] + q + 2 * LANES);
            c1.intoArray(out[r1], outOff[r1] + q + 2 * LANES);
            c2.intoArray(out[r2], outOff[r2] + q + 2 * LANES);
            c3.intoArray(out[r3], outOff[r3] + q + 2 * LANES);
        }
    }

    private static void group2(Group g, byte[][] in, int[] inOff, byte[][] out, int[] outOff, int from, int to) {
        int r0 = g.rows[0];
        int r1 = g.rows[1];
        byte[] t = g.tables;
        byte[] m = g.masks;
        int[] tableCols = g.tableCols;
        int[] xorCols = g.xorCols;
        for (int q = from; q < to; q += 4 * LANES) {
            ByteVector a0 = ByteVector.zero(SPECIES);
            ByteVector a1 = a0;
            ByteVector b0 = a0;
            ByteVector b1 = a0;
            ByteVector c0 = a0;
            ByteVector c1 = a0;
            ByteVector d0 = a0;
            ByteVector d1 = a0;
            for (int k = 0; k < tableCols.length; k++) {
                int i = tableCols[k];
                byte[] src = in[i];
                int at = inOff[i] + q;
                ByteVector v = ByteVector.fromArray(SPECIES, src, at);
                ByteVector w = ByteVector.fromArray(SPECIES, src, at + LANES);
                ByteVector x = ByteVector.fromArray(SPECIES, src, at + 2 * LANES);
                ByteVector y = ByteVector.fromArray(SPECIES, src, at + 3 * LANES);
                ByteVector vlo = v.lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector vhi = v.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                        .lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector wlo = w.lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector whi = w.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                        .lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector xlo = x.lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector xhi = x.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                        .lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector ylo = y.lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector yhi = y.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                        .lanewise(VectorOperators.AND, (byte) 0x0F);
                int ta = k * 4 * LANES;
                ByteVector lo0 = ByteVector.fromArray(SPECIES, t, ta);
                ByteVector hi0 = ByteVector.fromArray(SPECIES, t, ta + LANES);
                a0 = a0.lanewise(VectorOperators.XOR, vlo.selectFrom(lo0)).lanewise(VectorOperators.XOR, vhi.selectFrom(hi0));
                b0 = b0.lanewise(VectorOperators.XOR, wlo.selectFrom(lo0)).lanewise(VectorOperators.XOR, whi.selectFrom(hi0));
                c0 = c0.lanewise(VectorOperators.XOR, xlo.selectFrom(lo0)).lanewise(VectorOperators.XOR, xhi.selectFrom(hi0));
                d0 = d0.lanewise(VectorOperators.XOR, ylo.selectFrom(lo0)).lanewise(VectorOperators.XOR, yhi.selectFrom(hi0));
                ByteVector lo1 = ByteVector.fromArray(SPECIES, t, ta + 2 * LANES);
                ByteVector hi1 = ByteVector.fromArray(SPECIES, t, ta + 3 * LANES);
                a1 = a1.lanewise(VectorOperators.XOR, vlo.selectFrom(lo1)).lanewise(VectorOperators.XOR, vhi.selectFrom(hi1));
                b1 = b1.lanewise(VectorOperators.XOR, wlo.selectFrom(lo1)).lanewise(VectorOperators.XOR, whi.selectFrom(hi1));
                c1 = c1.lanewise(VectorOperators.XOR, xlo.selectFrom(lo1)).lanewise(VectorOperators.XOR, xhi.selectFrom(hi1));
                d1 = d1.lanewise(VectorOperators.XOR, ylo.selectFrom(lo1)).lanewise(VectorOperators.XOR, yhi.selectFrom(hi1));
            }
            for (int k = 0; k < xorCols.length; k++) {
                int i = xorCols[k];
                byte[] src = in[i];
                int at = inOff[i] + q;
                ByteVector v = ByteVector.fromArray(SPECIES, src, at);
                ByteVector w = ByteVector.fromArray(SPECIES, src, at + LANES);
                ByteVector x = ByteVector.fromArray(SPECIES, src, at + 2 * LANES);
                ByteVector y = ByteVector.fromArray(SPECIES, src, at + 3 * LANES);
                int ma = k * 2 * LANES;
                ByteVector mask0 = ByteVector.fromArray(SPECIES, m, ma);
                a0 = a0.lanewise(VectorOperators.XOR, v.lanewise(VectorOperators.AND, mask0));
                b0 = b0.lanewise(VectorOperators.XOR, w.lanewise(VectorOperators.AND, mask0));
                c0 = c0.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.AND, mask0));
                d0 = d0.lanewise(VectorOperators.XOR, y.lanewise(VectorOperators.AND, mask0));
                ByteVector mask1 = ByteVector.fromArray(SPECIES, m, ma + LANES);
                a1 = a1.lanewise(VectorOperators.XOR, v.lanewise(VectorOperators.AND, mask1));
                b1 = b1.lanewise(VectorOperators.XOR, w.lanewise(VectorOperators.AND, mask1));
                c1 = c1.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.AND, mask1));
                d1 = d1.lanewise(VectorOperators.XOR, y.lanewise(VectorOperators.AND, mask1));
            }
            a0.intoArray(out[r0], outOff[r0] + q);
            a1.intoArray(out[r1], outOff[r1] + q);
            b0.intoArray(out[r0], outOff[r0] + q + LANES);
            b1.intoArray(out[r1], outOff[r1] + q + LANES);
            c0.intoArray(out[r0], outOff[r0] + q + 2 * LANES);
            c1.intoArray(out[r1], outOff[r1] + q + 2 * LANES);
            d0.intoArray(out[r0], outOff[r0] + q + 3 * LANES);
            d1.intoArray(out[r1], outOff[r1] + q + 3 * LANES);
        }
    }

    private static void group1(Group g, byte[][] in, int[] inOff, byte[][] out, int[] outOff, int from, int to) {
        int r0 = g.rows[0];
        byte[] t = g.tables;
        int[] tableCols = g.tableCols;
        int[] xorCols = g.xorCols;
        for (int q = from; q < to; q += 4 * LANES) {
            ByteVector a0 = ByteVector.zero(SPECIES);
            ByteVector b0 = a0;
            ByteVector c0 = a0;
            ByteVector d0 = a0;
            for (int k = 0; k < tableCols.length; k++) {
                int i = tableCols[k];
                byte[] src = in[i];
                int at = inOff[i] + q;
                ByteVector v = ByteVector.fromArray(SPECIES, src, at);
                ByteVector w = ByteVector.fromArray(SPECIES, src, at + LANES);
                ByteVector x = ByteVector.fromArray(SPECIES, src, at + 2 * LANES);
                ByteVector y = ByteVector.fromArray(SPECIES, src, at + 3 * LANES);
                ByteVector vlo = v.lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector vhi = v.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                        .lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector wlo = w.lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector whi = w.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                        .lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector xlo = x.lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector xhi = x.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                        .lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector ylo = y.lanewise(VectorOperators.AND, (byte) 0x0F);
                ByteVector yhi = y.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                        .lanewise(VectorOperators.AND, (byte) 0x0F);
                int ta = k * 2 * LANES;
                ByteVector lo0 = ByteVector.fromArray(SPECIES, t, ta);
                ByteVector hi0 = ByteVector.fromArray(SPECIES, t, ta + LANES);
                a0 = a0.lanewise(VectorOperators.XOR, vlo.selectFrom(lo0)).lanewise(VectorOperators.XOR, vhi.selectFrom(hi0));
                b0 = b0.lanewise(VectorOperators.XOR, wlo.selectFrom(lo0)).lanewise(VectorOperators.XOR, whi.selectFrom(hi0));
                c0 = c0.lanewise(VectorOperators.XOR, xlo.selectFrom(lo0)).lanewise(VectorOperators.XOR, xhi.selectFrom(hi0));
                d0 = d0.lanewise(VectorOperators.XOR, ylo.selectFrom(lo0)).lanewise(VectorOperators.XOR, yhi.selectFrom(hi0));
            }
            for (int k = 0; k < xorCols.length; k++) {
                int i = xorCols[k];
                byte[] src = in[i];
                int at = inOff[i] + q;
                ByteVector v = ByteVector.fromArray(SPECIES, src, at);
                ByteVector w = ByteVector.fromArray(SPECIES, src, at + LANES);
                ByteVector x = ByteVector.fromArray(SPECIES, src, at + 2 * LANES);
                ByteVector y = ByteVector.fromArray(SPECIES, src, at + 3 * LANES);
                a0 = a0.lanewise(VectorOperators.XOR, v);
                b0 = b0.lanewise(VectorOperators.XOR, w);
                c0 = c0.lanewise(VectorOperators.XOR, x);
                d0 = d0.lanewise(VectorOperators.XOR, y);
            }
            a0.intoArray(out[r0], outOff[r0] + q);
            b0.intoArray(out[r0], outOff[r0] + q + LANES);
            c0.intoArray(out[r0], outOff[r0] + q + 2 * LANES);
            d0.intoArray(out[r0], outOff[r0] + q + 3 * LANES);
        }
    }

    /**
     * A decoding pair plan of the (3, 5) shape in one pass (see {@link Pair}): row 0 = c * u + v + w,
     * row 1 = k * row 0 looked up in registers, row 2 = the inputs and row 1 under 0/1 masks.
     * Straight-line over its three inputs, two vectors per iteration (1.08x one vector in
     * alternating JMH runs, 6 of 6; three were 1.04x, within the noise, with more registers):
     * written with loops over the columns, as the group loops are, it ran at 9-10 GB/s, below the
     * inverse's 12 to 16.
     */
    private static void pair(Pair g, byte[][] in, int[] inOff, byte[][] out, int[] outOff, int from, int to) {
        byte[] u = in[g.tableCol];
        byte[] v = in[g.xorCols[0]];
        byte[] w = in[g.xorCols[1]];
        int uo = inOff[g.tableCol];
        int vo = inOff[g.xorCols[0]];
        int wo = inOff[g.xorCols[1]];
        byte[] d0 = out[0];
        byte[] d1 = out[1];
        byte[] d2 = out[2];
        int e0 = outOff[0];
        int e1 = outOff[1];
        int e2 = outOff[2];
        ByteVector clo = ByteVector.fromArray(SPECIES, g.tables, 0);
        ByteVector chi = ByteVector.fromArray(SPECIES, g.tables, LANES);
        ByteVector klo = ByteVector.fromArray(SPECIES, g.tables, 2 * LANES);
        ByteVector khi = ByteVector.fromArray(SPECIES, g.tables, 3 * LANES);
        ByteVector v0 = ByteVector.fromArray(SPECIES, g.masks, 0);
        ByteVector w0 = ByteVector.fromArray(SPECIES, g.masks, LANES);
        ByteVector u2 = ByteVector.fromArray(SPECIES, g.masks, 2 * LANES);
        ByteVector v2 = ByteVector.fromArray(SPECIES, g.masks, 3 * LANES);
        ByteVector w2 = ByteVector.fromArray(SPECIES, g.masks, 4 * LANES);
        ByteVector y2 = ByteVector.fromArray(SPECIES, g.masks, 5 * LANES);
        // Two vectors per pass: two independent chains of lookups (t, then y from t) to overlap.
        for (int q = from; q < to; q += 2 * LANES) {
            ByteVector a = ByteVector.fromArray(SPECIES, u, uo + q);
            ByteVector b = ByteVector.fromArray(SPECIES, v, vo + q);
            ByteVector c = ByteVector.fromArray(SPECIES, w, wo + q);
            ByteVector t = a.lanewise(VectorOperators.AND, (byte) 0x0F).selectFrom(clo)
                    .lanewise(VectorOperators.XOR, a.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                            .lanewise(VectorOperators.AND, (byte) 0x0F).selectFrom(chi))
                    .lanewise(VectorOperators.XOR, b.lanewise(VectorOperators.AND, v0))
                    .lanewise(VectorOperators.XOR, c.lanewise(VectorOperators.AND, w0));
            ByteVector y = t.lanewise(VectorOperators.AND, (byte) 0x0F).selectFrom(klo)
                    .lanewise(VectorOperators.XOR, t.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                            .lanewise(VectorOperators.AND, (byte) 0x0F).selectFrom(khi));
            ByteVector x = a.lanewise(VectorOperators.AND, u2)
                    .lanewise(VectorOperators.XOR, b.lanewise(VectorOperators.AND, v2))
                    .lanewise(VectorOperators.XOR, c.lanewise(VectorOperators.AND, w2))
                    .lanewise(VectorOperators.XOR, y.lanewise(VectorOperators.AND, y2));
            ByteVector an = ByteVector.fromArray(SPECIES, u, uo + q + LANES);
            ByteVector bn = ByteVector.fromArray(SPECIES, v, vo + q + LANES);
            ByteVector cn = ByteVector.fromArray(SPECIES, w, wo + q + LANES);
            ByteVector tn = an.lanewise(VectorOperators.AND, (byte) 0x0F).selectFrom(clo)
                    .lanewise(VectorOperators.XOR, an.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                            .lanewise(VectorOperators.AND, (byte) 0x0F).selectFrom(chi))
                    .lanewise(VectorOperators.XOR, bn.lanewise(VectorOperators.AND, v0))
                    .lanewise(VectorOperators.XOR, cn.lanewise(VectorOperators.AND, w0));
            ByteVector yn = tn.lanewise(VectorOperators.AND, (byte) 0x0F).selectFrom(klo)
                    .lanewise(VectorOperators.XOR, tn.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                            .lanewise(VectorOperators.AND, (byte) 0x0F).selectFrom(khi));
            ByteVector xn = an.lanewise(VectorOperators.AND, u2)
                    .lanewise(VectorOperators.XOR, bn.lanewise(VectorOperators.AND, v2))
                    .lanewise(VectorOperators.XOR, cn.lanewise(VectorOperators.AND, w2))
                    .lanewise(VectorOperators.XOR, yn.lanewise(VectorOperators.AND, y2));
            t.intoArray(d0, e0 + q);
            y.intoArray(d1, e1 + q);
            x.intoArray(d2, e2 + q);
            tn.intoArray(d0, e0 + q + LANES);
            yn.intoArray(d1, e1 + q + LANES);
            xn.intoArray(d2, e2 + q + LANES);
        }
    }

    /**
     * The plan of Ida's two lost pieces for m = 3 with one multiplied input: three rows where
     * row 0 reads one input with a coefficient above 1 and two with 0 or 1, row 1 only row 0,
     * and row 2 only those inputs and row 1, with 0 or 1. Null for any other plan.
     */
    static final class Pair {
        final int tableCol;
        final int[] xorCols;
        /** Row 0's coefficient on the table column, then row 1's on row 0: two nibble tables each. */
        final byte[] tables = new byte[4 * LANES];
        /** Row 0 on the XOR columns, row 2 on the table and XOR columns and on row 1: 0xFF for 1. */
        final byte[] masks = new byte[6 * LANES];

        private Pair(GaloisField field, int inputs, int[][] coef, int tableCol, int[] xorCols) {
            this.tableCol = tableCol;
            this.xorCols = xorCols;
            fillTables(field, coef[0][tableCol], 0);
            fillTables(field, coef[1][inputs], 2 * LANES);
            int[] maskOf = {coef[0][xorCols[0]], coef[0][xorCols[1]], coef[2][tableCol], coef[2][xorCols[0]],
                coef[2][xorCols[1]], coef[2][inputs + 1]};
            for (int k = 0; k < maskOf.length; k++) {
                Arrays.fill(masks, k * LANES, (k + 1) * LANES, (byte) (maskOf[k] == 1 ? 0xFF : 0));
            }
        }

        static Pair of(GaloisField field, int inputs, int[][] coef) {
            if (inputs != 3 || coef.length != 3 || coef[0].length != inputs + 3) {
                return null;
            }
            int[] tableCols = IntStream.range(0, inputs).filter(i -> coef[0][i] > 1).toArray();
            if (tableCols.length != 1) {
                return null;
            }
            int[] xorCols = IntStream.range(0, inputs).filter(i -> i != tableCols[0]).toArray();
            boolean shape = coef[1][inputs] != 0
                    && IntStream.range(0, inputs + 3).allMatch(i -> i == inputs || coef[1][i] == 0)
                    && IntStream.range(inputs, inputs + 3).allMatch(i -> coef[0][i] == 0)
                    && coef[2][inputs] == 0 && coef[2][inputs + 2] == 0
                    && Arrays.stream(coef[2]).allMatch(c -> c <= 1);
            return shape ? new Pair(field, inputs, coef, tableCols[0], xorCols) : null;
        }

        private void fillTables(GaloisField field, int c, int at) {
            for (int x = 0; x < LANES; x++) {
                tables[at + x] = (byte) field.multiply(c, x & 15);
                tables[at + LANES + x] = (byte) field.multiply(c, (x & 15) << 4);
            }
        }
    }

    /**
     * Up to four rows processed together, and how each input enters them. An input where some row
     * of the group has a coefficient other than 0 and 1 is a table column: it is split into
     * nibbles and every row of the group looks it up. An input where every row has 0 or 1 is an
     * XOR column: no split, no lookup. An input that is 0 for every row of the group is not read.
     */
    static final class Group {
        final int[] rows;
        final int[] tableCols;
        final int[] xorCols;
        /** For table column k and row j of the group, at (k * rows + j) * 2 * LANES: its two nibble tables. */
        final byte[] tables;
        /** For XOR column k and row j, at (k * rows + j) * LANES: LANES bytes, 0xFF for coefficient 1, else 0. */
        final byte[] masks;

        /**
         * A group of four whose row 0 is 1 on every multiplied column: that row needs no lookup
         * (group4Ones). Other groups of four have no XOR columns: every input they read is a
         * table column (group4).
         */
        final boolean onesRow;

        Group(GaloisField field, int[][] coef, int[] rows) {
            this.rows = rows;
            int inputs = coef[rows[0]].length;
            int[] multiplied = IntStream.range(0, inputs)
                    .filter(i -> IntStream.of(rows).anyMatch(r -> coef[r][i] > 1))
                    .toArray();
            onesRow = rows.length == 4 && multiplied.length > 0
                    && IntStream.of(multiplied).allMatch(i -> coef[rows[0]][i] == 1);
            boolean xorSplit = rows.length < 4 || onesRow;
            tableCols = xorSplit ? multiplied : IntStream.range(0, inputs)
                    .filter(i -> IntStream.of(rows).anyMatch(r -> coef[r][i] != 0))
                    .toArray();
            xorCols = !xorSplit ? new int[0] : IntStream.range(0, inputs)
                    .filter(i -> IntStream.of(rows).noneMatch(r -> coef[r][i] > 1))
                    .filter(i -> IntStream.of(rows).anyMatch(r -> coef[r][i] == 1))
                    .toArray();
            tables = new byte[tableCols.length * rows.length * 2 * LANES];
            masks = new byte[xorCols.length * rows.length * LANES];
            for (int j = 0; j < rows.length; j++) {
                for (int k = 0; k < tableCols.length; k++) {
                    int c = coef[rows[j]][tableCols[k]];
                    int at = (k * rows.length + j) * 2 * LANES;
                    for (int x = 0; x < LANES; x++) {
                        tables[at + x] = (byte) field.multiply(c, x & 15);
                        tables[at + LANES + x] = (byte) field.multiply(c, (x & 15) << 4);
                    }
                }
                for (int k = 0; k < xorCols.length; k++) {
                    if (coef[rows[j]][xorCols[k]] == 1) {
                        int at = (k * rows.length + j) * LANES;
                        Arrays.fill(masks, at, at + LANES, (byte) 0xFF);
                    }
                }
            }
        }
    }

    /**
     * Adds to the scalar plan (used for ranges shorter than a step) the row groups: fours, then a two, then a one;
     * smaller where a row reads the output of another row of its group, which must be done first.
     */
    static final class NibblePlan extends ScalarKernel.TablePlan {
        final Group[] groups;
        /** Every coefficient 0 or 1: rows go through xorRow, not the groups. */
        final boolean xorOnly;

        /** Set for a decoding pair plan of the (3, 5) shape, which runs in one fused pass. */
        final Pair pair;

        NibblePlan(GaloisField field, int inputs, int[][] coef) {
            super(field, inputs, coef);
            pair = Pair.of(field, inputs, this.coef);
            xorOnly = Arrays.stream(coef).flatMapToInt(IntStream::of).allMatch(c -> c <= 1);
            // Rows of only 0 and 1 stay in the groups with the others: processed apart they cost
            // a second pass over the inputs, measured slower for (3, 5) than their identity-table
            // lookups, even in L2.
            List<Group> list = new ArrayList<>();
            int r = 0;
            while (r < coef.length) {
                int size = coef.length - r >= 4 ? 4 : coef.length - r >= 2 ? 2 : 1;
                while (size > 1 && readsWithin(r, r + size)) {
                    size /= 2;
                }
                list.add(new Group(field, this.coef, IntStream.range(r, r + size).toArray()));
                r += size;
            }
            groups = list.toArray(new Group[0]);
        }
    }
}
