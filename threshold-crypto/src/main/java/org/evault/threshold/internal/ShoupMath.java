package org.evault.threshold.internal;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.bouncycastle.util.BigIntegers;

/**
 * The arithmetic of Shoup's scheme (EUROCRYPT 2000, section 2) that signers, combiners and the
 * decryption building block share.
 */
public final class ShoupMath {
  /** Shoup's L1: bits of the challenge; r has |N| + 2 L1 bits. */
  public static final int L1 = 128;

  private static final byte[] DOMAIN =
      "e-Vault threshold-crypto v1: Shoup share proof".getBytes(StandardCharsets.US_ASCII);

  private ShoupMath() {}

  /**
   * Delta * lambda^S_{0,j} = Delta * prod_{j' in S, j' != j} j' / (j' - j), an integer because Delta = n!
   * (Shoup, section 2.3).
   */
  public static BigInteger[] lagrangeAtZero(int[] indices, BigInteger delta) {
    BigInteger[] lambda = new BigInteger[indices.length];
    for (int a = 0; a < indices.length; a++) {
      BigInteger num = delta;
      BigInteger den = BigInteger.ONE;
      for (int b = 0; b < indices.length; b++) {
        if (a != b) {
          num = num.multiply(BigInteger.valueOf(indices[b]));
          den = den.multiply(BigInteger.valueOf(indices[b] - indices[a]));
        }
      }
      BigInteger[] qr = num.divideAndRemainder(den);
      if (qr[1].signum() != 0) {
        throw new IllegalStateException("Lagrange coefficient is not an integer; Delta is wrong");
      }
      lambda[a] = qr[0];
    }
    return lambda;
  }

  /** {a, b} with e' a + e b = 1, for e' = 4 Delta^2 (Shoup, section 2.3). */
  public static BigInteger[] bezout(BigInteger ePrime, BigInteger e) {
    BigInteger oldR = ePrime;
    BigInteger r = e;
    BigInteger oldS = BigInteger.ONE;
    BigInteger s = BigInteger.ZERO;
    BigInteger oldT = BigInteger.ZERO;
    BigInteger t = BigInteger.ONE;
    while (r.signum() != 0) {
      BigInteger q = oldR.divide(r);
      BigInteger tmp = oldR.subtract(q.multiply(r));
      oldR = r;
      r = tmp;
      tmp = oldS.subtract(q.multiply(s));
      oldS = s;
      s = tmp;
      tmp = oldT.subtract(q.multiply(t));
      oldT = t;
      t = tmp;
    }
    if (!oldR.equals(BigInteger.ONE)) {
      throw new IllegalArgumentException("e must be prime to 4 Delta^2");
    }
    return new BigInteger[] {oldS, oldT};
  }

  /**
   * The challenge c: the first 128 bits of SHA-256 over a domain tag, the purpose, the key id, the
   * share index and the six group elements, every field length-prefixed and every element written
   * at the width of N.
   */
  public static BigInteger challenge(int purpose, byte[] keyId, int n, int k, int index, int width,
      BigInteger v, BigInteger xTilde, BigInteger vi, BigInteger xiSquared, BigInteger vPrime,
      BigInteger xPrime) {
    MessageDigest md = Emsa.sha256();
    ByteBuffer head = ByteBuffer.allocate(4 + DOMAIN.length + 4 + 4 + 4 + keyId.length + 4 * 4);
    head.putInt(DOMAIN.length).put(DOMAIN);
    head.putInt(4).putInt(purpose);
    head.putInt(keyId.length).put(keyId);
    head.putInt(n).putInt(k).putInt(index).putInt(width);
    md.update(head.array());
    for (BigInteger element : new BigInteger[] {v, xTilde, vi, xiSquared, vPrime, xPrime}) {
      md.update(ByteBuffer.allocate(4).putInt(width).array());
      md.update(Bytes.toFixed(element, width));
    }
    byte[] digest = md.digest();
    return new BigInteger(1, digest, 0, L1 / 8);
  }

