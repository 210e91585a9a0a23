package org.evault.threshold.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ShoupMathTest {
  /** Delta lambda_j are integers and interpolate Delta f(0) from every k-subset, exhaustively for n <= 7. */
  @Test
  void lagrange_interpolatesDeltaTimesF0_forEverySubset() {
    Random r = new Random(0xabadc0ca);
    for (int n = 1; n <= 7; n++) {
      BigInteger delta = factorial(n);
      for (int k = 1; k <= n; k++) {
        BigInteger[] f = new BigInteger[k];
        for (int j = 0; j < k; j++) {
          f[j] = new BigInteger(64, r).subtract(BigInteger.ONE.shiftLeft(63));
        }
        for (int mask = 0; mask < (1 << n); mask++) {
          if (Integer.bitCount(mask) != k) {
            continue;
          }
          int[] idx = new int[k];
          int c = 0;
          for (int i = 1; i <= n; i++) {
            if ((mask & (1 << (i - 1))) != 0) {
              idx[c++] = i;
            }
          }
          BigInteger[] lambda = ShoupMath.lagrangeAtZero(idx, delta);
          BigInteger sum = BigInteger.ZERO;
          for (int j = 0; j < k; j++) {
            sum = sum.add(lambda[j].multiply(eval(f, idx[j])));
          }
          assertThat(sum).isEqualTo(delta.multiply(f[0]));
        }
      }
    }
  }

  @Property(tries = 50)
  void bezout_solves(@ForAll @IntRange(min = 1, max = 64) int n) {
    BigInteger delta = factorial(n);
    BigInteger ePrime = delta.multiply(delta).shiftLeft(2);
    BigInteger e = BigInteger.valueOf(65537);
    BigInteger[] ab = ShoupMath.bezout(ePrime, e);
    assertThat(ePrime.multiply(ab[0]).add(e.multiply(ab[1]))).isEqualTo(BigInteger.ONE);
  }

  /** The challenge depends on every field: index, purpose and each element (domain separation). */
  @Test
  void challenge_bindsEveryInput() {
    byte[] keyId = new byte[32];
    BigInteger[] e = {BigInteger.TWO, BigInteger.valueOf(3), BigInteger.valueOf(4), BigInteger.valueOf(5),
        BigInteger.valueOf(6), BigInteger.valueOf(7)};
    BigInteger base = ShoupMath.challenge(1, keyId, 5, 3, 1, 128, e[0], e[1], e[2], e[3], e[4], e[5]);
    List<BigInteger> variants = new ArrayList<>();
    variants.add(ShoupMath.challenge(2, keyId, 5, 3, 1, 128, e[0], e[1], e[2], e[3], e[4], e[5]));
    variants.add(ShoupMath.challenge(1, keyId, 5, 3, 2, 128, e[0], e[1], e[2], e[3], e[4], e[5]));
    variants.add(ShoupMath.challenge(1, keyId, 5, 2, 1, 128, e[0], e[1], e[2], e[3], e[4], e[5]));
    byte[] otherKey = new byte[32];
    otherKey[31] = 1;
    variants.add(ShoupMath.challenge(1, otherKey, 5, 3, 1, 128, e[0], e[1], e[2], e[3], e[4], e[5]));
    variants.add(ShoupMath.challenge(1, keyId, 5, 3, 1, 128, e[1], e[0], e[2], e[3], e[4], e[5]));
    variants.add(ShoupMath.challenge(1, keyId, 5, 3, 1, 128, e[0], e[1], e[2], e[3], e[4], BigInteger.ONE));
    assertThat(variants).doesNotContain(base);
    assertThat(base.bitLength()).isLessThanOrEqualTo(128);
  }

  private static BigInteger eval(BigInteger[] f, int x) {
    BigInteger y = BigInteger.ZERO;
    for (int j = f.length - 1; j >= 0; j--) {
      y = y.multiply(BigInteger.valueOf(x)).add(f[j]);
    }
    return y;
  }

  private static BigInteger factorial(int n) {
    BigInteger d = BigInteger.ONE;
    for (int i = 2; i <= n; i++) {
      d = d.multiply(BigInteger.valueOf(i));
    }
    return d;
  }
}
