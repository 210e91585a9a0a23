package org.evault.ida;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** An immutable 32-byte SHA-256 value. */
public final class Hash256 {
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private Hash256(byte[] bytes) {
        this.bytes = bytes;
    }

    /** @throws IllegalArgumentException unless exactly 32 bytes are given */
    public static Hash256 of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a SHA-256 value has 32 bytes, not " + bytes.length);
        }
        return new Hash256(bytes.clone());
    }

    public static Hash256 of(byte[] source, int offset) {
        return new Hash256(Arrays.copyOfRange(source, offset, offset + LENGTH));
    }

    public static Hash256 fromHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    /** SHA-256 of the given bytes. */
    public static Hash256 digest(byte[] data) {
        return new Hash256(sha256().digest(data));
    }

    static Hash256 wrap(byte[] digestOutput) {
        return new Hash256(digestOutput);
    }

    /** A new SHA-256 MessageDigest; every JDK has one. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public void copyTo(byte[] target, int offset) {
        System.arraycopy(bytes, 0, target, offset, LENGTH);
    }

    /** Compares in time independent of where the values differ. */
    public boolean matches(byte[] other, int offset) {
        return MessageDigest.isEqual(bytes, Arrays.copyOfRange(other, offset, offset + LENGTH));
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash256 other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
