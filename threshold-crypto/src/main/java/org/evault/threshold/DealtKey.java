package org.evault.threshold;

import java.util.List;

/**
 * The dealer's output: the public parameters and the n key shares, one per server. The unsplit key
 * is already gone. Close it once the shares are written out.
 */
public final class DealtKey implements AutoCloseable {
  private final PublicParameters parameters;
  private final List<KeyShare> shares;

  DealtKey(PublicParameters parameters, List<KeyShare> shares) {
    this.parameters = parameters;
    this.shares = List.copyOf(shares);
  }

  public PublicParameters parameters() {
    return parameters;
  }

  public VaultPublicKey publicKey() {
    return parameters.publicKey();
  }

  /** Share i is at position i - 1. */
  public List<KeyShare> shares() {
    return shares;
  }

  public KeyShare share(int index) {
    return shares.get(index - 1);
  }

  /** Destroys every share. */
  @Override
  public void close() {
    shares.forEach(KeyShare::destroy);
  }

  @Override
  public String toString() {
    return "DealtKey[" + parameters.keyId() + ", " + parameters.scheme() + " " + parameters.k() + "-of-"
        + parameters.n() + "]";
  }
}
