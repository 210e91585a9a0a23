package org.evault.ida.slice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.evault.ida.DispersalMatrix;
import org.evault.ida.Dispersal;
import org.evault.ida.Ida;
import org.evault.ida.NotEnoughSlicesException;
import org.evault.ida.Reconstruction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SliceFileTest {
    @TempDir
    Path dir;

    private final Ida ida = Ida.create(DispersalMatrix.systematicCauchy(3, 5), 4096);
    private final byte[] document = randomBytes(100_003, 7);

    @Test
    void writtenFiles_reopenWithTheSameHeader_andRecoverTheDocument() throws IOException {
        List<Path> files = writeAll("doc-1", document);
        try (SliceFile f = SliceFile.open(files.get(2))) {
            SliceHeader h = f.header();
            assertThat(h.documentId()).isEqualTo("doc-1");
            assertThat(h.sliceIndex()).isEqualTo(2);
            assertThat(h.matrix()).isEqualTo(ida.matrix());
            assertThat(h.documentLength()).isEqualTo(document.length);
            assertThat(new String(h.receiptBody(), StandardCharsets.UTF_8)).isEqualTo("{\"receipt\":\"doc-1\"}");
            assertThat(f.sliceLength()).isEqualTo(ida.sliceLength(document.length));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Reconstruction r = SliceFiles.recover(List.of(files.get(4), files.get(1), files.get(3)), out);
        assertThat(out.toByteArray()).isEqualTo(document);
        assertThat(r.faults()).isEmpty();
    }

    @Test
    void flippedSliceByte_isRoutedAroundWhenASpareIsGiven() throws IOException {
        List<Path> files = writeAll("doc-2", document);
        flipByte(files.get(0), 16 + 5000); // segment 1 of slice 0
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Reconstruction r = SliceFiles.recover(files, out);
        assertThat(out.toByteArray()).isEqualTo(document);
        assertThat(r.faults()).extracting(Object::toString).containsExactly("slice 0 segment 1: hash mismatch (corrupted or out of order)");
        assertThatThrownBy(() -> SliceFiles.recover(files.subList(0, 3), OutputStream.nullOutputStream()))
                .isInstanceOf(NotEnoughSlicesException.class)
                .hasMessageContaining("slice 0 segment 1: hash mismatch");
    }

    @Test
    void damagedHeader_isRefusedWithAClearMessage() throws IOException {
        List<Path> files = writeAll("doc-3", document);
        long size = Files.size(files.get(1));
        flipByte(files.get(1), size - 32 - 40); // inside the header block
        assertThatThrownBy(() -> SliceFile.open(files.get(1)))
                .isInstanceOf(CorruptSliceFileException.class)
                .hasMessageEndingWith("header is damaged (checksum mismatch)");
        // The remaining four files still recover it.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SliceFiles.recover(files, out);
        assertThat(out.toByteArray()).isEqualTo(document);
    }

    @Test
    void truncatedFile_badMagic_damagedHashList_areRefused() throws IOException {
        List<Path> files = writeAll("doc-4", document);
        Path truncated = files.get(0);
        byte[] bytes = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        assertThatThrownBy(() -> SliceFile.open(truncated)).hasMessageEndingWith("footer missing (truncated or not finished)");

        flipByte(files.get(1), 0);
        assertThatThrownBy(() -> SliceFile.open(files.get(1))).hasMessageEndingWith("not a slice file (bad magic at the start)");

        long hashes = 16 + ida.sliceLength(document.length);
        flipByte(files.get(2), hashes + 3);
        assertThatThrownBy(() -> SliceFile.open(files.get(2)))
                .hasMessageEndingWith("segment hash list does not match the slice's fingerprint");

        Path tiny = dir.resolve("tiny.slice");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SliceFile.open(tiny)).hasMessageEndingWith("only 3 bytes, too short to be a slice file");
    }

    @Test
    void slicesOfDifferentDocuments_areNotMixed() throws IOException {
        List<Path> a = writeAll("doc-a", document);
        Files.createDirectories(dir.resolve("b"));
        List<Path> b = writeAll("b/doc-b", randomBytes(5000, 8));
        assertThatThrownBy(() -> SliceFiles.recover(List.of(a.get(0), a.get(1), b.get(2)), OutputStream.nullOutputStream()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("belongs to document doc-b, not doc-a");
    }

    @Test
    void uncommittedWriter_leavesNothingBehind() throws IOException {
        Path temp = dir.resolve("x.slice.tmp");
        try (SliceFileWriter w = SliceFileWriter.create(temp)) {
            w.data().write(new byte[1000]);
        }
        assertThat(temp).doesNotExist();
    }

    @Test
    void writer_refusesBytesThatDoNotMatchTheHeader() throws IOException {
        Dispersal d = ida.disperse(new ByteArrayInputStream(document), java.util.Arrays.asList(new OutputStream[5]));
        try (SliceFileWriter w = SliceFileWriter.create(dir.resolve("y.tmp"))) {
            w.data().write(new byte[10]);
            assertThatThrownBy(() -> w.finish(header("y", 0, d), d.segmentHashes().get(0)))
                    .hasMessageContaining("10 slice bytes written");
        }
    }

    private List<Path> writeAll(String id, byte[] doc) throws IOException {
        List<SliceFileWriter> writers = new ArrayList<>();
        List<OutputStream> outs = new ArrayList<>();
        for (int j = 0; j < ida.n(); j++) {
            SliceFileWriter w = SliceFileWriter.create(dir.resolve(id + "." + j + ".slice.tmp"));
            writers.add(w);
            outs.add(w.data());
        }
        Dispersal d = ida.disperse(new ByteArrayInputStream(doc), outs);
        List<Path> files = new ArrayList<>();
        for (int j = 0; j < ida.n(); j++) {
            try (SliceFileWriter w = writers.get(j)) {
                w.finish(header(id, j, d), d.segmentHashes().get(j));
                Path target = dir.resolve(id + "." + j + ".slice");
                w.commit(target);
                files.add(target);
            }
        }
        return files;
    }

    private SliceHeader header(String id, int index, Dispersal d) {
        String docId = id.contains("/") ? id.substring(id.indexOf('/') + 1) : id;
        return new SliceHeader(docId, index, ida.matrix(), ida.segmentSize(), d.documentLength(), d.documentHash(),
                d.fingerprints(), ("{\"receipt\":\"" + docId + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static void flipByte(Path file, long position) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) position] ^= 0x40;
        Files.write(file, bytes);
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }
}
