package org.evault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.evault.ida.Dispersal;
import org.evault.ida.Ida;
import org.evault.ida.slice.SliceFileWriter;
import org.evault.ida.slice.SliceHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class RecoverCommandTest {
    @TempDir
    Path dir;

    @Test
    void recover_rebuildsFromAnyMSliceFiles_andRefusesTooFew() throws Exception {
        Ida ida = Ida.create(3, 5);
        byte[] doc = new byte[300_001];
        new Random(1).nextBytes(doc);
        List<SliceFileWriter> writers = new ArrayList<>();
        List<OutputStream> outs = new ArrayList<>();
        for (int j = 0; j < 5; j++) {
            SliceFileWriter w = SliceFileWriter.create(dir.resolve("d." + j + ".tmp"));
            writers.add(w);
            outs.add(w.data());
        }
        Dispersal d = ida.disperse(new ByteArrayInputStream(doc), outs);
        for (int j = 0; j < 5; j++) {
            try (SliceFileWriter w = writers.get(j)) {
                w.finish(new SliceHeader("d", j, ida.matrix(), ida.segmentSize(), d.documentLength(), d.documentHash(),
                        d.fingerprints(), "{}".getBytes(StandardCharsets.UTF_8)), d.segmentHashes().get(j));
                w.commit(dir.resolve("d." + j + ".slice"));
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        Path rebuilt = dir.resolve("rebuilt.bin");
        int code = cl.execute("recover", "--out", rebuilt.toString(), dir.resolve("d.4.slice").toString(),
                dir.resolve("d.1.slice").toString(), dir.resolve("d.3.slice").toString());
        assertThat(code).isZero();
        assertThat(Files.readAllBytes(rebuilt)).isEqualTo(doc);
        assertThat(out.toString()).contains("recovered " + rebuilt + ": 300001 bytes");

        Path failed = dir.resolve("failed.bin");
        code = cl.execute("recover", "--out", failed.toString(), dir.resolve("d.0.slice").toString(),
                dir.resolve("d.1.slice").toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("need 3 good slices, only 2 remain");
        assertThat(failed).doesNotExist();
        assertThat(dir.resolve("failed.bin.partial")).doesNotExist();
    }
}
