package org.evault.threshold;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.evault.threshold.internal.Blinder;
import org.evault.threshold.internal.SafePrimeSearch;

/**
 * The trusted dealer of the one-time setup: makes an RSA key with safe primes p = 2p' + 1 and
 * q = 2q' + 1, e = 65537, and splits d among n servers. p, q, phi(N), p'q' and d live only inside
 * {@link #generate()} and are dropped before it returns.
 *
 * <pre>{@code
 * try (DealtKey key = Dealer.builder().scheme(ThresholdScheme.SHOUP).servers(5).threshold(3)
 *     .random(new SecureRandom()).build().generate()) {
 *   KeyFiles.writePublicKey(dir.resolve("vault.pem"), key.publicKey());
 *   ...
 * }
 * }</pre>
 *
 * <p>Pitfalls: Java's BigInteger is immutable, so the primes and d cannot be overwritten in place;
 * the dealer keeps them in locals only, never in fields, and zeroes every byte array it derives.
 * Run the dealer in a short-lived process ({@code evault init}) so the heap goes with it.
 */
public final class Dealer {
  /** Default modulus size. */
  public static final int DEFAULT_MODULUS_BITS = 3072;

  private final int modulusBits;
  private final ThresholdScheme scheme;
  private final KeyPurpose purpose;
  private final int n;
  private final int k;
  private final SecureRandom random;
  private final KeyGenListener listener;
  private final int threads;

  private Dealer(Builder b) {
    this.modulusBits = b.modulusBits;
    this.scheme = b.scheme;
    this.purpose = b.purpose;
    this.n = b.n;
    this.k = b.k;
    this.random = b.random;
    this.listener = b.listener;
    this.threads = b.threads;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Generates a fresh key and its shares.
   *
   * @throws InterruptedException if interrupted during the prime search
   */
  public DealtKey generate() throws InterruptedException {
    long start = System.nanoTime();
    SafePrimeSearch.Progress progress = listener == null ? null
        : (tested, found) -> listener.progress(
            new KeyGenProgress(tested, found, Duration.ofNanos(System.nanoTime() - start)));
    List<BigInteger> primes = SafePrimeSearch.find(modulusBits / 2, 2, threads, random, progress);
    return deal(primes.get(0), primes.get(1));
  }

  /** Splits the key made of the safe primes p and q; tests use it with pre-generated primes. */
  DealtKey deal(BigInteger p, BigInteger q) {
    BigInteger modulus = p.multiply(q);
    if (modulus.bitLength() != modulusBits) {
      throw new IllegalArgumentException("p q has " + modulus.bitLength() + " bits, not " + modulusBits);
    }
    if (p.equals(q)) {
      throw new IllegalArgumentException("p and q must differ");
    }
    BigInteger e = VaultPublicKey.PUBLIC_EXPONENT;
    VaultPublicKey publicKey = new VaultPublicKey(modulus, e);
    BigInteger pPrime = p.shiftRight(1);
    BigInteger qPrime = q.shiftRight(1);
    BigInteger m = pPrime.multiply(qPrime);
    if (scheme == ThresholdScheme.ADDITIVE) {
      return dealAdditive(publicKey, m.shiftLeft(2));
    }
    return dealShoup(publicKey, m);
  }

  /**
   * The paper's shares: d_1 .. d_(n-1) uniform in [0, phi(N)), d_n = d - sum mod phi(N). Any n - 1
   * of them are independent and uniform, whatever d is.
   */
  private DealtKey dealAdditive(VaultPublicKey publicKey, BigInteger phi) {
    BigInteger d = publicKey.publicExponent().modInverse(phi);
    PublicParameters params = new PublicParameters(publicKey, purpose, scheme, n, n, null);
    List<BigInteger> values = new ArrayList<>();
    BigInteger sum;
    do {
      values.clear();
      sum = BigInteger.ZERO;
      for (int i = 1; i < n; i++) {
        BigInteger di = uniformBelow(phi);
        values.add(di);
        sum = sum.add(di);
      }
      values.add(d.subtract(sum).mod(phi));
    } while (values.stream().anyMatch(x -> x.signum() == 0));
    List<KeyShare> shares = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      shares.add(new KeyShare(params, i, values.get(i - 1)));
    }
    return new DealtKey(params, shares);
  }

