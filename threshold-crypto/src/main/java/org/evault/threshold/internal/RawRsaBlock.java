package org.evault.threshold.internal;

import java.math.BigInteger;
import org.bouncycastle.crypto.AsymmetricBlockCipher;
import org.bouncycastle.crypto.CipherParameters;

/**
 * An "RSA engine" that does no exponentiation: it hands Bouncy Castle's OAEP decoder a value the
 * threshold protocol already raised to d, with RSAEngine's framing (minimal unsigned output when
 * decrypting).
 */
public final class RawRsaBlock implements AsymmetricBlockCipher {
  private final int modulusBytes;
  private boolean forEncryption;

  public RawRsaBlock(int modulusBytes) {
    this.modulusBytes = modulusBytes;
  }

  @Override
  public void init(boolean forEncryption, CipherParameters params) {
    this.forEncryption = forEncryption;
  }

  @Override
  public int getInputBlockSize() {
    return forEncryption ? modulusBytes - 1 : modulusBytes;
  }

  @Override
  public int getOutputBlockSize() {
    return forEncryption ? modulusBytes : modulusBytes - 1;
  }

  @Override
  public byte[] processBlock(byte[] in, int inOff, int inLen) {
    BigInteger value = new BigInteger(1, in, inOff, inLen);
    byte[] raw = value.toByteArray();
    if (raw.length > 1 && raw[0] == 0) {
      byte[] trimmed = java.util.Arrays.copyOfRange(raw, 1, raw.length);
      Bytes.wipe(raw);
      return trimmed;
    }
    return raw;
  }
}
