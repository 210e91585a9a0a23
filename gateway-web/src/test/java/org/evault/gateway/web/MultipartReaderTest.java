package org.evault.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.evault.gateway.Documents.UploadRejected;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {
    static final String BOUNDARY = "----WebKitFormBoundaryx7Q2";

    record Field(String name, String filename, byte[] content) {
    }

    static byte[] encode(String boundary, List<Field> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Field f : fields) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.name() + "\""
                    + (f.filename() == null ? "" : "; filename=\"" + f.filename() + "\"") + "\r\n"
                    + (f.filename() == null ? "" : "Content-Type: application/octet-stream\r\n") + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.writeBytes(f.content());
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Hands out the bytes in random small pieces, as a network would. */
    static InputStream chunked(byte[] data, long seed) {
        Random r = new Random(seed);
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + r.nextInt(3000)));
            }
        };
    }

    static List<Field> readAll(InputStream in, String boundary) throws IOException {
        MultipartReader reader = new MultipartReader(in, boundary);
        List<Field> out = new ArrayList<>();
        for (MultipartReader.Part p; (p = reader.next(false)) != null; ) {
            out.add(new Field(p.name(), p.filename(), p.content().readAllBytes()));
        }
        return out;
    }

    @Provide
    Arbitrary<List<Field>> forms() {
        // Content made of pieces that look like the boundary, CRLFs and dashes, to trip a naive scanner.
        Arbitrary<byte[]> tricky = Arbitraries.of("\r\n", "\r\n--", "--", "\r", "\n", "\r\n--" + BOUNDARY.substring(0, 9),
                "\r\n--" + BOUNDARY + "x", "-", "abc", "\u00e9", "\0").list().ofMaxSize(40)
                .map(l -> String.join("", l).getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200_000);
        Arbitrary<byte[]> content = Arbitraries.oneOf(tricky, random, Arbitraries.just(new byte[0]));
        Arbitrary<String> names = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> filenames = Arbitraries.strings().alpha().withChars("é .-_\\").ofMaxLength(20).injectNull(0.5);
        return Combinators.combine(names, filenames, content).as(Field::new).list().ofMaxSize(4);
    }

    @Property(tries = 200)
    void roundTrip_anyContent_anyChunking(@ForAll("forms") List<Field> fields, @ForAll long seed) throws IOException {
        List<Field> read = readAll(chunked(encode(BOUNDARY, fields), seed), BOUNDARY);
        assertThat(read).hasSameSizeAs(fields);
        for (int i = 0; i < fields.size(); i++) {
            assertThat(read.get(i).name()).isEqualTo(fields.get(i).name());
            assertThat(read.get(i).filename()).isEqualTo(fields.get(i).filename());
            assertThat(read.get(i).content()).isEqualTo(fields.get(i).content());
        }
    }

    /** A body cut anywhere before its closing delimiter is complete fails: no part ends normally short. */
    @Property(tries = 300)
    void truncated_anywhere_isRejected(@ForAll("forms") List<Field> fields, @ForAll @IntRange(min = 0, max = 1_000_000) int cut,
            @ForAll long seed) {
        byte[] whole = encode(BOUNDARY, fields);
        int closingEnd = whole.length - 2; // before the final CRLF, which is epilogue
        int at = cut % closingEnd;
        byte[] part = java.util.Arrays.copyOf(whole, at);
        assertThatThrownBy(() -> readAll(chunked(part, seed), BOUNDARY)).isInstanceOf(UploadRejected.class);
    }

    @Test
    void preambleAndTransportPadding_areSkipped() throws IOException {
        byte[] body = ("this is a preamble\r\n--b1  \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nxyz\r\n--b1--")
                .getBytes(StandardCharsets.US_ASCII);
        List<Field> read = readAll(new ByteArrayInputStream(body), "b1");
        assertThat(read).hasSize(1);
        assertThat(new String(read.get(0).content(), StandardCharsets.US_ASCII)).isEqualTo("xyz");
    }

    @Test
    void malformed_bodies_areRejected() {
        for (String body : List.of("", "no boundary at all", "--b1\r\nno colon here\r\n\r\nx\r\n--b1--",
                "--b1\r\nContent-Type: text/plain\r\n\r\nx\r\n--b1--", "--b1\r\nContent-Disposition: attachment; name=\"a\""
                        + "\r\n\r\nx\r\n--b1--", "--b1\r\nContent-Disposition: form-data; name=\"a\"\n\nx\r\n--b1--",
                "--b1\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b1garbage")) {
            assertThatThrownBy(() -> readAll(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), "b1"))
                    .as(body).isInstanceOf(UploadRejected.class);
        }
    }

    @Test
    void headersWithoutEnd_areBounded() {
        byte[] body = ("--b1\r\nContent-Disposition: form-data; name=\"a\"\r\nX: " + "y".repeat(100_000))
                .getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(body), "b1")).isInstanceOf(UploadRejected.class)
                .hasMessageContaining("longer than");
    }

    @Test
    void lastPart_followedByAnother_fails() throws IOException {
        byte[] body = encode("b1", List.of(new Field("file", "a.txt", new byte[] {1, 2}), new Field("x", null,
                new byte[] {3})));
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body), "b1");
        MultipartReader.Part p = reader.next(true);
        assertThatThrownBy(() -> p.content().readAllBytes()).isInstanceOf(UploadRejected.class)
                .hasMessageContaining("last field");
    }

    @Test
    void boundary_fromContentType() throws UploadRejected {
        assertThat(MultipartReader.boundary("multipart/form-data; boundary=----WebKitFormBoundaryx7Q2"))
                .isEqualTo("----WebKitFormBoundaryx7Q2");
        assertThat(MultipartReader.boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\"")).isEqualTo("a b");
        for (String bad : new String[] {null, "text/plain", "multipart/form-data", "multipart/form-data; boundary=",
                "multipart/form-data; boundary=" + "x".repeat(71), "application/x-www-form-urlencoded"}) {
            assertThatThrownBy(() -> MultipartReader.boundary(bad)).as(String.valueOf(bad))
                    .isInstanceOf(UploadRejected.class);
        }
    }

    @Test
    void disposition_keepsPathCharactersForTheCallerToJudge() throws UploadRejected {
        assertThat(MultipartReader.disposition("form-data; name=\"file\"; filename=\"..\\\\x\\\\a.txt\""))
                .containsExactly("file", "..\\\\x\\\\a.txt");
        assertThat(MultipartReader.disposition("form-data; name=csrf")).containsExactly("csrf", null);
    }
}
