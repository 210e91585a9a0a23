package org.evault.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deposit through the HTML form during which a daemon dies, over HTTPS with n = 3 daemon
 * processes: the gateway refuses it with 503 while the client is still sending, and reads and
 * throws away the rest of the upload first (as the JSON API does), so that a client that sends its
 * whole body before it reads the reply (the JDK's HttpClient, curl) gets the page naming the
 * daemon, not a broken pipe.
 */
class WebDepositRefusedTest {
    static final int UPLOAD_BYTES = 32 << 20;
    static final int KILL_AT = 4 << 20;

    @Test
    void formDeposit_daemonKilledMidUpload_getsThe503PageNamingIt_andNothingIsStored(@TempDir Path dir)
            throws Exception {
        try (TestGateway gateway = TestGateway.start(dir, "web-refused", c -> c)) {
            WebPagesTest.Visitor v = new WebPagesTest.Visitor(gateway.http(), gateway.origin());
            assertThat(v.postForm("/register", "csrf", v.csrf("/register"), "name", "Dana", "address", "4 Side St",
                    "phone", "4", "email", "dana@example.org", "userId", "dana", "password", "dana's password")
                    .statusCode()).isEqualTo(303);
            v.login("dana", "dana's password");
            byte[] head = ("--" + WebPagesTest.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n"
                    + v.csrf("/deposit") + "\r\n--" + WebPagesTest.BOUNDARY + "\r\nContent-Disposition: form-data;"
                    + " name=\"file\"; filename=\"refused.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] tail = ("\r\n--" + WebPagesTest.BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
            Runnable killNode1 = () -> {
                try {
                    gateway.vault.daemons.get(0).kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };

            HttpResponse<byte[]> r = v.send(HttpRequest.newBuilder(URI.create(gateway.origin() + "/deposit"))
                    .header("Content-Type", "multipart/form-data; boundary=" + WebPagesTest.BOUNDARY)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(Collections.enumeration(
                            List.of(new ByteArrayInputStream(head), killingAt(KILL_AT, UPLOAD_BYTES, killNode1),
                                    new ByteArrayInputStream(tail)))))));

            assertThat(r.statusCode()).as(WebPagesTest.text(r)).isEqualTo(503);
            assertThat(WebPagesTest.text(r)).contains("node-1").contains("nothing was stored");
            WebPagesTest.assertNoStackTrace(r);
            assertThat(WebPagesTest.text(v.get("/documents"))).doesNotContain("refused.bin");
        }
    }

    /** size bytes of 7s that run {@code kill} once the first {@code at} bytes have been read. */
    private static InputStream killingAt(long at, long size, Runnable kill) {
        return new InputStream() {
            private long position;
            private boolean killed;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= size) {
                    return -1;
                }
                if (!killed && position >= at) {
                    killed = true;
                    kill.run();
                }
                int n = (int) Math.min(len, size - position);
                Arrays.fill(b, off, off + n, (byte) 7);
                position += n;
                return n;
            }
        };
    }
}
