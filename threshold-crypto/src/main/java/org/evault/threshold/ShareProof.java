package org.evault.threshold;

import java.math.BigInteger;

/**
 * Shoup's non-interactive proof that a share is correct: log_{x~}(x_i^2) = log_v(v_i), with
 * x~ = x^(4 Delta). It covers the square of the share only, which is why shares enter the
 * combination squared.
 *
 * @param challenge c, 128 bits of SHA-256 over the domain-separated statement
 * @param response z = s_i c + r
 */
public record ShareProof(BigInteger challenge, BigInteger response) {
  /** Bits of the challenge (Shoup's L1). */
  public static final int CHALLENGE_BITS = 128;

  public ShareProof {
    if (challenge == null || response == null) {
      throw new IllegalArgumentException("challenge and response are required");
    }
    if (challenge.signum() < 0 || challenge.bitLength() > CHALLENGE_BITS) {
      throw new IllegalArgumentException("challenge must be a non-negative 128-bit number");
    }
    if (response.signum() < 0) {
      throw new IllegalArgumentException("response must not be negative");
    }
  }
}
