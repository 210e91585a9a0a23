package org.evault.threshold;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.evault.threshold.internal.Bytes;
import org.evault.threshold.internal.Emsa;

/**
 * The vault's RSA public key (N, e) with e = 65537. Its PEM form is an ordinary SubjectPublicKeyInfo
 * that OpenSSL, JCA and WebCrypto read; its {@link #keyId()} is SHA-256 of that DER.
 */
public record VaultPublicKey(BigInteger modulus, BigInteger publicExponent) {
  /** The only public exponent: prime and larger than any n, as Shoup's scheme requires. */
  public static final BigInteger PUBLIC_EXPONENT = BigInteger.valueOf(65537);

  /** Smallest modulus accepted from files and by the dealer. */
  public static final int MIN_MODULUS_BITS = 2048;

  /** Smallest modulus the type holds at all; only tests make such keys, in memory. */
  static final int MIN_TEST_MODULUS_BITS = 512;

  private static final String PEM_BEGIN = "-----BEGIN PUBLIC KEY-----";
  private static final String PEM_END = "-----END PUBLIC KEY-----";

  public VaultPublicKey {
    if (modulus == null || publicExponent == null) {
      throw new IllegalArgumentException("modulus and exponent are required");
    }
    if (!PUBLIC_EXPONENT.equals(publicExponent)) {
      throw new IllegalArgumentException("public exponent must be 65537, not " + publicExponent);
    }
    if (modulus.signum() <= 0 || !modulus.testBit(0)) {
      throw new IllegalArgumentException("modulus must be odd and positive");
    }
    if (modulus.bitLength() < MIN_TEST_MODULUS_BITS) {
      throw new IllegalArgumentException("modulus of " + modulus.bitLength() + " bits is too short");
    }
  }

  /** Bytes of the modulus, which is also the byte length of every signature (k in RFC 8017). */
  public int modulusBytes() {
    return Bytes.lengthOf(modulus);
  }

  public int modulusBits() {
    return modulus.bitLength();
  }

  /** DER SubjectPublicKeyInfo. */
  public byte[] toDer() {
    return toJca().getEncoded();
  }

  /** PEM ("BEGIN PUBLIC KEY"), 64 base64 characters a line, ending in a newline. */
  public String toPem() {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(toDer());
    return PEM_BEGIN + "\n" + body + "\n" + PEM_END + "\n";
  }

  /** SHA-256 of {@link #toDer()}. */
  public KeyId keyId() {
    return KeyId.of(Emsa.sha256().digest(toDer()));
  }

  public RSAPublicKey toJca() {
    try {
      return (RSAPublicKey) KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(modulus, publicExponent));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform has RSA", e);
    }
  }

  /**
   * Checks an ordinary SHA256withRSA (PKCS #1 v1.5) signature with the JDK's own implementation, as
   * any receipt holder would.
   */
  public boolean verify(byte[] message, byte[] signature) {
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initVerify(toJca());
      s.update(message);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * Reads a PEM public key strictly: exactly one PUBLIC KEY block, canonical DER, RSA with e = 65537,
   * a modulus of at least {@value #MIN_MODULUS_BITS} bits that passes Bouncy Castle's checks (odd, no
   * small factors, composite).
   */
  public static VaultPublicKey fromPem(String pem) throws KeyFileException {
    VaultPublicKey key = parsePem(pem);
    if (key.modulusBits() < MIN_MODULUS_BITS) {
      throw new KeyFileException("public key has " + key.modulusBits()
          + " bits; at least " + MIN_MODULUS_BITS + " are required");
    }
    return key;
  }

  /** {@link #fromPem} without the size floor, for the small keys of tests. */
  static VaultPublicKey parsePem(String pem) throws KeyFileException {
    String text = pem.strip();
    if (!text.startsWith(PEM_BEGIN) || !text.endsWith(PEM_END)) {
      throw new KeyFileException("not a PEM public key: expected " + PEM_BEGIN + " ... " + PEM_END);
    }
    String body = text.substring(PEM_BEGIN.length(), text.length() - PEM_END.length());
    if (body.contains("-----")) {
      throw new KeyFileException("PEM public key must hold exactly one block");
    }
    byte[] der;
    try {
      String compact = body.replaceAll("\\s", "");
      if (!compact.matches("[A-Za-z0-9+/]*={0,2}")) {
        throw new IllegalArgumentException("characters outside base64");
      }
      der = Base64.getDecoder().decode(compact);
    } catch (IllegalArgumentException e) {
      throw new KeyFileException("PEM public key body is not base64: " + e.getMessage(), e);
    }
    PublicKey jca;
    try {
      jca = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new KeyFileException("PEM public key is not an RSA SubjectPublicKeyInfo", e);
    }
    RSAPublicKey rsa = (RSAPublicKey) jca;
    VaultPublicKey key;
    try {
      key = new VaultPublicKey(rsa.getModulus(), rsa.getPublicExponent());
      new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent());
    } catch (IllegalArgumentException e) {
      throw new KeyFileException("unusable RSA public key: " + e.getMessage(), e);
    }
    if (!Arrays.equals(der, key.toDer())) {
      throw new KeyFileException("PEM public key is not in canonical DER");
    }
    return key;
  }

  @Override
  public String toString() {
    return "VaultPublicKey[" + modulusBits() + " bits, e=" + publicExponent + "]";
  }
}
