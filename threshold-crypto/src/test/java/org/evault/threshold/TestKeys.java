package org.evault.threshold;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys for tests, dealt from safe primes pre-generated into src/test/resources/keys (never from main
 * code). Dealing is deterministic for a given seed, so each key is dealt once per JVM.
 */
final class TestKeys {
  /** p and q of a test key; the test knows them to check what files must not contain. */
  record Primes(BigInteger p, BigInteger q) {
    BigInteger modulus() {
      return p.multiply(q);
    }

    BigInteger phi() {
      return p.subtract(BigInteger.ONE).multiply(q.subtract(BigInteger.ONE));
    }

    BigInteger pPrimeQPrime() {
      return p.shiftRight(1).multiply(q.shiftRight(1));
    }
  }

  private static final Map<String, Primes> PRIMES = new ConcurrentHashMap<>();
  private static final Map<String, DealtKey> KEYS = new ConcurrentHashMap<>();

  private TestKeys() {}

  /** Primes of keys/safe-primes-{bits}-{label}.txt; bits is 1024, 2048 or 3072, label a or b. */
  static Primes primes(int bits, String label) {
    return PRIMES.computeIfAbsent(bits + "-" + label, name -> {
      String resource = "/keys/safe-primes-" + name + ".txt";
      try (InputStream in = TestKeys.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("missing test resource " + resource);
        }
        BigInteger p = null;
        BigInteger q = null;
        for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
          if (line.startsWith("p=")) {
            p = new BigInteger(line.substring(2).strip(), 16);
          } else if (line.startsWith("q=")) {
            q = new BigInteger(line.substring(2).strip(), 16);
          }
        }
        return new Primes(p, q);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** A deterministic SecureRandom for the dealer. */
  static SecureRandom seeded(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static DealtKey shoup(int bits, String label, int n, int k) {
    return deal(bits, label, ThresholdScheme.SHOUP, KeyPurpose.SIGN, n, k);
  }

  static DealtKey additive(int bits, String label, int n) {
    return deal(bits, label, ThresholdScheme.ADDITIVE, KeyPurpose.SIGN, n, n);
  }

  /** A dealt key, cached; do not close it in tests. */
  static DealtKey deal(int bits, String label, ThresholdScheme scheme, KeyPurpose purpose, int n, int k) {
    String name = bits + "-" + label + "-" + scheme + "-" + purpose + "-" + n + "-" + k;
    return KEYS.computeIfAbsent(name, x -> {
      Primes primes = primes(bits, label);
      return Dealer.builder().modulusBitsForTests(bits).scheme(scheme).purpose(purpose).servers(n)
          .threshold(k).random(seeded(name.hashCode())).build().deal(primes.p(), primes.q());
    });
  }
}
