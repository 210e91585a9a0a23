package org.evault.ida;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.evault.ida.internal.GfMatrices;
import org.junit.jupiter.api.Test;

class DispersalMatrixTest {
    @Test
    void systematicCauchy_everyMColumnsIndependent_forAllSmallShapes() {
        GaloisField f = GaloisField.standard();
        for (int n = 1; n <= 9; n++) {
            for (int m = 1; m <= n; m++) {
                DispersalMatrix t = DispersalMatrix.systematicCauchy(m, n);
                // of() re-checks every m-column subset and throws if one is dependent.
                int[][] rows = new int[m][n];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        rows[i][j] = t.get(i, j);
                    }
                }
                assertThat(DispersalMatrix.of(f, rows)).isEqualTo(t);
            }
        }
    }

    @Test
    void systematicCauchy_isSystematicWithAnAllOnesFirstParityAndFirstRow() {
        DispersalMatrix t = DispersalMatrix.systematicCauchy(10, 14);
        for (int j = 0; j < 10; j++) {
            assertThat(t.unitRow(j)).isEqualTo(j);
        }
        for (int j = 10; j < 14; j++) {
            assertThat(t.unitRow(j)).isEqualTo(-1);
            assertThat(t.get(0, j)).isEqualTo(1);
        }
        for (int i = 0; i < 10; i++) {
            assertThat(t.get(i, 10)).isEqualTo(1);
        }
    }

    @Test
    void threeServersTwoNeeded_isPlainXor() {
        DispersalMatrix t = DispersalMatrix.systematicCauchy(2, 3);
        assertThat(t.toBytes()).containsExactly(1, 0, 1, 0, 1, 1);
    }

    @Test
    void largestShape_buildsAndInverts() {
        DispersalMatrix t = DispersalMatrix.systematicCauchy(128, 255);
        int[] last = new int[128];
        for (int k = 0; k < 128; k++) {
            last[k] = 127 + k;
        }
        assertThat(GfMatrices.isSingular(t.field(), t.columns(last))).isFalse();
    }

    @Test
    void dependentColumns_areRefusedByName() {
        int[][] rows = {{1, 0, 1}, {0, 1, 0}};
        assertThatThrownBy(() -> DispersalMatrix.of(GaloisField.standard(), rows))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("columns [1, 3] are linearly dependent");
    }

    @Test
    void badShapes_areRefused() {
        assertThatThrownBy(() -> DispersalMatrix.systematicCauchy(0, 3)).hasMessageContaining("1 <= m <= n <= 255");
        assertThatThrownBy(() -> DispersalMatrix.systematicCauchy(4, 3)).hasMessageContaining("m = 4, n = 3");
        assertThatThrownBy(() -> DispersalMatrix.systematicCauchy(2, 256)).hasMessageContaining("n = 256");
    }

    @Test
    void bytesRoundTrip() {
        DispersalMatrix t = DispersalMatrix.systematicCauchy(3, 5);
        assertThat(DispersalMatrix.fromBytes(t.field(), 3, 5, t.toBytes())).isEqualTo(t);
    }
}
