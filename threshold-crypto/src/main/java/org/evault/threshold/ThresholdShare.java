package org.evault.threshold;

import java.math.BigInteger;

/** What one server returns: its index, its partial result and, in Shoup's scheme, a proof. */
public sealed interface ThresholdShare permits SignatureShare, DecryptionShare {
  /** The server's index, 1..n. */
  int index();

  /** The partial result, in [1, N). */
  BigInteger value();

  /** The proof of correctness; null in the additive scheme. */
  ShareProof proof();
}
