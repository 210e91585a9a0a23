package org.evault.threshold;

import java.math.BigInteger;
import java.util.List;

/**
 * A combined, verified threshold decryption of a blinded ciphertext.
 *
 * @param blindedPlaintext (c r^e)^d = m r mod N, for the client to unblind
 * @param sharesUsed indices of the shares combined
 * @param invalidShares indices of shares proven invalid
 */
public record CombinedDecryption(BigInteger blindedPlaintext, List<Integer> sharesUsed,
    List<Integer> invalidShares) {
  public CombinedDecryption {
    sharesUsed = List.copyOf(sharesUsed);
    invalidShares = List.copyOf(invalidShares);
  }
}
