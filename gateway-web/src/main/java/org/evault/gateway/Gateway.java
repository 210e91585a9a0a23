package org.evault.gateway;

import java.nio.file.Files;
import java.nio.file.Path;

import org.evault.gateway.db.DerbyMetadataStore;
import org.evault.gateway.db.MetadataStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole gateway from its configuration: the metadata database (embedded Derby under
 * {@code data.dir/metadata}), the clients to the daemons, and the HTTPS server. Closing stops
 * them in the reverse order.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    static final String METADATA_FOLDER = "metadata";

    private final MetadataStore store;
    private final VaultClient vault;
    private final GatewayServer server;
    private final Repairer repairer;

    private Gateway(MetadataStore store, VaultClient vault, GatewayServer server, Repairer repairer) {
        this.store = store;
        this.vault = vault;
        this.server = server;
        this.repairer = repairer;
    }

    public static Gateway start(GatewayConfig config) throws Exception {
        LOG.info("gateway starting: {}", config.describe());
        Files.createDirectories(config.dataDir());
        MetadataStore store = openMetadata(config);
        VaultClient vault = null;
        try {
            vault = VaultClient.create(config);
            GatewayServer server = GatewayServer.start(config, vault, store, PasswordHasher.defaults());
            Repairer repairer = config.repairInterval().isZero() ? Repairer.manual(vault, store)
                    : Repairer.scheduled(vault, store, config.repairInterval());
            return new Gateway(store, vault, server, repairer);
        } catch (Exception | Error e) {
            if (vault != null) {
                vault.close();
            }
            store.close();
            throw e;
        }
    }

    private static MetadataStore openMetadata(GatewayConfig config) throws java.io.IOException {
        GatewayConfig.MetadataDatabase db = config.metadata();
        if (db.embedded()) {
            return DerbyMetadataStore.open(config.dataDir().resolve(METADATA_FOLDER));
        }
        char[] password = db.passwordFile() == null ? null : SecretFiles.readPassword(db.passwordFile());
        try {
            return DerbyMetadataStore.openNetwork(db.url(), db.user(), password);
        } finally {
            if (password != null) {
                java.util.Arrays.fill(password, '\0');
            }
        }
    }

    /** Reads {@code folder/gateway.properties} and starts. */
    public static Gateway start(Path folder) throws Exception {
        return start(GatewayConfig.load(folder));
    }

    public int port() {
        return server.port();
    }

    public MetadataStore store() {
        return store;
    }

    /** Runs on its schedule ({@code repair.interval-seconds}); {@link Repairer#runOnce} runs a pass now. */
    public Repairer repairer() {
        return repairer;
    }

    @Override
    public void close() {
        repairer.close();
        try {
            server.close();
        } finally {
            try {
                vault.close();
            } finally {
                store.close();
                LOG.info("gateway stopped");
            }
        }
    }
}
