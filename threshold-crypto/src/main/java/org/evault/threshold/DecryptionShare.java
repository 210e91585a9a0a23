package org.evault.threshold;

import java.math.BigInteger;
import org.evault.threshold.internal.ShareCodec;

/**
 * One server's partial decryption.
 *
 * @param index the server, 1..n
 * @param value the partial result: x^(d_i) (additive) or x^(2 Delta s_i) (Shoup)
 * @param proof Shoup's proof of correctness, or null in the additive scheme
 */
public record DecryptionShare(int index, BigInteger value, ShareProof proof) implements ThresholdShare {
  public DecryptionShare {
    if (index < 1 || index > PublicParameters.MAX_SERVERS) {
      throw new IllegalArgumentException("share index must be between 1 and "
          + PublicParameters.MAX_SERVERS + ", not " + index);
    }
    if (value == null || value.signum() <= 0) {
      throw new IllegalArgumentException("share value must be positive");
    }
  }

  /** The wire form: fixed width for the key, see docs/formats.md. */
  public byte[] toBytes(PublicParameters params) {
    return ShareCodec.encode(ShareCodec.KIND_DECRYPTION, index, value, proof, params.modulusBytes());
  }

  /**
   * Reads the wire form strictly: the kind, the width of N, an index in 1..n, a value in [1, N) and
   * a proof exactly when the scheme has proofs.
   */
  public static DecryptionShare fromBytes(byte[] bytes, PublicParameters params) throws InvalidShareException {
    ShareCodec.Decoded d = ShareCodec.decode(bytes, ShareCodec.KIND_DECRYPTION, params.modulus(), params.n(),
        params.scheme() == ThresholdScheme.SHOUP ? ShareCodec.ProofRule.REQUIRED : ShareCodec.ProofRule.ABSENT);
    return new DecryptionShare(d.index(), d.value(), d.challenge() == null ? null
        : new ShareProof(d.challenge(), d.response()));
  }
}
