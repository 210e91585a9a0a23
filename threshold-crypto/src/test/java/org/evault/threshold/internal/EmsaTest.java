package org.evault.threshold.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Our encoding against the JDK's own SHA256withRSA: s^e mod N must be exactly our EM. */
class EmsaTest {
  private static final KeyPair KEYS = generate();

  private static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Property(tries = 30)
  void encode_matchesJcaSha256WithRsa(@ForAll byte[] message) throws Exception {
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(KEYS.getPrivate());
    s.update(message);
    RSAPublicKey pub = (RSAPublicKey) KEYS.getPublic();
    BigInteger em = new BigInteger(1, s.sign()).modPow(pub.getPublicExponent(), pub.getModulus());
    assertThat(Emsa.encode(message, 256)).isEqualTo(em);
  }

  @Test
  void encode_hasTheRfc8017Layout() {
    byte[] em = Bytes.toFixed(Emsa.encode(new byte[0], 128), 128);
    assertThat(em[0]).isZero();
    assertThat(em[1]).isEqualTo((byte) 1);
    assertThat(em[2]).isEqualTo((byte) 0xff);
    assertThat(em[128 - 52]).isZero();
  }
}
