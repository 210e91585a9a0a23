package org.evault.threshold.internal;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * EMSA-PKCS1-v1_5 with SHA-256 (RFC 8017 section 9.2). Signers always compute the encoded value
 * from the message itself, so nobody can make a server sign a value of the caller's choosing.
 */
public final class Emsa {
  /** DER of DigestInfo for SHA-256 without the hash (RFC 8017 section 9.2, note 1). */
  private static final byte[] SHA256_DIGEST_INFO = {
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
    0x05, 0x00, 0x04, 0x20
  };

  private Emsa() {}

  /** The integer representative of EMSA-PKCS1-v1_5(SHA-256(message)) for a modulus of {@code k} bytes. */
  public static BigInteger encode(byte[] message, int k) {
    byte[] hash = sha256().digest(message);
    int tLen = SHA256_DIGEST_INFO.length + hash.length;
    if (k < tLen + 11) {
      throw new IllegalArgumentException("modulus of " + k + " bytes is too short for SHA-256");
    }
    byte[] em = new byte[k];
    em[0] = 0x00;
    em[1] = 0x01;
    for (int i = 2; i < k - tLen - 1; i++) {
      em[i] = (byte) 0xff;
    }
    em[k - tLen - 1] = 0x00;
    System.arraycopy(SHA256_DIGEST_INFO, 0, em, k - tLen, SHA256_DIGEST_INFO.length);
    System.arraycopy(hash, 0, em, k - hash.length, hash.length);
    return new BigInteger(1, em);
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
