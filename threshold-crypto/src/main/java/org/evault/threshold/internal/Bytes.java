package org.evault.threshold.internal;

import java.math.BigInteger;
import java.util.Arrays;

/** Fixed-width integer encoding (I2OSP/OS2IP) and wiping of temporaries. */
public final class Bytes {
  private Bytes() {}

  /**
   * I2OSP: the unsigned big-endian encoding of {@code value} in exactly {@code length} bytes.
   *
   * @throws IllegalArgumentException if the value is negative or does not fit
   */
  public static byte[] toFixed(BigInteger value, int length) {
    if (value.signum() < 0) {
      throw new IllegalArgumentException("value is negative");
    }
    byte[] raw = value.toByteArray();
    try {
      int start = (raw.length > 1 && raw[0] == 0) ? 1 : 0;
      int size = raw.length - start;
      if (size > length) {
        throw new IllegalArgumentException(
            "value needs " + size + " bytes, more than the width " + length);
      }
      byte[] out = new byte[length];
      System.arraycopy(raw, start, out, length - size, size);
      return out;
    } finally {
      wipe(raw);
    }
  }

  /** OS2IP: a non-negative integer from unsigned big-endian bytes. */
  public static BigInteger fromUnsigned(byte[] bytes, int offset, int length) {
    return new BigInteger(1, bytes, offset, length);
  }

  public static void wipe(byte[] bytes) {
    if (bytes != null) {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** Bytes needed for {@code modulus} (k in RFC 8017). */
  public static int lengthOf(BigInteger modulus) {
    return (modulus.bitLength() + 7) / 8;
  }
}
