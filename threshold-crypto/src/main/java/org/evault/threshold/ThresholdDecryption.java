package org.evault.threshold;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.encodings.OAEPEncoding;
import org.bouncycastle.util.BigIntegers;
import org.evault.threshold.internal.Blinder;
import org.evault.threshold.internal.Bytes;
import org.evault.threshold.internal.RawRsaBlock;

/**
 * The client side of blinded threshold RSA-OAEP decryption (e-Vault paper section 4.2, after
 * Garay, Gennaro, Jutla and Rabin): encrypt a file key under a user's shared key, blind the
 * ciphertext with r^e before asking the servers, then remove r and the padding from the combined
 * answer. The servers and the gateway never see the file key. Keys must be {@link KeyPurpose#DECRYPT}
 * keys; the vault's signing key never decrypts.
 *
 * <p>OAEP is RSAES-OAEP with SHA-256 and MGF1-SHA-256 and an empty label, set explicitly: the JDK's
 * "OAEPWithSHA-256AndMGF1Padding" alone would use MGF1 with SHA-1.
 */
public final class ThresholdDecryption {
  /** SHA-256 for the label hash and for MGF1. */
  public static final OAEPParameterSpec OAEP_SHA256 = new OAEPParameterSpec(
      "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

  private ThresholdDecryption() {}

  /** RSAES-OAEP(SHA-256, MGF1-SHA-256) encryption of a (short) file key. */
  public static byte[] encrypt(VaultPublicKey key, byte[] fileKey, SecureRandom random)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
    cipher.init(Cipher.ENCRYPT_MODE, key.toJca(), OAEP_SHA256, random);
    return cipher.doFinal(fileKey);
  }

  /** Blinds a ciphertext: c r^e mod N with r a fresh random unit. */
  public static BlindedCiphertext blind(VaultPublicKey key, byte[] ciphertext, SecureRandom random)
      throws GeneralSecurityException {
    if (ciphertext.length != key.modulusBytes()) {
      throw new GeneralSecurityException("ciphertext must be " + key.modulusBytes() + " bytes, not "
          + ciphertext.length);
    }
    BigInteger c = new BigInteger(1, ciphertext);
    if (c.signum() == 0 || c.compareTo(key.modulus()) >= 0) {
      throw new GeneralSecurityException("ciphertext is outside [1, N)");
    }
    BigInteger r = Blinder.randomUnit(key.modulus(), random);
    BigInteger blinded = c.multiply(r.modPow(key.publicExponent(), key.modulus())).mod(key.modulus());
    return new BlindedCiphertext(key, blinded, r);
  }

  /**
   * Removes r from the combined answer (which is (c r^e)^d = m r) and then the OAEP padding.
   *
   * @param blindedPlaintext {@link CombinedDecryption#blindedPlaintext()}
   * @throws GeneralSecurityException if the answer is not the decryption of this request or the
   *     padding is wrong
   */
  public static byte[] unblind(BlindedCiphertext request, BigInteger blindedPlaintext)
      throws GeneralSecurityException {
    VaultPublicKey key = request.key();
    BigInteger n = key.modulus();
    if (!blindedPlaintext.modPow(key.publicExponent(), n).equals(request.value())) {
      throw new GeneralSecurityException("answer is not the decryption of the blinded ciphertext");
    }
    BigInteger m = blindedPlaintext.multiply(BigIntegers.modOddInverse(n, request.blindingFactor())).mod(n);
    byte[] em = Bytes.toFixed(m, key.modulusBytes());
    try {
      OAEPEncoding oaep = new OAEPEncoding(new RawRsaBlock(key.modulusBytes()),
          SHA256Digest.newInstance(), SHA256Digest.newInstance(), null);
      oaep.init(false, null);
      return oaep.processBlock(em, 0, em.length);
    } catch (InvalidCipherTextException e) {
      throw new BadPaddingException("OAEP decoding failed");
    } finally {
      Bytes.wipe(em);
    }
  }
}