  /** Bits of r: |N| + 2 L1. */
  public static int randomBits(BigInteger modulus) {
    return modulus.bitLength() + 2 * L1;
  }

  /**
   * Checks a share proof; true if c = H(v, x~, v_i, x_i^2, v^z v_i^(-c), x~^z x_i^(-2c)).
   *
   * @param vInverseI v_i^(-1) mod N, cached by the caller
   */
  public static boolean verifyProof(int purpose, byte[] keyId, int n, int k, int index,
      BigInteger modulus, BigInteger delta, BigInteger v, BigInteger vi, BigInteger vInverseI,
      BigInteger x, BigInteger xi, BigInteger c, BigInteger z) {
    if (z.signum() < 0 || z.bitLength() > randomBits(modulus) + 1) {
      return false;
    }
    if (c.signum() < 0 || c.bitLength() > L1) {
      return false;
    }
    if (xi.signum() <= 0 || xi.compareTo(modulus) >= 0) {
      return false;
    }
    BigInteger xTilde = x.modPow(delta.shiftLeft(2), modulus);
    BigInteger xiSquared = xi.multiply(xi).mod(modulus);
    BigInteger vPrime = v.modPow(z, modulus).multiply(vInverseI.modPow(c, modulus)).mod(modulus);
    BigInteger xiToMinusTwoC = inverse(xiSquared.modPow(c, modulus), modulus);
    if (xiToMinusTwoC.signum() == 0) {
      return false;
    }
    BigInteger xPrime = xTilde.modPow(z, modulus).multiply(xiToMinusTwoC).mod(modulus);
    BigInteger expected = challenge(purpose, keyId, n, k, index, Bytes.lengthOf(modulus),
        v, xTilde, vi, xiSquared, vPrime, xPrime);
    return MessageDigest.isEqual(Bytes.toFixed(expected, L1 / 8), Bytes.toFixed(c, L1 / 8));
  }

  /**
   * Combines k Shoup shares: w = prod x_j^(2 lambda_j), y = w^a x^b; returns y with y^e = x when the
   * shares are right. One modular inversion in total.
   */
  public static BigInteger combine(BigInteger modulus, BigInteger delta, BigInteger[] ab,
      BigInteger x, int[] indices, BigInteger[] values) {
    BigInteger[] lambda = lagrangeAtZero(indices, delta);
    BigInteger numerator = BigInteger.ONE;
    BigInteger denominator = BigInteger.ONE;
    BigInteger a = ab[0];
    BigInteger b = ab[1];
    for (int j = 0; j < indices.length; j++) {
      BigInteger exp = lambda[j].shiftLeft(1).multiply(a);
      if (exp.signum() >= 0) {
        numerator = numerator.multiply(values[j].modPow(exp, modulus)).mod(modulus);
      } else {
        denominator = denominator.multiply(values[j].modPow(exp.negate(), modulus)).mod(modulus);
      }
    }
    if (b.signum() >= 0) {
      numerator = numerator.multiply(x.modPow(b, modulus)).mod(modulus);
    } else {
      denominator = denominator.multiply(x.modPow(b.negate(), modulus)).mod(modulus);
    }
    BigInteger inverse = inverse(denominator, modulus);
    return inverse.signum() == 0 ? BigInteger.ZERO : numerator.multiply(inverse).mod(modulus);
  }

  /**
   * value^(-1) mod an odd modulus, or 0 if there is none. For public values only: it uses Bouncy
   * Castle's variable-time safegcd inversion, four times faster than BigInteger.modInverse.
   */
  public static BigInteger inverse(BigInteger value, BigInteger modulus) {
    try {
      return BigIntegers.modOddInverseVar(modulus, value);
    } catch (ArithmeticException e) {
      return BigInteger.ZERO;
    }
  }
}
