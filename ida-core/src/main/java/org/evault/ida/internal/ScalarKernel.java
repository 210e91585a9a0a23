package org.evault.ida.internal;

import java.util.Arrays;

import org.evault.ida.GaloisField;

/**
 * The pure-Java kernel: one 256-byte product table per coefficient, XOR for coefficient 1.
 *
 * <p>Rows are produced chunk by chunk, so that an output chunk stays in L1 while every input is
 * folded into it; coefficient 0 is skipped, 1 is a plain XOR loop (which C2 vectorises), anything
 * else a table lookup per byte, three inputs per pass. The first pass initialises the chunk,
 * saving a zero-fill pass.
 */
public final class ScalarKernel implements GfKernel {
    private static final int CHUNK = 4096;

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public Plan plan(GaloisField field, int[][] coef) {
        return new TablePlan(field, TablePlan.width(coef), coef);
    }

    @Override
    public Plan chainedPlan(GaloisField field, int inputs, int[][] coef) {
        return new TablePlan(field, inputs, coef);
    }

    /** True: a byte lookup costs more than a pass over a chunk in L1 (decoding 1.7x faster for (3, 5)). */
    @Override
    public boolean rereadsOutputsCheaply() {
        return true;
    }

    @Override
    public boolean onePass(Plan plan) {
        return !((TablePlan) plan).chained;
    }


    @Override
    public void apply(Plan plan, byte[][] in, int[] inOff, byte[][] out, int[] outOff, int length) {
        TablePlan p = (TablePlan) plan;
        if (p.chained) {
            in = p.withOutputs(in, out);
            inOff = p.withOutputs(inOff, outOff);
        }
        if (allZero(inOff) && allZero(outOff)) {
            sameOffsets(p, in, out, length);
            return;
        }
        for (int from = 0; from < length; from += CHUNK) {
            int len = Math.min(CHUNK, length - from);
            for (int r = 0; r < p.rows(); r++) {
                row(p, r, in, inOff, out[r], outOff[r] + from, from, len);
            }
        }
    }

