package org.evault.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.evault.threshold.ThresholdScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes flipped in a slice file on a daemon's disk, as bit rot or a tampering operator would: the
 * daemon serves the damaged slice, the gateway finds the bad segments against the fingerprints,
 * decodes around them, and logs which daemon's slice was bad.
 */
@ExtendWith(SharedVaults.class)
class SliceCorruptionSystemTest {
    static final long MIB = 1L << 20;
    /** The slice file's preamble (docs/formats.md "Slice files"): the slice bytes start after it. */
    static final int PREAMBLE_BYTES = 16;
    static final int SEGMENT_BYTES = 64 * 1024;

    @Test
    void flippedBytesInASliceFile_retrievalExact_corruptionLoggedNamingTheDaemon(SharedVaults.Pool vaults,
            @TempDir Path dir) throws Exception {
        // Only this test's own documents are damaged, so the run's shared vault stays fit for others.
        SystemVault vault = vaults.get(3, 1, ThresholdScheme.ADDITIVE);
        VaultUser alice = VaultUser.register(vault, "corruption", dir);
        // m = 2: each slice of a 1 MiB document is 512 KiB, 8 segments of 64 KiB.
        VaultUser.Deposited a = alice.depositVerified(new SeededDocument("a.bin", MIB, 11));
        VaultUser.Deposited b = alice.depositVerified(new SeededDocument("b.bin", MIB, 12));

        // Document a: segments 0 and 5 of node-1's slice (a data slice, which decoding prefers).
        Path sliceA = slice(vault, 1, a);
        flip(sliceA, PREAMBLE_BYTES + 100);
        flip(sliceA, PREAMBLE_BYTES + 5L * SEGMENT_BYTES + 7);
        // Document b: the last segment of node-2's slice.
        flip(slice(vault, 2, b), PREAMBLE_BYTES + 8L * SEGMENT_BYTES - 1);

        alice.assertRetrievesExactly(a);
        alice.assertRetrievesExactly(b);
        // A slice is dropped from its first bad segment on, so the fault is reported there (segment 5
        // is then read from the other slices: the exact bytes above show it was not used).
        assertBadSliceLogged(vault, a, 1, 0);
        assertBadSliceLogged(vault, b, 2, 7);
        for (VaultUser.Deposited d : new VaultUser.Deposited[] {a, b}) {
            assertThat(vault.gatewayLog()).doesNotContain("retrieve " + d.receipt().get("documentId").asText()
                    + ": bad slice from daemon " + SystemVault.nodeId(3));
        }
    }

    /** Daemon {@code index}'s slice file of {@code d}'s document. */
    static Path slice(SystemVault vault, int index, VaultUser.Deposited d) throws Exception {
        String documentId = d.receipt().get("documentId").asText();
        Path file = vault.daemonFolder(index).resolve("data").resolve("slices").resolve(documentId + ".slice");
        assertThat(vault.sliceFiles(index)).contains(file);
        return file;
    }

    /** Inverts every bit of the byte at {@code offset}. */
    static void flip(Path file, long offset) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            assertThat(ch.read(one, offset)).isEqualTo(1);
            one.put(0, (byte) ~one.get(0)).rewind();
            ch.write(one, offset);
            ch.force(true);
        }
    }

    static void assertBadSliceLogged(SystemVault vault, VaultUser.Deposited d, int daemon, int segment) throws Exception {
        String documentId = d.receipt().get("documentId").asText();
        Matcher m = vault.awaitGatewayLog(Pattern.compile("retrieve " + Pattern.quote(documentId) + ": bad slice from daemon "
                + SystemVault.nodeId(daemon) + ": slice " + (daemon - 1) + " segment " + segment + "\\b.*"));
        System.out.println("gateway log: " + m.group());
    }
}
