package org.evault.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of another JVM (started and stopped with jcmd) and its summary: the methods
 * most often on top of the stack in execution samples, and how many samples pass through each
 * of a few components (inclusive), which says where a process spends its CPU.
 */
final class Jfr {
    /** Components by the first matching package prefix of any frame; a sample counts once per component. */
    private static final Map<String, List<String>> COMPONENTS = new LinkedHashMap<>();

    static {
        COMPONENTS.put("TLS (JSSE records, handshakes)", List.of("sun.security.ssl."));
        COMPONENTS.put("AES-GCM and other JCE ciphers", List.of("com.sun.crypto.provider."));
        COMPONENTS.put("SHA-256 (sun.security.provider)", List.of("sun.security.provider.SHA", "sun.security.provider.DigestBase"));
        COMPONENTS.put("Argon2id (Basic auth password check)", List.of("org.bouncycastle.crypto.generators.Argon2"));
        COMPONENTS.put("Derby (metadata, audit log)", List.of("org.apache.derby."));
        COMPONENTS.put("IDA (org.evault.ida)", List.of("org.evault.ida."));
        COMPONENTS.put("threshold signatures (org.evault.threshold)", List.of("org.evault.threshold."));
        COMPONENTS.put("BigInteger", List.of("java.math.BigInteger", "java.math.MutableBigInteger"));
        COMPONENTS.put("Netty (daemon links)", List.of("io.netty."));
        COMPONENTS.put("Jetty (HTTP)", List.of("org.eclipse.jetty."));
        COMPONENTS.put("e-Vault gateway code", List.of("org.evault.gateway."));
        COMPONENTS.put("e-Vault daemon code", List.of("org.evault.daemon."));
    }

    /**
     * @param top        self samples per method, most first
     * @param components samples per component, inclusive
     * @param forcesMs   durations of the fsyncs (FileChannel.force) that JFR recorded, sorted: the profile
     *                   settings keep only those of 10 ms or more
     * @param writesMs   durations of the file writes of 10 ms or more (Derby writes its log synchronously)
     */
    record Summary(int samples, List<Map.Entry<String, Integer>> top, Map<String, Integer> components, double[] forcesMs,
            double[] writesMs) {
        static double percentile(double[] sorted, double q) {
            return sorted.length == 0 ? Double.NaN
                    : sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1))];
        }
    }

    private Jfr() {
    }

    static void start(long pid, String name, Path file) throws IOException, InterruptedException {
        jcmd(pid, "JFR.start", "name=" + name, "settings=profile", "filename=" + file);
    }

    static void stop(long pid, String name) throws IOException, InterruptedException {
        jcmd(pid, "JFR.stop", "name=" + name);
    }

    /** Runs {@code jcmd PID command...}; returns its output. */
    static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + ": " + out);
        }
        return out;
    }

    static Summary summarize(Path file, int topCount) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> components = new LinkedHashMap<>();
        COMPONENTS.keySet().forEach(k -> components.put(k, 0));
        int samples = 0;
        List<Double> forces = new ArrayList<>();
        List<Double> writes = new ArrayList<>();
        try (RecordingFile r = new RecordingFile(file)) {
            while (r.hasMoreEvents()) {
                RecordedEvent e = r.readEvent();
                if (e.getEventType().getName().equals("jdk.FileForce")) {
                    forces.add(e.getDuration().toNanos() / 1e6);
                    continue;
                }
                if (e.getEventType().getName().equals("jdk.FileWrite")) {
                    writes.add(e.getDuration().toNanos() / 1e6);
                    continue;
                }
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace st = e.getStackTrace();
                if (st == null || st.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                self.merge(name(st.getFrames().get(0)), 1, Integer::sum);
                for (Map.Entry<String, List<String>> c : COMPONENTS.entrySet()) {
                    for (RecordedFrame f : st.getFrames()) {
                        String type = f.getMethod().getType().getName();
                        if (c.getValue().stream().anyMatch(type::startsWith)) {
                            components.merge(c.getKey(), 1, Integer::sum);
                            break;
                        }
                    }
                }
            }
        }
        List<Map.Entry<String, Integer>> top = new ArrayList<>(self.entrySet());
        top.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        return new Summary(samples, List.copyOf(top.subList(0, Math.min(topCount, top.size()))), components,
                forces.stream().mapToDouble(Double::doubleValue).sorted().toArray(),
                writes.stream().mapToDouble(Double::doubleValue).sorted().toArray());
    }

    private static String name(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName() + " (" + type.substring(0,
                Math.max(0, type.lastIndexOf('.'))) + ")";
    }
}
