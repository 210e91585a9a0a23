package org.evault.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLSocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.evault.gateway.db.DerbyMetadataStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML pages and their security over real HTTPS (trusting only the deployment CA), with real
 * daemon processes (n = 3): sessions, CSRF, the streamed form upload, owner checks, error pages.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebPagesTest {
    static final long LIMIT = 1L << 20;
    static final String ALICE_PW = "alice password 1";
    static final String BOB_PW = "bob password 22";
    static final String COOKIE = "__Host-evault-session";
    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    static final Pattern RECEIPT = Pattern.compile("<pre id=\"evault-receipt\">([^<]*)</pre>");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static TestGateway gateway;
    static RunningVault vault;
    static VaultClient client;
    static DerbyMetadataStore store;
    static GatewayServer server;
    static HttpClient http;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start(dir, "web-test", c -> c.withMaxDocumentBytes(LIMIT));
        vault = gateway.vault;
        client = gateway.client;
        store = gateway.store;
        server = gateway.server;
        base = gateway.origin();
        http = gateway.http();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** A minimal browser: one session cookie, pages as text. */
    static final class Visitor {
        final HttpClient http;
        final String base;
        String session;

        Visitor(HttpClient http, String base) {
            this.http = http;
            this.base = base;
        }

        Visitor() {
            this(WebPagesTest.http, WebPagesTest.base);
        }

        HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
            if (session != null) {
                b.header("Cookie", COOKIE + "=" + session);
            }
            HttpResponse<byte[]> r = http.send(b.timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            for (String c : r.headers().allValues("Set-Cookie")) {
                if (c.startsWith(COOKIE + "=")) {
                    String v = c.substring(COOKIE.length() + 1, c.indexOf(';'));
                    session = v.isEmpty() ? null : v;
                }
            }
            return r;
        }

        HttpResponse<byte[]> get(String path) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(base + path)));
        }

        HttpResponse<byte[]> postForm(String path, String... keyValues) throws Exception {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < keyValues.length; i += 2) {
                b.append(i == 0 ? "" : "&").append(java.net.URLEncoder.encode(keyValues[i], StandardCharsets.UTF_8))
                        .append('=').append(java.net.URLEncoder.encode(keyValues[i + 1], StandardCharsets.UTF_8));
            }
            return send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(b.toString())));
        }

        HttpResponse<byte[]> postMultipart(String path, byte[] body) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        }

        String csrf(String page) throws Exception {
            Matcher m = CSRF.matcher(text(get(page)));
            assertThat(m.find()).as("CSRF field on " + page).isTrue();
            return m.group(1);
        }

        void login(String user, String password) throws Exception {
            HttpResponse<byte[]> r = postForm("/login", "csrf", csrf("/login"), "userId", user, "password", password);
            assertThat(r.statusCode()).isEqualTo(303);
            assertThat(r.headers().firstValue("Location")).contains("/documents");
        }
    }

    static final String BOUNDARY = "----evaultTestBoundary7MA4YWxkTrZu0gW";

    static byte[] multipart(String csrf, String filename, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (csrf != null) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    static void assertNoStackTrace(HttpResponse<byte[]> r) {
        assertThat(text(r)).doesNotContain("at org.").doesNotContain("Exception").doesNotContain("jetty");
    }

    static Visitor alice;
    static Visitor bob;

    @Test
    @Order(1)
    void firstVisit_sessionCookieAttributes_securityHeaders() throws Exception {
        Visitor v = new Visitor();
        HttpResponse<byte[]> r = v.get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        String cookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(COOKIE)).findFirst()
                .orElseThrow();
        assertThat(cookie).matches(COOKIE + "=[A-Za-z0-9_-]{43}; .*");
        assertThat(cookie).contains("; Path=/").contains("; Secure").contains("; HttpOnly").contains("; SameSite=Strict")
                .doesNotContainIgnoringCase("Domain");
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v2 ->
                assertThat(v2).contains("default-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(r.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(r.headers().firstValue("Strict-Transport-Security")).isPresent();
        assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(text(r)).contains("<form method=\"post\" action=\"/login\"");
        HttpResponse<byte[]> css = v.get("/static/evault.css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
    }

    /** Contract 4: the registration page carries the vault key; registering needs the form's token. */
    @Test
    @Order(2)
    void register_embedsVaultKey_needsCsrf() throws Exception {
        Visitor v = new Visitor();
        String page = text(v.get("/register"));
        assertThat(page).contains("<pre id=\"vault-public-key\">" + client.publicKey().toPem() + "</pre>");
        for (String field : List.of("name", "address", "phone", "email", "userId", "password")) {
            assertThat(page).contains("name=\"" + field + "\"");
        }
        String csrf = v.csrf("/register");
        String[] fields = {"name", "Alice <b>Example</b>", "address", "1 Main St", "phone", "+1 555 0100", "email",
            "alice@example.org", "userId", "alice", "password", ALICE_PW};
        HttpResponse<byte[]> missing = v.postForm("/register", fields);
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(store.findAccount("alice")).isEmpty();
        HttpResponse<byte[]> wrong = v.postForm("/register", concat(new String[] {"csrf", csrf + "x"}, fields));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(store.findAccount("alice")).isEmpty();
        HttpResponse<byte[]> ok = v.postForm("/register", concat(new String[] {"csrf", csrf}, fields));
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(ok.headers().firstValue("Location")).contains("/login?registered=1");
        assertThat(store.findAccount("alice")).isPresent();
        // A refused registration shows the form again with the values escaped.
        HttpResponse<byte[]> taken = v.postForm("/register", concat(new String[] {"csrf", csrf}, fields));
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(text(taken)).contains("Alice &lt;b&gt;Example&lt;/b&gt;").doesNotContain("<b>Example");

        Visitor b = new Visitor();
        assertThat(b.postForm("/register", "csrf", b.csrf("/register"), "name", "Bob", "address", "2 Main St", "phone",
                "1", "email", "bob@example.org", "userId", "bob", "password", BOB_PW).statusCode()).isEqualTo(303);
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The login form after repeated wrong passwords: a 429 page saying when to try again, no session. */
    @Test
    @Order(3)
    void login_repeatedWrongPasswords_429Page_withRetryAfter() throws Exception {
        Visitor v = new Visitor();
        HttpResponse<byte[]> last = null;
        for (int i = 0; i <= LoginThrottle.DEFAULT_MAX_PER_USER; i++) {
            last = v.postForm("/login", "csrf", v.csrf("/login"), "userId", "nobody-" + "guessed", "password", "guess " + i);
        }
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After")).isPresent();
        assertThat(text(last)).contains("Too many failed logins; try again in");
        assertNoStackTrace(last);
        assertThat(v.get("/documents").statusCode()).isEqualTo(303);
    }

    @Test
    @Order(3)
    void login_wrongPassword_401_thenRightOne_newSessionId() throws Exception {
        Visitor v = new Visitor();
        String csrf = v.csrf("/login");
        String anonymous = v.session;
        HttpResponse<byte[]> wrong = v.postForm("/login", "csrf", csrf, "userId", "alice", "password", "not it at all");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(text(wrong)).contains("Wrong user id or password");
        assertThat(v.get("/documents").statusCode()).isEqualTo(303);
        assertThat(v.postForm("/login", "userId", "alice", "password", ALICE_PW).statusCode()).isEqualTo(403);

        v.login("alice", ALICE_PW);
        assertThat(v.session).isNotEqualTo(anonymous);
        assertThat(v.get("/documents").statusCode()).isEqualTo(200);
        // The id from before the login is worthless now (no session fixation).
        Visitor planted = new Visitor();
        planted.session = anonymous;
        assertThat(planted.get("/documents").statusCode()).isEqualTo(303);
        alice = v;
        bob = new Visitor();
        bob.login("bob", BOB_PW);
    }

    @Test
    @Order(4)
    void deposit_form_receiptVerifies_downloadMatches() throws Exception {
        byte[] doc = TestData.bytes(300_000, 11);
        String name = "résumé \"final\".txt";
        // As browsers send it: '"' as %22.
        HttpResponse<byte[]> r = alice.postMultipart("/deposit", multipart(alice.csrf("/deposit"),
                "résumé %22final%22.txt", doc));
        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        String page = text(r);
        assertThat(page).contains("id=\"receipt-signers\">daemons 1, 2, 3");
        Matcher m = RECEIPT.matcher(page);
        assertThat(m.find()).isTrue();
        JsonNode receipt = JSON.readTree(unescape(m.group(1)));
        assertThat(receipt.get("name").asText()).isEqualTo(name);
        byte[] body = Base64.getDecoder().decode(receipt.get("body").asText());
        Signature jca = Signature.getInstance("SHA256withRSA");
        jca.initVerify(client.publicKey().toJca());
        jca.update(body);
        assertThat(jca.verify(Base64.getDecoder().decode(receipt.get("signature").asText()))).isTrue();
        assertThat(page).contains(java.util.HexFormat.of().formatHex(TestData.sha256(doc)));

        // The same receipt JSON on the receipt page and from the API.
        String receiptPage = text(alice.get("/documents/r%C3%A9sum%C3%A9%20%22final%22.txt/receipt?version=1"));
        Matcher m2 = RECEIPT.matcher(receiptPage);
        assertThat(m2.find()).isTrue();
        assertThat(m2.group(1)).isEqualTo(m.group(1));

        HttpResponse<byte[]> list = alice.get("/documents");
        assertThat(text(list)).contains("résumé &quot;final&quot;.txt")
                .contains("/documents/r%C3%A9sum%C3%A9%20%22final%22.txt/download?version=1");
        HttpResponse<byte[]> download = alice.get("/documents/r%C3%A9sum%C3%A9%20%22final%22.txt/download?version=1");
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(doc);
        assertThat(download.headers().firstValue("Content-Disposition")).contains(
                "attachment; filename=\"r_sum_ _final_.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.txt");
    }

    @Test
    @Order(5)
    void csrf_missingWrongOrLate_on_deposit_403_nothingStored() throws Exception {
        int before = store.listDocuments("alice").size();
        byte[] doc = "secret".getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> missing = alice.postMultipart("/deposit", multipart(null, "a.txt", doc));
        assertThat(missing.statusCode()).isEqualTo(403);
        assertNoStackTrace(missing);
        HttpResponse<byte[]> wrong = alice.postMultipart("/deposit", multipart(bob.csrf("/deposit"), "a.txt", doc));
        assertThat(wrong.statusCode()).isEqualTo(403);
        // The token after the file is refused too: it must come first.
        String late = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nx\r\n--"
                + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + alice.csrf("/deposit") + "\r\n--"
                + BOUNDARY + "--\r\n";
        assertThat(alice.postMultipart("/deposit", late.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(403);
        // Logging out elsewhere is a state change too.
        assertThat(alice.postForm("/logout", "csrf", "nope").statusCode()).isEqualTo(403);
        assertThat(alice.get("/documents").statusCode()).isEqualTo(200);
        assertThat(store.listDocuments("alice")).hasSize(before);
    }

    /** Another user's document is not found, through the pages and through the API. */
    @Test
    @Order(6)
    void otherUsersDocument_404_pagesAndApi() throws Exception {
        String doc = "/documents/r%C3%A9sum%C3%A9%20%22final%22.txt";
        HttpResponse<byte[]> receipt = bob.get(doc + "/receipt?version=1");
        assertThat(receipt.statusCode()).isEqualTo(404);
        assertThat(text(receipt)).doesNotContain("evault-receipt");
        HttpResponse<byte[]> download = bob.get(doc + "/download?version=1");
        assertThat(download.statusCode()).isEqualTo(404);
        assertThat(download.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("text/html"));
        assertThat(text(bob.get("/documents"))).contains("No documents yet").doesNotContain("sum");
        HttpResponse<byte[]> api = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1" + doc))
                .header("Authorization", GatewayApiTest.basic("bob", BOB_PW)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(api.statusCode()).isEqualTo(404);
    }

    @Test
    @Order(7)
    void oversized_413_nothingStored() throws Exception {
        int before = store.listDocuments("alice").size();
        // Declared too large: refused before a byte of the body is read.
        try (SSLSocket s = (SSLSocket) TestGateway.trusting(vault.config().caFile()).getSocketFactory()
                .createSocket("localhost", server.port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("POST /deposit HTTP/1.1\r\nHost: localhost\r\nCookie: " + COOKIE + "="
                    + alice.session + "\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY
                    + "\r\nContent-Length: " + (LIMIT * 2) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertThat(new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 413");
        }
        // Length unknown (chunked): refused when the file passes the limit while streaming.
        byte[] big = multipart(alice.csrf("/deposit"), "big.bin", TestData.bytes((int) LIMIT + 1, 5));
        HttpResponse<byte[]> r = alice.send(HttpRequest.newBuilder(URI.create(base + "/deposit"))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(text(r)).contains("Too large");
        assertNoStackTrace(r);
        assertThat(store.listDocuments("alice")).hasSize(before);
    }

    @Test
    @Order(8)
    void malformedMultipart_400_nothingStored() throws Exception {
        int before = store.listDocuments("alice").size();
        byte[] whole = multipart(alice.csrf("/deposit"), "cut.bin", TestData.bytes(100_000, 6));
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 20);
        HttpResponse<byte[]> truncated = alice.postMultipart("/deposit", cut);
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(text(truncated)).contains("nothing was stored");
        HttpResponse<byte[]> garbage = alice.postMultipart("/deposit", "this is not multipart".getBytes(
                StandardCharsets.US_ASCII));
        assertThat(garbage.statusCode()).isEqualTo(400);
        HttpResponse<byte[]> noBoundary = alice.send(HttpRequest.newBuilder(URI.create(base + "/deposit"))
                .header("Content-Type", "multipart/form-data").POST(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(noBoundary.statusCode()).isEqualTo(400);
        assertNoStackTrace(noBoundary);
        assertThat(store.listDocuments("alice")).hasSize(before);
        assertThat(store.auditLog("alice", 10)).anySatisfy(e -> assertThat(e.outcome()).isEqualTo("failed"));
    }

    /** A connection that dies mid-upload stores nothing either. */
    @Test
    @Order(9)
    void connectionDroppedMidUpload_nothingStored() throws Exception {
        int before = store.listDocuments("alice").size();
        long failuresBefore = failures();
        byte[] whole = multipart(alice.csrf("/deposit"), "dropped.bin", TestData.bytes(200_000, 8));
        try (SSLSocket s = (SSLSocket) TestGateway.trusting(vault.config().caFile()).getSocketFactory()
                .createSocket("localhost", server.port())) {
            s.getOutputStream().write(("POST /deposit HTTP/1.1\r\nHost: localhost\r\nCookie: " + COOKIE + "="
                    + alice.session + "\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY
                    + "\r\nContent-Length: " + whole.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(whole, 0, whole.length / 2);
            s.getOutputStream().flush();
        }
        Instant deadline = Instant.now().plusSeconds(60);
        while (failures() == failuresBefore) {
            assertThat(Instant.now()).as("the gateway notices the dropped upload").isBefore(deadline);
            Thread.onSpinWait();
        }
        assertThat(store.listDocuments("alice")).hasSize(before);
    }

    static long failures() {
        return store.auditLog("alice", 1000).stream().filter(e -> e.action().equals("deposit")
                && e.outcome().equals("failed")).count();
    }

    @Test
    @Order(10)
    void pathCharactersInFileNames() throws Exception {
        byte[] doc = "x".getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> unix = alice.postMultipart("/deposit", multipart(alice.csrf("/deposit"), "../../etc/passwd",
                doc));
        assertThat(unix.statusCode()).isEqualTo(200);
        assertThat(store.findDocument("alice", "passwd", null)).isPresent();
        HttpResponse<byte[]> windows = alice.postMultipart("/deposit", multipart(alice.csrf("/deposit"),
                "C:\\Users\\a\\report.pdf", doc));
        assertThat(windows.statusCode()).isEqualTo(200);
        assertThat(store.findDocument("alice", "report.pdf", null)).isPresent();
        int before = store.listDocuments("alice").size();
        for (String bad : List.of("..", "a/..", "..\\..", "", "a\u0001b", "tab\there", "x/", "cr%0Dlf%0A")) {
            HttpResponse<byte[]> r = alice.postMultipart("/deposit", multipart(alice.csrf("/deposit"), bad, doc));
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertNoStackTrace(r);
        }
        assertThat(store.listDocuments("alice")).hasSize(before);
    }

    @Test
    @Order(11)
    void errorPages_clear_noStackTrace() throws Exception {
        Visitor v = new Visitor();
        HttpResponse<byte[]> missing = v.get("/no/such/page");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(text(missing)).contains("<h1>Not found</h1>");
        assertNoStackTrace(missing);
        HttpResponse<byte[]> badName = alice.get("/documents/a%01b/receipt");
        assertThat(badName.statusCode()).isEqualTo(400);
        assertNoStackTrace(badName);
        HttpResponse<byte[]> badVersion = alice.get("/documents/passwd/receipt?version=zero");
        assertThat(badVersion.statusCode()).isEqualTo(400);
        // Jetty's own refusals (an ambiguous path) are pages too, or JSON under /api.
        HttpResponse<byte[]> ambiguous = v.get("/documents/a%2Fb/receipt");
        assertThat(ambiguous.statusCode()).isEqualTo(400);
        assertThat(text(ambiguous)).contains("<!DOCTYPE html>");
        assertNoStackTrace(ambiguous);
        HttpResponse<byte[]> apiAmbiguous = v.get("/api/v1/documents/a%2Fb");
        assertThat(apiAmbiguous.statusCode()).isEqualTo(400);
        assertThat(text(apiAmbiguous)).startsWith("{\"error\":\"bad_request\"");
        HttpResponse<byte[]> put = v.send(HttpRequest.newBuilder(URI.create(base + "/documents"))
                .PUT(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(put.statusCode()).isEqualTo(405);
        assertNoStackTrace(put);
        // Pages that need a login send the visitor there.
        assertThat(v.get("/deposit").headers().firstValue("Location")).contains("/login");
    }

    /** A link from another site arrives without the Strict cookie: reload same-site, keep the session. */
    @Test
    @Order(12)
    void crossSiteLink_reloadsInsteadOfReplacingTheSession() throws Exception {
        Visitor stranger = new Visitor();
        HttpResponse<byte[]> r = stranger.send(HttpRequest.newBuilder(URI.create(base
                + "/documents/passwd/receipt?version=1")).header("Sec-Fetch-Site", "cross-site"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(text(r)).contains("<meta http-equiv=\"refresh\" content=\"0; url=/documents/passwd/receipt?version=1\">");
        // The reload is same-origin and carries the cookie: the logged-in user sees the page.
        HttpResponse<byte[]> reload = alice.send(HttpRequest.newBuilder(URI.create(base
                + "/documents/passwd/receipt?version=1")).header("Sec-Fetch-Site", "same-origin"));
        assertThat(reload.statusCode()).isEqualTo(200);
        assertThat(text(reload)).contains("evault-receipt");
    }

    @Test
    @Order(13)
    void logout_invalidatesSession() throws Exception {
        String old = alice.session;
        String csrf = alice.csrf("/documents");
        HttpResponse<byte[]> out = alice.postForm("/logout", "csrf", csrf);
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith(COOKIE + "=;")
                .contains("Max-Age=0"));
        Visitor replay = new Visitor();
        replay.session = old;
        assertThat(replay.get("/documents").statusCode()).isEqualTo(303);
        assertThat(replay.postMultipart("/deposit", multipart(csrf, "after.txt", new byte[] {1})).statusCode())
                .isEqualTo(403);
        assertThat(store.findDocument("alice", "after.txt", null)).isEmpty();
    }
}