  /**
   * Shoup's dealing: d = e^(-1) mod m with m = p'q', f of degree k - 1 over Z_m with f(0) = d,
   * s_i = f(i) mod m; v a random square with gcd(v - 1, N) = 1, so it generates the squares; v_i = v^(s_i).
   */
  private DealtKey dealShoup(VaultPublicKey publicKey, BigInteger m) {
    BigInteger modulus = publicKey.modulus();
    BigInteger d = publicKey.publicExponent().modInverse(m);
    BigInteger[] coefficients = new BigInteger[k];
    coefficients[0] = d;
    for (int j = 1; j < k; j++) {
      coefficients[j] = uniformBelow(m);
    }
    List<BigInteger> values = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      BigInteger x = BigInteger.valueOf(i);
      BigInteger y = BigInteger.ZERO;
      for (int j = k - 1; j >= 0; j--) {
        y = y.multiply(x).add(coefficients[j]).mod(m);
      }
      if (y.signum() == 0) {
        // Probability about n / p'q'; a zero share would be refused by KeyShare. Deal again.
        return dealShoup(publicKey, m);
      }
      values.add(y);
    }
    java.util.Arrays.fill(coefficients, null);
    BigInteger v;
    do {
      BigInteger r = Blinder.randomUnit(modulus, random);
      v = r.multiply(r).mod(modulus);
    } while (!v.subtract(BigInteger.ONE).gcd(modulus).equals(BigInteger.ONE));
    List<BigInteger> vks = new ArrayList<>();
    for (BigInteger s : values) {
      vks.add(v.modPow(s, modulus));
    }
    PublicParameters params =
        new PublicParameters(publicKey, purpose, scheme, n, k, new VerificationKeys(v, vks));
    List<KeyShare> shares = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      shares.add(new KeyShare(params, i, values.get(i - 1)));
    }
    values.clear();
    return new DealtKey(params, shares);
  }

  private BigInteger uniformBelow(BigInteger bound) {
    while (true) {
      BigInteger r = new BigInteger(bound.bitLength(), random);
      if (r.compareTo(bound) < 0) {
        return r;
      }
    }
  }

  /** Settings of the dealer; every one has a default except where noted. */
  public static final class Builder {
    private int modulusBits = DEFAULT_MODULUS_BITS;
    private ThresholdScheme scheme = ThresholdScheme.SHOUP;
    private KeyPurpose purpose = KeyPurpose.SIGN;
    private int n = 5;
    private int k = 3;
    private boolean thresholdSet;
    private SecureRandom random;
    private KeyGenListener listener;
    private int threads = Runtime.getRuntime().availableProcessors();
    private boolean allowTestSizes;

    private Builder() {}

    /** 2048, 3072 (default) or 4096. */
    public Builder modulusBits(int bits) {
      if (bits != 2048 && bits != 3072 && bits != 4096) {
        throw new IllegalArgumentException("modulus must have 2048, 3072 or 4096 bits, not " + bits);
      }
      this.modulusBits = bits;
      return this;
    }

    /** Smaller keys, for tests only (package-private on purpose). */
    Builder modulusBitsForTests(int bits) {
      if (bits < VaultPublicKey.MIN_TEST_MODULUS_BITS || bits % 2 != 0) {
        throw new IllegalArgumentException("test modulus must be even and at least 512 bits: " + bits);
      }
      this.modulusBits = bits;
      this.allowTestSizes = true;
      return this;
    }

    /** {@link ThresholdScheme#SHOUP} by default. */
    public Builder scheme(ThresholdScheme scheme) {
      if (scheme == null) {
        throw new IllegalArgumentException("scheme is required");
      }
      this.scheme = scheme;
      return this;
    }

    /** {@link KeyPurpose#SIGN} by default. */
    public Builder purpose(KeyPurpose purpose) {
      if (purpose == null) {
        throw new IllegalArgumentException("purpose is required");
      }
      this.purpose = purpose;
      return this;
    }

    /** Number of servers n, 1..64; 5 by default. */
    public Builder servers(int n) {
      if (n < 1 || n > PublicParameters.MAX_SERVERS) {
        throw new IllegalArgumentException("servers must be between 1 and 64, not " + n);
      }
      this.n = n;
      return this;
    }

    /** Shares needed, k = t + 1, in 1..n; 3 by default; ignored (always n) for the additive scheme. */
    public Builder threshold(int k) {
      if (k < 1) {
        throw new IllegalArgumentException("threshold must be positive, not " + k);
      }
      this.k = k;
      this.thresholdSet = true;
      return this;
    }

    /** The randomness for primes, shares and v. Required. */
    public Builder random(SecureRandom random) {
      this.random = random;
      return this;
    }

    /** Optional progress listener. */
    public Builder listener(KeyGenListener listener) {
      this.listener = listener;
      return this;
    }

    /** Search threads; all processors by default. */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be positive, not " + threads);
      }
      this.threads = threads;
      return this;
    }

    public Dealer build() {
      if (random == null) {
        throw new IllegalStateException("random is required: pass a SecureRandom");
      }
      if (scheme == ThresholdScheme.ADDITIVE) {
        k = n;
      } else if (k > n) {
        throw new IllegalStateException("threshold " + k + " exceeds servers " + n
            + (thresholdSet ? "" : " (the default threshold is 3)"));
      }
      if (!allowTestSizes && modulusBits < VaultPublicKey.MIN_MODULUS_BITS) {
        throw new IllegalStateException("modulus too small: " + modulusBits);
      }
      return new Dealer(this);
    }
  }
}
