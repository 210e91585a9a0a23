package org.evault.threshold;

import java.util.HexFormat;

/**
 * SHA-256 of the DER SubjectPublicKeyInfo of a vault key, as lower-case hex. The same value as
 * {@code openssl pkey -pubin -in vault.pem -outform DER | sha256sum}.
 */
public record KeyId(String hex) {
  public static final int LENGTH_BYTES = 32;

  public KeyId {
    if (hex == null || !hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("key id must be 64 lower-case hex digits: " + hex);
    }
  }

  /** The key id for raw hash bytes. */
  public static KeyId of(byte[] sha256) {
    if (sha256.length != LENGTH_BYTES) {
      throw new IllegalArgumentException("key id must be 32 bytes, not " + sha256.length);
    }
    return new KeyId(HexFormat.of().formatHex(sha256));
  }

  /** A fresh copy of the 32 hash bytes. */
  public byte[] toBytes() {
    return HexFormat.of().parseHex(hex);
  }

  @Override
  public String toString() {
    return hex;
  }
}
