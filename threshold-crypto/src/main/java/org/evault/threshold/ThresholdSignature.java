package org.evault.threshold;

import java.util.List;

/**
 * A combined, verified signature: an ordinary SHA256withRSA (PKCS #1 v1.5) signature of exactly
 * the modulus length, plus which shares made it and which were proven wrong.
 */
public final class ThresholdSignature {
  private final byte[] signature;
  private final List<Integer> sharesUsed;
  private final List<Integer> invalidShares;

  ThresholdSignature(byte[] signature, List<Integer> sharesUsed, List<Integer> invalidShares) {
    this.signature = signature.clone();
    this.sharesUsed = List.copyOf(sharesUsed);
    this.invalidShares = List.copyOf(invalidShares);
  }

  /** A fresh copy of the signature bytes. */
  public byte[] bytes() {
    return signature.clone();
  }

  /** Indices of the shares combined, ascending. */
  public List<Integer> sharesUsed() {
    return sharesUsed;
  }

  /**
   * Indices of shares proven invalid (empty when the optimistic combination succeeded, since
   * unused shares are then not checked).
   */
  public List<Integer> invalidShares() {
    return invalidShares;
  }

  @Override
  public String toString() {
    return "ThresholdSignature[" + signature.length + " bytes, shares " + sharesUsed
        + (invalidShares.isEmpty() ? "" : ", invalid " + invalidShares) + "]";
  }
}
