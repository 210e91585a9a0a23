package org.evault.system;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The gateway's JSON API (docs/api.md) as a client sees it: HTTPS with the JDK's HttpClient trusting
 * only the deployment's {@code ca.pem} (host name checked), as one user: HTTP Basic, or a bearer
 * token once {@link #useBearerTokenIfOffered()} got one.
 * Documents go up and come down as streams; only their SHA-256 and length are kept.
 */
final class GatewayHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final URI base;
    private final HttpClient client;
    private volatile String authorization;

    GatewayHttp(URI base, Path caPem, String user, String password) throws Exception {
        this.base = base;
        this.client = HttpClient.newBuilder().sslContext(trusting(caPem)).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("evault-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    /** An answer with a small body (JSON or PEM). */
    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }
    }

    /** A deposit's answer and what was actually sent: the SHA-256 and length of the streamed bytes. */
    record Deposit(Reply reply, byte[] sentSha256, long sentBytes) {
    }

    /** A retrieval: the status, and for 200 the streamed body's SHA-256 and length; else the error body. */
    record Retrieved(int status, byte[] sha256, long length, String error) {
    }

    /** Registers {@code user} (no authentication needed); 201 on success. */
    Reply register(String user, String password) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("userId", user, "password", password, "name", "System Test " + user,
                "address", "1 Test Road", "phone", "+1 555 0100", "email", user + "@example.org"));
        return send(HttpRequest.newBuilder(base.resolve("/api/v1/register")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(TIMEOUT).build());
    }

    /**
     * Trades the password for a bearer token ({@code POST /api/v1/tokens}, contract 2) where the
     * gateway offers them, and uses it from then on; a gateway without tokens answers 404 and the
     * client keeps using Basic. Returns whether a token is now in use.
     */
    boolean useBearerTokenIfOffered() throws IOException, InterruptedException {
        Reply r = send(authorized(base.resolve("/api/v1/tokens")).POST(HttpRequest.BodyPublishers.noBody()).build());
        if (r.status() == 404) {
            return false;
        }
        if (r.status() != 201) {
            throw new AssertionError("POST /api/v1/tokens answered " + r.status() + ": " + r.body());
        }
        authorization = "Bearer " + r.json().get("token").asText();
        return true;
    }

    /** Streams {@code document} as the raw body of {@code POST /api/v1/documents/{name}} with its Content-Length. */
    Deposit deposit(SeededDocument document) throws Exception {
        return deposit(document, Midway.NONE);
    }

    /** Something to do once a given number of the document's bytes have gone by (e.g. kill a daemon). */
    record Midway(long atByte, Action action) {
        static final Midway NONE = new Midway(Long.MAX_VALUE, () -> { });

        interface Action {
            void run() throws Exception;
        }
    }

    /**
     * As {@link #deposit(SeededDocument)}, running {@code midway}'s action in the sending thread once
     * the HTTP client has read that many bytes of the document (the upload waits for it).
     */
    Deposit deposit(SeededDocument document, Midway midway) throws Exception {
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        long[] count = new long[1];
        HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(
                () -> new DigestInputStream(new CountingInputStream(document.open(), count, midway), sent));
        // fromPublisher refuses a length of 0; an empty document is an empty array (and an empty digest).
        HttpRequest.BodyPublisher body = document.size() == 0 ? HttpRequest.BodyPublishers.ofByteArray(new byte[0])
                : HttpRequest.BodyPublishers.fromPublisher(stream, document.size());
        HttpRequest request = authorized(documentUri(document.name(), ""))
                .header("Content-Type", "application/octet-stream").POST(body).build();
        Reply reply = send(request);
        return new Deposit(reply, sent.digest(), count[0]);
    }

    /** {@code GET /api/v1/documents/{name}}, the body hashed as it streams in. */
    Retrieved retrieve(String name) throws Exception {
        return retrieve(name, Midway.NONE);
    }

    /**
     * As {@link #retrieve(String)}, running {@code midway}'s action once that many bytes came in
     * (the gateway is held back meanwhile: the client reads no further). A body that breaks off
     * counts as what arrived: the length then falls short.
     */
    Retrieved retrieve(String name, Midway midway) throws Exception {
        HttpResponse<InputStream> r = client.send(authorized(documentUri(name, "")).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                return new Retrieved(r.statusCode(), null, -1, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            MessageDigest got = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            long length = 0;
            boolean midwayDone = false;
            try {
                // Until the midway action ran, read no further than its byte, so it runs exactly there.
                for (int k; (k = in.read(buffer, 0, midwayDone ? buffer.length
                        : (int) Math.min(buffer.length, midway.atByte() - length))) >= 0; ) {
                    got.update(buffer, 0, k);
                    length += k;
                    if (!midwayDone && length >= midway.atByte()) {
                        midwayDone = true;
                        midway.action().run();
                    }
                }
            } catch (IOException e) {
                return new Retrieved(200, got.digest(), length, "the body broke off after " + length + " bytes: " + e);
            }
            return new Retrieved(200, got.digest(), length, null);
        }
    }

    Reply receipt(String name) throws IOException, InterruptedException {
        return send(authorized(documentUri(name, "/receipt")).GET().build());
    }

    Reply list() throws IOException, InterruptedException {
        return send(authorized(base.resolve("/api/v1/documents")).GET().build());
    }

    /** The vault public key as PEM (no authentication). */
    Reply publicKeyPem() throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve("/api/v1/vault/public-key.pem")).GET().timeout(TIMEOUT).build());
    }

    private URI documentUri(String name, String suffix) {
        return base.resolve("/api/v1/documents/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")
                + suffix);
    }

    private HttpRequest.Builder authorized(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", authorization).timeout(TIMEOUT);
    }

    private Reply send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Reply(r.statusCode(), r.body());
    }

    /** Counts what the HTTP client actually read from the document, and runs the midway action on time. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private final long[] count;
        private final Midway midway;
        private boolean midwayDone;

        CountingInputStream(InputStream in, long[] count, Midway midway) {
            super(in);
            this.count = count;
            this.midway = midway;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (!midwayDone && count[0] >= midway.atByte()) {
                midwayDone = true;
                try {
                    midway.action().run();
                } catch (IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IOException("midway action failed", e);
                }
            }
            int limit = midwayDone ? len : (int) Math.max(1, Math.min(len, midway.atByte() - count[0]));
            int k = super.read(b, off, limit);
            if (k > 0) {
                count[0] += k;
            }
            return k;
        }
    }
}
