package org.evault.ida;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GaloisFieldTest {
    private final GaloisField f = GaloisField.standard();

    @Test
    void standardField_isThePapersPolynomial() {
        assertThat(f.polynomial()).isEqualTo(0x171);
        // x * x^7 = x^8 = x^6 + x^5 + x^4 + 1 modulo the polynomial.
        assertThat(f.multiply(0x02, 0x80)).isEqualTo(0x71);
    }

    @Test
    void fieldAxioms_holdForEveryElement() {
        for (int a = 0; a < 256; a++) {
            assertThat(f.multiply(a, 1)).isEqualTo(a);
            assertThat(f.multiply(a, 0)).isZero();
            if (a != 0) {
                assertThat(f.multiply(a, f.inverse(a))).isEqualTo(1);
            }
            for (int b = 0; b < 256; b++) {
                assertThat(f.multiply(a, b)).isEqualTo(f.multiply(b, a));
                for (int c = 0; c < 256; c += 7) {
                    assertThat(f.multiply(a, f.multiply(b, c))).isEqualTo(f.multiply(f.multiply(a, b), c));
                    assertThat(f.multiply(a, b ^ c)).isEqualTo(f.multiply(a, b) ^ f.multiply(a, c));
                }
            }
        }
    }

    @Test
    void noZeroDivisors_inAnyField() {
        for (int poly : new int[] {0x171, 0x11D, 0x11B}) {
            GaloisField g = GaloisField.of(poly);
            for (int a = 1; a < 256; a++) {
                for (int b = 1; b < 256; b++) {
                    assertThat(g.multiply(a, b)).as("%s: %d * %d", g, a, b).isNotZero();
                }
            }
        }
    }

    @Test
    void exactlyThirtyIrreducibleOctics_areAccepted() {
        // Gauss's formula: (2^8 - 2^4) / 8 = 30 monic irreducible polynomials of degree 8 over GF(2).
        int accepted = 0;
        for (int poly = 0x100; poly <= 0x1FF; poly++) {
            try {
                GaloisField.of(poly);
                accepted++;
            } catch (IllegalArgumentException e) {
                assertThat(e).hasMessageContaining("reducible");
            }
        }
        assertThat(accepted).isEqualTo(30);
    }

    @Test
    void reduciblePolynomial_isRefusedWithItsFactor() {
        // x^8 + 1 = (x + 1)^8
        assertThatThrownBy(() -> GaloisField.of(0x101))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0x101 is reducible (divisible by 0x3)");
    }

    @Test
    void wrongDegree_isRefused() {
        assertThatThrownBy(() -> GaloisField.of(0x1B)).hasMessageContaining("degree 8");
        assertThatThrownBy(() -> GaloisField.of(0x211)).hasMessageContaining("degree 8");
    }

    @Test
    void inverseOfZero_throws() {
        assertThatThrownBy(() -> f.inverse(0)).isInstanceOf(ArithmeticException.class);
    }
}
