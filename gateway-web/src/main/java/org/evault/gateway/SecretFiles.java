package org.evault.gateway;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/** Secrets an operator puts in files next to the configuration (never in the configuration itself). */
final class SecretFiles {
    private static final int MAX_PASSWORD_BYTES = 4096;
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private SecretFiles() {
    }

    /**
     * The password in {@code file}: its first line, UTF-8, without the line end. Refused when
     * others than the owner may read or write the file (as ssh refuses a readable key), so that a
     * misconfigured file is noticed before the secret spreads.
     */
    static char[] readPassword(Path file) throws IOException {
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
            Set<PosixFilePermission> loose = EnumSet.copyOf(Files.getPosixFilePermissions(file));
            loose.retainAll(GROUP_OR_OTHERS);
            if (!loose.isEmpty()) {
                throw new IOException(file + " may be read or changed by others than its owner (" + loose
                        + "); chmod 600 it");
            }
        }
        if (Files.size(file) > MAX_PASSWORD_BYTES) {
            throw new IOException(file + " is larger than " + MAX_PASSWORD_BYTES + " bytes: not a password file");
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            int end = 0;
            while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
                end++;
            }
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, end));
            char[] password = Arrays.copyOf(chars.array(), chars.limit());
            Arrays.fill(chars.array(), '\0');
            if (password.length == 0) {
                throw new IOException(file + " is empty: it should hold the database password on its first line");
            }
            return password;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
