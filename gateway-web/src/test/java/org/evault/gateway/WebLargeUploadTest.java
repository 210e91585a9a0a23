package org.evault.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;

import org.evault.gateway.db.DerbyMetadataStore;
import org.evault.threshold.ThresholdScheme;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1 GiB deposited through the HTML form (multipart, chunked) and downloaded from the page's link,
 * over HTTPS with n = 3 daemon processes: exact bytes back, and the heap of this JVM (which runs
 * the gateway, with -Xmx1g) stays far below the document's size.
 */
@Tag("slow")
class WebLargeUploadTest {
    static final long SIZE = 1L << 30;
    static final long MAX_HEAP_GROWTH = 256L << 20;

    @Test
    void oneGiB_throughTheForm_andBack(@TempDir Path dir) throws Exception {
        try (RunningVault vault = new RunningVault(dir, 3, 1, ThresholdScheme.ADDITIVE, Map.of());
                VaultClient client = VaultClient.create(vault.config());
                DerbyMetadataStore store = DerbyMetadataStore.inMemory("web-large");
                GatewayServer server = GatewayServer.start(vault.config(), client, store,
                        new PasswordHasher(1024, 1, 1, new SecureRandom()))) {
            String base = "https://localhost:" + server.port();
            HttpClient http = HttpClient.newBuilder().sslContext(TestGateway.trusting(vault.config().caFile()))
                    .connectTimeout(Duration.ofSeconds(10)).build();
            WebPagesTest.Visitor v = new WebPagesTest.Visitor(http, base);
            assertThat(v.postForm("/register", "csrf", v.csrf("/register"), "name", "Erin", "address", "5 Big St",
                    "phone", "5", "email", "erin@example.org", "userId", "erin", "password", "erin's password")
                    .statusCode()).isEqualTo(303);
            v.login("erin", "erin's password");

            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            System.gc();
            long baseline = memory.getHeapMemoryUsage().getUsed();
            AtomicLong peak = new AtomicLong();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            try {
                String csrf = v.csrf("/deposit");
                byte[] head = ("--" + WebPagesTest.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n"
                        + csrf + "\r\n--" + WebPagesTest.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\";"
                        + " filename=\"big.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8);
                byte[] tail = ("\r\n--" + WebPagesTest.BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
                MessageDigest sent = MessageDigest.getInstance("SHA-256");
                long t0 = System.nanoTime();
                HttpResponse<byte[]> r = v.send(HttpRequest.newBuilder(URI.create(base + "/deposit"))
                        .timeout(Duration.ofMinutes(30))
                        .header("Content-Type", "multipart/form-data; boundary=" + WebPagesTest.BOUNDARY)
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
                                java.util.Collections.enumeration(List.of(new ByteArrayInputStream(head),
                                        new DigestInputStream(VaultClientLargeTest.generated(SIZE), sent),
                                        new ByteArrayInputStream(tail)))))));
                double up = (System.nanoTime() - t0) / 1e9;
                assertThat(r.statusCode()).as(WebPagesTest.text(r)).isEqualTo(200);
                Matcher m = WebPagesTest.RECEIPT.matcher(WebPagesTest.text(r));
                assertThat(m.find()).isTrue();

                MessageDigest got = MessageDigest.getInstance("SHA-256");
                long t1 = System.nanoTime();
                HttpResponse<InputStream> d = http.send(HttpRequest.newBuilder(URI.create(
                        base + "/documents/big.bin/download?version=1")).timeout(Duration.ofMinutes(30))
                        .header("Cookie", WebPagesTest.COOKIE + "=" + v.session).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(d.statusCode()).isEqualTo(200);
                long count = 0;
                try (InputStream in = d.body()) {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        got.update(buf, 0, n);
                        count += n;
                    }
                }
                double down = (System.nanoTime() - t1) / 1e9;
                assertThat(count).isEqualTo(SIZE);
                assertThat(got.digest()).isEqualTo(sent.digest());
                System.out.printf("1 GiB through the form: deposit %.1f MB/s, download %.1f MB/s%n", SIZE / up / 1e6,
                        SIZE / down / 1e6);
            } finally {
                sampling.set(false);
                sampler.join();
            }
            System.out.println("heap growth peak while 1 GiB went through the form: "
                    + ((peak.get() - baseline) >> 20) + " MiB");
            assertThat(peak.get() - baseline).isLessThan(MAX_HEAP_GROWTH);
        }
    }
}
