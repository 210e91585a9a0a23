package org.evault.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.RSAPrivateKeySpec;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Blinded threshold RSA-OAEP decryption with per-user keys (paper section 4.2). */
class ThresholdDecryptionTest {
  private static final SecureRandom RANDOM = TestKeys.seeded(99);

  private static DealtKey userKey(int bits, ThresholdScheme scheme) {
    return TestKeys.deal(bits, "b", scheme, KeyPurpose.DECRYPT, 5, scheme == ThresholdScheme.SHOUP ? 3 : 5);
  }

  private static List<DecryptionShare> shares(DealtKey key, BigInteger blinded, int... indices) {
    List<DecryptionShare> out = new ArrayList<>();
    for (int i : indices) {
      out.add(ThresholdDecryptor.create(key.share(i)).decryptShare(blinded));
    }
    return out;
  }

  @Property(tries = 15)
  void fileKey_survivesEncryptBlindThresholdDecryptUnblind(@ForAll @Size(min = 1, max = 62) byte[] fileKey)
      throws Exception {
    DealtKey key = userKey(1024, ThresholdScheme.SHOUP);
    byte[] ciphertext = ThresholdDecryption.encrypt(key.publicKey(), fileKey, RANDOM);
    BlindedCiphertext request = ThresholdDecryption.blind(key.publicKey(), ciphertext, RANDOM);
    assertThat(request.value()).isNotEqualTo(new BigInteger(1, ciphertext));
    CombinedDecryption answer = DecryptionCombiner.create(key.parameters())
        .combine(request.value(), shares(key, request.value(), 5, 1, 3));
    assertThat(ThresholdDecryption.unblind(request, answer.blindedPlaintext())).isEqualTo(fileKey);
  }

  @Test
  void additiveUserKey_2048_decryptsAndMatchesJca() throws Exception {
    DealtKey key = userKey(2048, ThresholdScheme.ADDITIVE);
    byte[] fileKey = new byte[32];
    RANDOM.nextBytes(fileKey);
    byte[] ciphertext = ThresholdDecryption.encrypt(key.publicKey(), fileKey, RANDOM);
    // The same ciphertext decrypts with a plain JCA private key and explicit SHA-256/MGF1-SHA-256.
    TestKeys.Primes primes = TestKeys.primes(2048, "b");
    RSAPrivateKey priv = (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new RSAPrivateKeySpec(
        primes.modulus(), VaultPublicKey.PUBLIC_EXPONENT.modInverse(primes.phi())));
    Cipher jca = Cipher.getInstance("RSA/ECB/OAEPPadding");
    jca.init(Cipher.DECRYPT_MODE, priv, ThresholdDecryption.OAEP_SHA256);
    assertThat(jca.doFinal(ciphertext)).isEqualTo(fileKey);

    BlindedCiphertext request = ThresholdDecryption.blind(key.publicKey(), ciphertext, RANDOM);
    CombinedDecryption answer = DecryptionCombiner.create(key.parameters())
        .combine(request.value(), shares(key, request.value(), 1, 2, 3, 4, 5));
    assertThat(ThresholdDecryption.unblind(request, answer.blindedPlaintext())).isEqualTo(fileKey);
    request.destroy();
    assertThat(request.isDestroyed()).isTrue();
  }

  /** A ciphertext padded with the JDK default (MGF1 with SHA-1) is refused, not silently accepted. */
  @Test
  void mgf1Sha1Ciphertext_failsPaddingCheck() throws Exception {
    DealtKey key = userKey(1024, ThresholdScheme.SHOUP);
    Cipher sha1Mgf = Cipher.getInstance("RSA/ECB/OAEPPadding");
    sha1Mgf.init(Cipher.ENCRYPT_MODE, key.publicKey().toJca(), new OAEPParameterSpec(
        "SHA-256", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT), RANDOM);
    byte[] ciphertext = sha1Mgf.doFinal(new byte[16]);
    BlindedCiphertext request = ThresholdDecryption.blind(key.publicKey(), ciphertext, RANDOM);
    CombinedDecryption answer = DecryptionCombiner.create(key.parameters())
        .combine(request.value(), shares(key, request.value(), 1, 2, 3));
    assertThatThrownBy(() -> ThresholdDecryption.unblind(request, answer.blindedPlaintext()))
        .isInstanceOf(BadPaddingException.class);
  }

  @Test
  void lyingDecryptionServer_isNamed() throws Exception {
    DealtKey key = userKey(1024, ThresholdScheme.SHOUP);
    byte[] fileKey = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    BlindedCiphertext request = ThresholdDecryption.blind(key.publicKey(),
        ThresholdDecryption.encrypt(key.publicKey(), fileKey, RANDOM), RANDOM);
    List<DecryptionShare> s = new ArrayList<>(shares(key, request.value(), 1, 2, 3, 4));
    DecryptionShare liar = s.get(0);
    s.set(0, new DecryptionShare(1, liar.value().add(BigInteger.ONE), liar.proof()));
    DecryptionCombiner combiner = DecryptionCombiner.create(key.parameters());
    CombinedDecryption answer = combiner.combine(request.value(), s);
    assertThat(answer.invalidShares()).containsExactly(1);
    assertThat(ThresholdDecryption.unblind(request, answer.blindedPlaintext())).isEqualTo(fileKey);
    assertThatThrownBy(() -> combiner.checkShare(request.value(), s.get(0)))
        .isInstanceOfSatisfying(InvalidShareException.class, e -> assertThat(e.shareIndex()).isEqualTo(1));
  }

  /** The vault's signing key never decrypts, and a decryption key never signs. */
  @Test
  void purposes_areKeptApart() {
    DealtKey signing = TestKeys.shoup(1024, "a", 3, 2);
    assertThatThrownBy(() -> ThresholdDecryptor.create(signing.share(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never decrypts");
    assertThatThrownBy(() -> DecryptionCombiner.create(signing.parameters()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unblind_wrongAnswer_fails() throws Exception {
    DealtKey key = userKey(1024, ThresholdScheme.SHOUP);
    BlindedCiphertext request = ThresholdDecryption.blind(key.publicKey(),
        ThresholdDecryption.encrypt(key.publicKey(), new byte[16], RANDOM), RANDOM);
    assertThatThrownBy(() -> ThresholdDecryption.unblind(request, BigInteger.TWO))
        .isInstanceOf(java.security.GeneralSecurityException.class).hasMessageContaining("not the decryption");
    assertThatThrownBy(() -> ThresholdDecryption.blind(key.publicKey(), new byte[5], RANDOM))
        .isInstanceOf(java.security.GeneralSecurityException.class);
  }
}
