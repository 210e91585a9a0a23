package org.evault.ida;

import java.util.Arrays;

import org.evault.ida.internal.GfMatrices;

/**
 * Rabin's m x n dispersal matrix T over GF(2^8): slice byte j of a block P_0..P_{m-1} is
 * Q_j = sum_i T[i][j] * P_i, and every m columns of T are linearly independent, so any m slices
 * determine the block.
 *
 * <p>Immutable. The usual construction is {@link #systematicCauchy}: the first m columns are the
 * identity (data slices are the document's own bytes, so encoding computes only the n - m parity
 * slices and decoding from the data slices costs nothing), the rest a Cauchy matrix scaled so that
 * its first row and first column are all ones. Every square submatrix of a Cauchy matrix is
 * nonsingular and scaling rows or columns keeps it so; hence every m columns of [I | C] are
 * independent. The first parity slice is the XOR of the data slices: for n = 3, m = 2 the whole
 * code is the paper's XOR scheme.
 */
public final class DispersalMatrix {
    /** Above this many m-column subsets, {@link #of} does not try them all. */
    private static final long MAX_SUBSETS_CHECKED = 1 << 16;

    private final GaloisField field;
    private final int m;
    private final int n;
    private final byte[] entries; // row-major, m rows of n

    private DispersalMatrix(GaloisField field, int m, int n, byte[] entries) {
        this.field = field;
        this.m = m;
        this.n = n;
        this.entries = entries;
    }

