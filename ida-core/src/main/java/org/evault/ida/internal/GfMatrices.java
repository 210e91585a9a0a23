package org.evault.ida.internal;

import org.evault.ida.GaloisField;

/** Dense matrix algebra over GF(2^8) on {@code int[row][col]} arrays with entries 0..255. */
public final class GfMatrices {
    private GfMatrices() {
    }

    /**
     * The inverse of a square matrix by Gauss-Jordan elimination.
     *
     * @throws ArithmeticException if the matrix is singular
     */
    public static int[][] invert(GaloisField field, int[][] matrix) {
        int size = matrix.length;
        int[][] work = new int[size][2 * size];
        for (int r = 0; r < size; r++) {
            if (matrix[r].length != size) {
                throw new IllegalArgumentException("matrix is not square: row " + r + " has "
                        + matrix[r].length + " entries, expected " + size);
            }
            System.arraycopy(matrix[r], 0, work[r], 0, size);
            work[r][size + r] = 1;
        }
        for (int col = 0; col < size; col++) {
            int pivot = col;
            while (pivot < size && work[pivot][col] == 0) {
                pivot++;
            }
            if (pivot == size) {
                throw new ArithmeticException("matrix is singular (no pivot in column " + col + ")");
            }
            int[] swap = work[col];
            work[col] = work[pivot];
            work[pivot] = swap;
            int scale = field.inverse(work[col][col]);
            for (int c = 0; c < 2 * size; c++) {
                work[col][c] = field.multiply(work[col][c], scale);
            }
            for (int r = 0; r < size; r++) {
                int factor = work[r][col];
                if (r != col && factor != 0) {
                    for (int c = 0; c < 2 * size; c++) {
                        work[r][c] ^= field.multiply(factor, work[col][c]);
                    }
                }
            }
        }
        int[][] inverse = new int[size][size];
        for (int r = 0; r < size; r++) {
            System.arraycopy(work[r], size, inverse[r], 0, size);
        }
        return inverse;
    }

    public static int[][] multiply(GaloisField field, int[][] a, int[][] b) {
        int rows = a.length;
        int inner = b.length;
        int cols = b[0].length;
        int[][] product = new int[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int sum = 0;
                for (int k = 0; k < inner; k++) {
                    sum ^= field.multiply(a[r][k], b[k][c]);
                }
                product[r][c] = sum;
            }
        }
        return product;
    }

    public static boolean isSingular(GaloisField field, int[][] matrix) {
        try {
            invert(field, matrix);
            return false;
        } catch (ArithmeticException e) {
            return true;
        }
    }
}
