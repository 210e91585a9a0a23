package org.evault.threshold;

import java.math.BigInteger;
import javax.security.auth.Destroyable;

/**
 * A client's blinded ciphertext c r^e mod N; keeps the blinding factor r (a secret) until the
 * answer is unblinded. The servers and the gateway see only {@link #value()}.
 */
public final class BlindedCiphertext implements Destroyable {
  private final VaultPublicKey key;
  private final BigInteger value;
  private volatile BigInteger blindingFactor;

  BlindedCiphertext(VaultPublicKey key, BigInteger value, BigInteger blindingFactor) {
    this.key = key;
    this.value = value;
    this.blindingFactor = blindingFactor;
  }

  public VaultPublicKey key() {
    return key;
  }

  /** c r^e mod N: what the client sends. */
  public BigInteger value() {
    return value;
  }

  BigInteger blindingFactor() {
    BigInteger r = blindingFactor;
    if (r == null) {
      throw new IllegalStateException("blinded ciphertext was destroyed");
    }
    return r;
  }

  @Override
  public void destroy() {
    blindingFactor = null;
  }

  @Override
  public boolean isDestroyed() {
    return blindingFactor == null;
  }

  @Override
  public String toString() {
    return "BlindedCiphertext[" + key.modulusBits() + " bits, factor redacted]";
  }
}
