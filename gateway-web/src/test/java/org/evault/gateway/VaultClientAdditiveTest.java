package org.evault.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.Signature;
import java.util.Map;
import java.util.UUID;

import org.evault.protocol.DepositMetadata;
import org.evault.protocol.receipt.ReceiptBody;
import org.evault.threshold.ThresholdScheme;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's vault client against three real daemon processes with the paper's additive scheme. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VaultClientAdditiveTest {
    @TempDir
    static Path dir;
    static RunningVault vault;
    static VaultClient client;

    @BeforeAll
    static void start() throws Exception {
        vault = new RunningVault(dir, 3, 1, ThresholdScheme.ADDITIVE, Map.of());
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

    static DepositMetadata meta(String name, long length) {
        return new DepositMetadata(UUID.randomUUID().toString(), "alice", name, 1, System.currentTimeMillis(), length);
    }

    static void assertVerifies(Receipt r, VaultClient c) throws Exception {
        Signature jca = Signature.getInstance("SHA256withRSA");
        jca.initVerify(c.publicKey().toJca());
        jca.update(r.body());
        assertThat(jca.verify(r.signature())).isTrue();
    }

    @Test
    @Order(1)
    void depositAndRetrieve_sizes_exactBytesAndVerifiedReceipt() throws Exception {
        for (int size : new int[] {0, 1, 65_537, 1 << 20}) {
            byte[] doc = TestData.bytes(size, size);
            DepositMetadata meta = meta("doc-" + size, size);
            Receipt r = client.deposit(meta, new ByteArrayInputStream(doc));
            assertVerifies(r, client);
            ReceiptBody body = r.parsed();
            assertThat(body.size()).isEqualTo(size);
            assertThat(body.sha256().toBytes()).isEqualTo(TestData.sha256(doc));
            assertThat(r.signers()).containsExactly(1, 2, 3);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            client.retrieve(meta.documentId(), body, out);
            assertThat(out.toByteArray()).isEqualTo(doc);
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            client.retrieve(meta.documentId(), null, again);
            assertThat(again.toByteArray()).isEqualTo(doc);
        }
    }

    @Test
    @Order(2)
    void deposit_unknownLength_isAccepted() throws Exception {
        byte[] doc = TestData.bytes(300_000, 7);
        DepositMetadata meta = meta("unknown-length", DepositMetadata.UNKNOWN_LENGTH);
        Receipt r = client.deposit(meta, new ByteArrayInputStream(doc));
        assertThat(r.parsed().size()).isEqualTo(doc.length);
    }

    /** Prevents a truncated upload from being signed as if it were the whole document. */
    @Test
    @Order(3)
    void deposit_truncatedUpload_failsAndStoresNothing() throws Exception {
        byte[] doc = TestData.bytes(500_000, 3);
        DepositMetadata meta = meta("truncated", doc.length);
        assertThatThrownBy(() -> client.deposit(meta, TestData.truncated(doc, 200_000))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> client.retrieve(meta.documentId(), null, new ByteArrayOutputStream()))
                .isInstanceOf(RetrievalFailedException.class);
    }

    @Test
    @Order(4)
    void deposit_overLimit_failsAndStoresNothing() throws Exception {
        try (VaultClient small = VaultClient.create(vault.config().withMaxDocumentBytes(100_000))) {
            DepositMetadata meta = meta("big", DepositMetadata.UNKNOWN_LENGTH);
            assertThatThrownBy(() -> small.deposit(meta, new ByteArrayInputStream(TestData.bytes(100_001, 1))))
                    .isInstanceOf(DocumentTooLargeException.class);
            assertThatThrownBy(() -> small.retrieve(meta.documentId(), null, new ByteArrayOutputStream()))
                    .isInstanceOf(RetrievalFailedException.class);
            DepositMetadata ok = meta("at-limit", 100_000);
            assertThat(small.deposit(ok, new ByteArrayInputStream(TestData.bytes(100_000, 1))).parsed().size())
                    .isEqualTo(100_000);
        }
    }

    @Test
    @Order(5)
    void retrieve_unknownDocument_fails() {
        assertThatThrownBy(() -> client.retrieve("no-such-document", null, new ByteArrayOutputStream()))
                .isInstanceOf(RetrievalFailedException.class);
    }

    /** With n-out-of-n signing a missing daemon means no receipt, and the message says which. */
    @Test
    @Order(10)
    void deposit_oneDaemonDown_failsNamingIt_butRetrievalStillWorks() throws Exception {
        byte[] doc = TestData.bytes(200_000, 11);
        DepositMetadata before = meta("before", doc.length);
        Receipt r = client.deposit(before, new ByteArrayInputStream(doc));
        vault.daemons.get(2).kill();

        assertThatThrownBy(() -> client.deposit(meta("after", doc.length), new ByteArrayInputStream(doc)))
                .isInstanceOf(DepositFailedException.class)
                .hasMessageContaining("node-3")
                .hasMessageContaining("additive");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.retrieve(before.documentId(), r.parsed(), out);
        assertThat(out.toByteArray()).isEqualTo(doc);
    }
}
