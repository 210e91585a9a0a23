package org.evault.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.evault.gateway.db.AuditEntry;
import org.evault.gateway.db.DerbyMetadataStore;
import org.evault.protocol.receipt.ReceiptBody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The JSON API end to end: real HTTPS (trusting only the deployment's CA), real daemon processes (n = 3). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayApiTest {
    static final long LIMIT = 3L << 20;
    static final String ALICE_PW = "alice password 1";
    static final String BOB_PW = "bob password 22";

    @TempDir
    static Path dir;
    static TestGateway gateway;
    static RunningVault vault;
    static VaultClient client;
    static DerbyMetadataStore store;
    static GatewayServer server;
    static HttpClient http;
    static String base;
    static final ObjectMapper JSON = new ObjectMapper();
    static byte[] v1 = TestData.bytes(1 << 20, 1);
    static byte[] v2 = TestData.bytes(70_001, 2);

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start(dir, "api-test", c -> c.withMaxDocumentBytes(LIMIT).withHttpPort(0));
        vault = gateway.vault;
        client = gateway.client;
        store = gateway.store;
        server = gateway.server;
        base = gateway.origin() + "/api/v1";
        http = gateway.http();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static HttpRequest.Builder request(String path, String user, String password) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
        return user == null ? b : b.header("Authorization", basic(user, password));
    }

    static HttpResponse<byte[]> send(HttpRequest r) throws Exception {
        return http.send(r, HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith(
                "application/json"));
        return JSON.readTree(r.body());
    }

    static HttpResponse<byte[]> register(String user, String password) throws Exception {
        String body = JSON.writeValueAsString(Map.of("userId", user, "password", password, "name", user + " Example",
                "address", "1 Main St", "phone", "+1 555 0100", "email", user + "@example.org"));
        return send(request("/register", null, null).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<byte[]> deposit(String user, String pw, String name, byte[] doc) throws Exception {
        return send(request("/documents/" + name, user, pw).POST(HttpRequest.BodyPublishers.ofByteArray(doc)).build());
    }

    @Test
    @Order(1)
    void register_twoUsers_duplicateRefused() throws Exception {
        assertThat(register("alice", ALICE_PW).statusCode()).isEqualTo(201);
        assertThat(register("bob", BOB_PW).statusCode()).isEqualTo(201);
        HttpResponse<byte[]> again = register("alice", "another password");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).get("error").asText()).isEqualTo("user_exists");
        HttpResponse<byte[]> weak = register("carol", "short");
        assertThat(weak.statusCode()).isEqualTo(400);
        assertThat(store.findAccount("alice").orElseThrow().passwordHash()).doesNotContain(ALICE_PW);
    }

    @Test
    @Order(2)
    void publicKey_isTheVaultPem_withHsts() throws Exception {
        HttpResponse<byte[]> r = send(request("/vault/public-key.pem", null, null).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.US_ASCII)).isEqualTo(client.publicKey().toPem());
        assertThat(r.headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(v ->
                assertThat(v).contains("max-age="));
    }

    @Test
    @Order(2)
    void plainHttp_redirectsToHttps() throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:"
                + server.httpPort() + "/api/v1/vault/public-key.pem")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isBetween(301, 308);
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(v -> assertThat(v).isEqualTo(
                "https://localhost:" + server.port() + "/api/v1/vault/public-key.pem"));
    }

    @Test
    @Order(3)
    void deposit_receiptVerifies_withJcaAndOpenssl() throws Exception {
        HttpResponse<byte[]> r = deposit("alice", ALICE_PW, "notes.txt", v1);
        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode receipt = json(r);
        assertThat(receipt.get("name").asText()).isEqualTo("notes.txt");
        assertThat(receipt.get("version").asInt()).isEqualTo(1);
        byte[] body = Base64.getDecoder().decode(receipt.get("body").asText());
        byte[] sig = Base64.getDecoder().decode(receipt.get("signature").asText());
        ReceiptBody parsed = ReceiptBody.parse(body);
        assertThat(parsed.owner()).isEqualTo("alice");
        assertThat(parsed.documentId()).isEqualTo(receipt.get("documentId").asText());
        assertThat(parsed.sha256().toBytes()).isEqualTo(TestData.sha256(v1));
        Signature jca = Signature.getInstance("SHA256withRSA");
        jca.initVerify(client.publicKey().toJca());
        jca.update(body);
        assertThat(jca.verify(sig)).isTrue();

        if (onPath("openssl")) {
            Path b = Files.write(dir.resolve("receipt.body"), body);
            Path s = Files.write(dir.resolve("receipt.sig"), sig);
            Path pem = Files.writeString(dir.resolve("vault.pem"), client.publicKey().toPem());
            Process p = new ProcessBuilder("openssl", "dgst", "-sha256", "-verify", pem.toString(), "-signature",
                    s.toString(), b.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("Verified OK");
        }
    }

    static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }

    @Test
    @Order(4)
    void retrieve_versions_andList() throws Exception {
        HttpResponse<byte[]> second = deposit("alice", ALICE_PW, "notes.txt", v2);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(json(second).get("version").asInt()).isEqualTo(2);

        HttpResponse<byte[]> latest = send(request("/documents/notes.txt", "alice", ALICE_PW).build());
        assertThat(latest.statusCode()).isEqualTo(200);
        assertThat(latest.body()).isEqualTo(v2);
        HttpResponse<byte[]> first = send(request("/documents/notes.txt?version=1", "alice", ALICE_PW).build());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo(v1);

        HttpResponse<byte[]> list = send(request("/documents", "alice", ALICE_PW).build());
        JsonNode docs = json(list).get("documents");
        assertThat(docs).hasSize(2);
        assertThat(docs.get(0).get("name").asText()).isEqualTo("notes.txt");
        assertThat(docs.get(1).get("version").asInt()).isEqualTo(2);
        assertThat(docs.get(1).get("size").asLong()).isEqualTo(v2.length);

        HttpResponse<byte[]> receipt = send(request("/documents/notes.txt/receipt?version=1", "alice", ALICE_PW).build());
        assertThat(receipt.statusCode()).isEqualTo(200);
        assertThat(json(receipt).get("version").asInt()).isEqualTo(1);
    }

    @Test
    @Order(5)
    void emptyDocument_and_unicodeName() throws Exception {
        String name = "r%C3%A9sum%C3%A9%20v1.txt";
        assertThat(deposit("alice", ALICE_PW, name, new byte[0]).statusCode()).isEqualTo(201);
        HttpResponse<byte[]> r = send(request("/documents/" + name, "alice", ALICE_PW).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(store.findDocument("alice", "résumé v1.txt", null)).isPresent();
    }

    /** Prevents one user from reading another's document by naming it. */
    @Test
    @Order(6)
    void otherUsersDocument_is404() throws Exception {
        HttpResponse<byte[]> r = send(request("/documents/notes.txt", "bob", BOB_PW).build());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("error").asText()).isEqualTo("not_found");
        assertThat(send(request("/documents/notes.txt/receipt", "bob", BOB_PW).build()).statusCode()).isEqualTo(404);
        assertThat(json(send(request("/documents", "bob", BOB_PW).build())).get("documents")).isEmpty();
        assertThat(send(request("/documents/notes.txt?version=9", "alice", ALICE_PW).build()).statusCode())
                .isEqualTo(404);
    }

    @Test
    @Order(7)
    void wrongPassword_unknownUser_noAuth_are401() throws Exception {
        HttpResponse<byte[]> wrong = send(request("/documents", "alice", "not the password").build());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith(
                "Basic"));
        assertThat(json(wrong).get("error").asText()).isEqualTo("unauthorized");
        assertThat(send(request("/documents", "mallory", "whatever1").build()).statusCode()).isEqualTo(401);
        assertThat(send(request("/documents", null, null).build()).statusCode()).isEqualTo(401);
        assertThat(deposit("alice", "wrong password", "x", new byte[] {1}).statusCode()).isEqualTo(401);
        List<AuditEntry> log = store.auditLog("alice", 20);
        assertThat(log).anySatisfy(e -> assertThat(e.action() + e.outcome()).isEqualTo("logindenied"));
        assertThat(log.toString()).doesNotContain("not the password");
    }

    /** Password guessing: after 5 failures the 6th try is refused unheard (even the right password). */
    @Test
    @Order(7)
    void repeatedWrongPasswords_are429WithRetryAfter_andCostNoHash() throws Exception {
        assertThat(register("guessed", "right password 1").statusCode()).isEqualTo(201);
        for (int i = 0; i < LoginThrottle.DEFAULT_MAX_PER_USER; i++) {
            assertThat(send(request("/documents", "guessed", "guess " + i).build()).statusCode()).isEqualTo(401);
        }
        HttpResponse<byte[]> refused = send(request("/documents", "guessed", "right password 1").build());
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(json(refused).get("error").asText()).isEqualTo("too_many_attempts");
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
                assertThat(Long.parseLong(v)).isBetween(1L, LoginThrottle.DEFAULT_WINDOW.toSeconds()));
        assertThat(store.auditLog(null, 50)).anySatisfy(e -> assertThat(e.detail()).contains("throttled"));
        // Other users from the same address are not locked out by it.
        assertThat(send(request("/documents", "alice", ALICE_PW).build()).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(8)
    void oversized_is413_knownAndUnknownLength_nothingStored() throws Exception {
        byte[] big = TestData.bytes((int) LIMIT + 1, 3);
        // With a known length the gateway answers 413 before reading any of the body (so only the
        // headers are sent here; java.net.http in JDK 17 hangs on an early answer to Expect: 100-continue).
        try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) TestGateway.trusting(vault.config().caFile()).getSocketFactory()
                .createSocket("localhost", server.port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("POST /api/v1/documents/big HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + basic("bob", BOB_PW) + "\r\nContent-Length: " + (LIMIT + 1) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String answer = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 413");
        }
        HttpResponse<byte[]> chunked = send(request("/documents/big", "bob", BOB_PW)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(json(chunked).get("error").asText()).isEqualTo("too_large");
        assertThat(store.listDocuments("bob")).isEmpty();
    }

    /** Prevents path tricks and internals from leaking: bad names are 400s with a JSON body, no stack trace. */
    @Test
    @Order(9)
    void badNamesAndPaths_jsonErrors_noStackTrace() throws Exception {
        for (String path : List.of("/documents/..", "/documents/a%00b", "/nothing-here", "/documents/a%5Cb")) {
            HttpResponse<byte[]> r = send(request(path, "alice", ALICE_PW).build());
            assertThat(r.statusCode()).as(path).isBetween(400, 404);
            String text = new String(r.body(), StandardCharsets.UTF_8);
            assertThat(text).as(path).doesNotContain("at org.").doesNotContain("Exception");
        }
        HttpResponse<byte[]> put = send(request("/documents/x", "alice", ALICE_PW)
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build());
        assertThat(put.statusCode()).isEqualTo(405);
    }

    static HttpRequest.Builder withToken(String path, String token) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + token);
    }

    /** Contract 2: a token from Basic works wherever Basic does, until revoked. */
    @Test
    @Order(10)
    void bearerToken_issueUseRevoke() throws Exception {
        HttpResponse<byte[]> issued = send(request("/tokens", "alice", ALICE_PW)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(issued.statusCode()).isEqualTo(201);
        JsonNode t = json(issued);
        String token = t.get("token").asText();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        java.time.Instant expires = java.time.Instant.parse(t.get("expires").asText());
        assertThat(expires).isBetween(java.time.Instant.now().plus(Duration.ofHours(23)),
                java.time.Instant.now().plus(Duration.ofHours(25)));

        HttpResponse<byte[]> list = send(withToken("/documents", token).build());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json(list).get("documents")).isNotEmpty();
        byte[] doc = TestData.bytes(5000, 7);
        HttpResponse<byte[]> dep = send(withToken("/documents/by-token.bin", token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(doc)).build());
        assertThat(dep.statusCode()).isEqualTo(201);
        assertThat(send(withToken("/documents/by-token.bin", token).build()).body()).isEqualTo(doc);
        // Bob's token does not reach Alice's documents.
        String bobs = json(send(request("/tokens", "bob", BOB_PW).POST(HttpRequest.BodyPublishers.noBody()).build()))
                .get("token").asText();
        assertThat(send(withToken("/documents/by-token.bin", bobs).build()).statusCode()).isEqualTo(404);
        // A token does not mint tokens.
        assertThat(send(withToken("/tokens", token).POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode())
                .isEqualTo(401);

        HttpResponse<byte[]> revoked = send(withToken("/tokens/current", token).DELETE().build());
        assertThat(revoked.statusCode()).isEqualTo(204);
        HttpResponse<byte[]> after = send(withToken("/documents", token).build());
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(after.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v ->
                assertThat(v).startsWith("Bearer").contains("invalid_token"));
        assertThat(send(withToken("/documents", bobs).build()).statusCode()).isEqualTo(200);
        assertThat(send(withToken("/documents", "x".repeat(43)).build()).statusCode()).isEqualTo(401);
        assertThat(send(request("/tokens/current", "alice", ALICE_PW).DELETE().build()).statusCode()).isEqualTo(400);
    }

    /** A browser that cached Basic credentials must not be made to deposit by another site. */
    @Test
    @Order(11)
    void crossSitePost_refused() throws Exception {
        HttpResponse<byte[]> r = send(request("/documents/csrf.txt", "alice", ALICE_PW).header("Origin",
                "https://evil.example").POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(store.findDocument("alice", "csrf.txt", null)).isEmpty();
    }
}
