package org.evault.protocol.receipt;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import org.evault.ida.DispersalMatrix;
import org.evault.ida.FingerprintVector;
import org.evault.ida.GaloisField;
import org.evault.ida.Hash256;

/**
 * What the vault signs for a deposit: every daemon builds these bytes from the document it
 * received and the descriptive fields the gateway sent, and the combined threshold signature is an
 * ordinary SHA256withRSA signature over exactly {@link #toCanonicalBytes()}.
 *
 * <p>Canonical form (docs/formats.md): JSON, UTF-8, fields in the fixed order below, no
 * whitespace, integers in decimal, binary values in lower-case hex, the time as
 * {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in UTC; in strings only {@code "}, {@code \} and U+0000..U+001F
 * are escaped, the latter as {@code \}{@code u00xx}. {@link #parse} accepts exactly the canonical
 * bytes and nothing else, so two parties that agree on the values agree on the bytes.
 */
public record ReceiptBody(String vaultKeyId, String owner, String documentName, String documentId, int version,
        long size, Hash256 sha256, DispersalMatrix matrix, int segmentSize, FingerprintVector fingerprints,
        Instant depositTime) {
    public static final String FORMAT = "e-vault-receipt-1";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int MAX_STRING_BYTES = 4096;

    public ReceiptBody {
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(matrix, "matrix");
        Objects.requireNonNull(fingerprints, "fingerprints");
        Objects.requireNonNull(depositTime, "depositTime");
        if (vaultKeyId == null || !vaultKeyId.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("vault key id must be 64 lower-case hex digits, not " + vaultKeyId);
        }
        checkText("owner", owner);
        checkText("document name", documentName);
        checkText("document id", documentId);
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, not " + version);
        }
        if (size < 0) {
            throw new IllegalArgumentException("size is negative: " + size);
        }
        if (segmentSize < 1) {
            throw new IllegalArgumentException("segment size must be positive, not " + segmentSize);
        }
        if (fingerprints.size() != matrix.n()) {
            throw new IllegalArgumentException(fingerprints.size() + " fingerprints for n = " + matrix.n());
        }
        depositTime = depositTime.truncatedTo(ChronoUnit.MILLIS);
        int year = depositTime.atZone(ZoneOffset.UTC).getYear();
        if (year < 1970 || year > 9999) {
            throw new IllegalArgumentException("deposit time " + depositTime + " is outside years 1970..9999");
        }
    }

    private static void checkText(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    throw new IllegalArgumentException(what + " is not valid Unicode (unpaired surrogate at " + i + ")");
                }
                i++;
            }
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException(what + " is longer than " + MAX_STRING_BYTES + " bytes");
        }
    }

    /** The bytes that are signed. */
    public byte[] toCanonicalBytes() {
        StringBuilder s = new StringBuilder(512 + 70 * fingerprints.size());
        s.append("{\"format\":");
        string(s, FORMAT);
        s.append(",\"vaultKeyId\":");
        string(s, vaultKeyId);
        s.append(",\"owner\":");
        string(s, owner);
        s.append(",\"documentName\":");
        string(s, documentName);
        s.append(",\"documentId\":");
        string(s, documentId);
        s.append(",\"version\":").append(version);
        s.append(",\"size\":").append(size);
        s.append(",\"sha256\":");
        string(s, sha256.hex());
        s.append(",\"ida\":{\"m\":").append(matrix.m()).append(",\"n\":").append(matrix.n());
        s.append(",\"polynomial\":").append(matrix.field().polynomial());
        s.append(",\"matrix\":");
        string(s, HexFormat.of().formatHex(matrix.toBytes()));
        s.append(",\"segmentSize\":").append(segmentSize).append('}');
        s.append(",\"fingerprints\":[");
        for (int i = 0; i < fingerprints.size(); i++) {
            if (i > 0) {
                s.append(',');
            }
            string(s, fingerprints.get(i).hex());
        }
        s.append("],\"depositTime\":");
        string(s, TIME.format(depositTime));
        s.append('}');
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads canonical receipt body bytes.
     *
     * @throws IllegalArgumentException if the bytes are not exactly a canonical receipt body
     */
    public static ReceiptBody parse(byte[] canonical) {
        Reader r = new Reader(new String(canonical, StandardCharsets.UTF_8));
        r.expect("{\"format\":");
        String format = r.string();
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("receipt format " + format + " is not " + FORMAT);
        }
        r.expect(",\"vaultKeyId\":");
        String keyId = r.string();
        r.expect(",\"owner\":");
        String owner = r.string();
        r.expect(",\"documentName\":");
        String name = r.string();
        r.expect(",\"documentId\":");
        String id = r.string();
        r.expect(",\"version\":");
        long version = r.number();
        r.expect(",\"size\":");
        long size = r.number();
        r.expect(",\"sha256\":");
        String sha = r.string();
        r.expect(",\"ida\":{\"m\":");
        int m = (int) r.number();
        r.expect(",\"n\":");
        int n = (int) r.number();
        r.expect(",\"polynomial\":");
        int polynomial = (int) r.number();
        r.expect(",\"matrix\":");
        String matrixHex = r.string();
        r.expect(",\"segmentSize\":");
        long segmentSize = r.number();
        r.expect("},\"fingerprints\":[");
        List<Hash256> fps = new ArrayList<>();
        if (!r.peek(']')) {
            do {
                fps.add(Hash256.fromHex(r.string()));
            } while (r.skipIf(','));
        }
        r.expect("],\"depositTime\":");
        String time = r.string();
        r.expect("}");
        r.end();
        try {
            if (version > Integer.MAX_VALUE || segmentSize > Integer.MAX_VALUE || m > 255 || n > 255) {
                throw new IllegalArgumentException("a number is out of range");
            }
            DispersalMatrix matrix = DispersalMatrix.fromBytes(GaloisField.of(polynomial), m, n,
                    HexFormat.of().parseHex(matrixHex));
            ReceiptBody body = new ReceiptBody(keyId, owner, name, id, (int) version, size, Hash256.fromHex(sha), matrix,
                    (int) segmentSize, new FingerprintVector(fps), Instant.from(TIME.parse(time)));
            if (!java.util.Arrays.equals(body.toCanonicalBytes(), canonical)) {
                throw new IllegalArgumentException("receipt body is not in canonical form");
            }
            return body;
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("deposit time " + time + " is not yyyy-MM-ddTHH:mm:ss.SSSZ", e);
        }
    }

    private static void string(StringBuilder s, String value) {
        s.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                s.append('\\').append(c);
            } else if (c < 0x20) {
                s.append(String.format("\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        s.append('"');
    }

    /** A strict reader for the one canonical layout; anything else is an error naming the position. */
    private static final class Reader {
        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        void expect(String literal) {
            if (!text.startsWith(literal, at)) {
                throw new IllegalArgumentException("receipt body: expected " + literal + " at character " + at);
            }
            at += literal.length();
        }

        boolean peek(char c) {
            return at < text.length() && text.charAt(at) == c;
        }

        boolean skipIf(char c) {
            if (peek(c)) {
                at++;
                return true;
            }
            return false;
        }

        void end() {
            if (at != text.length()) {
                throw new IllegalArgumentException("receipt body: unexpected bytes after the end at character " + at);
            }
        }

        long number() {
            int start = at;
            while (at < text.length() && Character.isDigit(text.charAt(at)) && at - start < 19) {
                at++;
            }
            if (at == start) {
                throw new IllegalArgumentException("receipt body: expected a number at character " + start);
            }
            return Long.parseLong(text, start, at, 10);
        }

        String string() {
            expect("\"");
            StringBuilder out = new StringBuilder();
            while (true) {
                if (at >= text.length()) {
                    throw new IllegalArgumentException("receipt body: unterminated string");
                }
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    if (at >= text.length()) {
                        throw new IllegalArgumentException("receipt body: unterminated escape");
                    }
                    char e = text.charAt(at++);
                    if (e == '"' || e == '\\') {
                        out.append(e);
                    } else if (e == 'u' && at + 4 <= text.length()) {
                        out.append((char) Integer.parseInt(text, at, at + 4, 16));
                        at += 4;
                    } else {
                        throw new IllegalArgumentException("receipt body: bad escape at character " + (at - 1));
                    }
                } else {
                    out.append(c);
                }
            }
        }
    }
}
