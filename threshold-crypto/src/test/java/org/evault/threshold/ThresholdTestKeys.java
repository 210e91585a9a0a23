package org.evault.threshold;

import java.security.SecureRandom;

/**
 * Test fixture for other modules (threshold-crypto's test-jar): vault keys dealt in milliseconds
 * from safe primes pre-generated into this module's test resources, instead of a real key
 * generation per test. Test code only; never ship these keys.
 *
 * <pre>{@code
 * <dependency>
 *   <groupId>org.evault</groupId><artifactId>threshold-crypto</artifactId>
 *   <type>test-jar</type><scope>test</scope>
 * </dependency>
 * }</pre>
 */
public final class ThresholdTestKeys {
  private ThresholdTestKeys() {}

  /**
   * A freshly dealt key (close it when done) of {@code bits} = 2048 or 3072; {@code variant} "a" or
   * "b" picks one of two different moduli (3072 has only "a").
   */
  public static DealtKey deal(int bits, String variant, ThresholdScheme scheme, KeyPurpose purpose, int n,
      int k) {
    if (bits != 2048 && bits != 3072) {
      throw new IllegalArgumentException("pre-generated keys have 2048 or 3072 bits, not " + bits);
    }
    TestKeys.Primes primes = TestKeys.primes(bits, variant);
    return Dealer.builder().modulusBits(bits).scheme(scheme).purpose(purpose).servers(n).threshold(k)
        .random(new SecureRandom()).build().deal(primes.p(), primes.q());
  }

  /** A 2048-bit signing key, variant "a". */
  public static DealtKey deal(ThresholdScheme scheme, int n, int k) {
    return deal(2048, "a", scheme, KeyPurpose.SIGN, n, k);
  }
}
