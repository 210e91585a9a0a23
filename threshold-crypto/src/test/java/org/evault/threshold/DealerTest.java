package org.evault.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.evault.threshold.internal.SafePrimeSearch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DealerTest {
  private static final byte[] BODY = "receipt body".getBytes(StandardCharsets.UTF_8);

  @ParameterizedTest
  @EnumSource(ThresholdScheme.class)
  void generate_smallTestKey_signsAndReportsProgress(ThresholdScheme scheme) throws Exception {
    List<KeyGenProgress> events = new CopyOnWriteArrayList<>();
    try (DealtKey key = Dealer.builder().modulusBitsForTests(768).scheme(scheme).servers(5).threshold(3)
        .random(new SecureRandom()).listener(events::add).build().generate()) {
      assertThat(key.publicKey().modulusBits()).isEqualTo(768);
      assertThat(key.publicKey().publicExponent()).isEqualTo(BigInteger.valueOf(65537));
      assertThat(key.shares()).hasSize(5);
      assertThat(key.parameters().k()).isEqualTo(scheme == ThresholdScheme.ADDITIVE ? 5 : 3);
      int[] some = scheme == ThresholdScheme.ADDITIVE ? new int[] {1, 2, 3, 4, 5} : new int[] {1, 3, 5};
      ThresholdSignature sig = SignatureCombiner.create(key.parameters())
          .combine(BODY, ThresholdTesting.signAll(key, BODY, some));
      assertThat(key.publicKey().verify(BODY, sig.bytes())).isTrue();
      assertThat(events).isNotEmpty();
      assertThat(events.get(events.size() - 1).primesFound()).isEqualTo(KeyGenProgress.PRIMES_NEEDED);
    }
  }

  /** One real 2048-bit key in the default run: exact size, safe primes, valid signatures. */
  @Test
  void generate_2048_isExactSizeAndWorks() throws Exception {
    try (DealtKey key = Dealer.builder().modulusBits(2048).servers(3).threshold(2)
        .random(new SecureRandom()).build().generate()) {
      assertThat(key.publicKey().modulusBits()).isEqualTo(2048);
      ThresholdSignature sig = SignatureCombiner.create(key.parameters())
          .combine(BODY, ThresholdTesting.signAll(key, BODY, 2, 3));
      ThresholdTesting.assertVerifiesEverywhere(key.publicKey(), BODY, sig.bytes());
      key.close();
      assertThat(key.share(1).isDestroyed()).isTrue();
    }
  }

  @Tag("slow")
  @Test
  void generate_3072Default_isExactSize() throws Exception {
    try (DealtKey key = Dealer.builder().random(new SecureRandom()).build().generate()) {
      assertThat(key.publicKey().modulusBits()).isEqualTo(3072);
      assertThat(key.parameters().n()).isEqualTo(5);
      assertThat(key.parameters().k()).isEqualTo(3);
    }
  }

  @Test
  void dealtFromKnownPrimes_usesSafePrimes() {
    TestKeys.Primes primes = TestKeys.primes(2048, "a");
    assertThat(SafePrimeSearch.isSafePrime(primes.p())).isTrue();
    assertThat(SafePrimeSearch.isSafePrime(primes.q())).isTrue();
    DealtKey key = TestKeys.shoup(2048, "a", 5, 3);
    assertThat(key.publicKey().modulus()).isEqualTo(primes.modulus());
  }

  /** Shoup's shares are points of a degree k - 1 polynomial with f(0) = d mod p'q'. */
  @Test
  void shoupShares_interpolateToD() {
    DealtKey key = TestKeys.shoup(1024, "a", 5, 3);
    TestKeys.Primes primes = TestKeys.primes(1024, "a");
    BigInteger m = primes.pPrimeQPrime();
    BigInteger d = VaultPublicKey.PUBLIC_EXPONENT.modInverse(m);
    int[] idx = {2, 4, 5};
    BigInteger[] lambda = org.evault.threshold.internal.ShoupMath.lagrangeAtZero(idx, key.parameters().delta());
    BigInteger sum = BigInteger.ZERO;
    for (int j = 0; j < idx.length; j++) {
      sum = sum.add(lambda[j].multiply(key.share(idx[j]).secret(SecretAccess.get())));
    }
    assertThat(sum.mod(m)).isEqualTo(d.multiply(key.parameters().delta()).mod(m));
    BigInteger v = key.parameters().verificationKeys().base();
    assertThat(v.modPow(m, primes.modulus())).isEqualTo(BigInteger.ONE);
    for (int i = 1; i <= 5; i++) {
      assertThat(key.parameters().verificationKeys().keyOf(i))
          .isEqualTo(v.modPow(key.share(i).secret(SecretAccess.get()), primes.modulus()));
    }
  }

  @Test
  void builder_rejectsBadSettings() {
    assertThatThrownBy(() -> Dealer.builder().modulusBits(1024)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2048, 3072 or 4096");
    assertThatThrownBy(() -> Dealer.builder().servers(3).threshold(4).random(new SecureRandom()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("exceeds servers");
    assertThatThrownBy(() -> Dealer.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("random");
    assertThatThrownBy(() -> Dealer.builder().servers(65)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Dealer.builder().threshold(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builder_additiveAlwaysNeedsAllShares() {
    DealtKey key = TestKeys.additive(1024, "a", 4);
    assertThat(key.parameters().k()).isEqualTo(4);
    assertThat(key.parameters().t()).isEqualTo(3);
  }

  @Test
  void keyShare_hidesItsSecret_andCanBeDestroyed() {
    TestKeys.Primes primes = TestKeys.primes(1024, "b");
    DealtKey key = Dealer.builder().modulusBitsForTests(1024).servers(3).threshold(2)
        .random(TestKeys.seeded(7)).build().deal(primes.p(), primes.q());
    KeyShare share = key.share(2);
    String secretHex = share.secret(SecretAccess.get()).toString(16);
    assertThat(share.toString()).doesNotContain(secretHex).contains("redacted");
    assertThat(share).isEqualTo(share);
    assertThat(share).isNotEqualTo(key.share(3));
    key.close();
    assertThat(share.isDestroyed()).isTrue();
    assertThatThrownBy(() -> share.secret(SecretAccess.get())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void sameSeedAndPrimes_dealTheSameShares() {
    TestKeys.Primes primes = TestKeys.primes(1024, "b");
    KeyShare a = Dealer.builder().modulusBitsForTests(1024).random(TestKeys.seeded(42)).build()
        .deal(primes.p(), primes.q()).share(1);
    KeyShare b = Dealer.builder().modulusBitsForTests(1024).random(TestKeys.seeded(42)).build()
        .deal(primes.p(), primes.q()).share(1);
    assertThat(a).isEqualTo(b);
  }

  @Test
  void testFixture_dealsWorkingKeys() throws Exception {
    try (DealtKey key = ThresholdTestKeys.deal(ThresholdScheme.SHOUP, 5, 3)) {
      ThresholdSignature sig = SignatureCombiner.create(key.parameters())
          .combine(BODY, ThresholdTesting.signAll(key, BODY, 1, 2, 3));
      assertThat(key.publicKey().verify(BODY, sig.bytes())).isTrue();
    }
    assertThatThrownBy(() -> ThresholdTestKeys.deal(1024, "a", ThresholdScheme.SHOUP, KeyPurpose.SIGN, 3, 2))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
