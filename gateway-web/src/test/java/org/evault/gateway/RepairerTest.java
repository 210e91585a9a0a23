package org.evault.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.evault.deploy.Deployment;
import org.evault.gateway.db.DerbyMetadataStore;
import org.evault.gateway.db.DocumentRecord;
import org.evault.ida.Reconstruction;
import org.evault.protocol.DepositMetadata;
import org.evault.protocol.TlsConfig;
import org.evault.protocol.client.ClientOptions;
import org.evault.protocol.client.DaemonClient;
import org.evault.threshold.ThresholdScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repairer against five real daemons (Shoup, t = 2): a daemon that was down during a deposit
 * and a slice that a scrub set aside both get their slices back, and the repaired slices are
 * what later retrievals stand on when t other daemons are gone.
 */
class RepairerTest {
    @TempDir
    Path dir;

    @Test
    void missedAndDamagedSlices_areRepaired_andCarryRetrievalsWhenTDaemonsAreGone() throws Exception {
        try (RunningVault vault = new RunningVault(dir, 5, 2, ThresholdScheme.SHOUP, Map.of());
                VaultClient client = VaultClient.create(vault.config());
                DerbyMetadataStore store = DerbyMetadataStore.inMemory("repairer-test");
                Repairer repairer = Repairer.manual(client, store)) {
            byte[] a = TestData.bytes(700_000, 21);
            byte[] b = TestData.bytes(500_000, 22);
            String idA = deposit(client, store, "a.bin", a);
            assertThat(repairer.runOnce().repaired()).isEmpty();

            // Daemon 4 is down while b is deposited: the receipt comes from four daemons.
            vault.daemons.get(3).kill();
            String idB = deposit(client, store, "b.bin", b);

            // Daemon 5's slice of a rots on disk; its scrub sets the slice aside.
            Path slice = Deployment.daemonFolder(vault.deployment, 5).resolve("data/slices/" + idA + ".slice");
            byte[] bytes = Files.readAllBytes(slice);
            bytes[bytes.length / 3] ^= 0x40;
            Files.write(slice, bytes);
            try (DaemonClient five = gatewayClientTo(vault, 5)) {
                assertThat(five.scrub().get(60, TimeUnit.SECONDS).findings()).singleElement()
                        .satisfies(f -> assertThat(f.documentId()).isEqualTo(idA));
            }

            Repairer.Report whileDown = repairer.runOnce();
            assertThat(whileDown.unreachable()).containsExactly("node-4");
            assertThat(whileDown.repaired()).containsExactly(idA + " on node-5");
            assertThat(whileDown.failed()).isEmpty();

            vault.restart(4);
            awaitListed(client, 3);
            Repairer.Report afterRestart = repairer.runOnce();
            assertThat(afterRestart.repaired()).containsExactly(idB + " on node-4");
            assertThat(afterRestart.documentsChecked()).isEqualTo(2);
            assertThat(repairer.runOnce().repaired()).as("a second pass finds nothing to do").isEmpty();
            assertThat(store.auditLog("alice", 10)).filteredOn(e -> e.action().equals("repair")).hasSize(2);

            // With daemons 1 and 2 gone, only slices 3, 4 and 5 remain: b needs 4's repaired slice,
            // a needs 5's. Both come back exactly and without a bad segment.
            vault.daemons.get(0).kill();
            vault.daemons.get(1).kill();
            assertRetrieves(client, store, idA, a);
            assertRetrieves(client, store, idB, b);
        }
    }

    private static String deposit(VaultClient client, DerbyMetadataStore store, String name, byte[] doc) throws Exception {
        DocumentRecord reserved = store.reserve(UUID.randomUUID().toString(), "alice", name,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        Receipt receipt = client.deposit(new DepositMetadata(reserved.documentId(), "alice", name, reserved.version(),
                reserved.depositTime().toEpochMilli(), doc.length), new ByteArrayInputStream(doc));
        store.complete(reserved.documentId(), receipt);
        return reserved.documentId();
    }

    private static void assertRetrieves(VaultClient client, DerbyMetadataStore store, String id, byte[] expected)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Reconstruction r = client.retrieve(id, store.findReceipt(id).orElseThrow().parsed(), out);
        assertThat(out.toByteArray()).isEqualTo(expected);
        assertThat(r.faults()).isEmpty();
    }

    /** The client reconnects with backoff: wait until the restarted daemon answers a list. */
    private static void awaitListed(VaultClient client, int position) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (client.storedDocumentIds(position).isEmpty()) {
            assertThat(Instant.now()).as("daemon at position " + position + " answers again").isBefore(deadline);
        }
    }

    private static DaemonClient gatewayClientTo(RunningVault vault, int index) throws Exception {
        Path gw = vault.gatewayFolder();
        TlsConfig tls = new TlsConfig(gw.resolve(Deployment.CA_FILE), gw.resolve(Deployment.CERTIFICATE),
                gw.resolve(Deployment.PRIVATE_KEY));
        GatewayConfig.Daemon d = vault.config().daemons().get(index - 1);
        return new DaemonClient(d.host(), d.port(), tls, ClientOptions.defaults("gateway").withExpectedNodeId(d.id()));
    }
}
