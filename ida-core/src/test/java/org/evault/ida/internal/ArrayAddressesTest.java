package org.evault.ida.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArrayAddressesTest {
    /** The test JVMs (JDK 17 with default options) are where the vector kernel aligns its loads. */
    @Test
    void theJvmTellsBeforeJdk24() {
        assumeThat(Runtime.version().feature()).isLessThan(24);
        assertThat(ArrayAddresses.known()).isTrue();
    }

    @Test
    void offsetsWithinAnArrayAdvanceWithTheIndex() {
        assumeThat(ArrayAddresses.known()).isTrue();
        byte[] a = new byte[1000];
        int first = ArrayAddresses.lineOffset(a, 0);
        for (int i = 0; i < a.length; i += 7) {
            assertThat(ArrayAddresses.lineOffset(a, i)).isEqualTo((first + i) & 63);
        }
    }

    /**
     * Two arrays allocated one after the other lie back to back in the thread's allocation buffer
     * (but for a buffer refill now and then), so their line offsets differ by the first one's size:
     * header plus payload, rounded up to 8 bytes. A wrong shift of references fails this for most
     * sizes. Run here (-Xmx1g: compressed references that are addresses) and in JVMs whose
     * references are shifted (-Xmx6g) and full width (-Xmx40g, reserved, not used).
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "-Xmx6g", "-Xmx40g"})
    void arraysAllocatedInTurnLieOneObjectApart(String heap) throws IOException, InterruptedException {
        assumeThat(ArrayAddresses.known()).isTrue();
        if (heap.isEmpty()) {
            assertThat(BackToBack.count()).isEqualTo("known, most pairs apart");
            return;
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), heap, "-cp", System.getProperty("java.class.path"),
                BackToBack.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output.trim()).isEqualTo("known, most pairs apart");
    }

    /** Counts the pairs of arrays allocated in turn that lie one object apart; run by the test above. */
    public static final class BackToBack {
        public static void main(String[] args) {
            System.out.println(count());
        }

        static String count() {
            if (!ArrayAddresses.known()) {
                return "not known";
            }
            int header = sun.misc.Unsafe.ARRAY_BYTE_BASE_OFFSET;
            int pairs = 0;
            int apart = 0;
            for (int round = 0; round < 4; round++) {
                for (int payload = 1; payload <= 200; payload++) {
                    byte[] first = new byte[payload];
                    byte[] second = new byte[payload];
                    int size = (header + payload + 7) & ~7;
                    pairs++;
                    if (ArrayAddresses.lineOffset(second, 0) == ((ArrayAddresses.lineOffset(first, 0) + size) & 63)) {
                        apart++;
                    }
                }
            }
            return apart > pairs * 9 / 10 ? "known, most pairs apart" : "only " + apart + " of " + pairs + " pairs apart";
        }
    }

    /**
     * Ground truth: G1 puts an array of at least half a region at the start of a region (1 to 32
     * MiB, so 64-byte aligned); its first element then lies one array header past a line start.
     * A wrong shift of compressed references would put it elsewhere.
     */
    @Test
    void aHumongousArrayStartsOneHeaderPastALine() {
        assumeThat(ArrayAddresses.known()).isTrue();
        assumeThat(ManagementFactory.getGarbageCollectorMXBeans())
                .anyMatch(gc -> gc.getName().startsWith("G1"));
        int header = sun.misc.Unsafe.ARRAY_BYTE_BASE_OFFSET;
        for (int k = 0; k < 3; k++) {
            byte[] big = new byte[(33 << 20) + 8 * k];
            assertThat(ArrayAddresses.lineOffset(big, 0)).isEqualTo(header);
            assertThat(ArrayAddresses.lineOffset(big, 64 - header)).isZero();
        }
    }
}
