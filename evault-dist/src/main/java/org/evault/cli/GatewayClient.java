package org.evault.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.evault.ida.Hash256;
import org.evault.threshold.KeyFileException;
import org.evault.threshold.VaultPublicKey;

/**
 * The gateway's JSON API (docs/api.md) from the command line: the JDK's HTTP client over HTTPS,
 * trusting the deployment CA given with {@code --cacert} (host names verified), HTTP Basic
 * authentication. Documents stream from and to files; their SHA-256 is computed on the way,
 * so nothing is ever buffered whole. Failures become {@link CliException}s with the exit code
 * that {@link ExitCodes} gives them and the gateway's own one-line message.
 */
final class GatewayClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SHORT_REQUEST_TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;

    private GatewayClient(URI base, HttpClient http) {
        this.base = base;
        this.http = http;
    }

    /** A user id and password, as the Basic authorization header value. */
    record Credentials(String user, String authorization) {
        static Credentials of(String user, char[] password) {
            if (user.indexOf(':') >= 0) {
                throw new CliException(ExitCodes.USAGE, "a user id cannot contain ':'");
            }
            String pair = user + ":" + new String(password);
            return new Credentials(user, "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public String toString() {
            return "Credentials[" + user + "]";
        }
    }

    /** One document version as the list shows it. */
    record Entry(String name, int version, String documentId, long size, String sha256, String depositTime) {
    }

    /** A deposit's answer: the receipt JSON exactly as sent, and what the client itself sent. */
    record Deposited(String receiptJson, long bytesSent, byte[] sha256Sent) {
    }

    /** A retrieval written to a file, with the version the gateway served and the bytes' SHA-256. */
    record Retrieved(int version, String documentId, long size, byte[] sha256) {
    }

    /**
     * @param gateway the gateway's base URL, https only
     * @param caCertificate PEM certificates to trust (the deployment's ca.pem), or null for the JDK's defaults
     */
    static GatewayClient connect(String gateway, Path caCertificate) {
        URI uri;
        try {
            uri = URI.create(gateway.endsWith("/") ? gateway : gateway + "/");
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "--gateway " + gateway + " is not a URL");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new CliException(ExitCodes.USAGE, "--gateway must be an https:// URL, not " + gateway
                    + " (the gateway serves HTTPS only, and passwords never travel in the clear)");
        }
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER);
        if (caCertificate != null) {
            b.sslContext(trusting(caCertificate));
        }
        return new GatewayClient(uri, b.build());
    }

    /** An SSL context that trusts exactly the certificates in a PEM file (host names are still verified). */
    static SSLContext trusting(Path pem) {
        try {
            Collection<? extends Certificate> certificates;
            try (InputStream in = Files.newInputStream(pem)) {
                certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (certificates.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, "--cacert " + pem + " holds no PEM certificate");
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certificates) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CliException(ExitCodes.USAGE, "--cacert: no such file: " + pem);
        } catch (IOException | GeneralSecurityException e) {
            throw new CliException(ExitCodes.USAGE, "--cacert " + pem + " is not a PEM certificate: " + e.getMessage());
        }
    }

    URI base() {
        return base;
    }

    // ------------------------------------------------------------------ calls

    void register(Map<String, String> account) {
        String body;
        try {
            body = JSON.writeValueAsString(account);
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest request = request("api/v1/register").timeout(SHORT_REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        expectSuccess(send(request, HttpResponse.BodyHandlers.ofString()));
    }

    /** The text at {@code uri} (e.g. a page of the gateway), up to a generous size. */
    String fetch(URI uri) {
        return expectSuccess(send(HttpRequest.newBuilder(uri).timeout(SHORT_REQUEST_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString())).body();
    }

    VaultPublicKey publicKey() {
        HttpResponse<String> r = expectSuccess(send(request("api/v1/vault/public-key.pem").timeout(SHORT_REQUEST_TIMEOUT)
                .GET().build(), HttpResponse.BodyHandlers.ofString()));
        try {
            return VaultPublicKey.fromPem(r.body());
        } catch (KeyFileException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "the gateway's public key is not usable: " + e.getMessage());
        }
    }

    /** Fails with exit code 3 unless the gateway accepts these credentials (one small authenticated request). */
    void checkCredentials(Credentials who) {
        list(who);
    }

    List<Entry> list(Credentials who) {
        HttpResponse<String> r = expectSuccess(send(request("api/v1/documents").timeout(SHORT_REQUEST_TIMEOUT)
                .header("Authorization", who.authorization()).GET().build(), HttpResponse.BodyHandlers.ofString()));
        List<Entry> entries = new ArrayList<>();
        try {
            for (JsonNode d : JSON.readTree(r.body()).path("documents")) {
                entries.add(new Entry(d.path("name").asText(), d.path("version").asInt(), d.path("documentId").asText(),
                        d.path("size").asLong(), d.path("sha256").asText(), d.path("depositTime").asText()));
            }
        } catch (JacksonException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "the gateway's document list is not JSON");
        }
        return entries;
    }

    /** The receipt JSON of a version (the latest if {@code version} is null). */
    String receipt(Credentials who, String name, Integer version) {
        return expectSuccess(send(request(documentPath(name) + "/receipt" + versionQuery(version))
                .timeout(SHORT_REQUEST_TIMEOUT).header("Authorization", who.authorization()).GET().build(),
                HttpResponse.BodyHandlers.ofString())).body();
    }

    /**
     * Sends a file as document {@code name}, streamed from disk, hashing the bytes as they go. The
     * gateway refuses a wrong login before reading the body and closes the connection, which the
     * client may see as a broken upload: call {@link #checkCredentials} first.
     */
    Deposited deposit(Credentials who, String name, Path file) {
        HashingPublisher body;
        try {
            body = new HashingPublisher(HttpRequest.BodyPublishers.ofFile(file));
        } catch (FileNotFoundException e) {
            throw new CliException(ExitCodes.USAGE, "no such file: " + file);
        }
        // No "Expect: 100-continue": JDK 17's client waits forever when the answer is not a 100 (JDK-8286171).
        // Callers check the credentials first instead (checkCredentials), so a wrong password costs no upload.
        HttpRequest request = request(documentPath(name)).header("Authorization", who.authorization())
                .header("Content-Type", "application/octet-stream").POST(body).build();
        HttpResponse<String> r = expectSuccess(send(request, HttpResponse.BodyHandlers.ofString()));
        return new Deposited(r.body(), body.count, body.digest.digest());
    }

    /** Streams a version (the latest if {@code version} is null) into {@code target}, hashing it on the way. */
    Retrieved retrieve(Credentials who, String name, Integer version, Path target) {
        HttpRequest request = request(documentPath(name) + versionQuery(version)).header("Authorization", who.authorization())
                .GET().build();
        HashingSubscriber[] file = new HashingSubscriber[1];
        HttpResponse<String> r = send(request, info -> {
            if (info.statusCode() == 200) {
                file[0] = new HashingSubscriber(BodySubscribers.ofFile(target));
                return BodySubscribers.mapping(file[0], path -> "");
            }
            return BodySubscribers.ofString(StandardCharsets.UTF_8);
        });
        expectSuccess(r);
        int served = r.headers().firstValue("X-Evault-Version").map(Integer::parseInt)
                .orElseThrow(() -> new CliException(ExitCodes.UNAVAILABLE, "the gateway did not say which version it sent"));
        String id = r.headers().firstValue("X-Evault-Document-Id").orElse("");
        return new Retrieved(served, id, file[0].count, file[0].digest.digest());
    }

    // ------------------------------------------------------------------ plumbing

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path));
    }

    static String documentPath(String name) {
        return "api/v1/documents/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String versionQuery(Integer version) {
        return version == null ? "" : "?version=" + version;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        String where = base.getHost() + ":" + (base.getPort() < 0 ? 443 : base.getPort());
        try {
            return http.send(request, handler);
        } catch (HttpConnectTimeoutException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "cannot connect to the gateway at " + base + ": timed out");
        } catch (ConnectException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "cannot connect to the gateway at " + base
                    + ": connection refused (is it running?)");
        } catch (SSLHandshakeException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "TLS handshake with " + where + " failed: " + rootMessage(e)
                    + " (is --cacert the vault's ca.pem, and the host name one its certificate names?)");
        } catch (SSLException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "TLS with " + where + " failed: " + rootMessage(e));
        } catch (HttpTimeoutException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "the gateway at " + base + " did not answer in time");
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "talking to the gateway at " + base + " failed: "
                    + rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNAVAILABLE, "interrupted");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Returns a 2xx answer; maps any other status to the exit code and the gateway's error message. */
    private static <T> HttpResponse<T> expectSuccess(HttpResponse<T> r) {
        int status = r.statusCode();
        if (status / 100 == 2) {
            return r;
        }
        String message = null;
        if (r.body() instanceof String text && !text.isEmpty()) {
            try {
                JsonNode error = JSON.readTree(text);
                message = error.path("message").asText(null);
            } catch (JacksonException e) {
                // Not our JSON error (a proxy's page?): the status alone says enough.
            }
        }
        String suffix = " (HTTP " + status + ")";
        if (message == null) {
            message = "the gateway answered " + status;
            suffix = "";
        }
        int code = switch (status) {
            case 401, 403 -> ExitCodes.AUTHENTICATION_FAILED;
            case 404 -> ExitCodes.NOT_FOUND;
            case 400, 405, 409, 413, 415 -> ExitCodes.USAGE;
            default -> ExitCodes.UNAVAILABLE;
        };
        throw new CliException(code, message + suffix);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** A file body that hashes what it publishes; a re-subscription (a retried send) starts over. */
    private static final class HashingPublisher implements HttpRequest.BodyPublisher {
        private final HttpRequest.BodyPublisher file;
        final MessageDigest digest = Hash256.sha256();
        volatile long count;

        HashingPublisher(HttpRequest.BodyPublisher file) {
            this.file = file;
        }

        @Override
        public long contentLength() {
            return file.contentLength();
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            file.subscribe(new Flow.Subscriber<ByteBuffer>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    digest.reset();
                    count = 0;
                    subscriber.onSubscribe(subscription);
                }

                @Override
                public void onNext(ByteBuffer item) {
                    count += item.remaining();
                    digest.update(item.duplicate());
                    subscriber.onNext(item);
                }

                @Override
                public void onError(Throwable throwable) {
                    subscriber.onError(throwable);
                }

                @Override
                public void onComplete() {
                    subscriber.onComplete();
                }
            });
        }
    }

    /** A file body subscriber that hashes what it writes. */
    private static final class HashingSubscriber implements BodySubscriber<Path> {
        private final BodySubscriber<Path> file;
        final MessageDigest digest = Hash256.sha256();
        volatile long count;

        HashingSubscriber(BodySubscriber<Path> file) {
            this.file = file;
        }

        @Override
        public CompletionStage<Path> getBody() {
            return file.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            file.onSubscribe(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                count += b.remaining();
                digest.update(b.duplicate());
            }
            file.onNext(items);
        }

        @Override
        public void onError(Throwable throwable) {
            file.onError(throwable);
        }

        @Override
        public void onComplete() {
            file.onComplete();
        }
    }
}
