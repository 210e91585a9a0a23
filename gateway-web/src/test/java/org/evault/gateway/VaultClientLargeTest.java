package org.evault.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.evault.protocol.DepositMetadata;
import org.evault.threshold.ThresholdScheme;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 1 GiB through the vault client with n = 3: exact bytes back, and the gateway's heap stays small. */
@Tag("slow")
class VaultClientLargeTest {
    static final long SIZE = 1L << 30;
    static final long MAX_HEAP_GROWTH = 256L << 20;

    @Test
    void oneGiB_depositAndRetrieve_heapStaysFlat(@TempDir Path dir) throws Exception {
        try (RunningVault vault = new RunningVault(dir, 3, 1, ThresholdScheme.ADDITIVE, Map.of());
                VaultClient client = VaultClient.create(vault.config())) {
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
                DepositMetadata meta = new DepositMetadata(UUID.randomUUID().toString(), "alice", "big.bin", 1,
                        System.currentTimeMillis(), SIZE);
                MessageDigest sent = MessageDigest.getInstance("SHA-256");
                Receipt r;
                try (InputStream in = new java.security.DigestInputStream(generated(SIZE), sent)) {
                    r = client.deposit(meta, in);
                }
                assertThat(r.parsed().size()).isEqualTo(SIZE);
                MessageDigest got = MessageDigest.getInstance("SHA-256");
                AtomicLong count = new AtomicLong();
                OutputStream sink = new OutputStream() {
                    @Override
                    public void write(int b) {
                        got.update((byte) b);
                        count.incrementAndGet();
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        got.update(b, off, len);
                        count.addAndGet(len);
                    }
                };
                client.retrieve(meta.documentId(), r.parsed(), sink);
                assertThat(count.get()).isEqualTo(SIZE);
                assertThat(got.digest()).isEqualTo(sent.digest());
            } finally {
                sampling.set(false);
                sampler.join();
            }
            // Sampled "used" includes garbage not yet collected, so this bounds growth loosely, yet far below 1 GiB.
            System.out.println("heap growth peak while 1 GiB streamed: " + ((peak.get() - baseline) >> 20) + " MiB");
            assertThat(peak.get() - baseline).isLessThan(MAX_HEAP_GROWTH);
        }
    }

    /** Pseudo-random bytes made on the fly (xorshift), so the test holds no document in memory. */
    static InputStream generated(long size) {
        return new InputStream() {
            long produced;
            long state = 0x9E3779B97F4A7C15L;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (produced >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - produced);
                for (int i = 0; i < n; i++) {
                    state ^= state << 13;
                    state ^= state >>> 7;
                    state ^= state << 17;
                    b[off + i] = (byte) state;
                }
                produced += n;
                return n;
            }
        };
    }
}
