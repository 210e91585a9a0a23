package org.evault.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Samples a JVM's heap with {@code jstat -gc PID 200} while a transfer runs: the largest heap in
 * use (survivors + eden + old), the largest old generation (what survives collections, the
 * figure that would grow if a document were held in memory), and the committed heap.
 */
final class HeapSampler implements AutoCloseable {
    record Heap(double firstOldUsedMiB, double maxUsedMiB, double maxOldUsedMiB, double maxCommittedMiB, int samples, long youngGcs, long fullGcs) {
    }

    private final Process jstat;
    private final Thread reader;
    private volatile double firstOld = -1;
    private volatile double maxUsed;
    private volatile double maxOld;
    private volatile double maxCommitted;
    private volatile int samples;
    private volatile long firstYgc = -1;
    private volatile long lastYgc;
    private volatile long firstFgc = -1;
    private volatile long lastFgc;

    HeapSampler(long pid) throws IOException {
        jstat = new ProcessBuilder("jstat", "-gc", Long.toString(pid), "200").redirectErrorStream(true).start();
        reader = new Thread(this::read, "jstat-" + pid);
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.US_ASCII))) {
            List<String> header = null;
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 0 && f[0].equals("S0C")) {
                    header = Arrays.asList(f);
                    continue;
                }
                if (header == null || f.length != header.size()) {
                    continue;
                }
                double used = kb(f, header, "S0U") + kb(f, header, "S1U") + kb(f, header, "EU") + kb(f, header, "OU");
                double committed = kb(f, header, "S0C") + kb(f, header, "S1C") + kb(f, header, "EC") + kb(f, header, "OC");
                maxUsed = Math.max(maxUsed, used / 1024);
                maxOld = Math.max(maxOld, kb(f, header, "OU") / 1024);
                maxCommitted = Math.max(maxCommitted, committed / 1024);
                long ygc = (long) kb(f, header, "YGC");
                long fgc = (long) kb(f, header, "FGC");
                if (firstYgc < 0) {
                    firstOld = kb(f, header, "OU") / 1024;
                    firstYgc = ygc;
                    firstFgc = fgc;
                }
                lastYgc = ygc;
                lastFgc = fgc;
                samples++;
            }
        } catch (IOException | RuntimeException e) {
            // The sampler ends with its process.
        }
    }

    private static double kb(String[] f, List<String> header, String column) {
        return Double.parseDouble(f[header.indexOf(column)]);
    }

    Heap result() {
        return new Heap(firstOld, maxUsed, maxOld, maxCommitted, samples, Math.max(0, lastYgc - firstYgc), Math.max(0, lastFgc - firstFgc));
    }

    @Override
    public void close() throws InterruptedException {
        jstat.destroy();
        jstat.waitFor();
        reader.join(2000);
    }
}
