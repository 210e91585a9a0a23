package org.evault.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's own pieces: seeded documents (generation and checking) and the plots. */
class SeededBytesTest {
    @Test
    void anyRangeEqualsTheSameBytesOfTheWholeDocument() {
        byte[] whole = SeededBytes.document(42, 1000);
        for (int from : new int[] {0, 1, 7, 8, 9, 500, 993}) {
            for (int len : new int[] {0, 1, 7, 8, 15, 1000 - from}) {
                if (from + len > whole.length) {
                    continue;
                }
                byte[] part = new byte[len + 3];
                SeededBytes.fill(42, from, part, 3, len);
                for (int i = 0; i < len; i++) {
                    assertThat(part[3 + i]).as("byte %d of [%d, +%d)", from + i, from, len).isEqualTo(whole[from + i]);
                }
            }
        }
        assertThat(SeededBytes.document(43, 1000)).isNotEqualTo(whole);
    }

    @Test
    void theStreamIsTheDocumentAndTheCheckAcceptsIt() throws IOException {
        long length = 3 * 65536 + 5;
        try (InputStream in = SeededBytes.stream(7, length)) {
            assertThat(SeededBytes.check(7, length, in)).isEqualTo(length);
        }
        try (InputStream in = SeededBytes.stream(7, 10)) {
            assertThat(in.readAllBytes()).isEqualTo(SeededBytes.document(7, 10));
        }
    }

    @Test
    void theCheckFindsOneWrongByteAndATooLongBody() {
        byte[] doc = SeededBytes.document(9, 200_000);
        doc[123_457] ^= 1;
        assertThatThrownBy(() -> SeededBytes.check(9, doc.length, new ByteArrayInputStream(doc)))
                .isInstanceOf(IOException.class).hasMessageContaining("wrong byte at 123457");
        byte[] ok = SeededBytes.document(9, 100);
        assertThatThrownBy(() -> SeededBytes.check(9, 99, new ByteArrayInputStream(ok)))
                .isInstanceOf(IOException.class).hasMessageContaining("longer");
    }

    @Test
    void plotWritesAPng(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("p.png");
        new Plot("title", "subtitle", "x", "y")
                .add(new Plot.Series("a", java.awt.Color.BLUE, List.of(new Plot.Point(1, 100), new Plot.Point(1024, 5))))
                .reference(new Plot.Reference("ref", 60)).write(png);
        var img = ImageIO.read(Files.newInputStream(png));
        assertThat(img.getWidth()).isEqualTo(960);
        assertThat(img.getHeight()).isEqualTo(600);
    }
}
