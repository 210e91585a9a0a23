package org.evault.threshold;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.evault.threshold.internal.ShoupMath;

/** Optimistic combination with fallback proof checks, shared by signatures and decryption. */
final class Combining {
  private final PublicParameters params;
  private final BigInteger modulus;
  private final BigInteger e;
  private final BigInteger delta;
  private final BigInteger[] bezout;
  private final BigInteger[] verificationKeyInverses;
  private final byte[] keyId;

  /** The combined value, the shares it was made of and the shares proven wrong. */
  record Outcome(BigInteger y, List<Integer> used, List<Integer> invalid) {}

  Combining(PublicParameters params) {
    this.params = params;
    this.modulus = params.modulus();
    this.e = params.publicKey().publicExponent();
    this.delta = params.delta();
    this.keyId = params.keyId().toBytes();
    if (params.scheme() == ThresholdScheme.SHOUP) {
      this.bezout = ShoupMath.bezout(delta.multiply(delta).shiftLeft(2), e);
      List<BigInteger> keys = params.verificationKeys().keys();
      this.verificationKeyInverses = new BigInteger[keys.size()];
      for (int i = 0; i < keys.size(); i++) {
        verificationKeyInverses[i] = ShoupMath.inverse(keys.get(i), modulus);
      }
    } else {
      this.bezout = null;
      this.verificationKeyInverses = null;
    }
  }

  /**
   * Where proofs come from for shares that arrived without one: asked only when the optimistic
   * combination fails, for exactly those shares. It returns proven shares (any it cannot get it
   * leaves out; those shares then count as invalid).
   */
  @FunctionalInterface
  interface ProofFetch {
    ProofFetch NONE = indices -> List.of();

    Collection<? extends ThresholdShare> fetch(Set<Integer> indices) throws InterruptedException;
  }

  Outcome combine(BigInteger x, Collection<? extends ThresholdShare> shares)
      throws NotEnoughSharesException, CombinationFailedException {
    try {
      return combine(x, shares, ProofFetch.NONE);
    } catch (InterruptedException e) {
      throw new AssertionError("ProofFetch.NONE never waits", e);
    }
  }

  /**
   * Combines, checks y^e = x, and only if that fails gets the missing proofs from {@code fetch},
   * checks every proof, names every invalid share and combines again from the valid ones. Never
   * returns an unverified value.
   */
  Outcome combine(BigInteger x, Collection<? extends ThresholdShare> shares, ProofFetch fetch)
      throws NotEnoughSharesException, CombinationFailedException, InterruptedException {
    List<ThresholdShare> sorted = new ArrayList<>(shares);
    sorted.sort(Comparator.comparingInt(ThresholdShare::index));
    Set<Integer> seen = new HashSet<>();
    List<Integer> invalid = new ArrayList<>();
    List<ThresholdShare> candidates = new ArrayList<>();
    for (ThresholdShare s : sorted) {
      if (s.index() < 1 || s.index() > params.n()) {
        throw new IllegalArgumentException("share index " + s.index() + " is outside 1.." + params.n());
      }
      if (!seen.add(s.index())) {
        throw new IllegalArgumentException("two shares with index " + s.index());
      }
      // Range only: a gcd per share would cost more than the whole combination. A value that is not
      // a unit makes the combination fail and is then caught by its proof.
      if (s.value().compareTo(modulus) >= 0) {
        invalid.add(s.index());
      } else {
        candidates.add(s);
      }
    }
    int k = params.k();
    if (candidates.size() < k) {
      throw new NotEnoughSharesException(candidates.size(), k, invalid);
    }
    List<ThresholdShare> first = candidates.subList(0, k);
    BigInteger y = combineUnchecked(x, first);
    if (y.modPow(e, modulus).equals(x)) {
      return new Outcome(y, indices(first), List.copyOf(invalid));
    }
    if (params.scheme() == ThresholdScheme.ADDITIVE) {
      throw new CombinationFailedException("combined value does not verify; additive shares carry no"
          + " proofs, so the wrong share cannot be named (use Shoup's scheme with k = n for that)");
    }
    withFetchedProofs(candidates, fetch);
    List<ThresholdShare> valid = new ArrayList<>();
    for (ThresholdShare s : candidates) {
      if (proofValid(x, s)) {
        valid.add(s);
      } else {
        invalid.add(s.index());
      }
    }
    invalid.sort(null);
    if (valid.size() < k) {
      throw new NotEnoughSharesException(valid.size(), k, invalid);
    }
    List<ThresholdShare> chosen = valid.subList(0, k);
    y = combineUnchecked(x, chosen);
    if (!y.modPow(e, modulus).equals(x)) {
      throw new CombinationFailedException(
          "shares " + indices(chosen) + " have valid proofs but do not combine; wrong parameters?");
    }
    return new Outcome(y, indices(chosen), List.copyOf(invalid));
  }

  /**
   * Replaces, in place, each candidate without a proof by the proven share {@code fetch} returns
   * for its index. A proven share may carry another value than the unproven one: its proof decides.
   */
  private void withFetchedProofs(List<ThresholdShare> candidates, ProofFetch fetch)
      throws InterruptedException {
    Set<Integer> unproven = new TreeSet<>();
    for (ThresholdShare s : candidates) {
      if (s.proof() == null) {
        unproven.add(s.index());
      }
    }
    if (unproven.isEmpty()) {
      return;
    }
    Map<Integer, ThresholdShare> proven = new HashMap<>();
    for (ThresholdShare s : fetch.fetch(Set.copyOf(unproven))) {
      if (s != null && s.proof() != null && unproven.contains(s.index()) && s.value().compareTo(modulus) < 0) {
        proven.putIfAbsent(s.index(), s);
      }
    }
    candidates.replaceAll(s -> proven.getOrDefault(s.index(), s));
  }

  /** Checks one share's proof; throws naming the share if it is wrong. */
  void checkShare(BigInteger x, ThresholdShare share) throws InvalidShareException {
    if (share.index() < 1 || share.index() > params.n()) {
      throw new InvalidShareException(share.index(), "index outside 1.." + params.n());
    }
    if (params.scheme() != ThresholdScheme.SHOUP) {
      throw new IllegalStateException("additive shares have no proofs to check");
    }
    if (!proofValid(x, share)) {
      throw new InvalidShareException(share.index(), "proof of correctness does not verify");
    }
  }

  boolean proofValid(BigInteger x, ThresholdShare s) {
    ShareProof p = s.proof();
    if (p == null) {
      return false;
    }
    VerificationKeys vk = params.verificationKeys();
    return ShoupMath.verifyProof(params.purpose().code(), keyId, params.n(), params.k(), s.index(),
        modulus, delta, vk.base(), vk.keyOf(s.index()), verificationKeyInverses[s.index() - 1],
        x, s.value(), p.challenge(), p.response());
  }

  private BigInteger combineUnchecked(BigInteger x, List<ThresholdShare> shares) {
    if (params.scheme() == ThresholdScheme.ADDITIVE) {
      BigInteger y = BigInteger.ONE;
      for (ThresholdShare s : shares) {
        y = y.multiply(s.value()).mod(modulus);
      }
      return y;
    }
    int[] idx = new int[shares.size()];
    BigInteger[] values = new BigInteger[shares.size()];
    for (int j = 0; j < idx.length; j++) {
      idx[j] = shares.get(j).index();
      values[j] = shares.get(j).value();
    }
    return ShoupMath.combine(modulus, delta, bezout, x, idx, values);
  }

  private static List<Integer> indices(List<ThresholdShare> shares) {
    return shares.stream().map(ThresholdShare::index).toList();
  }
}
