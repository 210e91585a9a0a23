package org.evault.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Map;

import org.evault.protocol.DepositMetadata;
import org.evault.threshold.ThresholdScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** n = 3, additive, node-2 sends wrong partial signatures: the paper's scheme cannot name it, but never signs. */
class VaultClientAdditiveLiarTest {
    /** Prevents a receipt from ever being issued on a signature that does not verify. */
    @Test
    void wrongPartialSignature_noReceipt(@TempDir Path dir) throws Exception {
        try (RunningVault vault = new RunningVault(dir, 3, 1, ThresholdScheme.ADDITIVE,
                Map.of(2, "wrong-signature,wrong-slice"));
                VaultClient client = VaultClient.create(vault.config())) {
            byte[] doc = TestData.bytes(123_456, 4);
            DepositMetadata meta = VaultClientAdditiveTest.meta("x", doc.length);
            try (CapturedLog log = new CapturedLog()) {
                assertThatThrownBy(() -> client.deposit(meta, new ByteArrayInputStream(doc)))
                        .isInstanceOf(DepositFailedException.class)
                        .hasMessageContaining("wrong partial signature");
                assertThat(log.text()).contains("do not combine");
            }
        }
    }
}
