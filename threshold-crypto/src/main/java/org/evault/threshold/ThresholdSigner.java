package org.evault.threshold;

import java.security.GeneralSecurityException;
import javax.security.auth.Destroyable;

/**
 * A server's signing half: turns a message into this server's signature share.
 *
 * <h2>Security guarantees</h2>
 * The signed value is always EMSA-PKCS1-v1_5(SHA-256(message)), computed here from the message;
 * no caller can make the server exponentiate a value of its choosing. The secret exponentiation
 * runs on a blinded base. Proof randomness comes from the platform's own SecureRandom, never a
 * caller's. Thread-safe.
 */
public interface ThresholdSigner extends Destroyable {
  /** This server's index, 1..n. */
  int index();

  PublicParameters parameters();

  /** This server's share of the signature on {@code message}, with a proof in Shoup's scheme. */
  SignatureShare sign(byte[] message) throws GeneralSecurityException;

  /**
   * The same share as {@link #sign} (the value is deterministic) without its proof: one
   * exponentiation where a share with proof costs two, or four without a precomputed opening. For
   * optimistic protocols: the combiner asks for proofs (by {@link #sign} of the same message) only
   * when the combination fails; see {@link SignatureCombiner#combine(byte[], java.util.Collection,
   * SignatureCombiner.ProofSource)}. In the additive scheme the same as {@link #sign}.
   */
  SignatureShare signWithoutProof(byte[] message) throws GeneralSecurityException;

  /**
   * Computes {@code count} message-independent proof openings ahead of time (v^r and a blinding
   * pair), so that {@link #sign} costs two exponentiations instead of four. A no-op for the
   * additive scheme. Call it when idle; at most {@value ShareEngine#MAX_POOL} are kept.
   */
  void precompute(int count);

  /** A signer for {@code share}, which must be a {@link KeyPurpose#SIGN} share. */
  static ThresholdSigner create(KeyShare share) {
    if (share.parameters().purpose() != KeyPurpose.SIGN) {
      throw new IllegalArgumentException("share " + share.index() + " is a " + share.parameters().purpose()
          + " key; a signer needs a SIGN key");
    }
    return new Signer(new ShareEngine(share));
  }
}
