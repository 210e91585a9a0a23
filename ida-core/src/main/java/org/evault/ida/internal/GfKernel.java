package org.evault.ida.internal;

import org.evault.ida.GaloisField;

/**
 * The inner loop of IDA: a GF(2^8) matrix times a set of equal-length byte ranges.
 *
 * <p>{@code apply} computes, for every row r, {@code out[r][outOff[r] + p] = sum_i coef[r][i] *
 * in[i][inOff[i] + p]} for p in [0, length). Inputs are only read; outputs must not overlap inputs.
 * A {@linkplain #chainedPlan chained plan} also reads outputs of earlier rows. Plans are immutable
 * and may be shared between threads; kernels are stateless.
 */
public interface GfKernel {
    /** A short name for logs and benchmark lines, e.g. "vector-512" or "scalar". */
    String name();

    /** Prepares the tables for one coefficient matrix {@code coef[row][input]} (entries 0..255). */
    Plan plan(GaloisField field, int[][] coef);

    /**
     * A plan whose rows may also read the outputs of earlier rows: {@code coef[r]} has
     * {@code inputs + rows} entries, entry {@code inputs + s} being the coefficient of output s,
     * which must be 0 unless s < r. The kernel finishes output s over a range before row r reads
     * it. {@code apply} then takes exactly {@code inputs} inputs; outputs must not overlap inputs
     * or each other. Decoding uses this where a lost piece costs fewer multiplications from a parity slice and
     * the other pieces than from the inverse matrix (see {@code Ida}).
     *
     * @throws IllegalArgumentException if a row reads its own output or a later one
     */
    Plan chainedPlan(GaloisField field, int inputs, int[][] coef);

    /**
     * Whether a chained plan that saves multiplications also runs faster on this kernel; decoding
     * asks before it chains.
     */
    boolean rereadsOutputsCheaply();

    /**
     * Whether this plan runs as one pass over the inputs, never reading an output back from
     * memory: every plain plan, and the chained plans a kernel keeps in registers (the vector
     * kernel's pair plan for m = 3). Decoding takes such a plan when it saves multiplications.
     */
    boolean onePass(Plan plan);

    void apply(Plan plan, byte[][] in, int[] inOff, byte[][] out, int[] outOff, int length);

    /** The prepared form of one coefficient matrix; opaque to callers. */
    interface Plan {
        int rows();

        int inputs();

        /**
         * Multiplications per byte position, all rows together: the coefficients other than 0 and
         * 1 (a pass per set bit in the pure-Java kernel, a pair of nibble lookups in the vector
         * kernel, which may spend identity lookups on 1s inside a row group as well).
         */
        int multiplications();
    }
}