    /** The systematic Cauchy matrix for 1 <= m <= n <= 255 (see the class comment). */
    public static DispersalMatrix systematicCauchy(int m, int n, GaloisField field) {
        checkShape(m, n);
        int parity = n - m;
        int[][] cauchy = new int[m][parity];
        // x_i = i and y_j = m + j are distinct elements, so x_i + y_j is never 0.
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < parity; j++) {
                cauchy[i][j] = field.inverse(i ^ (m + j));
            }
        }
        for (int j = 0; j < parity; j++) {
            int scale = field.inverse(cauchy[0][j]);
            for (int i = 0; i < m; i++) {
                cauchy[i][j] = field.multiply(cauchy[i][j], scale);
            }
        }
        for (int i = 1; i < m && parity > 0; i++) {
            int scale = field.inverse(cauchy[i][0]);
            for (int j = 0; j < parity; j++) {
                cauchy[i][j] = field.multiply(cauchy[i][j], scale);
            }
        }
        byte[] entries = new byte[m * n];
        for (int i = 0; i < m; i++) {
            entries[i * n + i] = 1;
            for (int j = 0; j < parity; j++) {
                entries[i * n + m + j] = (byte) cauchy[i][j];
            }
        }
        return new DispersalMatrix(field, m, n, entries);
    }

    /** The default matrix: systematic Cauchy over the paper's field. */
    public static DispersalMatrix systematicCauchy(int m, int n) {
        return systematicCauchy(m, n, GaloisField.standard());
    }

    /**
     * The example of the e-Vault paper, section 2.5: m = 3, n = 5 over x^8+x^6+x^5+x^4+1, with
     * columns 4 and 5 equal to (1, 1, 1) and (1+x, x, 1).
     */
    public static DispersalMatrix paperExample() {
        return of(GaloisField.standard(), new int[][] {
            {1, 0, 0, 1, 3},
            {0, 1, 0, 1, 2},
            {0, 0, 1, 1, 1},
        });
    }

    /**
     * A matrix given row by row (m rows of n entries 0..255). Every m-column subset is checked
     * for independence when there are at most 65536 of them; larger shapes are taken as given, and
     * a dependent subset then shows up as a clear error when a decoder selects it.
     *
     * @throws IllegalArgumentException for a bad shape, an entry outside 0..255 or m dependent columns
     */
    public static DispersalMatrix of(GaloisField field, int[][] rows) {
        int m = rows.length;
        int n = m == 0 ? 0 : rows[0].length;
        checkShape(m, n);
        byte[] entries = new byte[m * n];
        for (int i = 0; i < m; i++) {
            if (rows[i].length != n) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " entries, expected " + n);
            }
            for (int j = 0; j < n; j++) {
                if (rows[i][j] < 0 || rows[i][j] > 255) {
                    throw new IllegalArgumentException("entry (" + i + ", " + j + ") is not a byte: " + rows[i][j]);
                }
                entries[i * n + j] = (byte) rows[i][j];
            }
        }
        DispersalMatrix matrix = new DispersalMatrix(field, m, n, entries);
        if (binomial(n, m) <= MAX_SUBSETS_CHECKED) {
            int[] dependent = matrix.firstDependentSubset();
            if (dependent != null) {
                throw new IllegalArgumentException("columns " + Arrays.toString(oneBased(dependent))
                        + " are linearly dependent: not every " + m + " slices could rebuild the data");
            }
        }
        return matrix;
    }

    /** Reads the row-major form of {@link #toBytes()}. */
    public static DispersalMatrix fromBytes(GaloisField field, int m, int n, byte[] rowMajor) {
        checkShape(m, n);
        if (rowMajor.length != m * n) {
            throw new IllegalArgumentException("matrix of " + m + " x " + n + " needs " + m * n
                    + " bytes, got " + rowMajor.length);
        }
        int[][] rows = new int[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                rows[i][j] = rowMajor[i * n + j] & 0xFF;
            }
        }
        return of(field, rows);
    }

    public GaloisField field() {
        return field;
    }

    /** Rows: the number of slices needed to rebuild a document. */
    public int m() {
        return m;
    }

    /** Columns: the number of slices made. */
    public int n() {
        return n;
    }

    public int get(int row, int column) {
        return entries[row * n + column] & 0xFF;
    }

    /** The row-major entries, m * n bytes (a copy). */
    public byte[] toBytes() {
        return entries.clone();
    }

    /** If column j is the unit vector e_i (slice j is data piece i), i; otherwise -1. */
    public int unitRow(int column) {
        int row = -1;
        for (int i = 0; i < m; i++) {
            int v = get(i, column);
            if (v == 1 && row < 0) {
                row = i;
            } else if (v != 0) {
                return -1;
            }
        }
        return row;
    }

    /** The m x m matrix of the given columns, S[i][k] = T[i][columns[k]]. */
    int[][] columns(int[] columns) {
        int[][] s = new int[m][columns.length];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < columns.length; k++) {
                s[i][k] = get(i, columns[k]);
            }
        }
        return s;
    }

    private int[] firstDependentSubset() {
        int[] subset = new int[m];
        for (int i = 0; i < m; i++) {
            subset[i] = i;
        }
        while (true) {
            if (GfMatrices.isSingular(field, columns(subset))) {
                return subset.clone();
            }
            int i = m - 1;
            while (i >= 0 && subset[i] == n - m + i) {
                i--;
            }
            if (i < 0) {
                return null;
            }
            subset[i]++;
            for (int k = i + 1; k < m; k++) {
                subset[k] = subset[k - 1] + 1;
            }
        }
    }

    private static int[] oneBased(int[] columns) {
        return Arrays.stream(columns).map(c -> c + 1).toArray();
    }

    private static long binomial(int n, int k) {
        long result = 1;
        for (int i = 1; i <= Math.min(k, n - k); i++) {
            result = result * (n - i + 1) / i;
            if (result > MAX_SUBSETS_CHECKED) {
                return result;
            }
        }
        return result;
    }

    static void checkShape(int m, int n) {
        if (m < 1 || n < m || n > 255) {
            throw new IllegalArgumentException("IDA needs 1 <= m <= n <= 255, got m = " + m + ", n = " + n);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DispersalMatrix other && field.polynomial() == other.field.polynomial()
                && m == other.m && n == other.n && Arrays.equals(entries, other.entries);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(entries) * 31 + field.polynomial();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("DispersalMatrix[m=" + m + ", n=" + n + ", " + field + ", ");
        for (int i = 0; i < m; i++) {
            s.append(i == 0 ? "(" : " (");
            for (int j = 0; j < n; j++) {
                s.append(j == 0 ? "" : " ").append(get(i, j));
            }
            s.append(')');
        }
        return s.append(']').toString();
    }
}
