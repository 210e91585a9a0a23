package org.evault.threshold;

import java.math.BigInteger;
import java.util.Collection;

/**
 * Combines decryption shares of a blinded ciphertext (optimistically, with the same fallback as
 * {@link SignatureCombiner}); the result is still blinded, so the combiner learns nothing of the
 * plaintext. Thread-safe.
 */
public final class DecryptionCombiner {
  private final PublicParameters params;
  private final Combining combining;

  private DecryptionCombiner(PublicParameters params) {
    this.params = params;
    this.combining = new Combining(params);
  }

  public static DecryptionCombiner create(PublicParameters params) {
    if (params.purpose() != KeyPurpose.DECRYPT) {
      throw new IllegalArgumentException("a decryption combiner needs a DECRYPT key, not " + params.purpose());
    }
    return new DecryptionCombiner(params);
  }

  /**
   * @throws NotEnoughSharesException if fewer than k valid shares remain; it names the invalid ones
   * @throws CombinationFailedException if additive shares do not combine
   */
  public CombinedDecryption combine(BigInteger blindedCiphertext, Collection<DecryptionShare> shares)
      throws NotEnoughSharesException, CombinationFailedException {
    BigInteger n = params.modulus();
    if (blindedCiphertext.signum() <= 0 || blindedCiphertext.compareTo(n) >= 0) {
      throw new IllegalArgumentException("ciphertext is outside [1, N)");
    }
    Combining.Outcome o = combining.combine(blindedCiphertext, shares);
    return new CombinedDecryption(o.y(), o.used(), o.invalid());
  }

  /** Checks one Shoup decryption share; throws naming it if its proof fails. */
  public void checkShare(BigInteger blindedCiphertext, DecryptionShare share) throws InvalidShareException {
    combining.checkShare(blindedCiphertext, share);
  }
}
