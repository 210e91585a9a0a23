package org.evault.threshold;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Untrusted bytes only ever raise the documented checked exceptions, never a runtime one. */
class HardeningTest {
  /** Prevents a daemon's garbage from crashing the gateway with an unchecked exception. */
  @Property(tries = 300)
  void shareWireForm_randomBytes_onlyInvalidShareException(@ForAll @Size(max = 400) byte[] bytes) {
    DealtKey key = TestKeys.shoup(1024, "a", 5, 3);
    Throwable t = catchThrowable(() -> SignatureShare.fromBytes(bytes, key.parameters()));
    assertThat(t).isInstanceOf(InvalidShareException.class);
  }

  /** Mutating one byte of a real share's wire form never gets past the decoder unnoticed as garbage. */
  @Property(tries = 200)
  void shareWireForm_mutated_decodesOrThrowsChecked(@ForAll @IntRange(min = 0, max = 10_000) int where,
      @ForAll byte value) throws Exception {
    DealtKey key = TestKeys.shoup(1024, "a", 5, 3);
    byte[] body = "b".getBytes(StandardCharsets.UTF_8);
    byte[] wire = ThresholdTesting.signer(key, 2).sign(body).toBytes(key.parameters());
    wire[where % wire.length] = value;
    Throwable t = catchThrowable(() -> {
      SignatureShare s = SignatureShare.fromBytes(wire, key.parameters());
      if (s.index() == 2) {
        SignatureCombiner.create(key.parameters()).checkShare(body, s);
      }
    });
    if (t != null) {
      assertThat(t).isInstanceOf(InvalidShareException.class);
    }
  }

  @Property(tries = 300)
  void shareFile_randomBytes_onlyKeyFileException(@ForAll @Size(max = 1200) byte[] bytes,
      @ForAll boolean withMagic) {
    DealtKey key = TestKeys.shoup(2048, "a", 3, 2);
    if (withMagic && bytes.length >= 8) {
      System.arraycopy(KeyFiles.SHARE_MAGIC, 0, bytes, 0, 8);
    }
    assertThatThrownBy(() -> KeyFiles.decodeShare(bytes, key.publicKey())).isInstanceOf(KeyFileException.class);
  }

  @Property(tries = 200)
  void pem_randomText_onlyKeyFileException(@ForAll @Size(max = 600) String text) {
    Throwable t = catchThrowable(() -> VaultPublicKey.fromPem(
        "-----BEGIN PUBLIC KEY-----\n" + text + "\n-----END PUBLIC KEY-----\n"));
    assertThat(t).isInstanceOf(KeyFileException.class);
  }
}
