package org.evault.threshold;

import java.math.BigInteger;
import org.evault.threshold.internal.Emsa;

/** {@link ThresholdSigner} for both schemes. */
final class Signer implements ThresholdSigner {
  private final ShareEngine engine;

  Signer(ShareEngine engine) {
    this.engine = engine;
  }

  @Override
  public int index() {
    return engine.index();
  }

  @Override
  public PublicParameters parameters() {
    return engine.parameters();
  }

  @Override
  public SignatureShare sign(byte[] message) {
    if (message == null) {
      throw new IllegalArgumentException("message is required");
    }
    BigInteger x = Emsa.encode(message, engine.parameters().modulusBytes());
    BigInteger value = engine.value(x);
    ShareProof proof = engine.parameters().scheme() == ThresholdScheme.SHOUP ? engine.prove(x, value) : null;
    return new SignatureShare(engine.index(), value, proof);
  }

  @Override
  public SignatureShare signWithoutProof(byte[] message) {
    if (message == null) {
      throw new IllegalArgumentException("message is required");
    }
    BigInteger x = Emsa.encode(message, engine.parameters().modulusBytes());
    return new SignatureShare(engine.index(), engine.value(x), null);
  }

  @Override
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

  @Override
  public String toString() {
    return "ThresholdSigner[key " + engine.parameters().keyId() + ", index " + engine.index() + "]";
  }
}
