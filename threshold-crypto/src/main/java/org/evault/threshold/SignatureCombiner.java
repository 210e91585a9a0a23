package org.evault.threshold;

import java.math.BigInteger;
import java.util.Collection;
import java.util.Set;
import org.evault.threshold.internal.Bytes;
import org.evault.threshold.internal.Emsa;

/**
 * The gateway's half: combines signature shares into the vault signature.
 *
 * <h2>Security guarantees</h2>
 * {@link #combine} returns only a signature that verifies under the vault key. It first combines
 * optimistically (no proof checks) and verifies; only if that fails does it check every share's
 * proof, name every invalid share, and combine again from the valid ones. Verification keys come
 * from the {@link PublicParameters} given here, never from a share's sender. Thread-safe.
 */
public final class SignatureCombiner {
  private final PublicParameters params;
  private final Combining combining;

  private SignatureCombiner(PublicParameters params) {
    this.params = params;
    this.combining = new Combining(params);
  }

  public static SignatureCombiner create(PublicParameters params) {
    if (params.purpose() != KeyPurpose.SIGN) {
      throw new IllegalArgumentException("a signature combiner needs a SIGN key, not " + params.purpose());
    }
    return new SignatureCombiner(params);
  }

  public PublicParameters parameters() {
    return params;
  }

  /**
   * Combines at least k shares of distinct servers into the signature on {@code message}.
   *
   * @throws NotEnoughSharesException if fewer than k valid shares remain; it names the invalid ones
   * @throws CombinationFailedException if additive shares do not combine (the liar cannot be named)
   * @throws IllegalArgumentException for two shares of one index or an index outside 1..n
   */
  public ThresholdSignature combine(byte[] message, Collection<SignatureShare> shares)
      throws NotEnoughSharesException, CombinationFailedException {
    BigInteger x = Emsa.encode(message, params.modulusBytes());
    Combining.Outcome o = combining.combine(x, shares);
    return signature(o);
  }

  /**
   * Where the proofs of shares made by {@link ThresholdSigner#signWithoutProof} come from: asked
   * only if the optimistic combination fails, for exactly the shares that came without a proof.
   */
  @FunctionalInterface
  public interface ProofSource {
    /**
     * The proven shares (from {@link ThresholdSigner#sign} of the same message) of as many of the
     * servers {@code indices} as answer; a server left out counts as having sent an invalid share.
     */
    Collection<SignatureShare> provenShares(Set<Integer> indices) throws InterruptedException;
  }

  /**
   * As {@link #combine(byte[], Collection)}, for shares that may lack proofs: when the optimistic
   * combination fails, {@code proofs} is asked for the proofs of the unproven shares before every
   * proof is checked. The common case (every share right) thus costs no proof at all.
   *
   * @throws InterruptedException if interrupted while {@code proofs} waits
   */
  public ThresholdSignature combine(byte[] message, Collection<SignatureShare> shares, ProofSource proofs)
      throws NotEnoughSharesException, CombinationFailedException, InterruptedException {
    BigInteger x = Emsa.encode(message, params.modulusBytes());
    Combining.Outcome o = combining.combine(x, shares, proofs::provenShares);
    return signature(o);
  }

  private ThresholdSignature signature(Combining.Outcome o) {
    return new ThresholdSignature(Bytes.toFixed(o.y(), params.modulusBytes()), o.used(), o.invalid());
  }

  /**
   * Checks one Shoup share's proof for {@code message}.
   *
   * @throws InvalidShareException naming the share if its proof fails
   */
  public void checkShare(byte[] message, SignatureShare share) throws InvalidShareException {
    combining.checkShare(Emsa.encode(message, params.modulusBytes()), share);
  }
}
