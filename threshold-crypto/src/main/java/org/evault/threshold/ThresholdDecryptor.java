package org.evault.threshold;

import java.math.BigInteger;
import javax.security.auth.Destroyable;

/**
 * A server's half of blinded threshold decryption: raises a blinded ciphertext to its share of a
 * user's {@link KeyPurpose#DECRYPT} key, with Shoup's proof. The value is of the caller's choosing,
 * which is why a signing key is refused here. Thread-safe.
 */
public final class ThresholdDecryptor implements Destroyable {
  private final ShareEngine engine;

  private ThresholdDecryptor(ShareEngine engine) {
    this.engine = engine;
  }

  public static ThresholdDecryptor create(KeyShare share) {
    if (share.parameters().purpose() != KeyPurpose.DECRYPT) {
      throw new IllegalArgumentException("share " + share.index() + " is a " + share.parameters().purpose()
          + " key; the vault's signing key never decrypts");
    }
    return new ThresholdDecryptor(new ShareEngine(share));
  }

  public int index() {
    return engine.index();
  }

  /** This server's decryption share of {@code blindedCiphertext} (in [1, N), prime to N). */
  public DecryptionShare decryptShare(BigInteger blindedCiphertext) {
    BigInteger n = engine.parameters().modulus();
    if (blindedCiphertext.signum() <= 0 || blindedCiphertext.compareTo(n) >= 0
        || !blindedCiphertext.gcd(n).equals(BigInteger.ONE)) {
      throw new IllegalArgumentException("ciphertext must be a unit in [1, N)");
    }
    BigInteger value = engine.value(blindedCiphertext);
    ShareProof proof = engine.parameters().scheme() == ThresholdScheme.SHOUP
        ? engine.prove(blindedCiphertext, value) : null;
    return new DecryptionShare(engine.index(), value, proof);
  }

  /** See {@link ThresholdSigner#precompute}. */
  public void precompute(int count) {
    engine.precompute(count);
  }

  @Override
  public void destroy() {
    engine.destroy();
  }

  @Override
  public boolean isDestroyed() {
    return engine.isDestroyed();
  }
}
