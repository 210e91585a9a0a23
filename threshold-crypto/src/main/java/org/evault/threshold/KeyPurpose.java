package org.evault.threshold;

/**
 * What a shared key is for. A signing key never decrypts and a decryption key never signs: a
 * server asked to decrypt raises a value of the caller's choosing to its secret exponent, which
 * with the signing key would be a signature on anything.
 */
public enum KeyPurpose {
  /** The vault's receipt-signing key: servers sign EMSA-PKCS1-v1_5(SHA-256(message)) only. */
  SIGN(1),
  /** A per-user key for blinded threshold RSA-OAEP decryption (paper section 4.2). */
  DECRYPT(2);

  private final int code;

  KeyPurpose(int code) {
    this.code = code;
  }

  /** The byte that stands for the purpose in key files and proofs. */
  public int code() {
    return code;
  }

  /** The purpose for a key-file byte. */
  public static KeyPurpose fromCode(int code) {
    for (KeyPurpose p : values()) {
      if (p.code == code) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown key purpose code: " + code);
  }
}
