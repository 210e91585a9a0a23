package org.evault.ida.slice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.evault.ida.DispersalMatrix;
import org.evault.ida.FingerprintVector;
import org.evault.ida.Hash256;
import org.junit.jupiter.api.Test;

class SliceHeaderTest {
    private static SliceHeader sample() {
        List<Hash256> fps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fps.add(Hash256.digest(new byte[] {(byte) i}));
        }
        return new SliceHeader("doc-\u00e9", 4, DispersalMatrix.paperExample(), 65536, 123_456_789L,
                Hash256.digest(new byte[] {9}), new FingerprintVector(fps), "{\"a\":1}".getBytes());
    }

    @Test
    void bytesRoundTrip() {
        SliceHeader h = sample();
        assertThat(SliceHeader.fromBytes(h.toBytes())).isEqualTo(h);
    }

    @Test
    void everyTruncation_isRefusedByName() {
        byte[] block = sample().toBytes();
        for (int len = 0; len < block.length; len++) {
            byte[] cut = Arrays.copyOf(block, len);
            assertThatThrownBy(() -> SliceHeader.fromBytes(cut)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void impossibleParameters_areRefused() {
        byte[] block = sample().toBytes();
        int sliceIndexAt = 2 + "doc-\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        block[sliceIndexAt] = 7; // slice index 7 of n = 5
        assertThatThrownBy(() -> SliceHeader.fromBytes(block)).hasMessageContaining("slice index 7 is outside 0..4");
        byte[] block2 = sample().toBytes();
        block2[sliceIndexAt + 3] = 0x01; // polynomial 0x101 is reducible
        block2[sliceIndexAt + 4] = 0x01;
        assertThatThrownBy(() -> SliceHeader.fromBytes(block2)).hasMessageContaining("reducible");
    }
}
