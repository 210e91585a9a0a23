package org.evault.threshold.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

  /**
   * Reports come one at a time from several threads; a listener must see the number of primes and
   * of tested candidates never go down, and the report of the last prime last (a progress bar
   * that ends at 1 of 2 primes once looked like a hang).
   */
  @Property(tries = 50)
  void progress_isMonotone_andEndsWithTheLastPrime(@ForAll @IntRange(min = 192, max = 256) int bits,
      @ForAll @IntRange(min = 2, max = 4) int threads) throws Exception {
    List<long[]> reports = new CopyOnWriteArrayList<>();
    SafePrimeSearch.find(bits, 2, threads, new SecureRandom(), (tested, primes) -> {
      // A listener that takes a while (a terminal redraw, say) widens any window between reading
      // the counts and reporting them, where another thread's report could overtake this one.
      long until = System.nanoTime() + 1_000_000;
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      reports.add(new long[] {tested, primes});
    });
    assertThat(reports).isNotEmpty();
    for (int i = 1; i < reports.size(); i++) {
      assertThat(reports.get(i)[0]).as("tested, report %d", i).isGreaterThanOrEqualTo(reports.get(i - 1)[0]);
      assertThat(reports.get(i)[1]).as("primes, report %d", i).isGreaterThanOrEqualTo(reports.get(i - 1)[1]);
    }
    assertThat(reports.get(reports.size() - 1)[1]).isEqualTo(2);
    assertThat(reports.get(reports.size() - 1)[0]).isPositive();
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
