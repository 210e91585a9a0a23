package org.evault.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The load client's HTTP side: one JDK {@link HttpClient} (HTTP/1.1, keep-alive connections
 * pooled and reused by the worker threads) that trusts only the deployments' CA certificates,
 * and the few requests the harness makes of a gateway and of nginx.
 */
final class Http {
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern BODY = Pattern.compile("\"body\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern SIGNATURE = Pattern.compile("\"signature\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    final HttpClient client;

    Http(List<Path> caFiles) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        int k = 0;
        for (Path ca : caFiles) {
            try (InputStream in = Files.newInputStream(ca)) {
                for (Certificate c : cf.generateCertificates(in)) {
                    trust.setCertificateEntry("ca-" + k++, c);
                }
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    static BodyPublisher seeded(long seed, long length) {
        return BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> SeededBytes.stream(seed, length)), length);
    }

    /** Reads and checks a streamed answer; the status must be {@code expected}. */
    HttpResponse<InputStream> sendStreaming(HttpRequest request, int expected) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = client.send(request, BodyHandlers.ofInputStream());
        if (r.statusCode() != expected) {
            String body;
            try (InputStream in = r.body()) {
                body = new String(in.readNBytes(500), StandardCharsets.UTF_8);
            }
            throw new IOException(request.method() + " " + request.uri() + ": " + r.statusCode() + " " + body);
        }
        return r;
    }

    HttpResponse<byte[]> send(HttpRequest request, int expected) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = client.send(request, BodyHandlers.ofByteArray());
        if (r.statusCode() != expected) {
            throw new IOException(request.method() + " " + request.uri() + ": " + r.statusCode() + " "
                    + new String(r.body(), 0, Math.min(500, r.body().length), StandardCharsets.UTF_8));
        }
        return r;
    }

    static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT);
    }

    /** One gateway, logged in as one user. */
    final class Vault {
        final String label;
        private final String base;
        private final String user;
        private final String password;
        private final java.util.concurrent.atomic.AtomicLong deposits = new java.util.concurrent.atomic.AtomicLong();
        private volatile String authorization;
        private String authMode;
        private PublicKey vaultKey;

        Vault(String label, String base, String user, String password) {
            this.label = label;
            this.base = base;
            this.user = user;
            this.password = password;
        }

        /** Registers the user and gets a bearer token (contract 2); Basic if the gateway has no tokens (404). */
        void registerAndLogin() throws IOException, InterruptedException, GeneralSecurityException {
            String json = "{\"userId\":\"" + user + "\",\"password\":\"" + password + "\",\"name\":\"Load Client\","
                    + "\"address\":\"loopback\",\"phone\":\"0\",\"email\":\"load@example.org\"}";
            send(request(URI.create(base + "/api/v1/register")).header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString(json)).build(), 201);
            login();
            String pem = new String(send(request(URI.create(base + "/api/v1/vault/public-key.pem")).GET().build(), 200)
                    .body(), StandardCharsets.US_ASCII);
            String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            vaultKey = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
        }

        private void login() throws IOException, InterruptedException {
            String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            HttpResponse<byte[]> r = client.send(request(URI.create(base + "/api/v1/tokens")).header("Authorization", basic)
                    .POST(BodyPublishers.noBody()).build(), BodyHandlers.ofByteArray());
            if (r.statusCode() == 201) {
                Matcher m = TOKEN.matcher(new String(r.body(), StandardCharsets.UTF_8));
                if (!m.find()) {
                    throw new IOException("POST /api/v1/tokens: 201 without a token");
                }
                authorization = "Bearer " + m.group(1);
                authMode = "bearer";
            } else if (r.statusCode() == 404 || r.statusCode() == 405) {
                authorization = basic;
                authMode = "basic";
            } else {
                throw new IOException("POST /api/v1/tokens: " + r.statusCode());
            }
        }

        String authMode() {
            return authMode;
        }

        private URI document(String name) {
            return URI.create(base + "/api/v1/documents/" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        }

        /** Deposits a small document held in memory; checks the receipt's signature. */
        void deposit(String name, byte[] document) throws IOException, InterruptedException, GeneralSecurityException {
            HttpResponse<byte[]> r = send(request(document(name)).header("Authorization", authorization)
                    .header("Content-Type", "application/octet-stream").POST(BodyPublishers.ofByteArray(document)).build(), 201);
            checkReceipt(r.body());
        }

        /** Deposits a document streamed from its seed; checks the receipt's signature. */
        void deposit(String name, long seed, long length) throws IOException, InterruptedException, GeneralSecurityException {
            HttpResponse<byte[]> r = send(request(document(name)).header("Authorization", authorization)
                    .header("Content-Type", "application/octet-stream").POST(seeded(seed, length)).build(), 201);
            checkReceipt(r.body());
        }

        /** Deposits answered with a receipt so far. */
        long deposits() {
            return deposits.get();
        }

        private void checkReceipt(byte[] json) throws GeneralSecurityException, IOException {
            String s = new String(json, StandardCharsets.UTF_8);
            Matcher body = BODY.matcher(s);
            Matcher sig = SIGNATURE.matcher(s);
            if (!body.find() || !sig.find()) {
                throw new IOException("deposit answered without a receipt: " + s);
            }
            Signature v = Signature.getInstance("SHA256withRSA");
            v.initVerify(vaultKey);
            v.update(Base64.getDecoder().decode(body.group(1)));
            if (!v.verify(Base64.getDecoder().decode(sig.group(1)))) {
                throw new IOException("receipt signature does not verify");
            }
            deposits.incrementAndGet();
        }

        /** Retrieves a small document whole. */
        byte[] retrieve(String name) throws IOException, InterruptedException {
            return send(request(document(name)).header("Authorization", authorization).GET().build(), 200).body();
        }

        /** Retrieves a document as a stream, checking every byte against its seed; returns the length. */
        long retrieve(String name, long seed, long length) throws IOException, InterruptedException {
            HttpResponse<InputStream> r = sendStreaming(request(document(name)).header("Authorization", authorization)
                    .GET().build(), 200);
            try (InputStream in = r.body()) {
                long got = SeededBytes.check(seed, length, in);
                if (got != length) {
                    throw new IOException("retrieved " + got + " of " + length + " bytes");
                }
                return got;
            }
        }
    }

    /** nginx's upload (WebDAV PUT) and download of static files, the floor. */
    final class Nginx {
        private final String base;

        Nginx(String base) {
            this.base = base;
        }

        void upload(String name, long seed, long length) throws IOException, InterruptedException {
            send(request(URI.create(base + "/" + name)).header("Content-Type", "application/octet-stream")
                    .PUT(seeded(seed, length)).build(), 201);
        }

        long download(String name, long seed, long length) throws IOException, InterruptedException {
            HttpResponse<InputStream> r = sendStreaming(request(URI.create(base + "/" + name)).GET().build(), 200);
            try (InputStream in = r.body()) {
                long got = SeededBytes.check(seed, length, in);
                if (got != length) {
                    throw new IOException("downloaded " + got + " of " + length + " bytes");
                }
                return got;
            }
        }

        void delete(String name) throws IOException, InterruptedException {
            send(request(URI.create(base + "/" + name)).DELETE().build(), 204);
        }
    }
}
