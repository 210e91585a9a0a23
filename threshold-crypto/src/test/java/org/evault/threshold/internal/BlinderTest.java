package org.evault.threshold.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class BlinderTest {
  private static final BigInteger N = BigInteger.probablePrime(512, new Random(1))
      .multiply(BigInteger.probablePrime(512, new Random(2)));

  /** Blinded results equal plain modPow, across many refreshes of the cached pair. */
  @Property(tries = 30)
  void pow_equalsModPow(@ForAll long seed) {
    Random r = new Random(seed);
    BigInteger exponent = new BigInteger(1030, r);
    Blinder b = new Blinder(N, exponent, new SecureRandom());
    for (int i = 0; i < 5; i++) {
      BigInteger x = new BigInteger(1000, r).add(BigInteger.ONE);
      assertThat(b.pow(x)).isEqualTo(x.modPow(exponent, N));
    }
  }

  @Test
  void randomUnit_isInRangeAndInvertible() {
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 100; i++) {
      BigInteger u = Blinder.randomUnit(N, random);
      assertThat(u.signum()).isPositive();
      assertThat(u).isLessThan(N);
      assertThat(u.gcd(N)).isEqualTo(BigInteger.ONE);
    }
  }
}
