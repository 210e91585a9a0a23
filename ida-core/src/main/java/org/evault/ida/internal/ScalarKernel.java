package org.evault.ida.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.stream.IntStream;

import org.evault.ida.GaloisField;

/**
 * The pure-Java kernel: eight bytes at a time in longs, by Horner's rule on the bits of the
 * coefficients. With S_j the XOR of the inputs whose coefficient has bit j set, a row is
 * 2(2(...2(S_7) + S_6...) + S_1) + S_0, and doubling the eight field elements packed in a long is
 * a few shifts and masks (x^8 reduces to the polynomial's low byte). A row costs a pass over its
 * chunk per set bit of its coefficients, and at most seven doublings, over longs that C2 turns
 * into vector instructions; a table lookup per coefficient and byte, the previous kernel (and
 * Backblaze's), ran 4x to 8x slower (docs/performance.md, "Pure Java by Horner's rule").
 *
 * <p>Rows are produced chunk by chunk, so that the accumulator and the inputs' chunks stay in L1
 * across a row's passes. The last length % 8 bytes of a range are done a byte at a time.
 */
public final class ScalarKernel implements GfKernel {
    /** Longs per chunk: 4 KiB of every input and of the accumulator. */
    private static final int WORDS = 512;
    /** Eight bytes of a byte array as one long, at any offset; the byte order does not matter here. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_MASK = 0xFEFEFEFEFEFEFEFEL;

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

    /**
     * True: a row that reads back an earlier output costs one more pass over a chunk in L1, where
     * the inverse's row would cost a pass per set bit of its coefficients.
     */
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
        horner(p, in, inOff, out, outOff, length);
    }

    /**
     * The plan over [0, length) of every input and output; for a chained plan {@code in} already
     * ends with the outputs. Rows go in order within each chunk, so a row that reads an earlier
     * row's output finds it written. Also the vector kernel's path for ranges shorter than its step.
     */
    static void horner(TablePlan p, byte[][] in, int[] inOff, byte[][] out, int[] outOff, int length) {
        int words = length >>> 3;
        long[] acc = new long[Math.min(WORDS, words)];
        for (int w = 0; w < words; w += WORDS) {
            int n = Math.min(WORDS, words - w);
            int from = w << 3;
            for (int r = 0; r < p.rows(); r++) {
                hornerRow(p.bitInputs[r], p.reduction, in, inOff, from, acc, n);
                byte[] dst = out[r];
                int d = outOff[r] + from;
                for (int k = 0; k < n; k++) {
                    LONGS.set(dst, d + 8 * k, acc[k]);
                }
            }
        }
        for (int r = 0; r < p.rows(); r++) {
            bytes(p, r, in, inOff, out[r], outOff[r], words << 3, length);
        }
    }

    /** acc[0, n) = a row's bytes [from, from + 8n), given per bit j the inputs whose coefficient has it. */
    private static void hornerRow(int[][] bitInputs, long reduction, byte[][] in, int[] inOff, int from, long[] acc, int n) {
        boolean started = false;
        for (int j = 7; j >= 0; j--) {
            int[] inputs = bitInputs[j];
            int q = 0;
            if (!started && inputs.length == 0) {
                continue;
            }
            if (!started) {
                setFrom(in[inputs[0]], inOff[inputs[0]] + from, acc, n);
                started = true;
                q = 1;
            } else if (inputs.length == 0) {
                doubleInPlace(acc, n, reduction);
            } else {
                doubleAndAdd(acc, n, reduction, in[inputs[0]], inOff[inputs[0]] + from);
                q = 1;
            }
            // Two inputs per pass: one load and store of the accumulator for both.
            for (; q + 1 < inputs.length; q += 2) {
                add2(acc, n, in[inputs[q]], inOff[inputs[q]] + from, in[inputs[q + 1]], inOff[inputs[q + 1]] + from);
            }
            if (q < inputs.length) {
                add1(acc, n, in[inputs[q]], inOff[inputs[q]] + from);
            }
        }
        if (!started) {
            Arrays.fill(acc, 0, n, 0L);
        }
    }

    /** Each byte of v times x, modulo the field polynomial whose low byte is in every byte of reduction. */
    private static long times2(long v, long reduction) {
        long high = (v >>> 7) & LOW_BITS;
        // (high << 8) - high: 0xFF in each byte whose top bit was set (the top byte wraps, as it should).
        return ((v << 1) & HIGH_MASK) ^ (((high << 8) - high) & reduction);
    }

    private static void setFrom(byte[] src, int s, long[] acc, int n) {
        for (int k = 0; k < n; k++) {
            acc[k] = (long) LONGS.get(src, s + 8 * k);
        }
    }

    private static void doubleInPlace(long[] acc, int n, long reduction) {
        for (int k = 0; k < n; k++) {
            acc[k] = times2(acc[k], reduction);
        }
    }

    private static void doubleAndAdd(long[] acc, int n, long reduction, byte[] src, int s) {
        for (int k = 0; k < n; k++) {
            acc[k] = times2(acc[k], reduction) ^ (long) LONGS.get(src, s + 8 * k);
        }
    }

    private static void add1(long[] acc, int n, byte[] a, int ao) {
        for (int k = 0; k < n; k++) {
            acc[k] ^= (long) LONGS.get(a, ao + 8 * k);
        }
    }

    private static void add2(long[] acc, int n, byte[] a, int ao, byte[] b, int bo) {
        for (int k = 0; k < n; k++) {
            acc[k] ^= (long) LONGS.get(a, ao + 8 * k) ^ (long) LONGS.get(b, bo + 8 * k);
        }
    }

    /** Bytes [from, to) of row r, one at a time from the product tables: the under-8-byte tail. */
    private static void bytes(TablePlan p, int r, byte[][] in, int[] inOff, byte[] dst, int d, int from, int to) {
        int[] coef = p.coef[r];
        for (int b = from; b < to; b++) {
            int sum = 0;
            for (int i = 0; i < coef.length; i++) {
                if (coef[i] != 0) {
                    int x = in[i][inOff[i] + b] & 0xFF;
                    sum ^= coef[i] == 1 ? x : p.products[r][i][x];
                }
            }
            dst[d + b] = (byte) sum;
        }
    }

    /** Coefficients, their 256-entry product tables (null for 0 and 1) and their bits. */
    static class TablePlan implements Plan {
        final int inputs;
        /** Some row reads an earlier row's output: apply appends the outputs to the inputs. */
        final boolean chained;
        final int[][] coef;
        final byte[][][] products;
        /** Per row and bit j: the inputs (and earlier outputs) whose coefficient has bit j set. */
        final int[][][] bitInputs;
        /** The field polynomial's low byte in every byte: what doubling XORs in on overflow. */
        final long reduction;

        TablePlan(GaloisField field, int inputs, int[][] coef) {
            this.inputs = inputs;
            this.coef = new int[coef.length][];
            this.products = new byte[coef.length][][];
            this.bitInputs = new int[coef.length][8][];
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
                for (int j = 0; j < 8; j++) {
                    int bit = 1 << j;
                    bitInputs[r][j] = IntStream.range(0, row.length).filter(i -> (row[i] & bit) != 0).toArray();
                }
            }
            this.chained = readsOutputs;
            this.reduction = (field.polynomial() & 0xFF) * LOW_BITS;
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
            return (int) Arrays.stream(coef).flatMapToInt(IntStream::of).filter(c -> c > 1).count();
        }
    }
}
