package org.evault.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.evault.threshold.ThresholdTesting.assertVerifiesEverywhere;
import static org.evault.threshold.ThresholdTesting.negate;
import static org.evault.threshold.ThresholdTesting.signAll;
import static org.evault.threshold.ThresholdTesting.signer;
import static org.evault.threshold.ThresholdTesting.withValue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.evault.threshold.internal.Emsa;
import org.junit.jupiter.api.Test;

class ShoupSchemeTest {
  private static final byte[] BODY = "{\"v\":1,\"doc\":\"report.pdf\"}".getBytes(StandardCharsets.UTF_8);

  /** (n, k) pairs: the defaults, the paper's n = 3, and k = n (n-out-of-n with verification keys). */
  @Provide
  Arbitrary<int[]> shapes() {
    return Arbitraries.of(new int[] {3, 2}, new int[] {5, 3}, new int[] {7, 4}, new int[] {3, 3},
        new int[] {5, 5}, new int[] {4, 2}, new int[] {1, 1});
  }

  @Test
  void combine_threeOfFive2048_verifiesWithJcaAndOpenssl() throws Exception {
    DealtKey key = TestKeys.shoup(2048, "a", 5, 3);
    ThresholdSignature sig = SignatureCombiner.create(key.parameters())
        .combine(BODY, signAll(key, BODY, 2, 4, 5));
    assertThat(sig.sharesUsed()).containsExactly(2, 4, 5);
    assertThat(sig.invalidShares()).isEmpty();
    assertVerifiesEverywhere(key.publicKey(), BODY, sig.bytes());
  }

  @Test
  void combine_3072DefaultSize_verifiesWithOpenssl() throws Exception {
    DealtKey key = TestKeys.shoup(3072, "a", 3, 2);
    ThresholdSignature sig = SignatureCombiner.create(key.parameters()).combine(BODY, signAll(key, BODY, 1, 3));
    assertVerifiesEverywhere(key.publicKey(), BODY, sig.bytes());
  }

  /** Any k of n honest shares give the ordinary RSA signature, for every shape. */
  @Property(tries = 40)
  void anyKShares_combineToTheRsaSignature(@ForAll("shapes") int[] shape, @ForAll long seed,
      @ForAll @Size(max = 200) byte[] message) throws Exception {
    int n = shape[0];
    int k = shape[1];
    DealtKey key = TestKeys.shoup(1024, "a", n, k);
    List<Integer> indices = shuffled(n, seed).subList(0, k);
    List<SignatureShare> shares = new ArrayList<>();
    for (int i : indices) {
      shares.add(signer(key, i).sign(message));
    }
    ThresholdSignature sig = SignatureCombiner.create(key.parameters()).combine(message, shares);
    assertThat(key.publicKey().verify(message, sig.bytes())).isTrue();
    assertThat(sig.sharesUsed()).containsExactlyElementsOf(new TreeSet<>(indices));
  }

  /** Every honest share's proof verifies, and it is fresh each time (r is never reused). */
  @Property(tries = 20)
  void honestProofs_verify_andAreFresh(@ForAll("shapes") int[] shape, @ForAll byte[] message)
      throws Exception {
    DealtKey key = TestKeys.shoup(1024, "a", shape[0], shape[1]);
    SignatureCombiner combiner = SignatureCombiner.create(key.parameters());
    for (int i = 1; i <= shape[0]; i++) {
      SignatureShare a = signer(key, i).sign(message);
      SignatureShare b = signer(key, i).sign(message);
      combiner.checkShare(message, a);
      assertThat(a.value()).isEqualTo(b.value());
      assertThat(a.proof()).isNotEqualTo(b.proof());
    }
  }

  /**
   * A share replaced by its negative has a valid proof (the proof covers the square) and, because
   * shares enter the combination squared, still yields the right signature: dropping the factor 2
   * would break this.
   */
  @Property(tries = 20)
  void negatedShare_passesProof_andStillCombines(@ForAll("shapes") int[] shape,
      @ForAll @IntRange(min = 0, max = 6) int victim, @ForAll byte[] message) throws Exception {
    int n = shape[0];
    DealtKey key = TestKeys.shoup(1024, "a", n, shape[1]);
    BigInteger modulus = key.parameters().modulus();
    List<SignatureShare> shares = new ArrayList<>(signAll(key, message));
    int v = victim % n;
    shares.set(v, negate(shares.get(v), modulus));
    SignatureCombiner combiner = SignatureCombiner.create(key.parameters());
    combiner.checkShare(message, shares.get(v));
    ThresholdSignature sig = combiner.combine(message, shares);
    assertThat(key.publicKey().verify(message, sig.bytes())).isTrue();
  }

