package org.evault.threshold.internal;

import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import org.evault.threshold.InvalidShareException;

/**
 * Wire form of a signature or decryption share:
 * {@code u8 version=1 | u8 kind | u16 index | u16 width | value[width] | u8 hasProof
 * [| c[16] | u16 zLength | z[zLength]]}, big-endian, all integers unsigned.
 */
public final class ShareCodec {
  public static final int VERSION = 1;
  public static final int KIND_SIGNATURE = 1;
  public static final int KIND_DECRYPTION = 2;
  private static final int CHALLENGE_BYTES = 16;

  /** Decoded fields; challenge and response are both null when there is no proof. */
  public record Decoded(int index, BigInteger value, BigInteger challenge, BigInteger response) {}

  private ShareCodec() {}

  public static byte[] encode(int kind, int index, BigInteger value,
      org.evault.threshold.ShareProof proof, int width) {
    byte[] z = proof == null ? new byte[0] : proof.response().toByteArray();
    ByteBuffer b = ByteBuffer.allocate(7 + width + (proof == null ? 0 : CHALLENGE_BYTES + 2 + z.length));
    b.put((byte) VERSION).put((byte) kind).putShort((short) index).putShort((short) width);
    b.put(Bytes.toFixed(value, width));
    b.put((byte) (proof == null ? 0 : 1));
    if (proof != null) {
      b.put(Bytes.toFixed(proof.challenge(), CHALLENGE_BYTES));
      b.putShort((short) z.length).put(z);
    }
    return b.array();
  }

  /** Whether a share of some kind must, may or must not carry a proof. */
  public enum ProofRule { REQUIRED, OPTIONAL, ABSENT }

  public static Decoded decode(byte[] bytes, int kind, BigInteger modulus, int n, ProofRule rule)
      throws InvalidShareException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int index = 0;
    try {
      int version = b.get() & 0xff;
      int gotKind = b.get() & 0xff;
      index = b.getShort() & 0xffff;
      if (version != VERSION) {
        throw new InvalidShareException(index, "unknown share format version " + version);
      }
      if (gotKind != kind) {
        throw new InvalidShareException(index, "share kind " + gotKind + " where " + kind + " was expected");
      }
      if (index < 1 || index > n) {
        throw new InvalidShareException(index, "index outside 1.." + n);
      }
      int width = b.getShort() & 0xffff;
      int expected = Bytes.lengthOf(modulus);
      if (width != expected) {
        throw new InvalidShareException(index, "value width " + width + " bytes, key needs " + expected);
      }
      byte[] raw = new byte[width];
      b.get(raw);
      BigInteger value = new BigInteger(1, raw);
      if (value.signum() == 0 || value.compareTo(modulus) >= 0) {
        throw new InvalidShareException(index, "value outside [1, N)");
      }
      int hasProof = b.get() & 0xff;
      if (hasProof > 1) {
        throw new InvalidShareException(index, "proof flag " + hasProof);
      }
      if (hasProof == 0 && rule == ProofRule.REQUIRED) {
        throw new InvalidShareException(index, "proof missing");
      }
      if (hasProof == 1 && rule == ProofRule.ABSENT) {
        throw new InvalidShareException(index, "unexpected proof");
      }
      BigInteger challenge = null;
      BigInteger response = null;
      if (hasProof == 1) {
        byte[] c = new byte[CHALLENGE_BYTES];
        b.get(c);
        int zLength = b.getShort() & 0xffff;
        if (zLength > width + 64) {
          throw new InvalidShareException(index, "proof response of " + zLength + " bytes is too long");
        }
        byte[] z = new byte[zLength];
        b.get(z);
        if (zLength == 0 || z[0] < 0) {
          throw new InvalidShareException(index, "proof response is not a positive number");
        }
        challenge = new BigInteger(1, c);
        response = new BigInteger(z);
      }
      if (b.hasRemaining()) {
        throw new InvalidShareException(index, b.remaining() + " trailing bytes");
      }
      return new Decoded(index, value, challenge, response);
    } catch (BufferUnderflowException e) {
      throw new InvalidShareException(index, "truncated share");
    }
  }
}
