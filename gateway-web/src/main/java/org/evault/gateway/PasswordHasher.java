package org.evault.gateway;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (Bouncy Castle) in the PHC string format
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt b64>$<hash b64>}, so the parameters
 * travel with each hash and can be raised later without breaking old accounts.
 *
 * <h2>Security guarantees</h2>
 * Memory-hard hashing with a fresh 16-byte salt per password; {@link #verify} compares in
 * constant time and returns false (never throws) for a malformed stored hash. Password bytes are
 * zeroed after use. Thread-safe.
 *
 * <p>Each hash needs its memory cost in heap at once (19 MiB by default), and every login, every
 * Basic-authenticated API call and every registration runs one: without a bound, a burst of
 * requests (even with wrong passwords) exhausts the heap. So hashes share a budget of a quarter
 * of the maximum heap; a request whose hash does not fit waits for one to finish (fairly, in
 * arrival order) instead of failing.
 */
public final class PasswordHasher {
    /** OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane. */
    public static final int DEFAULT_MEMORY_KIB = 19 * 1024;
    public static final int DEFAULT_ITERATIONS = 2;
    public static final int DEFAULT_PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,4}),p=(\\d{1,3})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

    private final int memoryKiB;
    private final int iterations;
    private final int parallelism;
    private final SecureRandom random;
    private final int budgetKiB;
    private final Semaphore memoryBudget;

    public PasswordHasher(int memoryKiB, int iterations, int parallelism, SecureRandom random) {
        if (memoryKiB < 8 * parallelism) {
            throw new IllegalArgumentException("Argon2 memory must be at least 8 KiB per lane, not " + memoryKiB);
        }
        if (iterations < 1 || parallelism < 1) {
            throw new IllegalArgumentException("Argon2 iterations and parallelism must be at least 1, not "
                    + iterations + " and " + parallelism);
        }
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.random = random;
        long quarterHeapKiB = Runtime.getRuntime().maxMemory() / 4 / 1024;
        this.budgetKiB = (int) Math.max(memoryKiB, Math.min(Integer.MAX_VALUE, quarterHeapKiB));
        this.memoryBudget = new Semaphore(budgetKiB, true);
    }

    public static PasswordHasher defaults() {
        return new PasswordHasher(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, DEFAULT_PARALLELISM, new SecureRandom());
    }

    /** The encoded hash of {@code password}. */
    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash;
        try {
            hash = derive(password, salt, memoryKiB, iterations, parallelism, HASH_BYTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to hash a password", e);
        }
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism + "$"
                + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** Whether {@code password} matches {@code encoded}; false for a malformed {@code encoded}. */
    public boolean verify(char[] password, String encoded) {
        Matcher m = PHC.matcher(encoded == null ? "" : encoded);
        if (!m.matches()) {
            return false;
        }
        int mem = Integer.parseInt(m.group(1));
        int t = Integer.parseInt(m.group(2));
        int p = Integer.parseInt(m.group(3));
        byte[] salt;
        byte[] expected;
        try {
            salt = Base64.getDecoder().decode(m.group(4));
            expected = Base64.getDecoder().decode(m.group(5));
        } catch (IllegalArgumentException e) {
            return false;
        }
        // Refuse parameters no hash of ours has, so a tampered row cannot make a login run for hours
        // or take more memory than all hashes together may.
        if (p < 1 || t < 1 || mem < 8 * p || mem > budgetKiB || t > 100 || expected.length < 16
                || expected.length > 64 || salt.length < 8) {
            return false;
        }
        byte[] actual;
        try {
            actual = derive(password, salt, mem, t, p, expected.length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return MessageDigest.isEqual(actual, expected);
    }

    /** A hash to verify against when the account does not exist, so that unknown ids take as long. */
    public String dummyHash() {
        return DUMMY.computeIfAbsent(memoryKiB + "/" + iterations + "/" + parallelism, k -> hash(new char[] {'x'}));
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, String> DUMMY =
            new java.util.concurrent.ConcurrentHashMap<>();

    private byte[] derive(char[] password, byte[] salt, int memoryKiB, int iterations, int parallelism, int length)
            throws InterruptedException {
        memoryBudget.acquire(memoryKiB);
        try {
            return argon2id(password, salt, memoryKiB, iterations, parallelism, length);
        } finally {
            memoryBudget.release(memoryKiB);
        }
    }

    private static byte[] argon2id(char[] password, byte[] salt, int memoryKiB, int iterations, int parallelism,
            int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withSalt(salt).withMemoryAsKB(memoryKiB)
                .withIterations(iterations).withParallelism(parallelism).build();
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(params);
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        try {
            byte[] out = new byte[length];
            g.generateBytes(bytes, out);
            return out;
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
    }
}
