package org.evault.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.net.ssl.SSLSocket;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.evault.threshold.ThresholdScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assembled gateway (Derby on disk, daemons, HTTPS), n = 5 with Shoup's scheme. */
class GatewayTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void start_fromConfig_registerDepositRetrieve_truncatedUploadStoresNothing_concurrentVersions(@TempDir Path dir)
            throws Exception {
        try (RunningVault vault = new RunningVault(dir, 5, 2, ThresholdScheme.SHOUP, Map.of());
                Gateway gateway = Gateway.start(vault.config())) {
            assertThat(vault.config().dataDir().resolve(Gateway.METADATA_FOLDER)).isDirectory();
            String base = "https://localhost:" + gateway.port() + "/api/v1";
            HttpClient http = HttpClient.newBuilder().sslContext(TestGateway.trusting(vault.config().caFile()))
                    .build();
            String reg = JSON.writeValueAsString(Map.of("userId", "dana", "password", "dana's password",
                    "name", "Dana", "address", "2 Side St", "phone", "+1 555 0101", "email", "dana@example.org"));
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/register"))
                    .POST(HttpRequest.BodyPublishers.ofString(reg)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).isEqualTo(201);
            String auth = GatewayApiTest.basic("dana", "dana's password");

            // A client that announces 100000 bytes, sends 1000 and hangs up: nothing may be stored.
            try (SSLSocket s = (SSLSocket) TestGateway.trusting(vault.config().caFile()).getSocketFactory()
                    .createSocket("localhost", gateway.port())) {
                OutputStream out = s.getOutputStream();
                out.write(("POST /api/v1/documents/cut HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + auth
                        + "\r\nContent-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[1000]);
                out.flush();
            }

            // Concurrent deposits of one name get distinct versions, all retrievable.
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<HttpResponse<byte[]>>> futures = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    byte[] doc = TestData.bytes(100_000 + i, i);
                    futures.add(pool.submit(() -> http.send(HttpRequest.newBuilder(URI.create(base + "/documents/same"))
                            .header("Authorization", auth).POST(HttpRequest.BodyPublishers.ofByteArray(doc)).build(),
                            HttpResponse.BodyHandlers.ofByteArray())));
                }
                Set<Integer> versions = new HashSet<>();
                for (Future<HttpResponse<byte[]>> f : futures) {
                    HttpResponse<byte[]> r = f.get();
                    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
                    versions.add(JSON.readTree(r.body()).get("version").asInt());
                }
                assertThat(versions).containsExactlyInAnyOrder(1, 2, 3, 4);
            } finally {
                pool.shutdownNow();
            }
            for (int v = 1; v <= 4; v++) {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/documents/same?version="
                        + v)).header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(r.statusCode()).isEqualTo(200);
                int size = r.body().length;
                assertThat(size).isBetween(100_000, 100_003);
                assertThat(r.body()).isEqualTo(TestData.bytes(size, size - 100_000));
            }
            assertThat(gateway.store().findDocument("dana", "cut", null)).isEmpty();
            assertThat(gateway.store().auditLog("dana", 50)).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo("deposit");
                assertThat(e.outcome()).isEqualTo("failed");
            });
        }
    }
}
