package org.evault.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.evault.gateway.db.DerbyMetadataStore;
import org.evault.threshold.ThresholdScheme;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a bearer token saves: the mean time of an authenticated API call (list documents) with
 * HTTP Basic, which costs an Argon2id hash with the production parameters, and with a token, which
 * costs one indexed look-up. Prints both; asserts only that the token is the cheaper one.
 */
@Tag("slow")
class TokenCostTest {
    @Test
    void bearer_isMuchCheaperThanBasic(@TempDir Path dir) throws Exception {
        try (RunningVault vault = new RunningVault(dir, 3, 1, ThresholdScheme.ADDITIVE, Map.of());
                VaultClient client = VaultClient.create(vault.config());
                DerbyMetadataStore store = DerbyMetadataStore.inMemory("token-cost");
                GatewayServer server = GatewayServer.start(vault.config(), client, store, PasswordHasher.defaults())) {
            String base = "https://localhost:" + server.port() + "/api/v1";
            HttpClient http = HttpClient.newBuilder().sslContext(TestGateway.trusting(vault.config().caFile()))
                    .connectTimeout(Duration.ofSeconds(10)).build();
            ObjectMapper json = new ObjectMapper();
            String reg = json.writeValueAsString(Map.of("userId", "fay", "password", "fay's password", "name", "Fay",
                    "address", "6 St", "phone", "6", "email", "fay@example.org"));
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/register"))
                    .POST(HttpRequest.BodyPublishers.ofString(reg)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).isEqualTo(201);
            String basic = GatewayApiTest.basic("fay", "fay's password");
            String token = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/tokens"))
                    .header("Authorization", basic).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).get("token").asText();

            double basicMs = meanMillis(http, base, basic, 20);
            double bearerMs = meanMillis(http, base, "Bearer " + token, 400);
            System.out.printf("GET /api/v1/documents, mean of sequential calls: Basic (Argon2id) %.2f ms,"
                    + " Bearer %.2f ms%n", basicMs, bearerMs);
            assertThat(bearerMs).isLessThan(basicMs);
        }
    }

    static double meanMillis(HttpClient http, String base, String authorization, int calls) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/documents")).header("Authorization", authorization)
                .build();
        for (int i = 0; i < 5; i++) {
            assertThat(http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            assertThat(http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        }
        return (System.nanoTime() - t0) / 1e6 / calls;
    }
}
