package org.evault.threshold;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.security.auth.Destroyable;
import org.bouncycastle.util.BigIntegers;
import org.evault.threshold.internal.Blinder;
import org.evault.threshold.internal.Bytes;
import org.evault.threshold.internal.ShoupMath;

/**
 * Raises x to a server's secret exponent and, in Shoup's scheme, proves it. Shared by signers and
 * decryptors; thread-safe.
 */
final class ShareEngine implements Destroyable {
  /** Most precomputed proof openings kept. */
  static final int MAX_POOL = 1024;

  private final PublicParameters params;
  private final int index;
  private final BigInteger modulus;
  private final BigInteger fourDelta;
  private final byte[] keyId;
  private final boolean shoup;
  // Never seeded by a caller: r and the blinding values come from the platform's own generator.
  private final SecureRandom random = new SecureRandom();
  private final Blinder blinder;
  private final ConcurrentLinkedDeque<Opening> pool = new ConcurrentLinkedDeque<>();
  private volatile BigInteger share;
  private volatile boolean destroyed;

  /** The message-independent part of one proof: r, v^r, and a blinding pair (a, a^(-4 Delta r)). */
  private record Opening(BigInteger r, BigInteger vToR, BigInteger a, BigInteger aInverseToFourDeltaR) {}

  ShareEngine(KeyShare keyShare) {
    this.params = keyShare.parameters();
    this.index = keyShare.index();
    this.modulus = params.modulus();
    this.fourDelta = params.delta().shiftLeft(2);
    this.keyId = params.keyId().toBytes();
    this.shoup = params.scheme() == ThresholdScheme.SHOUP;
    this.share = keyShare.secret(SecretAccess.get());
    BigInteger exponent = shoup ? share.multiply(params.delta()).shiftLeft(1) : share;
    this.blinder = new Blinder(modulus, exponent, random);
  }

  PublicParameters parameters() {
    return params;
  }

  int index() {
    return index;
  }

  /** x^(2 Delta s_i) (Shoup) or x^(d_i) (additive), on a blinded base. */
  BigInteger value(BigInteger x) {
    checkNotDestroyed();
    return blinder.pow(x);
  }

  /** Shoup's proof for the share xi = value(x). */
  ShareProof prove(BigInteger x, BigInteger xi) {
    checkNotDestroyed();
    Opening o = pool.pollFirst();
    if (o == null) {
      o = newOpening();
    }
    BigInteger xTilde = x.modPow(fourDelta, modulus);
    BigInteger xPrime = x.multiply(o.a()).mod(modulus)
        .modPow(o.r().multiply(fourDelta), modulus)
        .multiply(o.aInverseToFourDeltaR()).mod(modulus);
    VerificationKeys vk = params.verificationKeys();
    BigInteger c = ShoupMath.challenge(params.purpose().code(), keyId, params.n(), params.k(), index,
        Bytes.lengthOf(modulus), vk.base(), xTilde, vk.keyOf(index), xi.multiply(xi).mod(modulus),
        o.vToR(), xPrime);
    BigInteger z = share.multiply(c).add(o.r());
    return new ShareProof(c, z);
  }

  /** Fills the pool with up to {@code count} more openings (capped at {@value #MAX_POOL} in all). */
  void precompute(int count) {
    if (!shoup) {
      return;
    }
    for (int i = 0; i < count && pool.size() < MAX_POOL; i++) {
      pool.addLast(newOpening());
    }
  }

  int precomputed() {
    return pool.size();
  }

  private Opening newOpening() {
    BigInteger r = new BigInteger(ShoupMath.randomBits(modulus), random);
    BigInteger a = Blinder.randomUnit(modulus, random);
    // a^(-r) is computed on a random base nobody else knows, and then blinds v^r.
    BigInteger aInverseToR = BigIntegers.modOddInverse(modulus, a).modPow(r, modulus);
    BigInteger vToR = params.verificationKeys().base().multiply(a).mod(modulus)
        .modPow(r, modulus).multiply(aInverseToR).mod(modulus);
    return new Opening(r, vToR, a, aInverseToR.modPow(fourDelta, modulus));
  }

  private void checkNotDestroyed() {
    if (destroyed) {
      throw new IllegalStateException("signer of share " + index + " was destroyed");
    }
  }

  @Override
  public void destroy() {
    destroyed = true;
    share = BigInteger.ZERO;
    pool.clear();
    blinder.destroy();
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }
}
