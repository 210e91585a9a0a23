package org.evault.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Map;

import org.evault.ida.Reconstruction;
import org.evault.protocol.DepositMetadata;
import org.evault.threshold.ThresholdScheme;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five real daemons with Shoup's scheme, t = 2, two of them lying: node-1 sends wrong partial
 * signatures and wrong slice bytes, node-2 wrong fingerprint vectors.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VaultClientShoupTest {
    @TempDir
    static Path dir;
    static RunningVault vault;
    static VaultClient client;

    @BeforeAll
    static void start() throws Exception {
        vault = new RunningVault(dir, 5, 2, ThresholdScheme.SHOUP,
                Map.of(1, "wrong-signature,wrong-slice", 2, "wrong-fingerprints"));
        client = VaultClient.create(vault.config());
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (vault != null) {
            vault.close();
        }
    }

    @Test
    @Order(1)
    void liars_receiptValid_documentExact_liarsNamedInLog() throws Exception {
        byte[] doc = TestData.bytes(400_000, 5);
        DepositMetadata meta = VaultClientAdditiveTest.meta("lied-about", doc.length);
        String log;
        Receipt r;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Reconstruction rec;
        try (CapturedLog captured = new CapturedLog()) {
            r = client.deposit(meta, new ByteArrayInputStream(doc));
            rec = client.retrieve(meta.documentId(), null, out);
            log = captured.text();
        }
        VaultClientAdditiveTest.assertVerifies(r, client);
        assertThat(r.signers()).doesNotContain(1, 2).hasSize(3);
        assertThat(out.toByteArray()).isEqualTo(doc);
        assertThat(rec.faults()).isNotEmpty();
        assertThat(log).contains("daemon node-1 sent an invalid partial signature")
                .contains("daemon node-2 sent a wrong receipt body: the fingerprint vector it reported differs")
                .contains("daemon node-2 reported a fingerprint vector that differs")
                .contains("bad slice from daemon node-1");
    }

    @Test
    @Order(2)
    void emptyDocument_withLiars() throws Exception {
        DepositMetadata meta = VaultClientAdditiveTest.meta("empty", 0);
        Receipt r = client.deposit(meta, new ByteArrayInputStream(new byte[0]));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.retrieve(meta.documentId(), r.parsed(), out);
        assertThat(out.size()).isZero();
    }

    /** Receipts survive t down daemons with Shoup's scheme (here the two liars are the ones killed). */
    @Test
    @Order(10)
    void tDaemonsKilled_depositGetsReceipt_retrievalExact() throws Exception {
        byte[] old = TestData.bytes(150_000, 9);
        DepositMetadata oldMeta = VaultClientAdditiveTest.meta("old", old.length);
        client.deposit(oldMeta, new ByteArrayInputStream(old));
        vault.daemons.get(0).kill();
        vault.daemons.get(1).kill();

        byte[] doc = TestData.bytes(300_000, 8);
        DepositMetadata meta = VaultClientAdditiveTest.meta("while-down", doc.length);
        Receipt r = client.deposit(meta, new ByteArrayInputStream(doc));
        VaultClientAdditiveTest.assertVerifies(r, client);
        assertThat(r.signers()).containsExactlyInAnyOrder(3, 4, 5);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.retrieve(meta.documentId(), r.parsed(), out);
        assertThat(out.toByteArray()).isEqualTo(doc);
        ByteArrayOutputStream out2 = new ByteArrayOutputStream();
        client.retrieve(oldMeta.documentId(), null, out2);
        assertThat(out2.toByteArray()).isEqualTo(old);
    }
}
