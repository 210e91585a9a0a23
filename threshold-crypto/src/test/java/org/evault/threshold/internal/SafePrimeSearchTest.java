package org.evault.threshold.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SafePrimeSearchTest {
  @Property(tries = 20)
  void foundPrimes_areSafe_exactSize_topTwoBitsSet(@ForAll @IntRange(min = 64, max = 400) int bits,
      @ForAll @IntRange(min = 1, max = 3) int threads) throws Exception {
    List<BigInteger> primes = SafePrimeSearch.find(bits, 2, threads, new SecureRandom(), null);
    assertThat(primes).hasSize(2).doesNotHaveDuplicates();
    for (BigInteger p : primes) {
      assertThat(p.bitLength()).isEqualTo(bits);
      assertThat(p.testBit(bits - 2)).isTrue();
      assertThat(SafePrimeSearch.isSafePrime(p)).isTrue();
      assertThat(p.mod(BigInteger.valueOf(4))).isEqualTo(BigInteger.valueOf(3));
    }
    assertThat(primes.get(0).multiply(primes.get(1)).bitLength()).isEqualTo(2 * bits);
  }

  @Test
  void progress_isReported() throws Exception {
    AtomicLong last = new AtomicLong();
    int[] found = new int[1];
    SafePrimeSearch.find(512, 2, 2, new SecureRandom(), (tested, primes) -> {
      last.set(tested);
      found[0] = Math.max(found[0], primes);
    });
    assertThat(found[0]).isEqualTo(2);
    assertThat(last.get()).isPositive();
  }

  @Test
  void listenerException_stopsTheSearch() {
    assertThatThrownBy(() -> SafePrimeSearch.find(512, 2, 2, new SecureRandom(), (t, p) -> {
      throw new IllegalStateException("cancelled by caller");
    })).isInstanceOf(IllegalStateException.class).hasRootCauseMessage("cancelled by caller");
  }

  @Test
  void isSafePrime_rejectsPlainPrimes() {
    assertThat(SafePrimeSearch.isSafePrime(BigInteger.valueOf(23))).isTrue();
    assertThat(SafePrimeSearch.isSafePrime(BigInteger.valueOf(13))).isFalse();
    assertThat(SafePrimeSearch.isSafePrime(BigInteger.valueOf(15))).isFalse();
  }

  @Test
  void tooSmall_isRefused() {
    assertThatThrownBy(() -> SafePrimeSearch.find(32, 2, 1, new SecureRandom(), null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
