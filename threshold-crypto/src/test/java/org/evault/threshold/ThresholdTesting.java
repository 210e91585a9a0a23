package org.evault.threshold;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Helpers shared by the scheme tests. */
final class ThresholdTesting {
  private ThresholdTesting() {}

  static List<SignatureShare> signAll(DealtKey key, byte[] message, int... indices) throws Exception {
    List<SignatureShare> out = new ArrayList<>();
    for (int i : indices) {
      out.add(signer(key, i).sign(message));
    }
    return out;
  }

  static List<SignatureShare> signAll(DealtKey key, byte[] message) throws Exception {
    List<SignatureShare> out = new ArrayList<>();
    for (int i = 1; i <= key.parameters().n(); i++) {
      out.add(signer(key, i).sign(message));
    }
    return out;
  }

  private static final java.util.Map<String, ThresholdSigner> SIGNERS = new java.util.concurrent.ConcurrentHashMap<>();

  /** A cached signer for share i of a test key. */
  static ThresholdSigner signer(DealtKey key, int index) {
    return SIGNERS.computeIfAbsent(System.identityHashCode(key) + "/" + index,
        x -> ThresholdSigner.create(key.share(index)));
  }

  static SignatureShare negate(SignatureShare s, BigInteger modulus) {
    return new SignatureShare(s.index(), modulus.subtract(s.value()), s.proof());
  }

  static SignatureShare withValue(SignatureShare s, BigInteger value) {
    return new SignatureShare(s.index(), value, s.proof());
  }

  /** Checks a signature with JCA and, where openssl is on the PATH, with openssl dgst. */
  static void assertVerifiesEverywhere(VaultPublicKey key, byte[] message, byte[] signature)
      throws IOException, InterruptedException {
    assertThat(signature).hasSize(key.modulusBytes());
    assertThat(key.verify(message, signature)).as("JCA SHA256withRSA").isTrue();
    if (openssl() == null) {
      return;
    }
    Path dir = Files.createTempDirectory("evault-openssl");
    try {
      Path pem = dir.resolve("vault.pem");
      Path sig = dir.resolve("receipt.sig");
      Path body = dir.resolve("receipt.body");
      Files.writeString(pem, key.toPem());
      Files.write(sig, signature);
      Files.write(body, message);
      Process p = new ProcessBuilder(openssl(), "dgst", "-sha256", "-verify", pem.toString(),
          "-signature", sig.toString(), body.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("openssl: " + out).isZero();
      assertThat(out).contains("Verified OK");
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }

  /** Path of openssl, or null when it is not installed. */
  static String openssl() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "openssl");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
