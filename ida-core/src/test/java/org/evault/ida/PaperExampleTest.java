package org.evault.ida;

import static org.assertj.core.api.Assertions.assertThat;

import org.evault.ida.internal.GfMatrices;
import org.junit.jupiter.api.Test;

/** The worked example of the e-Vault paper, section 2.5, as a test vector. */
class PaperExampleTest {
    private final DispersalMatrix t = DispersalMatrix.paperExample();
    private final GaloisField f = GaloisField.standard();

    @Test
    void matrix_isAsPrinted() {
        assertThat(t.m()).isEqualTo(3);
        assertThat(t.n()).isEqualTo(5);
        assertThat(t.field().polynomial()).isEqualTo(0x171);
        // 1 + x is 0x03, x is 0x02.
        int[][] printed = {{1, 0, 0, 1, 3}, {0, 1, 0, 1, 2}, {0, 0, 1, 1, 1}};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 5; j++) {
                assertThat(t.get(i, j)).isEqualTo(printed[i][j]);
            }
        }
    }

    @Test
    void columnsOneTwoFive_areTheirOwnInverse() {
        int[][] s = t.columns(new int[] {0, 1, 4});
        assertThat(s).isDeepEqualTo(new int[][] {{1, 0, 3}, {0, 1, 2}, {0, 0, 1}});
        assertThat(GfMatrices.invert(f, s)).isDeepEqualTo(s);
        assertThat(GfMatrices.multiply(f, s, s)).isDeepEqualTo(new int[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
    }

    @Test
    void encodeOneBlock_givesThePapersOutputBytes() {
        int p0 = 0xA7, p1 = 0x3C, p2 = 0x5E;
        Ida ida = Ida.create(t, 1);
        byte[][] q = new byte[5][1];
        ida.encodeStripe(new byte[] {(byte) p0, (byte) p1, (byte) p2}, 0, 1, q);
        assertThat(q[0][0] & 0xFF).isEqualTo(p0);
        assertThat(q[1][0] & 0xFF).isEqualTo(p1);
        assertThat(q[2][0] & 0xFF).isEqualTo(p2);
        assertThat(q[3][0] & 0xFF).isEqualTo(p0 ^ p1 ^ p2);
        assertThat(q[4][0] & 0xFF).isEqualTo(f.multiply(3, p0) ^ f.multiply(2, p1) ^ p2);
        // "y * (1 + x)" is y ^ (y * x): the shift-and-xor the paper calls easy.
        assertThat(f.multiply(3, p0)).isEqualTo(f.multiply(2, p0) ^ p0);

        // Rebuild from the first, second and fifth bytes with the self-inverse matrix.
        byte[][] out = new byte[3][1];
        ida.decodeStripe(new int[] {0, 1, 4}, new byte[][] {q[0], q[1], q[4]}, 1, out);
        assertThat(new int[] {out[0][0] & 0xFF, out[1][0] & 0xFF, out[2][0] & 0xFF}).containsExactly(p0, p1, p2);
    }

    @Test
    void everyThreeColumns_areIndependent() {
        for (int a = 0; a < 5; a++) {
            for (int b = a + 1; b < 5; b++) {
                for (int c = b + 1; c < 5; c++) {
                    assertThat(GfMatrices.isSingular(f, t.columns(new int[] {a, b, c}))).isFalse();
                }
            }
        }
    }
}
