package org.evault.threshold;

import java.math.BigInteger;
import org.evault.threshold.internal.Bytes;

/**
 * Everything public about a shared key: what a combiner and a verifier need and what the dealer
 * writes to the public parameters file.
 *
 * @param k shares needed (t + 1); n for {@link ThresholdScheme#ADDITIVE}
 * @param verificationKeys Shoup's verification keys; null for {@link ThresholdScheme#ADDITIVE}
 */
public record PublicParameters(
    VaultPublicKey publicKey,
    KeyPurpose purpose,
    ThresholdScheme scheme,
    int n,
    int k,
    VerificationKeys verificationKeys) {

  /** Most servers a key can be shared among; keeps Delta = n! and the file format small. */
  public static final int MAX_SERVERS = 64;

  public PublicParameters {
    if (publicKey == null || purpose == null || scheme == null) {
      throw new IllegalArgumentException("public key, purpose and scheme are required");
    }
    if (n < 1 || n > MAX_SERVERS) {
      throw new IllegalArgumentException("n must be between 1 and " + MAX_SERVERS + ", not " + n);
    }
    if (k < 1 || k > n) {
      throw new IllegalArgumentException("k must be between 1 and n = " + n + ", not " + k);
    }
    if (scheme == ThresholdScheme.ADDITIVE) {
      if (k != n) {
        throw new IllegalArgumentException("the additive scheme needs all n shares: k = " + k + ", n = " + n);
      }
      if (verificationKeys != null) {
        throw new IllegalArgumentException("the additive scheme has no verification keys");
      }
    } else {
      if (k == 1 && n > 1) {
        throw new IllegalArgumentException("k = 1 would give every server the whole key; use k >= 2");
      }
      if (verificationKeys == null) {
        throw new IllegalArgumentException("Shoup's scheme needs verification keys");
      }
      if (verificationKeys.keys().size() != n) {
        throw new IllegalArgumentException(
            "need " + n + " verification keys, not " + verificationKeys.keys().size());
      }
      verificationKeys.checkRange(publicKey.modulus());
    }
  }

  public KeyId keyId() {
    return publicKey.keyId();
  }

  public BigInteger modulus() {
    return publicKey.modulus();
  }

  /** Bytes of N; every group element is written in exactly this many bytes. */
  public int modulusBytes() {
    return Bytes.lengthOf(publicKey.modulus());
  }

  /** Faults tolerated: t = k - 1. */
  public int t() {
    return k - 1;
  }

  /** Delta = n!, Shoup's factor that makes the Lagrange coefficients integers. */
  public BigInteger delta() {
    BigInteger d = BigInteger.ONE;
    for (int i = 2; i <= n; i++) {
      d = d.multiply(BigInteger.valueOf(i));
    }
    return d;
  }
}
