package org.evault.ida.slice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 1 GiB document through slice files and back in a JVM limited to 64 MiB of heap. */
class LargeStreamTest {
    @TempDir
    Path dir;

    @Test
    void oneGibibyte_streamsThroughA64MiBHeap() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx64m", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), LargeStreamCheck.class.getName(),
                dir.toString(), Long.toString(1L << 30))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        System.out.println(output);
        assertThat(output).contains("ok bytes=1073741824").contains("maxHeap=64MiB").doesNotContain("OutOfMemoryError");
        assertThat(p.exitValue()).isZero();
    }
}
