package org.evault.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.evault.threshold.ThresholdTesting.assertVerifiesEverywhere;
import static org.evault.threshold.ThresholdTesting.negate;
import static org.evault.threshold.ThresholdTesting.signAll;
import static org.evault.threshold.ThresholdTesting.signer;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.evault.threshold.internal.Emsa;
import org.junit.jupiter.api.Test;

/** The e-Vault paper's n-out-of-n scheme (section 2.4). */
class AdditiveSchemeTest {
  private static final byte[] BODY = "{\"v\":1,\"doc\":\"minutes.txt\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void allFiveShares_2048_verifyWithJcaAndOpenssl() throws Exception {
    DealtKey key = TestKeys.additive(2048, "a", 5);
    ThresholdSignature sig = SignatureCombiner.create(key.parameters()).combine(BODY, signAll(key, BODY));
    assertThat(sig.sharesUsed()).containsExactly(1, 2, 3, 4, 5);
    assertVerifiesEverywhere(key.publicKey(), BODY, sig.bytes());
  }

  @Property(tries = 30)
  void productOfAllPartials_isTheRsaSignature(@ForAll @IntRange(min = 1, max = 7) int n,
      @ForAll byte[] message) throws Exception {
    DealtKey key = TestKeys.additive(1024, "a", n);
    ThresholdSignature sig = SignatureCombiner.create(key.parameters()).combine(message, signAll(key, message));
    assertThat(key.publicKey().verify(message, sig.bytes())).isTrue();
  }

  /** The shares add up to d mod phi(N): x^(sum d_j) is the signature, whatever x is. */
  @Property(tries = 10)
  void partialSignature_isXToTheShare(@ForAll @IntRange(min = 2, max = 7) int n, @ForAll byte[] message)
      throws Exception {
    DealtKey key = TestKeys.additive(1024, "a", n);
    BigInteger x = Emsa.encode(message, key.parameters().modulusBytes());
    BigInteger sum = BigInteger.ZERO;
    for (int i = 1; i <= n; i++) {
      BigInteger d = key.share(i).secret(SecretAccess.get());
      assertThat(signer(key, i).sign(message).value()).isEqualTo(x.modPow(d, key.parameters().modulus()));
      sum = sum.add(d);
    }
    TestKeys.Primes primes = TestKeys.primes(1024, "a");
    BigInteger d = VaultPublicKey.PUBLIC_EXPONENT.modInverse(primes.phi());
    assertThat(sum.mod(primes.phi())).isEqualTo(d);
  }

  @Property(tries = 10)
  void anyWrongShare_isDetected_butCannotBeNamed(@ForAll @IntRange(min = 2, max = 7) int n,
      @ForAll @IntRange(min = 1, max = 7) int victim, @ForAll @IntRange(min = 0, max = 2) int how,
      @ForAll byte[] message) throws Exception {
    DealtKey key = TestKeys.additive(1024, "a", n);
    DealtKey other = TestKeys.additive(1024, "b", n);
    int v = (victim - 1) % n + 1;
    List<SignatureShare> shares = new ArrayList<>(signAll(key, message));
    SignatureShare bad = switch (how) {
      case 0 -> negate(shares.get(v - 1), key.parameters().modulus());
      case 1 -> signer(other, v).sign(message);
      default -> signer(key, v).sign("replayed from another receipt".getBytes(StandardCharsets.UTF_8));
    };
    shares.set(v - 1, bad);
    // A value outside [1, N) (possible for another key's share) is named; anything else cannot be.
    assertThatThrownBy(() -> SignatureCombiner.create(key.parameters()).combine(message, shares))
        .satisfiesAnyOf(
            e -> assertThat(e).isInstanceOf(CombinationFailedException.class).hasMessageContaining("cannot be named"),
            e -> assertThat(e).isInstanceOfSatisfying(NotEnoughSharesException.class,
                x -> assertThat(x.invalidShareIndices()).containsExactly(v)));
  }

  @Test
  void missingShare_throwsNotEnoughShares() throws Exception {
    DealtKey key = TestKeys.additive(1024, "a", 3);
    List<SignatureShare> shares = signAll(key, BODY, 1, 3);
    assertThatThrownBy(() -> SignatureCombiner.create(key.parameters()).combine(BODY, shares))
        .isInstanceOfSatisfying(NotEnoughSharesException.class, e -> {
          assertThat(e.needed()).isEqualTo(3);
          assertThat(e.valid()).isEqualTo(2);
        });
  }

  @Test
  void additiveShares_carryNoProof() throws Exception {
    DealtKey key = TestKeys.additive(1024, "a", 3);
    assertThat(signer(key, 1).sign(BODY).proof()).isNull();
    assertThat(key.parameters().verificationKeys()).isNull();
  }

  /** n-out-of-n with verification keys: Shoup's scheme with k = n names the liar. */
  @Test
  void nOutOfNWithVerificationKeys_namesTheLiar() throws Exception {
    DealtKey key = TestKeys.shoup(1024, "a", 3, 3);
    List<SignatureShare> shares = new ArrayList<>(signAll(key, BODY));
    shares.set(1, signer(key, 2).sign("replayed".getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> SignatureCombiner.create(key.parameters()).combine(BODY, shares))
        .isInstanceOfSatisfying(NotEnoughSharesException.class,
            e -> assertThat(e.invalidShareIndices()).containsExactly(2));
  }
}
