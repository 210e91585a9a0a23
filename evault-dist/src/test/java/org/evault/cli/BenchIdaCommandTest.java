package org.evault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class BenchIdaCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void benchIda_printsOneLinePerFigure() {
        int code = run("bench", "ida", "--m", "3", "--n", "5", "--size", "1000000", "--runs", "1", "--warmup-ms", "0");
        assertThat(code).isZero();
        assertThat(out.toString().lines())
                .anyMatch(l -> l.matches("encode m=3 n=5 \\d+\\.\\d MB/s"))
                .anyMatch(l -> l.matches("decode m=3 n=5 \\d+\\.\\d MB/s"))
                .anyMatch(l -> l.matches("disperse m=3 n=5 \\d+\\.\\d MB/s"))
                .anyMatch(l -> l.matches("fingerprint \\d+\\.\\d MB/s"))
                .anyMatch(l -> l.startsWith("# kernel "));
    }

    @Test
    void benchIda_refusesBadShapesWithUsageExitCode() {
        assertThat(run("bench", "ida", "--m", "6", "--n", "5", "--size", "1000")).isEqualTo(2);
        assertThat(err.toString()).contains("evault: IDA needs 1 <= m <= n <= 255, got m = 6, n = 5");
        assertThat(run("bench", "ida", "--m", "3")).isEqualTo(2);
        assertThat(err.toString()).contains("give both --m and --n");
    }
}
