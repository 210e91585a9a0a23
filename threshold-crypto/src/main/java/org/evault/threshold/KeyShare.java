package org.evault.threshold;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.security.auth.Destroyable;
import org.evault.threshold.internal.Bytes;

/**
 * One server's share of a vault key: d_i (additive) or s_i = f(i) (Shoup), with the public
 * parameters it belongs to. A secret, so not a record: {@link #toString()} prints no secret,
 * {@link #equals} compares in constant time, and {@link #destroy()} zeroes the stored bytes.
 *
 * <p>Pitfalls: a {@link BigInteger} made from the share by {@link #secret(SecretAccess)} cannot be
 * wiped; signers keep one for their lifetime and drop it on {@code destroy()}.
 */
public final class KeyShare implements Destroyable {
  private final PublicParameters parameters;
  private final int index;
  private final byte[] secret;
  private volatile boolean destroyed;

  /**
   * @param secret the share value, in [1, N)
   * @throws IllegalArgumentException if the index is outside 1..n or the value outside [1, N)
   */
  public KeyShare(PublicParameters parameters, int index, BigInteger secret) {
    if (index < 1 || index > parameters.n()) {
      throw new IllegalArgumentException("share index must be in 1.." + parameters.n() + ", not " + index);
    }
    if (secret.signum() <= 0 || secret.compareTo(parameters.modulus()) >= 0) {
      throw new IllegalArgumentException("share value of server " + index + " is outside [1, N)");
    }
    this.parameters = parameters;
    this.index = index;
    this.secret = Bytes.toFixed(secret, parameters.modulusBytes());
  }

  public PublicParameters parameters() {
    return parameters;
  }

  /** The server's index, 1..n. */
  public int index() {
    return index;
  }

  public KeyId keyId() {
    return parameters.keyId();
  }

  /** The share value; reading it is explicit. */
  public BigInteger secret(SecretAccess access) {
    if (access == null) {
      throw new IllegalArgumentException("secret access token required");
    }
    checkNotDestroyed();
    return new BigInteger(1, secret);
  }

  /** A fresh copy of the share in exactly {@link PublicParameters#modulusBytes()} bytes. */
  byte[] secretBytes(SecretAccess access) {
    if (access == null) {
      throw new IllegalArgumentException("secret access token required");
    }
    checkNotDestroyed();
    return secret.clone();
  }

  @Override
  public void destroy() {
    Arrays.fill(secret, (byte) 0);
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  private void checkNotDestroyed() {
    if (destroyed) {
      throw new IllegalStateException("key share " + index + " was destroyed");
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof KeyShare other)) {
      return false;
    }
    return index == other.index && parameters.equals(other.parameters)
        && MessageDigest.isEqual(secret, other.secret);
  }

  @Override
  public int hashCode() {
    return parameters.hashCode() * 31 + index;
  }

  @Override
  public String toString() {
    return "KeyShare[key " + parameters.keyId() + ", " + parameters.scheme() + " " + parameters.k()
        + "-of-" + parameters.n() + ", index " + index + ", secret redacted]";
  }
}
