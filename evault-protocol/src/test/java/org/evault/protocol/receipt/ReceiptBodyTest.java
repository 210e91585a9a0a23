package org.evault.protocol.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.evault.ida.DispersalMatrix;
import org.evault.ida.FingerprintVector;
import org.evault.ida.Hash256;
import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

class ReceiptBodyTest {
    private static final String KEY_ID = "ab".repeat(32);

    static ReceiptBody sample(String owner, String name) {
        List<Hash256> fps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fps.add(Hash256.digest(new byte[] {(byte) i}));
        }
        return new ReceiptBody(KEY_ID, owner, name, "d-42", 3, 1234, Hash256.digest(new byte[] {7}),
                DispersalMatrix.paperExample(), 65536, new FingerprintVector(fps), Instant.parse("2026-11-24T12:00:00Z"));
    }

    @Test
    void canonicalBytes_haveTheDocumentedShape() {
        String json = new String(sample("alice", "notes.txt").toCanonicalBytes(), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"format\":\"e-vault-receipt-1\",\"vaultKeyId\":\"" + KEY_ID
                + "\",\"owner\":\"alice\",\"documentName\":\"notes.txt\",\"documentId\":\"d-42\",\"version\":3,\"size\":1234,\"sha256\":\"")
                .contains(",\"ida\":{\"m\":3,\"n\":5,\"polynomial\":369,\"matrix\":\"010000010300010001020000010101\",\"segmentSize\":65536},\"fingerprints\":[\"")
                .endsWith("],\"depositTime\":\"2026-11-24T12:00:00.000Z\"}")
                .doesNotContain(" ");
    }

    @Property(tries = 200)
    void anyNamesRoundTrip(@ForAll @StringLength(min = 1, max = 40) String owner,
            @ForAll @StringLength(min = 1, max = 40) String name) {
        ReceiptBody body;
        try {
            body = sample(owner, name);
        } catch (IllegalArgumentException e) {
            return; // unpaired surrogates are refused up front
        }
        assertThat(ReceiptBody.parse(body.toCanonicalBytes())).isEqualTo(body);
    }

    @Test
    void nonCanonicalInput_isRefused() {
        String json = new String(sample("a\"b\\c\n", "x").toCanonicalBytes(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"owner\":\"a\\\"b\\\\c\\u000a\"");
        assertThatThrownBy(() -> ReceiptBody.parse(json.replace("{\"format\"", "{ \"format\"").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("expected {\"format\": at character 0");
        assertThatThrownBy(() -> ReceiptBody.parse(json.replace("\\u000a", "\\u000A").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not in canonical form");
        assertThatThrownBy(() -> ReceiptBody.parse((json + " ").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unexpected bytes after the end");
        assertThatThrownBy(() -> ReceiptBody.parse(json.replace("\"version\":3", "\"version\":03").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not in canonical form");
    }
}
