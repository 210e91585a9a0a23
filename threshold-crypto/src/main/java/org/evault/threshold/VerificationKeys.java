package org.evault.threshold;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;

/**
 * Shoup's public verification keys from the dealer: a random square {@code base} = v generating the
 * squares mod N, and v_i = v^(s_i) for every server i. A combiner takes them from the dealer's public
 * file, never from the server that sends a share.
 *
 * @param keys v_1 .. v_n; server i's key is {@code keys.get(i - 1)}
 */
public record VerificationKeys(BigInteger base, List<BigInteger> keys) {
  public VerificationKeys {
    if (base == null || keys == null || keys.isEmpty()) {
      throw new IllegalArgumentException("verification base and keys are required");
    }
    keys = List.copyOf(keys);
    if (new HashSet<>(keys).size() != keys.size()) {
      throw new IllegalArgumentException("verification keys must be distinct");
    }
  }

  /** v_i for server {@code index} (1..n). */
  public BigInteger keyOf(int index) {
    return keys.get(index - 1);
  }

  void checkRange(BigInteger modulus) {
    check("verification base", base, modulus);
    if (base.equals(BigInteger.ONE)) {
      throw new IllegalArgumentException("verification base must not be 1");
    }
    for (int i = 0; i < keys.size(); i++) {
      check("verification key " + (i + 1), keys.get(i), modulus);
    }
  }

  private static void check(String what, BigInteger value, BigInteger modulus) {
    if (value.signum() <= 0 || value.compareTo(modulus) >= 0) {
      throw new IllegalArgumentException(what + " is outside [1, N)");
    }
  }
}
