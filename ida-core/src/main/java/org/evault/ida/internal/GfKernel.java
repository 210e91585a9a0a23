package org.evault.ida.internal;

import org.evault.ida.GaloisField;

/**
 * The inner loop of IDA: a GF(2^8) matrix times a set of equal-length byte ranges.
 *
 * <p>{@code apply} computes, for every row r, {@code out[r][outOff[r] + p] = sum_i coef[r][i] *
 * in[i][inOff[i] + p]} for p in [0, length). Inputs are only read; outputs must not overlap inputs.
 * Plans are immutable and may be shared between threads; kernels are stateless.
 */
public interface GfKernel {
    /** A short name for logs and benchmark lines, e.g. "vector-512" or "scalar". */
    String name();

    /** Prepares the tables for one coefficient matrix {@code coef[row][input]} (entries 0..255). */
    Plan plan(GaloisField field, int[][] coef);

    void apply(Plan plan, byte[][] in, int[] inOff, byte[][] out, int[] outOff, int length);

    /** The prepared form of one coefficient matrix; opaque to callers. */
    interface Plan {
        int rows();

        int inputs();
    }
}