    private static boolean allZero(int[] offsets) {
        for (int o : offsets) {
            if (o != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Every input and output at offset 0, as when decoding: the plainest loops, one index for
     * all arrays, one input at a time folded into the output chunk. C2 compiles these best: in
     * JMH on JDK 17 they decode 10% to 15% faster than the fused, unrolled loops below.
     */
    private static void sameOffsets(TablePlan p, byte[][] in, byte[][] out, int len) {
        for (int from = 0; from < len; from += CHUNK) {
            int to = Math.min(len, from + CHUNK);
            for (int r = 0; r < p.rows(); r++) {
                byte[] o = out[r];
                boolean written = false;
                for (int i = 0; i < p.coef[r].length; i++) {
                    int c = p.coef[r][i];
                    if (c == 0) {
                        continue;
                    }
                    byte[] x = in[i];
                    byte[] t = p.products[r][i];
                    if (c == 1 && !written) {
                        System.arraycopy(x, from, o, from, to - from);
                    } else if (c == 1) {
                        for (int b = from; b < to; b++) {
                            o[b] ^= x[b];
                        }
                    } else if (!written) {
                        for (int b = from; b < to; b++) {
                            o[b] = t[x[b] & 0xFF];
                        }
                    } else {
                        for (int b = from; b < to; b++) {
                            o[b] ^= t[x[b] & 0xFF];
                        }
                    }
                    written = true;
                }
                if (!written) {
                    Arrays.fill(o, from, to, (byte) 0);
                }
            }
        }
    }

    /**
     * Bytes [from, from + len) of row r; also the tail loop of the vector kernel. Table inputs go
     * first, up to three per pass with the output written once per pass (a read-modify-write per
     * input costs more than the lookups); then the coefficient-1 inputs, as plain XOR loops.
     *
     * <p>Every loop counts over the first input's own indexes and reaches the other arrays by a
     * fixed difference: written as {@code a[ao + k]} for k from 0, C2 keeps a range check per
     * access and the loop runs at half the speed (measured on JDK 17). The loops are unrolled by
     * hand eight times; that also makes them too large for C2 to inline into their caller, where
     * they were compiled worse and ran at 0.6x (JMH, JDK 17).
     */
    static void row(TablePlan p, int r, byte[][] in, int[] inOff, byte[] dst, int d, int from, int len) {
        int[] lookups = p.lookupInputs[r];
        int[] xors = p.xorInputs[r];
        byte[][] t = p.products[r];
        boolean written = false;
        int g = 0;
        while (g < lookups.length) {
            int left = lookups.length - g;
            if (left >= 3) {
                int a = lookups[g];
                int b = lookups[g + 1];
                int c = lookups[g + 2];
                if (written) {
                    lookup3Xor(t[a], in[a], inOff[a] + from, t[b], in[b], inOff[b] + from, t[c], in[c], inOff[c] + from, dst, d, len);
                } else {
                    lookup3Set(t[a], in[a], inOff[a] + from, t[b], in[b], inOff[b] + from, t[c], in[c], inOff[c] + from, dst, d, len);
                }
                g += 3;
            } else if (left == 2) {
                int a = lookups[g];
                int b = lookups[g + 1];
                if (written) {
                    lookup2Xor(t[a], in[a], inOff[a] + from, t[b], in[b], inOff[b] + from, dst, d, len);
                } else {
                    lookup2Set(t[a], in[a], inOff[a] + from, t[b], in[b], inOff[b] + from, dst, d, len);
                }
                g += 2;
            } else {
                int a = lookups[g];
                if (written) {
                    lookup1Xor(t[a], in[a], inOff[a] + from, dst, d, len);
                } else {
                    lookup1Set(t[a], in[a], inOff[a] + from, dst, d, len);
                }
                g += 1;
            }
            written = true;
        }
        for (int i : xors) {
            byte[] src = in[i];
            int s = inOff[i] + from;
            if (!written) {
                System.arraycopy(src, s, dst, d, len);
                written = true;
            } else {
                xorInto(src, s, dst, d, len);
            }
        }
        if (!written) {
            Arrays.fill(dst, d, d + len, (byte) 0);
        }
    }

    private static void xorInto(byte[] src, int s, byte[] dst, int d, int len) {
        int dd = d - s;
        for (int k = s; k < s + len; k++) {
            dst[dd + k] ^= src[k];
        }
    }

    private static void lookup3Xor(byte[] ta, byte[] a, int ao, byte[] tb, byte[] b, int bo, byte[] tc, byte[] c, int co, byte[] dst, int d, int len) {
        int end = ao + len;
        int dd = d - ao;
        int db = bo - ao;
        int dc = co - ao;
        if (dd == 0 && db == 0 && dc == 0) {
            // All at the same offsets (decoding): one index for every array, as C2 likes best.
            int k = ao;
            for (; k + 8 <= end; k += 8) {
                dst[k] ^= (byte) (ta[a[k] & 0xFF] ^ tb[b[k] & 0xFF] ^ tc[c[k] & 0xFF]);
                dst[k + 1] ^= (byte) (ta[a[k + 1] & 0xFF] ^ tb[b[k + 1] & 0xFF] ^ tc[c[k + 1] & 0xFF]);
                dst[k + 2] ^= (byte) (ta[a[k + 2] & 0xFF] ^ tb[b[k + 2] & 0xFF] ^ tc[c[k + 2] & 0xFF]);
                dst[k + 3] ^= (byte) (ta[a[k + 3] & 0xFF] ^ tb[b[k + 3] & 0xFF] ^ tc[c[k + 3] & 0xFF]);
                dst[k + 4] ^= (byte) (ta[a[k + 4] & 0xFF] ^ tb[b[k + 4] & 0xFF] ^ tc[c[k + 4] & 0xFF]);
                dst[k + 5] ^= (byte) (ta[a[k + 5] & 0xFF] ^ tb[b[k + 5] & 0xFF] ^ tc[c[k + 5] & 0xFF]);
                dst[k + 6] ^= (byte) (ta[a[k + 6] & 0xFF] ^ tb[b[k + 6] & 0xFF] ^ tc[c[k + 6] & 0xFF]);
                dst[k + 7] ^= (byte) (ta[a[k + 7] & 0xFF] ^ tb[b[k + 7] & 0xFF] ^ tc[c[k + 7] & 0xFF]);
            }
            for (; k < end; k++) {
                dst[k] ^= (byte) (ta[a[k] & 0xFF] ^ tb[b[k] & 0xFF] ^ tc[c[k] & 0xFF]);
            }
            return;
        }
        int k = ao;
        for (; k + 8 <= end; k += 8) {
            dst[dd + k] ^= (byte) (ta[a[k] & 0xFF] ^ tb[b[db + k] & 0xFF] ^ tc[c[dc + k] & 0xFF]);
            dst[dd + k + 1] ^= (byte) (ta[a[k + 1] & 0xFF] ^ tb[b[db + k + 1] & 0xFF] ^ tc[c[dc + k + 1] & 0xFF]);
            dst[dd + k + 2] ^= (byte) (ta[a[k + 2] & 0xFF] ^ tb[b[db + k + 2] & 0xFF] ^ tc[c[dc + k + 2] & 0xFF]);
            dst[dd + k + 3] ^= (byte) (ta[a[k + 3] & 0xFF] ^ tb[b[db + k + 3] & 0xFF] ^ tc[c[dc + k + 3] & 0xFF]);
            dst[dd + k + 4] ^= (byte) (ta[a[k + 4] & 0xFF] ^ tb[b[db + k + 4] & 0xFF] ^ tc[c[dc + k + 4] & 0xFF]);
            dst[dd + k + 5] ^= (byte) (ta[a[k + 5] & 0xFF] ^ tb[b[db + k + 5] & 0xFF] ^ tc[c[dc + k + 5] & 0xFF]);
            dst[dd + k + 6] ^= (byte) (ta[a[k + 6] & 0xFF] ^ tb[b[db + k + 6] & 0xFF] ^ tc[c[dc + k + 6] & 0xFF]);
            dst[dd + k + 7] ^= (byte) (ta[a[k + 7] & 0xFF] ^ tb[b[db + k + 7] & 0xFF] ^ tc[c[dc + k + 7] & 0xFF]);
        }
        for (; k < end; k++) {
            dst[dd + k] ^= (byte) (ta[a[k] & 0xFF] ^ tb[b[db + k] & 0xFF] ^ tc[c[dc + k] & 0xFF]);
        }
    }

    private static void lookup3Set(byte[] ta, byte[] a, int ao, byte[] tb, byte[] b, int bo, byte[] tc, byte[] c, int co, byte[] dst, int d, int len) {
        int end = ao + len;
        int dd = d - ao;
        int db = bo - ao;
        int dc = co - ao;
        if (dd == 0 && db == 0 && dc == 0) {
            // All at the same offsets (decoding): one index for every array, as C2 likes best.
            int k = ao;
            for (; k + 8 <= end; k += 8) {
                dst[k] = (byte) (ta[a[k] & 0xFF] ^ tb[b[k] & 0xFF] ^ tc[c[k] & 0xFF]);
                dst[k + 1] = (byte) (ta[a[k + 1] & 0xFF] ^ tb[b[k + 1] & 0xFF] ^ tc[c[k + 1] & 0xFF]);
                dst[k + 2] = (byte) (ta[a[k + 2] & 0xFF] ^ tb[b[k + 2] & 0xFF] ^ tc[c[k + 2] & 0xFF]);
                dst[k + 3] = (byte) (ta[a[k + 3] & 0xFF] ^ tb[b[k + 3] & 0xFF] ^ tc[c[k + 3] & 0xFF]);
                dst[k + 4] = (byte) (ta[a[k + 4] & 0xFF] ^ tb[b[k + 4] & 0xFF] ^ tc[c[k + 4] & 0xFF]);
                dst[k + 5] = (byte) (ta[a[k + 5] & 0xFF] ^ tb[b[k + 5] & 0xFF] ^ tc[c[k + 5] & 0xFF]);
                dst[k + 6] = (byte) (ta[a[k + 6] & 0xFF] ^ tb[b[k + 6] & 0xFF] ^ tc[c[k + 6] & 0xFF]);
                dst[k + 7] = (byte) (ta[a[k + 7] & 0xFF] ^ tb[b[k + 7] & 0xFF] ^ tc[c[k + 7] & 0xFF]);
            }
            for (; k < end; k++) {
                dst[k] = (byte) (ta[a[k] & 0xFF] ^ tb[b[k] & 0xFF] ^ tc[c[k] & 0xFF]);
            }
            return;
        }
        int k = ao;
        for (; k + 8 <= end; k += 8) {
            dst[dd + k] = (byte) (ta[a[k] & 0xFF] ^ tb[b[db + k] & 0xFF] ^ tc[c[dc + k] & 0xFF]);
            dst[dd + k + 1] = (byte) (ta[a[k + 1] & 0xFF] ^ tb[b[db + k + 1] & 0xFF] ^ tc[c[dc + k + 1] & 0xFF]);
            dst[dd + k + 2] = (byte) (ta[a[k + 2] & 0xFF] ^ tb[b[db + k + 2] & 0xFF] ^ tc[c[dc + k + 2] & 0xFF]);
            dst[dd + k + 3] = (byte) (ta[a[k + 3] & 0xFF] ^ tb[b[db + k + 3] & 0xFF] ^ tc[c[dc + k + 3] & 0xFF]);
            dst[dd + k + 4] = (byte) (ta[a[k + 4] & 0xFF] ^ tb[b[db + k + 4] & 0xFF] ^ tc[c[dc + k + 4] & 0xFF]);
            dst[dd + k + 5] = (byte) (ta[a[k + 5] & 0xFF] ^ tb[b[db + k + 5] & 0xFF] ^ tc[c[dc + k + 5] & 0xFF]);
            dst[dd + k + 6] = (byte) (ta[a[k + 6] & 0xFF] ^ tb[b[db + k + 6] & 0xFF] ^ tc[c[dc + k + 6] & 0xFF]);
            dst[dd + k + 7] = (byte) (ta[a[k + 7] & 0xFF] ^ tb[b[db + k + 7] & 0xFF] ^ tc[c[dc + k + 7] & 0xFF]);
        }
        for (; k < end; k++) {
            dst[dd + k] = (byte) (ta[a[k] & 0xFF] ^ tb[b[db + k] & 0xFF] ^ tc[c[dc + k] & 0xFF]);
        }
    }

    private static void lookup2Xor(byte[] ta, byte[] a, int ao, byte[] tb, byte[] b, int bo, byte[] dst, int d, int len) {
        int end = ao + len;
        int dd = d - ao;
        int db = bo - ao;
        if (dd == 0 && db == 0) {
            // All at the same offsets (decoding): one index for every array, as C2 likes best.
            int k = ao;
            for (; k + 8 <= end; k += 8) {
                dst[k] ^= (byte) (ta[a[k] & 0xFF] ^ tb[b[k] & 0xFF]);
                dst[k + 1] ^= (byte) (ta[a[k + 1] & 0xFF] ^ tb[b[k + 1] & 0xFF]);
                dst[k + 2] ^= (byte) (ta[a[k + 2] & 0xFF] ^ tb[b[k + 2] & 0xFF]);
                dst[k + 3] ^= (byte) (ta[a[k + 3] & 0xFF] ^ tb[b[k + 3] & 0xFF]);
                dst[k + 4] ^= (byte) (ta[a[k + 4] & 0xFF] ^ tb[b[k + 4] & 0xFF]);
                dst[k + 5] ^= (byte) (ta[a[k + 5] & 0xFF] ^ tb[b[k + 5] & 0xFF]);
                dst[k + 6] ^= (byte) (ta[a[k + 6] & 0xFF] ^ tb[b[k + 6] & 0xFF]);
                dst[k + 7] ^= (byte) (ta[a[k + 7] & 0xFF] ^ tb[b[k + 7] & 0xFF]);
            }
            for (; k < end; k++) {
                dst[k] ^= (byte) (ta[a[k] & 0xFF] ^ tb[b[k] & 0xFF]);
            }
            return;
        }
        int k = ao;
        for (; k + 8 <= end; k += 8) {
            dst[dd + k] ^= (byte) (ta[a[k] & 0xFF] ^ tb[b[db + k] & 0xFF]);
            dst[dd + k + 1] ^= (byte) (ta[a[k + 1] & 0xFF] ^ tb[b[db + k + 1] & 0xFF]);
            dst[dd + k + 2] ^= (byte) (ta[a[k + 2] & 0xFF] ^ tb[b[db + k + 2] & 0xFF]);
            dst[dd + k + 3] ^= (byte) (ta[a[k + 3] & 0xFF] ^ tb[b[db + k + 3] & 0xFF]);
            dst[dd + k + 4] ^= (byte) (ta[a[k + 4] & 0xFF] ^ tb[b[db + k + 4] & 0xFF]);
            dst[dd + k + 5] ^= (byte) (ta[a[k + 5] & 0xFF] ^ tb[b[db + k + 5] & 0xFF]);
            dst[dd + k + 6] ^= (byte) (ta[a[k + 6] & 0xFF] ^ tb[b[db + k + 6] & 0xFF]);
            dst[dd + k + 7] ^= (byte) (ta[a[k + 7] & 0xFF] ^ tb[b[db + k + 7] & 0xFF]);
        }
        for (; k < end; k++) {
            dst[dd + k] ^= (byte) (ta[a[k] & 0xFF] ^ tb[b[db + k] & 0xFF]);
        }
    }

    private static void lookup2Set(byte[] ta, byte[] a, int ao, byte[] tb, byte[] b, int bo, byte[] dst, int d, int len) {
        int end = ao + len;
        int dd = d - ao;
        int db = bo - ao;
        if (dd == 0 && db == 0) {
            // All at the same offsets (decoding): one index for every array, as C2 likes best.
            int k = ao;
            for (; k + 8 <= end; k += 8) {
                dst[k] = (byte) (ta[a[k] & 0xFF] ^ tb[b[k] & 0xFF]);
                dst[k + 1] = (byte) (ta[a[k + 1] & 0xFF] ^ tb[b[k + 1] & 0xFF]);
                dst[k + 2] = (byte) (ta[a[k + 2] & 0xFF] ^ tb[b[k + 2] & 0xFF]);
                dst[k + 3] = (byte) (ta[a[k + 3] & 0xFF] ^ tb[b[k + 3] & 0xFF]);
                dst[k + 4] = (byte) (ta[a[k + 4] & 0xFF] ^ tb[b[k + 4] & 0xFF]);
                dst[k + 5] = (byte) (ta[a[k + 5] & 0xFF] ^ tb[b[k + 5] & 0xFF]);
                dst[k + 6] = (byte) (ta[a[k + 6] & 0xFF] ^ tb[b[k + 6] & 0xFF]);
                dst[k + 7] = (byte) (ta[a[k + 7] & 0xFF] ^ tb[b[k + 7] & 0xFF]);
            }
            for (; k < end; k++) {
                dst[k] = (byte) (ta[a[k] & 0xFF] ^ tb[b[k] & 0xFF]);
            }
            return;
        }
        int k = ao;
        for (; k + 8 <= end; k += 8) {
            dst[dd + k] = (byte) (ta[a[k] & 0xFF] ^ tb[b[db + k] & 0xFF]);
            dst[dd + k + 1] = (byte) (ta[a[k + 1] & 0xFF] ^ tb[b[db + k + 1] & 0xFF]);
            dst[dd + k + 2] = (byte) (ta[a[k + 2] & 0xFF] ^ tb[b[db + k + 2] & 0xFF]);
            dst[dd + k + 3] = (byte) (ta[a[k + 3] & 0xFF] ^ tb[b[db + k + 3] & 0xFF]);
            dst[dd + k + 4] = (byte) (ta[a[k + 4] & 0xFF] ^ tb[b[db + k + 4] & 0xFF]);
            dst[dd + k + 5] = (byte) (ta[a[k + 5] & 0xFF] ^ tb[b[db + k + 5] & 0xFF]);
            dst[dd + k + 6] = (byte) (ta[a[k + 6] & 0xFF] ^ tb[b[db + k + 6] & 0xFF]);
            dst[dd + k + 7] = (byte) (ta[a[k + 7] & 0xFF] ^ tb[b[db + k + 7] & 0xFF]);
        }
        for (; k < end; k++) {
            dst[dd + k] = (byte) (ta[a[k] & 0xFF] ^ tb[b[db + k] & 0xFF]);
        }
    }

    private static void lookup1Xor(byte[] ta, byte[] a, int ao, byte[] dst, int d, int len) {
        int end = ao + len;
        int dd = d - ao;
        if (dd == 0) {
            // All at the same offsets (decoding): one index for every array, as C2 likes best.
            int k = ao;
            for (; k + 8 <= end; k += 8) {
                dst[k] ^= (byte) (ta[a[k] & 0xFF]);
                dst[k + 1] ^= (byte) (ta[a[k + 1] & 0xFF]);
                dst[k + 2] ^= (byte) (ta[a[k + 2] & 0xFF]);
                dst[k + 3] ^= (byte) (ta[a[k + 3] & 0xFF]);
                dst[k + 4] ^= (byte) (ta[a[k + 4] & 0xFF]);
                dst[k + 5] ^= (byte) (ta[a[k + 5] & 0xFF]);
                dst[k + 6] ^= (byte) (ta[a[k + 6] & 0xFF]);
                dst[k + 7] ^= (byte) (ta[a[k + 7] & 0xFF]);
            }
            for (; k < end; k++) {
                dst[k] ^= (byte) (ta[a[k] & 0xFF]);
            }
            return;
        }
        int k = ao;
        for (; k + 8 <= end; k += 8) {
            dst[dd + k] ^= (byte) (ta[a[k] & 0xFF]);
            dst[dd + k + 1] ^= (byte) (ta[a[k + 1] & 0xFF]);
            dst[dd + k + 2] ^= (byte) (ta[a[k + 2] & 0xFF]);
            dst[dd + k + 3] ^= (byte) (ta[a[k + 3] & 0xFF]);
            dst[dd + k + 4] ^= (byte) (ta[a[k + 4] & 0xFF]);
            dst[dd + k + 5] ^= (byte) (ta[a[k + 5] & 0xFF]);
            dst[dd + k + 6] ^= (byte) (ta[a[k + 6] & 0xFF]);
            dst[dd + k + 7] ^= (byte) (ta[a[k + 7] & 0xFF]);
        }
        for (; k < end; k++) {
            dst[dd + k] ^= (byte) (ta[a[k] & 0xFF]);
        }
    }

    private static void lookup1Set(byte[] ta, byte[] a, int ao, byte[] dst, int d, int len) {
        int end = ao + len;
        int dd = d - ao;
        if (dd == 0) {
            // All at the same offsets (decoding): one index for every array, as C2 likes best.
            int k = ao;
            for (; k + 8 <= end; k += 8) {
                dst[k] = ta[a[k] & 0xFF];
                dst[k + 1] = ta[a[k + 1] & 0xFF];
                dst[k + 2] = ta[a[k + 2] & 0xFF];
                dst[k + 3] = ta[a[k + 3] & 0xFF];
                dst[k + 4] = ta[a[k + 4] & 0xFF];
                dst[k + 5] = ta[a[k + 5] & 0xFF];
                dst[k + 6] = ta[a[k + 6] & 0xFF];
                dst[k + 7] = ta[a[k + 7] & 0xFF];
            }
            for (; k < end; k++) {
                dst[k] = ta[a[k] & 0xFF];
            }
            return;
        }
        int k = ao;
        for (; k + 8 <= end; k += 8) {
            dst[dd + k] = ta[a[k] & 0xFF];
            dst[dd + k + 1] = ta[a[k + 1] & 0xFF];
            dst[dd + k + 2] = ta[a[k + 2] & 0xFF];
            dst[dd + k + 3] = ta[a[k + 3] & 0xFF];
            dst[dd + k + 4] = ta[a[k + 4] & 0xFF];
            dst[dd + k + 5] = ta[a[k + 5] & 0xFF];
            dst[dd + k + 6] = ta[a[k + 6] & 0xFF];
            dst[dd + k + 7] = ta[a[k + 7] & 0xFF];
        }
        for (; k < end; k++) {
            dst[dd + k] = ta[a[k] & 0xFF];
        }
    }

    /** Coefficients and their 256-entry product tables (null for 0 and 1). */
    static class TablePlan implements Plan {
        final int inputs;
        /** Some row reads an earlier row's output: apply appends the outputs to the inputs. */
        final boolean chained;
        final int[][] coef;
        final byte[][][] products;
        /** Per row: the inputs with a coefficient above 1, then those with coefficient 1. */
        final int[][] lookupInputs;
        final int[][] xorInputs;

        TablePlan(GaloisField field, int inputs, int[][] coef) {
            this.inputs = inputs;
            this.coef = new int[coef.length][];
            this.products = new byte[coef.length][][];
            this.lookupInputs = new int[coef.length][];
            this.xorInputs = new int[coef.length][];
            boolean readsOutputs = false;
            // Rectangular: every row as wide as the widest, so the vector kernel's groups can mix them.
            int width = Arrays.stream(coef).mapToInt(row -> row.length).max().orElse(inputs);
            for (int r = 0; r < coef.length; r++) {
                if (coef[r].length != inputs && coef[r].length != inputs + coef.length) {
                    throw new IllegalArgumentException("row " + r + " has " + coef[r].length + " coefficients, expected "
                            + inputs + " (inputs) or " + (inputs + coef.length) + " (inputs and outputs)");
                }
                this.coef[r] = Arrays.copyOf(coef[r], width);
                products[r] = new byte[width][];
                for (int i = 0; i < coef[r].length; i++) {
                    int c = coef[r][i];
                    if (c < 0 || c > 255) {
                        throw new IllegalArgumentException("coefficient (" + r + ", " + i + ") is not a byte: " + c);
                    }
                    if (c != 0 && i >= inputs + r) {
                        throw new IllegalArgumentException("row " + r + " reads output " + (i - inputs)
                                + ", which is not computed before it");
                    }
                    readsOutputs |= c != 0 && i >= inputs;
                    if (c > 1) {
                        products[r][i] = field.productsOf(c);
                    }
                }
                int[] row = this.coef[r];
                lookupInputs[r] = java.util.stream.IntStream.range(0, row.length).filter(i -> row[i] > 1).toArray();
                xorInputs[r] = java.util.stream.IntStream.range(0, row.length).filter(i -> row[i] == 1).toArray();
            }
            this.chained = readsOutputs;
        }

        /** The number of inputs of a plain plan: every row as long as the first. */
        static int width(int[][] coef) {
            int width = coef.length == 0 ? 0 : coef[0].length;
            for (int r = 0; r < coef.length; r++) {
                if (coef[r].length != width) {
                    throw new IllegalArgumentException("row " + r + " has " + coef[r].length
                            + " coefficients, row 0 has " + width);
                }
            }
            return width;
        }

        /** True if row r reads the output of row s. */
        boolean reads(int r, int s) {
            return coef[r].length > inputs + s && coef[r][inputs + s] != 0;
        }

        /** True if a row in [from, to) reads the output of another row in that range. */
        boolean readsWithin(int from, int to) {
            for (int r = from; r < to; r++) {
                for (int s = from; s < to; s++) {
                    if (reads(r, s)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** The inputs, then the outputs at column {@code inputs}: what a chained row reads. */
        byte[][] withOutputs(byte[][] in, byte[][] out) {
            requireInputs(in.length);
            byte[][] all = Arrays.copyOf(in, inputs + out.length);
            System.arraycopy(out, 0, all, inputs, out.length);
            return all;
        }

        int[] withOutputs(int[] inOff, int[] outOff) {
            requireInputs(inOff.length);
            int[] all = Arrays.copyOf(inOff, inputs + outOff.length);
            System.arraycopy(outOff, 0, all, inputs, outOff.length);
            return all;
        }

        private void requireInputs(int given) {
            if (given != inputs) {
                throw new IllegalArgumentException("the plan has " + inputs + " inputs, got " + given);
            }
        }

        @Override
        public int rows() {
            return coef.length;
        }

        @Override
        public int inputs() {
            return inputs;
        }

        @Override
        public int multiplications() {
            return Arrays.stream(lookupInputs).mapToInt(row -> row.length).sum();
        }
    }
}
