package org.evault.threshold;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.evault.threshold.internal.Bytes;
import org.evault.threshold.internal.Emsa;

/**
 * The vault key's files: the public key as PEM, the public parameters file (what a combiner needs)
 * and one share file per server. Layouts are in docs/formats.md.
 *
 * <h2>Security guarantees</h2>
 * A share file holds the share and public values only: never p, q, phi(N), p'q' or d. It is written
 * owner-only (0600) through a temporary file and an atomic rename, and is never overwritten.
 * Readers check magic, version, lengths, the SHA-256 trailer, the key id against the given public
 * key, the index, and that every value lies in [1, N).
 */
public final class KeyFiles {
  /** Magic of a share file. */
  static final byte[] SHARE_MAGIC = "EVKSHARE".getBytes(StandardCharsets.US_ASCII);
  /** Magic of a public parameters file. */
  static final byte[] PARAMS_MAGIC = "EVKPARAM".getBytes(StandardCharsets.US_ASCII);
  static final int FORMAT_VERSION = 1;
  private static final int MAX_MODULUS_BYTES = 1024;
  private static final int HASH_BYTES = 32;

  private KeyFiles() {}

  // ---- public key ------------------------------------------------------------------------------

  /** Writes the PEM public key (world-readable; fails if the file exists). */
  public static void writePublicKey(Path file, VaultPublicKey key) throws IOException {
    writeAtomically(file, key.toPem().getBytes(StandardCharsets.US_ASCII), false);
  }

  public static VaultPublicKey readPublicKey(Path file) throws IOException, KeyFileException {
    long size = Files.size(file);
    if (size > 64 * 1024) {
      throw new KeyFileException(file + ": " + size + " bytes is too large for a public key");
    }
    return VaultPublicKey.fromPem(Files.readString(file, StandardCharsets.US_ASCII));
  }

  // ---- public parameters -----------------------------------------------------------------------

  public static void writeParameters(Path file, PublicParameters params) throws IOException {
    writeAtomically(file, encodeParameters(params), false);
  }

  /** Reads a parameters file and checks that it belongs to {@code key}. */
  public static PublicParameters readParameters(Path file, VaultPublicKey key)
      throws IOException, KeyFileException {
    try {
      return decodeParameters(readBounded(file), key);
    } catch (KeyFileException e) {
      throw new KeyFileException(file + ": " + e.getMessage(), e);
    }
  }

  static byte[] encodeParameters(PublicParameters params) {
    return encode(PARAMS_MAGIC, params, 0, null);
  }

  static PublicParameters decodeParameters(byte[] bytes, VaultPublicKey key) throws KeyFileException {
    return decode(bytes, PARAMS_MAGIC, key).parameters;
  }

  // ---- shares ----------------------------------------------------------------------------------

  /** Writes one server's share file, owner-only; fails if the file exists. */
  public static void writeShare(Path file, KeyShare share) throws IOException {
    byte[] secret = share.secretBytes(SecretAccess.get());
    byte[] bytes = encode(SHARE_MAGIC, share.parameters(), share.index(), secret);
    try {
      writeAtomically(file, bytes, true);
    } finally {
      Bytes.wipe(secret);
      Bytes.wipe(bytes);
    }
  }

