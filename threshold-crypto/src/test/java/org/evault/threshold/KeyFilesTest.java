package org.evault.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.evault.threshold.internal.Bytes;
import org.evault.threshold.internal.Emsa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeyFilesTest {
  @TempDir
  Path dir;

  @Test
  void publicKeyPem_roundTrips_andKeyIdIsSha256OfDer() throws Exception {
    DealtKey key = TestKeys.shoup(2048, "a", 5, 3);
    Path pem = dir.resolve("vault.pem");
    KeyFiles.writePublicKey(pem, key.publicKey());
    VaultPublicKey read = KeyFiles.readPublicKey(pem);
    assertThat(read).isEqualTo(key.publicKey());
    assertThat(Files.readString(pem)).startsWith("-----BEGIN PUBLIC KEY-----\n");
    assertThat(read.keyId().hex())
        .isEqualTo(HexFormat.of().formatHex(Emsa.sha256().digest(read.toDer())));
    assertThat(read.toDer()).isEqualTo(key.publicKey().toJca().getEncoded());
    assertThatThrownBy(() -> KeyFiles.writePublicKey(pem, key.publicKey()))
        .isInstanceOf(FileAlreadyExistsException.class);
  }

  /** openssl reads our PEM and computes the same key id from its DER. */
  @Test
  void keyId_matchesOpenssl() throws Exception {
    String openssl = ThresholdTesting.openssl();
    org.junit.jupiter.api.Assumptions.assumeTrue(openssl != null, "openssl not installed");
    DealtKey key = TestKeys.shoup(2048, "a", 5, 3);
    Path pem = dir.resolve("vault.pem");
    Path der = dir.resolve("vault.der");
    KeyFiles.writePublicKey(pem, key.publicKey());
    Process p = new ProcessBuilder(openssl, "pkey", "-pubin", "-in", pem.toString(), "-outform", "DER",
        "-out", der.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(HexFormat.of().formatHex(Emsa.sha256().digest(Files.readAllBytes(der))))
        .isEqualTo(key.publicKey().keyId().hex());
  }

  @Test
  void pem_rejectsWhatIsNotOneCanonicalRsaKeyOfAtLeast2048Bits() throws Exception {
    DealtKey key = TestKeys.shoup(2048, "a", 5, 3);
    String pem = key.publicKey().toPem();
    assertThatThrownBy(() -> VaultPublicKey.fromPem(pem + pem)).isInstanceOf(KeyFileException.class)
        .hasMessageContaining("exactly one");
    assertThatThrownBy(() -> VaultPublicKey.fromPem("hello")).isInstanceOf(KeyFileException.class);
    assertThatThrownBy(() -> VaultPublicKey.fromPem(pem.replace("M", "*")))
        .isInstanceOf(KeyFileException.class).hasMessageContaining("base64");
    assertThatThrownBy(() -> VaultPublicKey.fromPem(TestKeys.shoup(1024, "a", 3, 2).publicKey().toPem()))
        .isInstanceOf(KeyFileException.class).hasMessageContaining("at least 2048");
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    String ecPem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(ec.generateKeyPair().getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    assertThatThrownBy(() -> VaultPublicKey.fromPem(ecPem)).isInstanceOf(KeyFileException.class)
        .hasMessageContaining("RSA");
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(new java.security.spec.RSAKeyGenParameterSpec(2048, BigInteger.valueOf(3)));
    String e3 = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(rsa.generateKeyPair().getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    assertThatThrownBy(() -> VaultPublicKey.fromPem(e3)).isInstanceOf(KeyFileException.class)
        .hasMessageContaining("65537");
  }

  @ParameterizedTest
  @EnumSource(ThresholdScheme.class)
  void shareFile_roundTrips_ownerOnly(ThresholdScheme scheme) throws Exception {
    DealtKey key = TestKeys.deal(2048, "a", scheme, KeyPurpose.SIGN, 5, scheme == ThresholdScheme.SHOUP ? 3 : 5);
    List<Path> files = new ArrayList<>();
    for (KeyShare share : key.shares()) {
      Path f = dir.resolve("share-" + share.index() + ".bin");
      KeyFiles.writeShare(f, share);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
      files.add(f);
    }
    List<KeyShare> read = KeyFiles.readShares(files, key.publicKey());
    assertThat(read).containsExactlyElementsOf(key.shares());
    Path params = dir.resolve("params.bin");
    KeyFiles.writeParameters(params, key.parameters());
    assertThat(KeyFiles.readParameters(params, key.publicKey())).isEqualTo(key.parameters());
    assertThatThrownBy(() -> KeyFiles.writeShare(files.get(0), key.share(1)))
        .isInstanceOf(FileAlreadyExistsException.class);
  }

  /** No share or parameters file holds p, q, phi(N), p'q' or d, in any byte alignment. */
  @ParameterizedTest
  @EnumSource(ThresholdScheme.class)
  void files_neverContainTheFactorsOrD(ThresholdScheme scheme) throws Exception {
    int n = 5;
    DealtKey key = TestKeys.deal(2048, "a", scheme, KeyPurpose.SIGN, n, scheme == ThresholdScheme.SHOUP ? 3 : n);
    TestKeys.Primes primes = TestKeys.primes(2048, "a");
    BigInteger e = VaultPublicKey.PUBLIC_EXPONENT;
    List<BigInteger> secrets = List.of(primes.p(), primes.q(), primes.phi(), primes.pPrimeQPrime(),
        primes.p().shiftRight(1), primes.q().shiftRight(1), e.modInverse(primes.phi()),
        e.modInverse(primes.pPrimeQPrime()), e.modInverse(primes.pPrimeQPrime().shiftLeft(1)));
    List<byte[]> files = new ArrayList<>();
    for (KeyShare s : key.shares()) {
      files.add(KeyFiles.encodeShare(s));
    }
    files.add(KeyFiles.encodeParameters(key.parameters()));
    files.add(key.publicKey().toPem().getBytes(StandardCharsets.US_ASCII));
    for (byte[] file : files) {
      for (BigInteger secret : secrets) {
        byte[] minimal = Bytes.toFixed(secret, Bytes.lengthOf(secret));
        // The first 16 bytes of a secret are enough to find it at any offset.
        assertThat(indexOf(file, Arrays.copyOf(minimal, 16))).as("file holds a secret").isEqualTo(-1);
        byte[] little = minimal.clone();
        reverse(little);
        assertThat(indexOf(file, Arrays.copyOf(little, 16))).isEqualTo(-1);
      }
    }
  }

  @Test
  void readShare_ofAnotherKey_fails() throws Exception {
    DealtKey key = TestKeys.shoup(2048, "a", 3, 2);
    DealtKey other = TestKeys.shoup(2048, "b", 3, 2);
    Path f = dir.resolve("share.bin");
    KeyFiles.writeShare(f, key.share(1));
    assertThatThrownBy(() -> KeyFiles.readShare(f, other.publicKey())).isInstanceOf(KeyFileException.class)
        .hasMessageContaining("belongs to key " + key.publicKey().keyId());
  }

  @Test
  void readShare_groupReadable_fails() throws Exception {
    DealtKey key = TestKeys.shoup(2048, "a", 3, 2);
    Path f = dir.resolve("share.bin");
    KeyFiles.writeShare(f, key.share(1));
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
    assertThatThrownBy(() -> KeyFiles.readShare(f, key.publicKey())).isInstanceOf(KeyFileException.class)
        .hasMessageContaining("chmod 600");
  }

  @Test
  void readShares_duplicateIndex_fails() throws Exception {
    DealtKey key = TestKeys.shoup(2048, "a", 3, 2);
    Path a = dir.resolve("a.bin");
    Path b = dir.resolve("b.bin");
    KeyFiles.writeShare(a, key.share(2));
    KeyFiles.writeShare(b, key.share(2));
    assertThatThrownBy(() -> KeyFiles.readShares(List.of(a, b), key.publicKey()))
        .isInstanceOf(KeyFileException.class).hasMessageContaining("duplicate share index 2");
  }

  @Test
  void decode_indexOutsideRange_fails() {
    DealtKey key = TestKeys.shoup(2048, "a", 3, 2);
    for (int bad : new int[] {0, 4, 65535}) {
      byte[] file = KeyFiles.encodeShare(key.share(1));
      ByteBuffer.wrap(file).putShort(50, (short) bad);
      reseal(file);
      assertThatThrownBy(() -> KeyFiles.decodeShare(file, key.publicKey()))
          .isInstanceOf(KeyFileException.class).hasMessageContaining("outside 1..3");
    }
  }

  @Test
  void decode_valuesOutsideOneToN_fail() {
    DealtKey key = TestKeys.shoup(2048, "a", 3, 2);
    int width = key.parameters().modulusBytes();
    byte[] n = Bytes.toFixed(key.parameters().modulus(), width);
    byte[] zero = new byte[width];
    int shareAt = 52;
    int vAt = shareAt + width + 1;
    for (int[] where : new int[][] {{shareAt}, {vAt}, {vAt + width}}) {
      for (byte[] value : List.of(n, zero)) {
        byte[] file = KeyFiles.encodeShare(key.share(1));
        System.arraycopy(value, 0, file, where[0], width);
        reseal(file);
        assertThatThrownBy(() -> KeyFiles.decodeShare(file, key.publicKey()))
            .isInstanceOf(KeyFileException.class).hasMessageContaining("outside [1, N)");
      }
    }
  }

  @Test
  void decode_duplicateVerificationKeys_fail() {
    DealtKey key = TestKeys.shoup(2048, "a", 3, 2);
    int width = key.parameters().modulusBytes();
    byte[] file = KeyFiles.encodeShare(key.share(1));
    int v1At = 52 + width + 1 + width;
    System.arraycopy(file, v1At, file, v1At + width, width);
    reseal(file);
    assertThatThrownBy(() -> KeyFiles.decodeShare(file, key.publicKey()))
        .isInstanceOf(KeyFileException.class).hasMessageContaining("duplicate verification key 2");
  }

  /** Every truncation and every flipped byte is refused with a clear message. */
  @Property(tries = 60)
  void decode_truncatedOrCorrupted_fails(@ForAll @IntRange(min = 0, max = 100_000) int where,
      @ForAll @IntRange(min = 1, max = 255) int flip) {
    DealtKey key = TestKeys.shoup(2048, "a", 3, 2);
    byte[] file = KeyFiles.encodeShare(key.share(2));
    int cut = where % file.length;
    assertThatThrownBy(() -> KeyFiles.decodeShare(Arrays.copyOf(file, cut), key.publicKey()))
        .isInstanceOf(KeyFileException.class).message().containsAnyOf("truncated", "magic");
    byte[] corrupted = file.clone();
    corrupted[cut] ^= (byte) flip;
    assertThatThrownBy(() -> KeyFiles.decodeShare(corrupted, key.publicKey()))
        .isInstanceOf(KeyFileException.class);
    assertThatThrownBy(() -> KeyFiles.decodeParameters(file, key.publicKey()))
        .isInstanceOf(KeyFileException.class).hasMessageContaining("magic");
  }

  @Test
  void decode_overlongFile_fails() {
    DealtKey key = TestKeys.shoup(2048, "a", 3, 2);
    byte[] file = KeyFiles.encodeShare(key.share(2));
    assertThatThrownBy(() -> KeyFiles.decodeShare(Arrays.copyOf(file, file.length + 1), key.publicKey()))
        .isInstanceOf(KeyFileException.class).hasMessageContaining("overlong");
  }

  @Test
  void loadedShare_signsLikeTheOriginal() throws Exception {
    DealtKey key = TestKeys.shoup(2048, "a", 3, 2);
    Path f = dir.resolve("s.bin");
    Path pem = dir.resolve("vault.pem");
    Path params = dir.resolve("params.bin");
    KeyFiles.writeShare(f, key.share(3));
    KeyFiles.writePublicKey(pem, key.publicKey());
    KeyFiles.writeParameters(params, key.parameters());
    VaultPublicKey pub = KeyFiles.readPublicKey(pem);
    ThresholdSigner signer = ThresholdSigner.create(KeyFiles.readShare(f, pub));
    byte[] body = "body".getBytes(StandardCharsets.UTF_8);
    SignatureCombiner combiner = SignatureCombiner.create(KeyFiles.readParameters(params, pub));
    ThresholdSignature sig = combiner.combine(body, List.of(signer.sign(body), ThresholdTesting.signer(key, 1).sign(body)));
    assertThat(pub.verify(body, sig.bytes())).isTrue();
  }

  private static void reseal(byte[] file) {
    byte[] digest = Emsa.sha256().digest(Arrays.copyOf(file, file.length - 32));
    System.arraycopy(digest, 0, file, file.length - 32, 32);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static void reverse(byte[] a) {
    for (int i = 0, j = a.length - 1; i < j; i++, j--) {
      byte t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
