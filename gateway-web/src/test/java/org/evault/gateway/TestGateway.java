package org.evault.gateway;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.evault.gateway.db.DerbyMetadataStore;
import org.evault.threshold.ThresholdScheme;

/**
 * The setup the web and API tests share: n = 3 additive daemon processes, the gateway in this JVM
 * over real HTTPS with an in-memory Derby and a cheap password hash, and an HTTP client that
 * trusts only the deployment's CA. Closing stops everything, gateway first.
 */
final class TestGateway implements AutoCloseable {
    final RunningVault vault;
    final VaultClient client;
    final DerbyMetadataStore store;
    final GatewayServer server;
    final GatewayConfig config;

    private TestGateway(RunningVault vault, VaultClient client, DerbyMetadataStore store, GatewayServer server,
            GatewayConfig config) {
        this.vault = vault;
        this.client = client;
        this.store = store;
        this.server = server;
        this.config = config;
    }

    /** @param adjust changes to the deployment's gateway configuration (limits, ports) */
    static TestGateway start(Path dir, String database, UnaryOperator<GatewayConfig> adjust) throws Exception {
        RunningVault vault = new RunningVault(dir, 3, 1, ThresholdScheme.ADDITIVE, Map.of());
        VaultClient client = null;
        DerbyMetadataStore store = null;
        try {
            GatewayConfig config = adjust.apply(vault.config());
            client = VaultClient.create(config);
            store = DerbyMetadataStore.inMemory(database);
            GatewayServer server = GatewayServer.start(config, client, store,
                    new PasswordHasher(1024, 1, 1, new SecureRandom()));
            return new TestGateway(vault, client, store, server, config);
        } catch (Exception | Error e) {
            closeAll(null, client, store, vault);
            throw e;
        }
    }

    /** https://localhost:PORT, no trailing slash. */
    String origin() {
        return "https://localhost:" + server.port();
    }

    HttpClient http() throws Exception {
        return HttpClient.newBuilder().sslContext(trusting(config.caFile())).connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** TLS that trusts exactly the CA in {@code caPem}. */
    static SSLContext trusting(Path caPem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
            ks.setCertificateEntry("ca", ca);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    @Override
    public void close() throws Exception {
        closeAll(server, client, store, vault);
    }

    private static void closeAll(AutoCloseable... parts) throws Exception {
        Exception first = null;
        for (AutoCloseable c : parts) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