  /**
   * Reads a share file of {@code key}; refuses a file that group or others may read.
   *
   * @throws KeyFileException naming the file and what is wrong with it
   */
  public static KeyShare readShare(Path file, VaultPublicKey key) throws IOException, KeyFileException {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view != null) {
      Set<PosixFilePermission> perms = view.readAttributes().permissions();
      for (PosixFilePermission p : perms) {
        if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
          throw new KeyFileException(file + ": share file is accessible to group or others ("
              + PosixFilePermissions.toString(perms) + "); it must be owner-only: chmod 600");
        }
      }
    }
    byte[] bytes = readBounded(file);
    try {
      return decodeShare(bytes, key);
    } catch (KeyFileException e) {
      throw new KeyFileException(file + ": " + e.getMessage(), e);
    } finally {
      Bytes.wipe(bytes);
    }
  }

  /**
   * Reads several share files of one key (for tests and recovery tools); they must agree on the
   * parameters and have distinct indices.
   */
  public static List<KeyShare> readShares(Collection<Path> files, VaultPublicKey key)
      throws IOException, KeyFileException {
    List<KeyShare> shares = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    for (Path f : files) {
      KeyShare s = readShare(f, key);
      if (!seen.add(s.index())) {
        throw new KeyFileException(f + ": duplicate share index " + s.index());
      }
      if (!shares.isEmpty() && !shares.get(0).parameters().equals(s.parameters())) {
        throw new KeyFileException(f + ": parameters differ from " + shares.get(0));
      }
      shares.add(s);
    }
    return shares;
  }

  static byte[] encodeShare(KeyShare share) {
    byte[] secret = share.secretBytes(SecretAccess.get());
    try {
      return encode(SHARE_MAGIC, share.parameters(), share.index(), secret);
    } finally {
      Bytes.wipe(secret);
    }
  }

  static KeyShare decodeShare(byte[] bytes, VaultPublicKey key) throws KeyFileException {
    Decoded d = decode(bytes, SHARE_MAGIC, key);
    try {
      return new KeyShare(d.parameters, d.index, d.secret);
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(e.getMessage(), e);
    }
  }

  // ---- layout ----------------------------------------------------------------------------------

  private record Decoded(PublicParameters parameters, int index, BigInteger secret) {}

  /**
   * magic[8] | u16 version | u8 purpose | u8 scheme | keyId[32] | u16 L | u16 n | u16 k
   * [| u16 index | share[L]] | u8 hasVerificationKeys [| v[L] | v_1[L] .. v_n[L]] | sha256[32]
   */
  private static byte[] encode(byte[] magic, PublicParameters p, int index, byte[] secret) {
    int width = p.modulusBytes();
    VerificationKeys vk = p.verificationKeys();
    int size = 8 + 2 + 1 + 1 + 32 + 2 + 2 + 2 + (secret == null ? 0 : 2 + width) + 1
        + (vk == null ? 0 : (p.n() + 1) * width) + HASH_BYTES;
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put(magic).putShort((short) FORMAT_VERSION).put((byte) p.purpose().code())
        .put((byte) p.scheme().code()).put(p.keyId().toBytes())
        .putShort((short) width).putShort((short) p.n()).putShort((short) p.k());
    if (secret != null) {
      b.putShort((short) index).put(secret);
    }
    b.put((byte) (vk == null ? 0 : 1));
    if (vk != null) {
      b.put(Bytes.toFixed(vk.base(), width));
      for (BigInteger key : vk.keys()) {
        b.put(Bytes.toFixed(key, width));
      }
    }
    b.put(Emsa.sha256().digest(Arrays.copyOf(b.array(), b.position())));
    return b.array();
  }

  private static Decoded decode(byte[] bytes, byte[] magic, VaultPublicKey key) throws KeyFileException {
    boolean isShare = magic == SHARE_MAGIC;
    String what = isShare ? "share file" : "parameters file";
    int headerLength = 8 + 2 + 1 + 1 + 32 + 2 + 2 + 2;
    if (bytes.length < 8 || !Arrays.equals(Arrays.copyOf(bytes, 8), magic)) {
      throw new KeyFileException("not a " + what + " (bad magic)");
    }
    if (bytes.length < headerLength) {
      throw new KeyFileException("truncated " + what + ": " + bytes.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    b.position(8);
    int version = b.getShort() & 0xffff;
    if (version != FORMAT_VERSION) {
      throw new KeyFileException("unsupported " + what + " format version " + version);
    }
    int purposeCode = b.get() & 0xff;
    int schemeCode = b.get() & 0xff;
    byte[] keyId = new byte[32];
    b.get(keyId);
    int width = b.getShort() & 0xffff;
    int n = b.getShort() & 0xffff;
    int k = b.getShort() & 0xffff;
    if (width == 0 || width > MAX_MODULUS_BYTES) {
      throw new KeyFileException("modulus width " + width + " bytes is out of range");
    }
    if (n < 1 || n > PublicParameters.MAX_SERVERS) {
      throw new KeyFileException("n = " + n + " is outside 1.." + PublicParameters.MAX_SERVERS);
    }
    // The longest layout this header allows; the flag byte then decides.
    int withKeys = headerLength + (isShare ? 2 + width : 0) + 1 + (n + 1) * width + HASH_BYTES;
    int withoutKeys = headerLength + (isShare ? 2 + width : 0) + 1 + HASH_BYTES;
    if (bytes.length < withoutKeys) {
      throw new KeyFileException("truncated " + what + ": " + bytes.length + " bytes, at least "
          + withoutKeys + " expected");
    }
    int flagAt = headerLength + (isShare ? 2 + width : 0);
    int flag = bytes[flagAt] & 0xff;
    if (flag > 1) {
      throw new KeyFileException("bad verification-key flag " + flag);
    }
    int expected = flag == 1 ? withKeys : withoutKeys;
    if (bytes.length != expected) {
      throw new KeyFileException((bytes.length < expected ? "truncated " : "overlong ") + what + ": "
          + bytes.length + " bytes, " + expected + " expected");
    }
    byte[] digest = Emsa.sha256().digest(Arrays.copyOf(bytes, bytes.length - HASH_BYTES));
    if (!MessageDigest.isEqual(digest, Arrays.copyOfRange(bytes, bytes.length - HASH_BYTES, bytes.length))) {
      throw new KeyFileException(what + " checksum does not match: the file is corrupted");
    }
    if (!MessageDigest.isEqual(keyId, key.keyId().toBytes())) {
      throw new KeyFileException(what + " belongs to key " + KeyId.of(keyId) + ", not to " + key.keyId());
    }
    if (width != key.modulusBytes()) {
      throw new KeyFileException("modulus width " + width + " does not match the key's " + key.modulusBytes());
    }
    KeyPurpose purpose;
    ThresholdScheme scheme;
    try {
      purpose = KeyPurpose.fromCode(purposeCode);
      scheme = ThresholdScheme.fromCode(schemeCode);
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(e.getMessage(), e);
    }
    int index = 0;
    BigInteger secret = null;
    if (isShare) {
      index = b.getShort() & 0xffff;
      if (index < 1 || index > n) {
        throw new KeyFileException("share index " + index + " is outside 1.." + n);
      }
      byte[] raw = new byte[width];
      b.get(raw);
      secret = new BigInteger(1, raw);
      Bytes.wipe(raw);
      if (secret.signum() == 0 || secret.compareTo(key.modulus()) >= 0) {
        throw new KeyFileException("share " + index + " is outside [1, N)");
      }
    }
    b.get();
    VerificationKeys vk = null;
    if (flag == 1) {
      BigInteger v = readElement(b, width, key.modulus(), "verification base");
      List<BigInteger> keys = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        BigInteger vi = readElement(b, width, key.modulus(), "verification key " + i);
        if (keys.contains(vi)) {
          throw new KeyFileException("duplicate verification key " + i);
        }
        keys.add(vi);
      }
      vk = new VerificationKeys(v, keys);
    }
    try {
      return new Decoded(new PublicParameters(key, purpose, scheme, n, k, vk), index, secret);
    } catch (IllegalArgumentException e) {
      throw new KeyFileException("inconsistent parameters: " + e.getMessage(), e);
    }
  }

  private static BigInteger readElement(ByteBuffer b, int width, BigInteger modulus, String what)
      throws KeyFileException {
    byte[] raw = new byte[width];
    b.get(raw);
    BigInteger value = new BigInteger(1, raw);
    if (value.signum() == 0 || value.compareTo(modulus) >= 0) {
      throw new KeyFileException(what + " is outside [1, N)");
    }
    return value;
  }

  // ---- files -----------------------------------------------------------------------------------

  private static byte[] readBounded(Path file) throws IOException, KeyFileException {
    long size = Files.size(file);
    if (size > 2 * (MAX_MODULUS_BYTES * (PublicParameters.MAX_SERVERS + 3) + 128)) {
      throw new KeyFileException(file + ": " + size + " bytes is too large for a key file");
    }
    return Files.readAllBytes(file);
  }

  private static void writeAtomically(Path file, byte[] bytes, boolean ownerOnly) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (Files.exists(file)) {
      throw new FileAlreadyExistsException(file.toString());
    }
    boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
    FileAttribute<?>[] attrs = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(ownerOnly
            ? EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)
            : PosixFilePermissions.fromString("rw-r--r--"))}
        : new FileAttribute<?>[0];
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attrs);
    try {
      if (posix && !ownerOnly) {
        // createTempFile's attribute is masked by the umask; set the intended mode explicitly.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      if (!posix && ownerOnly) {
        java.io.File f = tmp.toFile();
        if (!(f.setReadable(false, false) && f.setReadable(true, true)
            && f.setWritable(false, false) && f.setWritable(true, true))) {
          throw new IOException("cannot make " + tmp + " owner-only");
        }
      }
      try (OutputStream out = Files.newOutputStream(tmp)) {
        out.write(bytes);
      }
      try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