  /**
   * Up to n - k liars (random values, proofs copied from honest shares, shares for another message,
   * or shares of another key) are all named, and the signature is still made from the rest.
   */
  @Property(tries = 30)
  void liars_areAllNamed_andTheRestStillSign(@ForAll("shapes") int[] shape, @ForAll long seed,
      @ForAll byte[] message) throws Exception {
    int n = shape[0];
    int k = shape[1];
    DealtKey key = TestKeys.shoup(1024, "a", n, k);
    DealtKey other = TestKeys.shoup(1024, "b", n, k);
    Random rnd = new Random(seed);
    int liarCount = n - k == 0 ? 0 : 1 + rnd.nextInt(n - k);
    List<Integer> liars = shuffled(n, seed).subList(0, liarCount);
    byte[] otherMessage = (new String(message, StandardCharsets.ISO_8859_1) + "!").getBytes(StandardCharsets.ISO_8859_1);
    List<SignatureShare> shares = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      SignatureShare honest = signer(key, i).sign(message);
      if (!liars.contains(i)) {
        shares.add(honest);
        continue;
      }
      switch (rnd.nextInt(4)) {
        case 0 -> shares.add(withValue(honest, new BigInteger(1000, rnd).add(BigInteger.TWO)));
        case 1 -> shares.add(signer(key, i).sign(otherMessage));
        case 2 -> shares.add(signer(other, i).sign(message));
        default -> shares.add(withValue(honest, honest.value().multiply(BigInteger.TWO)
            .mod(key.parameters().modulus())));
      }
    }
    ThresholdSignature sig = SignatureCombiner.create(key.parameters()).combine(message, shares);
    assertThat(key.publicKey().verify(message, sig.bytes())).isTrue();
    // Only shares the optimistic pass touched, or the fallback checked, are named; never an honest one.
    assertThat(sig.invalidShares()).isSubsetOf(liars);
    if (!liars.isEmpty()) {
      assertThat(sig.sharesUsed()).doesNotContainAnyElementsOf(liars);
    }
    SignatureCombiner combiner = SignatureCombiner.create(key.parameters());
    for (SignatureShare s : shares) {
      if (liars.contains(s.index())) {
        assertThatThrownBy(() -> combiner.checkShare(message, s)).isInstanceOfSatisfying(
            InvalidShareException.class, e -> assertThat(e.shareIndex()).isEqualTo(s.index()));
      }
    }
  }

  /** A liar among the k lowest indices forces the full check, which names every liar. */
  @Property(tries = 15)
  void liarInOptimisticSet_namesEveryLiar(@ForAll @IntRange(min = 0, max = 1) int extraLiar,
      @ForAll byte[] message) throws Exception {
    DealtKey key = TestKeys.shoup(1024, "a", 7, 3);
    List<SignatureShare> shares = new ArrayList<>(signAll(key, message));
    byte[] replayed = "replayed".getBytes(StandardCharsets.UTF_8);
    shares.set(1, signer(key, 2).sign(replayed));
    shares.set(6, withValue(shares.get(6), shares.get(6).value().add(BigInteger.ONE)));
    if (extraLiar == 1) {
      shares.set(3, withValue(shares.get(3), BigInteger.valueOf(4)));
    }
    if (java.util.Arrays.equals(message, replayed)) {
      return;
    }
    ThresholdSignature sig = SignatureCombiner.create(key.parameters()).combine(message, shares);
    assertThat(sig.invalidShares()).containsExactlyElementsOf(extraLiar == 1 ? List.of(2, 4, 7) : List.of(2, 7));
    assertThat(sig.sharesUsed()).containsExactlyElementsOf(extraLiar == 1 ? List.of(1, 3, 5) : List.of(1, 3, 4));
    assertThat(key.publicKey().verify(message, sig.bytes())).isTrue();
  }

  /** With more than n - k liars nothing is signed, and every liar is named in the exception. */
  @Property(tries = 15)
  void tooManyLiars_throwNotEnoughShares_namingEveryLiar(@ForAll("shapes") int[] shape,
      @ForAll long seed, @ForAll byte[] message) throws Exception {
    int n = shape[0];
    int k = shape[1];
    DealtKey key = TestKeys.shoup(1024, "a", n, k);
    int liarCount = n - k + 1;
    List<Integer> liars = shuffled(n, seed).subList(0, liarCount);
    byte[] replayedFor = "another receipt".getBytes(StandardCharsets.UTF_8);
    List<SignatureShare> shares = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      shares.add(signer(key, i).sign(liars.contains(i) ? replayedFor : message));
    }
    if (java.util.Arrays.equals(message, replayedFor)) {
      return;
    }
    assertThatThrownBy(() -> SignatureCombiner.create(key.parameters()).combine(message, shares))
        .isInstanceOfSatisfying(NotEnoughSharesException.class, e -> {
          assertThat(e.invalidShareIndices()).containsExactlyElementsOf(new TreeSet<>(liars));
          assertThat(e.needed()).isEqualTo(k);
          assertThat(e.valid()).isEqualTo(n - liarCount);
        });
  }

  @Test
  void fewerThanKShares_throwNotEnoughShares() throws Exception {
    DealtKey key = TestKeys.shoup(1024, "a", 5, 3);
    List<SignatureShare> shares = signAll(key, BODY, 1, 5);
    assertThatThrownBy(() -> SignatureCombiner.create(key.parameters()).combine(BODY, shares))
        .isInstanceOfSatisfying(NotEnoughSharesException.class, e -> {
          assertThat(e.valid()).isEqualTo(2);
          assertThat(e.needed()).isEqualTo(3);
        });
  }

  @Test
  void duplicateOrOutOfRangeIndex_isTheCallersBug() throws Exception {
    DealtKey key = TestKeys.shoup(1024, "a", 5, 3);
    List<SignatureShare> shares = new ArrayList<>(signAll(key, BODY, 1, 2, 3));
    shares.add(shares.get(0));
    SignatureCombiner combiner = SignatureCombiner.create(key.parameters());
    assertThatThrownBy(() -> combiner.combine(BODY, shares)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two shares with index 1");
    SignatureShare s = shares.get(1);
    List<SignatureShare> outside = List.of(shares.get(1), shares.get(2), new SignatureShare(6, s.value(), s.proof()));
    assertThatThrownBy(() -> combiner.combine(BODY, outside)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside 1..5");
  }

  @Test
  void tamperedProof_isNamed() throws Exception {
    DealtKey key = TestKeys.shoup(1024, "a", 3, 2);
    SignatureShare s = signer(key, 2).sign(BODY);
    SignatureCombiner combiner = SignatureCombiner.create(key.parameters());
    SignatureShare badC = new SignatureShare(2, s.value(), new ShareProof(s.proof().challenge().flipBit(0), s.proof().response()));
    SignatureShare badZ = new SignatureShare(2, s.value(), new ShareProof(s.proof().challenge(), s.proof().response().add(BigInteger.ONE)));
    SignatureShare noProof = new SignatureShare(2, s.value(), null);
    SignatureShare otherIndex = new SignatureShare(3, s.value(), s.proof());
    for (SignatureShare bad : List.of(badC, badZ, noProof, otherIndex)) {
      assertThatThrownBy(() -> combiner.checkShare(BODY, bad)).isInstanceOfSatisfying(
          InvalidShareException.class, e -> assertThat(e.shareIndex()).isEqualTo(bad.index()));
    }
  }

  /** Shares without proofs: the same values as proven ones; proofs are asked for only on failure. */
  @Test
  void sharesWithoutProofs_combineWithoutAskingForProofs() throws Exception {
    DealtKey key = TestKeys.shoup(1024, "a", 5, 3);
    List<SignatureShare> shares = new ArrayList<>();
    for (int i : List.of(1, 3, 4)) {
      SignatureShare bare = signer(key, i).signWithoutProof(BODY);
      assertThat(bare.proof()).isNull();
      assertThat(bare.value()).isEqualTo(signer(key, i).sign(BODY).value());
      shares.add(SignatureShare.fromBytes(bare.toBytes(key.parameters()), key.parameters()));
    }
    List<java.util.Set<Integer>> asked = new ArrayList<>();
    ThresholdSignature sig = SignatureCombiner.create(key.parameters()).combine(BODY, shares, indices -> {
      asked.add(indices);
      return List.of();
    });
    assertThat(asked).isEmpty();
    assertThat(sig.sharesUsed()).containsExactly(1, 3, 4);
    assertVerifiesEverywhere(key.publicKey(), BODY, sig.bytes());
  }

  /**
   * A wrong share sent without a proof: the combiner asks for the proofs of exactly the unproven
   * shares, names the one whose proof fails and the one whose server gives none, and combines the rest.
   */
  @Test
  void wrongShareWithoutProof_proofsFetched_liarAndSilentNamed() throws Exception {
    DealtKey key = TestKeys.shoup(1024, "a", 5, 2);
    List<SignatureShare> shares = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      shares.add(signer(key, i).signWithoutProof(BODY));
    }
    shares.set(0, withValue(shares.get(0), shares.get(0).value().shiftLeft(1).mod(key.parameters().modulus())));
    List<SignatureShare> honest = signAll(key, BODY, 1, 2, 3, 4, 5);
    List<java.util.Set<Integer>> asked = new ArrayList<>();
    ThresholdSignature sig = SignatureCombiner.create(key.parameters()).combine(BODY, shares, indices -> {
      asked.add(indices);
      List<SignatureShare> proven = new ArrayList<>();
      for (int i : indices) {
        if (i == 1) { // the liar keeps its value
          proven.add(new SignatureShare(1, shares.get(0).value(), honest.get(0).proof()));
        } else if (i != 4) { // server 4 does not answer
          proven.add(honest.get(i - 1));
        }
      }
      return proven;
    });
    assertThat(asked).containsExactly(java.util.Set.of(1, 2, 3, 4, 5));
    assertThat(sig.invalidShares()).containsExactly(1, 4);
    assertThat(sig.sharesUsed()).containsExactly(2, 3);
    assertVerifiesEverywhere(key.publicKey(), BODY, sig.bytes());
  }

  @Test
  void decryptionShares_stillNeedTheirProofs() throws Exception {
    DealtKey shoup = TestKeys.shoup(1024, "a", 3, 2);
    byte[] bare = signer(shoup, 1).signWithoutProof(BODY).toBytes(shoup.parameters());
    assertThatThrownBy(() -> DecryptionShare.fromBytes(withKind(bare, 2), shoup.parameters()))
        .isInstanceOf(InvalidShareException.class).hasMessageContaining("proof missing");
  }

  private static byte[] withKind(byte[] share, int kind) {
    byte[] copy = share.clone();
    copy[1] = (byte) kind;
    return copy;
  }

  /** A share's proof is bound to its message: replaying it for another message is caught. */
  @Test
  void replayedShareForAnotherMessage_isNamed() throws Exception {
    DealtKey key = TestKeys.shoup(1024, "a", 3, 2);
    SignatureShare old = signer(key, 1).sign("old receipt".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> SignatureCombiner.create(key.parameters()).checkShare(BODY, old))
        .isInstanceOfSatisfying(InvalidShareException.class, e -> assertThat(e.shareIndex()).isEqualTo(1));
  }

  @Test
  void sharesFromAnotherKey_areNamed() throws Exception {
    DealtKey key = TestKeys.shoup(1024, "a", 3, 2);
    DealtKey other = TestKeys.shoup(1024, "b", 3, 2);
    List<SignatureShare> shares = List.of(signer(key, 1).sign(BODY), signer(other, 2).sign(BODY),
        signer(key, 3).sign(BODY));
    ThresholdSignature sig = SignatureCombiner.create(key.parameters()).combine(BODY, shares);
    assertThat(sig.invalidShares()).containsExactly(2);
    assertThat(sig.sharesUsed()).containsExactly(1, 3);
    assertThat(key.publicKey().verify(BODY, sig.bytes())).isTrue();
  }

  /** Shares are x^(2 Delta s_i) for x = EMSA-PKCS1-v1_5(SHA-256(message)), on a blinded base. */
  @Test
  void shareValue_isXToTwoDeltaS_evenAcrossBlindingRefreshes() throws Exception {
    DealtKey key = TestKeys.shoup(1024, "a", 5, 3);
    BigInteger n = key.parameters().modulus();
    BigInteger exponent = key.share(4).secret(SecretAccess.get())
        .multiply(key.parameters().delta()).shiftLeft(1);
    for (int round = 0; round < 5; round++) {
      byte[] message = ("m" + round).getBytes(StandardCharsets.UTF_8);
      BigInteger x = Emsa.encode(message, key.parameters().modulusBytes());
      assertThat(signer(key, 4).sign(message).value()).isEqualTo(x.modPow(exponent, n));
    }
  }

  @Test
  void precomputedOpenings_giveValidProofs() throws Exception {
    DealtKey key = TestKeys.shoup(1024, "a", 3, 2);
    ThresholdSigner s = ThresholdSigner.create(key.share(1));
    s.precompute(3);
    SignatureCombiner combiner = SignatureCombiner.create(key.parameters());
    for (int i = 0; i < 5; i++) {
      combiner.checkShare(BODY, s.sign(BODY));
    }
    s.destroy();
    assertThat(s.isDestroyed()).isTrue();
    assertThatThrownBy(() -> s.sign(BODY)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void signer_refusesDecryptionKey() {
    DealtKey key = TestKeys.deal(1024, "a", ThresholdScheme.SHOUP, KeyPurpose.DECRYPT, 3, 2);
    assertThatThrownBy(() -> ThresholdSigner.create(key.share(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SignatureCombiner.create(key.parameters())).isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 10)
  void wireForm_roundTrips(@ForAll("shapes") int[] shape, @ForAll byte[] message) throws Exception {
    DealtKey key = TestKeys.shoup(1024, "a", shape[0], shape[1]);
    SignatureShare s = signer(key, shape[0]).sign(message);
    byte[] wire = s.toBytes(key.parameters());
    assertThat(SignatureShare.fromBytes(wire, key.parameters())).isEqualTo(s);
    for (int cut = 0; cut < wire.length; cut += 7) {
      byte[] truncated = java.util.Arrays.copyOf(wire, cut);
      assertThatThrownBy(() -> SignatureShare.fromBytes(truncated, key.parameters()))
          .isInstanceOf(InvalidShareException.class);
    }
  }

  @Test
  void wireForm_rejectsValueOutsideRangeAndWrongKind() throws Exception {
    DealtKey key = TestKeys.shoup(1024, "a", 3, 2);
    SignatureShare s = signer(key, 1).sign(BODY);
    SignatureShare big = withValue(s, key.parameters().modulus());
    assertThatThrownBy(() -> SignatureShare.fromBytes(big.toBytes(key.parameters()), key.parameters()))
        .isInstanceOf(InvalidShareException.class).hasMessageContaining("outside [1, N)");
    byte[] asDecryption = new DecryptionShare(1, s.value(), s.proof()).toBytes(key.parameters());
    assertThatThrownBy(() -> SignatureShare.fromBytes(asDecryption, key.parameters()))
        .isInstanceOf(InvalidShareException.class).hasMessageContaining("kind");
  }

  /**
   * A signature whose integer has a leading zero byte is still exactly modulusBytes long (I2OSP),
   * which JCA and openssl require; a BigInteger.toByteArray() would be one byte short.
   */
  @Test
  void signatureWithLeadingZeroByte_isFullLength() throws Exception {
    DealtKey key = TestKeys.shoup(2048, "a", 3, 2);
    SignatureCombiner combiner = SignatureCombiner.create(key.parameters());
    BigInteger limit = BigInteger.ONE.shiftLeft(8 * (key.parameters().modulusBytes() - 1));
    for (int i = 0; i < 5000; i++) {
      byte[] message = ("receipt " + i).getBytes(StandardCharsets.UTF_8);
      ThresholdSignature sig = combiner.combine(message, signAll(key, message, 1, 2));
      if (new BigInteger(1, sig.bytes()).compareTo(limit) < 0) {
        assertThat(sig.bytes()[0]).isZero();
        ThresholdTesting.assertVerifiesEverywhere(key.publicKey(), message, sig.bytes());
        return;
      }
    }
    throw new AssertionError("no signature with a leading zero byte in 5000 messages");
  }

  @Test
  void decryptionShareWireForm_roundTrips() throws Exception {
    DealtKey key = TestKeys.deal(1024, "a", ThresholdScheme.SHOUP, KeyPurpose.DECRYPT, 3, 2);
    DecryptionShare s = ThresholdDecryptor.create(key.share(3)).decryptShare(BigInteger.valueOf(123456789));
    assertThat(DecryptionShare.fromBytes(s.toBytes(key.parameters()), key.parameters())).isEqualTo(s);
  }

  @Test
  void wireForm_additiveShareWithProof_isRefused() throws Exception {
    DealtKey key = TestKeys.additive(1024, "a", 3);
    SignatureShare s = signer(key, 1).sign(BODY);
    assertThat(SignatureShare.fromBytes(s.toBytes(key.parameters()), key.parameters())).isEqualTo(s);
    SignatureShare withProof = new SignatureShare(1, s.value(), new ShareProof(BigInteger.ONE, BigInteger.TWO));
    assertThatThrownBy(() -> SignatureShare.fromBytes(withProof.toBytes(key.parameters()), key.parameters()))
        .isInstanceOf(InvalidShareException.class).hasMessageContaining("unexpected proof");
  }

  static List<Integer> shuffled(int n, long seed) {
    List<Integer> all = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      all.add(i);
    }
    Collections.shuffle(all, new Random(seed));
    return all;
  }

}
