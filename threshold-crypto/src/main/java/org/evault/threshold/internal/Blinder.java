package org.evault.threshold.internal;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.util.BigIntegers;

/**
 * Base blinding for a fixed secret exponent: {@code x^s = (x u)^s * u^(-s) mod N}, with the pair
 * (u, u^(-s)) cached and refreshed by squaring after every use (Kocher 1996). BigInteger.modPow is
 * not constant time; blinding makes the base it works on independent of the caller's input.
 *
 * <p>Thread-safe: the pair is taken and refreshed under the object's lock; the exponentiation
 * itself runs outside it.
 */
public final class Blinder {
  private final BigInteger modulus;
  private final BigInteger exponent;
  private BigInteger u;
  private BigInteger uInversePow;

  public Blinder(BigInteger modulus, BigInteger exponent, SecureRandom random) {
    this.modulus = modulus;
    this.exponent = exponent;
    BigInteger candidate = randomUnit(modulus, random);
    // The first pair costs one exponentiation on a fresh random base nobody else knows.
    // Constant-time inversion: u is secret.
    this.uInversePow = BigIntegers.modOddInverse(modulus, candidate).modPow(exponent, modulus);
    this.u = candidate;
  }

  /** {@code base^exponent mod N}, computed on a blinded base. */
  public BigInteger pow(BigInteger base) {
    BigInteger blind;
    BigInteger unblind;
    synchronized (this) {
      blind = u;
      unblind = uInversePow;
      u = u.multiply(u).mod(modulus);
      uInversePow = uInversePow.multiply(uInversePow).mod(modulus);
    }
    BigInteger blinded = base.multiply(blind).mod(modulus);
    return blinded.modPow(exponent, modulus).multiply(unblind).mod(modulus);
  }

  /** Drops the cached pair; the object must not be used afterwards. */
  public synchronized void destroy() {
    u = BigInteger.ONE;
    uInversePow = BigInteger.ONE;
  }

  /** A uniformly random element of Z_N^*. */
  public static BigInteger randomUnit(BigInteger modulus, SecureRandom random) {
    while (true) {
      BigInteger r = new BigInteger(modulus.bitLength(), random);
      if (r.signum() > 0 && r.compareTo(modulus) < 0 && r.gcd(modulus).equals(BigInteger.ONE)) {
        return r;
      }
    }
  }
}
