package org.evault.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed-loop load: {@code clients} threads each repeat one operation back to back for a fixed
 * time, as the paper's WebStone clients did. Operations that end inside the window count.
 */
final class LoadRunner {
    /** One operation of one client; {@code sequence} counts that client's operations from 0. */
    @FunctionalInterface
    interface Operation {
        void run(int client, long sequence) throws Exception;
    }

    /** What one timed window measured. Latencies in ms, sorted. */
    record Window(int operations, int errors, String firstError, double seconds, double[] latenciesMs) {
        double perSecond() {
            return operations / seconds;
        }

        double meanMs() {
            return Arrays.stream(latenciesMs).average().orElse(Double.NaN);
        }

        double percentileMs(double q) {
            if (latenciesMs.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(q * latenciesMs.length) - 1;
            return latenciesMs[Math.max(0, Math.min(latenciesMs.length - 1, i))];
        }
    }

    private LoadRunner() {
    }

    static Window run(int clients, double seconds, Operation op) throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(clients + 1);
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        long[] window = new long[2];
        List<List<Double>> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            List<Double> mine = new ArrayList<>();
            latencies.add(mine);
            int client = c;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    return;
                }
                long end = window[1];
                for (long seq = 0; ; seq++) {
                    long t0 = System.nanoTime();
                    if (t0 >= end) {
                        break;
                    }
                    try {
                        op.run(client, seq);
                        long t1 = System.nanoTime();
                        if (t1 <= end) {
                            mine.add((t1 - t0) / 1e6);
                        }
                    } catch (Exception e) {
                        if (e instanceof InterruptedException) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    }
                }
            }, "load-client-" + c);
            threads.add(t);
            t.start();
        }
        window[0] = System.nanoTime();
        window[1] = window[0] + (long) (seconds * 1e9);
        try {
            start.await();
        } catch (java.util.concurrent.BrokenBarrierException e) {
            throw new IllegalStateException(e);
        }
        for (Thread t : threads) {
            t.join();
        }
        double[] all = latencies.stream().flatMap(List::stream).mapToDouble(Double::doubleValue).sorted().toArray();
        return new Window(all.length, errors.get(), firstError.get(), seconds, all);
    }

    static double median(double... values) {
        double[] v = values.clone();
        Arrays.sort(v);
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
