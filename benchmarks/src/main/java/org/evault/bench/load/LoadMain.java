package org.evault.bench.load;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load client of {@code benchmarks/load/run.sh}: section 3 of the e-Vault paper on this
 * machine, against gateways and daemons running as real processes and nginx as the floor.
 *
 * <pre>
 * LoadMain --mode full|quick --out DIR --ca CA.pem... --vault n3=URL --vault n5=URL
 *          --nginx URL --pids pids.properties --benchmarks-jar benchmarks.jar
 * </pre>
 *
 * Measures, in this order: (a) the paper's Figures 3 and 4, retrievals per minute and mean
 * retrieval time against document size, 8 clients and 1 client, n = 5; (b) 10 KiB retrievals per
 * second, 8 clients, n = 5 (then once more under JFR); (c) 1 KiB deposits per second, 8 clients, n = 5,
 * next to the signing floor from the threshold JMH benchmark run just before; (d) deposit and
 * retrieval MB/s of large documents at n = 3 and n = 5 interleaved with nginx uploads and downloads
 * of the same documents, (e) sampling the gateway's heap during the largest ones. Writes
 * results.csv (every repetition), summary.md (medians, ratios, targets) and img/*.png.
 */
public final class LoadMain {
    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    private static final int CLIENTS = 8;
    private static final int DEPOSIT_WARM_FACTOR = 20;

    /** Sizes, durations and repetitions of one mode. */
    private record Params(double warmSeconds, long warmBulkBytes, int reps, double repSeconds, long[] curveKiB,
            int[] curveClients, int curveReps, double curveSeconds, long[] bulkBytes, int bulkReps, List<String> jmhOptions) {
        static Params of(String mode) {
            if (mode.equals("quick")) {
                return new Params(2, 16 * MIB, 2, 2, new long[] {1, 16, 256}, new int[] {CLIENTS, 1}, 2, 2,
                        new long[] {16 * MIB, 64 * MIB}, 1, List.of("-wi", "1", "-w", "1s", "-i", "2", "-r", "1s"));
            }
            return new Params(8, 64 * MIB, 5, 5, new long[] {1, 4, 16, 64, 256, 1024}, new int[] {CLIENTS, 1}, 3, 4,
                    new long[] {100 * MIB, 1024 * MIB}, 3, List.of("-wi", "2", "-w", "1s", "-i", "4", "-r", "2s"));
        }
    }

    private final Params params;
    private final Path out;
    private final Http http;
    private final Map<String, Http.Vault> vaults = new LinkedHashMap<>();
    private final Http.Nginx nginx;
    private final Properties pids;
    private final Path benchmarksJar;
    private final ProcessCpu cpu = new ProcessCpu();
    private final PrintWriter csv;
    private final StringBuilder md = new StringBuilder();
    private final AtomicLong names = new AtomicLong();
    private final List<String> verdicts = new ArrayList<>();

    private LoadMain(Params params, Path out, Http http, Map<String, String> vaultUrls, String nginxUrl, Properties pids,
            Path benchmarksJar) throws IOException {
        this.params = params;
        this.out = out;
        this.http = http;
        String suffix = Long.toString(System.currentTimeMillis() % 100000);
        vaultUrls.forEach((label, url) -> vaults.put(label, http.new Vault(label, url, "load" + suffix, "load-password-" + suffix)));
        this.nginx = http.new Nginx(nginxUrl);
        this.pids = pids;
        this.benchmarksJar = benchmarksJar;
        for (String label : vaultUrls.keySet()) {
            cpu.add(label + " gateway", pid(label + ".gateway"));
            for (int i = 1; pids.containsKey(label + ".daemon." + i); i++) {
                cpu.add(label + " daemons", pid(label + ".daemon." + i));
            }
        }
        if (pids.containsKey("nginx")) {
            cpu.add("nginx", pid("nginx"));
        }
        cpu.add("load client", ProcessHandle.current().pid());
        Files.createDirectories(out.resolve("img"));
        csv = new PrintWriter(Files.newBufferedWriter(out.resolve("results.csv"), StandardCharsets.UTF_8), true);
        csv.println("phase,target,operation,document_bytes,clients,rep,operations,errors,seconds,per_second,mean_ms,p50_ms,"
                + "p99_ms,mb_per_s,auth");
    }

    private long pid(String key) {
        String v = pids.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("no pid for " + key + " in the pids file");
        }
        return Long.parseLong(v.trim());
    }

    public static void main(String[] args) throws Exception {
        String mode = "full";
        Path out = null;
        List<Path> cas = new ArrayList<>();
        Map<String, String> vaultUrls = new LinkedHashMap<>();
        String nginxUrl = null;
        Path pidsFile = null;
        Path jar = null;
        String phases = "a,b,c,d";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            if (v == null) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            i++;
            switch (a) {
                case "--mode" -> mode = v;
                case "--out" -> out = Path.of(v);
                case "--ca" -> cas.add(Path.of(v));
                case "--vault" -> vaultUrls.put(v.substring(0, v.indexOf('=')), v.substring(v.indexOf('=') + 1));
                case "--nginx" -> nginxUrl = v;
                case "--pids" -> pidsFile = Path.of(v);
                case "--benchmarks-jar" -> jar = Path.of(v);
                case "--phases" -> phases = v;
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (out == null || cas.isEmpty() || !vaultUrls.containsKey("n3") || !vaultUrls.containsKey("n5") || nginxUrl == null
                || pidsFile == null || jar == null) {
            throw new IllegalArgumentException("usage: LoadMain --mode full|quick --out DIR --ca CA.pem... --vault n3=URL "
                    + "--vault n5=URL --nginx URL --pids FILE --benchmarks-jar JAR");
        }
        Properties pids = new Properties();
        try (Reader r = Files.newBufferedReader(pidsFile)) {
            pids.load(r);
        }
        LoadMain run = new LoadMain(Params.of(mode), out, new Http(cas), vaultUrls, nginxUrl, pids, jar);
        run.run(mode, List.of(phases.split(",")));
    }

    private void run(String mode, List<String> phases) throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (Http.Vault v : vaults.values()) {
            v.registerAndLogin();
            log("%s: registered, authentication %s", v.label, v.authMode());
        }
        md.append("# e-Vault under load (paper section 3): run of ").append(start).append(" (").append(mode).append(")\n\n");
        md.append(machine()).append("\n");
        md.append("Authentication: ").append(vaults.get("n5").authMode().equals("bearer")
                ? "bearer tokens (POST /api/v1/tokens), one per gateway"
                : "HTTP Basic on every request (the gateway has no /api/v1/tokens: one Argon2id per request)").append(".\n\n");

        warmUp();
        List<String> loads = new ArrayList<>();
        for (String phase : List.of("a", "b", "c", "d")) {
            if (!phases.contains(phase)) {
                continue;
            }
            loads.add("(" + phase + ") " + loadAverage());
            switch (phase) {
                case "a" -> curve();
                case "b" -> retrievalRate();
                case "c" -> deposits();
                default -> bulk();
            }
        }
        loads.add("end " + loadAverage());

        md.append("## Targets\n\n");
        for (String v : verdicts) {
            md.append("- ").append(v).append('\n');
        }
        md.append("\nRun took ").append(java.time.Duration.between(start, Instant.now()).toSeconds())
                .append(" s. One-minute load average of the machine (other agents build and test on it) at the start of each part: ")
                .append(String.join(", ", loads)).append(".\n");
        Files.writeString(out.resolve("summary.md"), md.toString());
        csv.close();
        log("summary: %s", out.resolve("summary.md"));
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private static String machine() throws IOException {
        String cpuModel = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        return String.format("Machine: %s, %d cores, Java %s (%s); load average at start %s; everything on loopback.%n",
                cpuModel, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), String.join(" ", java.util.Arrays.asList(load.split(" ")).subList(0, 3)));
    }

    // ------------------------------------------------------------------ warm-up

    private void warmUp() throws Exception {
        log("warm-up: small deposits and retrievals on both vaults, then two %d MiB transfers each and through nginx",
                params.warmBulkBytes() / MIB);
        for (Http.Vault v : vaults.values()) {
            byte[] doc = SeededBytes.document(7, 10 * 1024);
            v.deposit("warm", doc);
            LoadRunner.Window w = LoadRunner.run(CLIENTS, params.warmSeconds() * 3, (c, s) -> {
                if (s % 4 == 0) {
                    v.deposit("warm-" + names.incrementAndGet(), doc);
                } else if (!java.util.Arrays.equals(v.retrieve("warm"), doc)) {
                    throw new IOException("warm-up document came back different");
                }
            });
            if (w.errors() > 0) {
                throw new IOException("warm-up on " + v.label + ": " + w.errors() + " errors, first: " + w.firstError());
            }
            for (int i = 0; i < 2; i++) {
                v.deposit("warm-bulk-" + i, 99, params.warmBulkBytes());
                v.retrieve("warm-bulk-" + i, 99, params.warmBulkBytes());
            }
        }
        nginx.upload("warm-bulk", 99, params.warmBulkBytes());
        nginx.download("warm-bulk", 99, params.warmBulkBytes());
        nginx.delete("warm-bulk");
    }

    // ------------------------------------------------------------------ (b) 10 KiB retrievals per second

    private void retrievalRate() throws Exception {
        Http.Vault v = vaults.get("n5");
        int size = 10 * 1024;
        List<byte[]> docs = depositSet(v, "r10k", size);
        LoadRunner.Operation op = retrieveOp(v, "r10k", docs);
        log("(b) 10 KiB retrievals, %d clients, n = 5: warm-up, then %d x %.0f s", CLIENTS, params.reps(), params.repSeconds());
        LoadRunner.run(CLIENTS, 3 * params.warmSeconds(), op);
        Measured m = measure("retrieval-rate", v, "retrieve", size, CLIENTS, params.reps(), params.repSeconds(), op);
        log("(b) %.0f retrievals/s (reps %s), mean %.2f ms", m.medianRate(), m.rates(), m.medianMeanMs());
        Profiles jfr = profiled("retrieve-10k", v, op);

        md.append("## (b) 10 KiB retrievals per second, ").append(CLIENTS).append(" clients, n = 5\n\n");
        md.append(String.format("Median of %d windows of %.0f s: **%.0f retrievals/s** (windows: %s), mean time %.2f ms, "
                + "p99 %.2f ms.%n%n", params.reps(), params.repSeconds(), m.medianRate(), m.rates(), m.medianMeanMs(),
                m.medianP99Ms()));
        md.append(cpuTable(m, "retrieval"));
        md.append(jfrTable("gateway (n = 5) during one more window of 10 KiB retrievals, JFR profile settings", jfr.gateway()));
        md.append(jfrTable("daemon 1 (n = 5) in the same window", jfr.daemon()));
        verdicts.add(String.format("(b) 10 KiB retrievals, 8 clients, n = 5: %.0f/s against at least 200/s: %s", m.medianRate(),
                m.medianRate() >= 200 ? "**met**" : String.format("**not met** (%.2fx of the target)", m.medianRate() / 200)));
    }

    /** {@link #CLIENTS} documents of one size, one per client, deposited once. */
    private List<byte[]> depositSet(Http.Vault v, String prefix, int size) throws Exception {
        List<byte[]> docs = new ArrayList<>();
        for (int k = 0; k < CLIENTS; k++) {
            byte[] d = SeededBytes.document(1000L * size + k, size);
            v.deposit(prefix + "-" + k, d);
            docs.add(d);
        }
        return docs;
    }

    private static LoadRunner.Operation retrieveOp(Http.Vault v, String prefix, List<byte[]> docs) {
        return (c, s) -> {
            int k = (int) ((c + s) % docs.size());
            if (!java.util.Arrays.equals(v.retrieve(prefix + "-" + k), docs.get(k))) {
                throw new IOException("retrieved document " + prefix + "-" + k + " differs");
            }
        };
    }

    /** Medians over repetitions of one load point, and the CPU the processes spent meanwhile. */
    private record Measured(List<LoadRunner.Window> windows, Map<String, Double> cpuSeconds, Map<String, Double> gatewayThreads,
            Map<String, Double> daemonThreads) {
        double medianRate() {
            return LoadRunner.median(windows.stream().mapToDouble(LoadRunner.Window::perSecond).toArray());
        }

        double medianMeanMs() {
            return LoadRunner.median(windows.stream().mapToDouble(LoadRunner.Window::meanMs).toArray());
        }

        double medianP99Ms() {
            return LoadRunner.median(windows.stream().mapToDouble(w -> w.percentileMs(0.99)).toArray());
        }

        int operations() {
            return windows.stream().mapToInt(LoadRunner.Window::operations).sum();
        }

        double seconds() {
            return windows.stream().mapToDouble(LoadRunner.Window::seconds).sum();
        }

        String rates() {
            return windows.stream().map(w -> String.format("%.0f", w.perSecond())).toList().toString();
        }
    }

    private Measured measure(String phase, Http.Vault v, String operation, long size, int clients, int reps, double seconds,
            LoadRunner.Operation op) throws Exception {
        List<LoadRunner.Window> windows = new ArrayList<>();
        long gateway = pid(v.label + ".gateway");
        long daemon = pid(v.label + ".daemon.1");
        Map<String, Double> gatewayBefore = ProcessCpu.threads(gateway);
        Map<String, Double> daemonBefore = ProcessCpu.threads(daemon);
        Map<String, Double> before = cpu.snapshot();
        for (int rep = 1; rep <= reps; rep++) {
            LoadRunner.Window w = LoadRunner.run(clients, seconds, op);
            windows.add(w);
            csv.printf(Locale.ROOT, "%s,%s,%s,%d,%d,%d,%d,%d,%.3f,%.2f,%.3f,%.3f,%.3f,%.2f,%s%n", phase, v.label, operation, size,
                    clients, rep, w.operations(), w.errors(), w.seconds(), w.perSecond(), w.meanMs(), w.percentileMs(0.5),
                    w.percentileMs(0.99), w.perSecond() * size / 1e6, v.authMode());
            if (w.errors() > 0) {
                log("  %s %s: %d errors, first: %s", phase, v.label, w.errors(), w.firstError());
            }
        }
        return new Measured(windows, ProcessCpu.delta(before, cpu.snapshot()),
                ProcessCpu.threadDelta(gatewayBefore, ProcessCpu.threads(gateway)),
                ProcessCpu.threadDelta(daemonBefore, ProcessCpu.threads(daemon)));
    }

    /** JFR summaries of the gateway and of daemon 1 over the same stretch of load. */
    private record Profiles(Jfr.Summary gateway, Jfr.Summary daemon) {
    }

    /** One more window with JFR recording the gateway and daemon 1 (the profile costs a little: not measured). */
    private Profiles profiled(String name, Http.Vault v, LoadRunner.Operation op) throws Exception {
        return profiled(name, v, () -> LoadRunner.run(CLIENTS, params.repSeconds(), op));
    }

    private interface Work {
        void run() throws Exception;
    }

    private Profiles profiled(String name, Http.Vault v, Work work) throws Exception {
        long gateway = pid(v.label + ".gateway");
        long daemon = pid(v.label + ".daemon.1");
        Path gatewayFile = out.resolve("jfr-" + name + "-gateway.jfr");
        Path daemonFile = out.resolve("jfr-" + name + "-daemon-1.jfr");
        Jfr.start(gateway, name, gatewayFile);
        Jfr.start(daemon, name, daemonFile);
        try {
            work.run();
        } finally {
            Jfr.stop(gateway, name);
            Jfr.stop(daemon, name);
        }
        return new Profiles(Jfr.summarize(gatewayFile, 15), Jfr.summarize(daemonFile, 12));
    }

    private static String cpuTable(Measured m, String what) {
        StringBuilder b = new StringBuilder();
        b.append("CPU spent by each process group during the measured windows (from /proc/PID/stat):\n\n");
        b.append("| process | cores busy | CPU ms per ").append(what).append(" | share |\n|---|---|---|---|\n");
        double total = m.cpuSeconds().values().stream().mapToDouble(Double::doubleValue).sum();
        for (Map.Entry<String, Double> e : m.cpuSeconds().entrySet()) {
            if (e.getValue() < 0.005 * total) {
                continue;
            }
            b.append(String.format("| %s | %.2f | %.3f | %.0f%% |%n", e.getKey(), e.getValue() / m.seconds(),
                    1000 * e.getValue() / m.operations(), 100 * e.getValue() / total));
        }
        b.append(String.format("| all | %.2f | %.3f | |%n%n", total / m.seconds(), 1000 * total / m.operations()));
        b.append(threadTable("the gateway", m.gatewayThreads(), m)).append(threadTable("daemon 1", m.daemonThreads(), m));
        return b.toString();
    }

    /** The busiest thread groups of one process (JIT, GC and application threads apart). */
    private static String threadTable(String who, Map<String, Double> threads, Measured m) {
        double total = threads.values().stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder b = new StringBuilder("Threads of " + who + " by CPU (thread names as Linux keeps them, digits as #): ");
        List<String> parts = new ArrayList<>();
        threads.entrySet().stream().filter(e -> e.getValue() >= 0.02 * total)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(8)
                .forEach(e -> parts.add(String.format("`%s` %.0f%% (%.2f ms per operation)", e.getKey(), 100 * e.getValue() / total,
                        1000 * e.getValue() / m.operations())));
        return b.append(String.join(", ", parts)).append(".\n\n").toString();
    }

    private static final int MIN_SAMPLES = 30;

    private static void appendIo(StringBuilder b, Jfr.Summary s) {
        for (var io : List.of(Map.entry("fsyncs (FileChannel.force)", s.forcesMs()), Map.entry("file writes", s.writesMs()))) {
            double[] d = io.getValue();
            if (d.length > 0) {
                b.append(String.format("%n%s of 10 ms or more in the recording: %d, median %.1f ms, p90 %.1f ms, max %.1f ms.%n",
                        io.getKey(), d.length, Jfr.Summary.percentile(d, 0.5), Jfr.Summary.percentile(d, 0.9),
                        Jfr.Summary.percentile(d, 1.0)));
            }
        }
    }

    private static String jfrTable(String title, Jfr.Summary s) {
        StringBuilder b = new StringBuilder();
        b.append("JFR, ").append(title).append(": ").append(s.samples()).append(" execution samples");
        if (s.samples() < MIN_SAMPLES) {
            // JFR samples only threads running Java code; a process that mostly waits gives too few to rank.
            b.append(" (too few to rank frames).\n");
            appendIo(b, s);
            return b.append('\n').toString();
        }
        b.append(". Components, inclusive (a sample counts for every component on its stack):\n\n");
        b.append("| component | share of samples |\n|---|---|\n");
        s.components().entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> b.append(String.format("| %s | %.0f%% |%n", e.getKey(), 100.0 * e.getValue() / s.samples())));
        appendIo(b, s);
        b.append("\nTop frames (self):\n\n| method | share |\n|---|---|\n");
        for (Map.Entry<String, Integer> e : s.top()) {
            b.append(String.format("| `%s` | %.1f%% |%n", e.getKey(), 100.0 * e.getValue() / s.samples()));
        }
        return b.append('\n').toString();
    }

    // ------------------------------------------------------------------ (a) Figures 3 and 4

    private void curve() throws Exception {
        Http.Vault v = vaults.get("n5");
        Map<Integer, List<Plot.Point>> perMinute = new LinkedHashMap<>();
        Map<Integer, List<Plot.Point>> meanMs = new LinkedHashMap<>();
        StringBuilder table = new StringBuilder("| document | clients | retrievals/min | mean time (ms) | p99 (ms) | MB/s |\n"
                + "|---|---|---|---|---|---|\n");
        // CURVE_KIB=1,16,1 measures other sizes, in that order (e.g. to see whether the first point is still cold).
        String custom = System.getenv("CURVE_KIB");
        long[] sizes = custom == null || custom.isBlank() ? params.curveKiB()
                : java.util.Arrays.stream(custom.split(",")).mapToLong(x -> Long.parseLong(x.trim())).toArray();
        for (long kib : sizes) {
            int size = (int) (kib * KIB);
            List<byte[]> docs = depositSet(v, "curve-" + kib, size);
            LoadRunner.Operation op = retrieveOp(v, "curve-" + kib, docs);
            for (int clients : params.curveClients()) {
                log("(a) %d KiB, %d clients", kib, clients);
                LoadRunner.run(clients, params.warmSeconds(), op);
                Measured m = measure("curve", v, "retrieve", size, clients, params.curveReps(), params.curveSeconds(), op);
                perMinute.computeIfAbsent(clients, c -> new ArrayList<>()).add(new Plot.Point(kib, 60 * m.medianRate()));
                meanMs.computeIfAbsent(clients, c -> new ArrayList<>()).add(new Plot.Point(kib, m.medianMeanMs()));
                table.append(String.format("| %d KiB | %d | %,.0f | %.2f | %.2f | %.1f |%n", kib, clients, 60 * m.medianRate(),
                        m.medianMeanMs(), m.medianP99Ms(), m.medianRate() * size / 1e6));
                log("(a) %d KiB, %d clients: %.0f/min, mean %.2f ms", kib, clients, 60 * m.medianRate(), m.medianMeanMs());
            }
        }
        Color[] colors = {new Color(31, 119, 180), new Color(214, 39, 40)};
        String subtitle = String.format("e-Vault n = 5 (Shoup, t = 2), all processes on one %d-core machine, loopback HTTPS, "
                + "%s auth; medians", Runtime.getRuntime().availableProcessors(), vaults.get("n5").authMode());
        Plot fig3 = new Plot("Figure 3 again: retrievals per minute against document size", subtitle,
                "document size (log scale)", "retrievals per minute (log scale)");
        Plot fig4 = new Plot("Figure 4 again: mean retrieval time against document size", subtitle,
                "document size (log scale)", "mean time to retrieve a document, ms (log scale)");
        int k = 0;
        for (int clients : params.curveClients()) {
            String name = clients + (clients == 1 ? " client (lightly loaded)" : " concurrent clients");
            fig3.add(new Plot.Series(name, colors[k % 2], perMinute.get(clients)));
            fig4.add(new Plot.Series(name, colors[k % 2], meanMs.get(clients)));
            k++;
        }
        // The paper: "The retrieval rate exceeds one document per second until document sizes exceed 50 Kbytes."
        fig3.reference(new Plot.Reference("1997 paper: about 60 retrievals/min at 50 KB (RS/6000, DB2, CGI)", 60));
        fig3.write(out.resolve("img/retrievals-per-minute.png"));
        fig4.write(out.resolve("img/retrieval-time.png"));
        md.append("## (a) The paper's Figures 3 and 4: retrievals against document size, n = 5\n\n");
        md.append(String.format("Medians of %d windows of %.0f s per point after %.0f s of warm-up; %d documents per size, each "
                + "client cycling through them; every retrieved byte checked.%n%n", params.curveReps(), params.curveSeconds(),
                params.warmSeconds(), CLIENTS));
        md.append(table).append("\n![Figure 3](img/retrievals-per-minute.png)\n\n![Figure 4](img/retrieval-time.png)\n\n");
    }

    // ------------------------------------------------------------------ (c) small deposits against the signing floor

    private void deposits() throws Exception {
        Http.Vault v = vaults.get("n5");
        Map<String, Double> sign = signingBenchmark();
        int cores = Runtime.getRuntime().availableProcessors();
        int n = 5;
        // A daemon signs a deposit with the share alone; the gateway asks for proofs only when the shares do not
        // combine, which an honest vault never sees. So the floor is n shares without proof spread over the cores.
        double share = sign.get("shoupShareWithoutProof");
        double proven = sign.get("shoupShareWithProof");
        double floor = cores / (n * share / 1000);
        double provenFloor = cores / (n * proven / 1000);
        int size = 1024;
        LoadRunner.Operation op = (c, s) -> {
            long id = names.incrementAndGet();
            v.deposit("dep-" + id, SeededBytes.document(id, size));
        };
        log("(c) 1 KiB deposits, %d clients, n = 5: %d deposits so far; fsync probe, warm-up", CLIENTS, v.deposits());
        double[] fsync = fsyncProbe(200);
        // Six JVMs share two cores here, so C2 takes minutes to finish compiling the deposit path of all of them:
        // after 48 s of this load its threads still took 39% of the gateway's CPU and the rate was still rising,
        // after 160 s (20 x the usual 8 s) 10% and flat. A server runs for days: measure that state.
        LoadRunner.run(CLIENTS, DEPOSIT_WARM_FACTOR * params.warmSeconds(), op);
        long warmedBy = v.deposits();
        Measured m = measure("deposit-rate", v, "deposit", size, CLIENTS, params.reps(), params.repSeconds(), op);
        log("(c) %.1f deposits/s (reps %s), floor %.1f/s", m.medianRate(), m.rates(), floor);
        Profiles jfr = profiled("deposit-1k", v, op);

        md.append("## (c) 1 KiB deposits per second, ").append(CLIENTS).append(" clients, n = 5 (Shoup, t = 2, 2048 bits)\n\n");
        md.append(String.format("Warm-up: %.0f s of the same load (%d deposits in all before the measurement).%n%n",
                DEPOSIT_WARM_FACTOR * params.warmSeconds(), warmedBy));
        md.append(String.format("Threshold JMH benchmark run just before (`ThresholdSignBenchmark`, bits = 2048, n = 5, "
                + "p50 ms): Shoup share without proof %.2f ms (what a daemon computes per deposit; the gateway asks for "
                + "proofs only when the shares do not combine), with proof %.2f ms (proof opening precomputed), cold %.2f ms; "
                + "additive partial signature %.2f ms.%n%n", share, proven, sign.get("shoupShareWithProofCold"),
                sign.get("additivePartialSignature")));
        md.append(String.format("Signing floor = cores / (n x one partial signature) = %d / (%d x %.2f ms) = **%.1f deposits/s**"
                + " (with the share and its proof, as daemons signed before: %.1f/s).%n%n", cores, n, share, floor, provenFloor));
        md.append(String.format("Measured: **%.1f deposits/s** (windows: %s), mean time %.1f ms, p99 %.1f ms; every receipt "
                + "checked against the vault key. Ratio to the floor: %.2fx (%.2fx of the floor with proofs).%n%n",
                m.medianRate(), m.rates(), m.medianMeanMs(), m.medianP99Ms(), m.medianRate() / floor, m.medianRate() / provenFloor));
        md.append(String.format("The disk meanwhile: 200 appends of 1 KiB each forced to disk (FileChannel.force) in the run's folder, "
                + "just before the measurement: median %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms. A deposit at n = 5 waits "
                + "for 5 daemons' fsyncs (slice file and folder, one after the other) and the gateway's Derby commits.%n%n",
                pct(fsync, 0.5), pct(fsync, 0.9), pct(fsync, 0.99), pct(fsync, 1.0)));
        md.append(cpuTable(m, "deposit"));
        md.append(jfrTable("gateway (n = 5) during one more window of 1 KiB deposits", jfr.gateway()));
        md.append(jfrTable("daemon 1 (n = 5) in the same window", jfr.daemon()));
        verdicts.add(String.format("(c) 1 KiB deposits, 8 clients, n = 5: %.1f/s against a signing floor of %.1f/s: %.2fx, "
                + "target within 2x (at least %.1f/s): %s", m.medianRate(), floor, m.medianRate() / floor, floor / 2,
                m.medianRate() >= floor / 2 ? "**met**" : "**not met**"));
    }

    /** Latencies (ms, sorted) of {@code count} 1 KiB appends each forced to disk, in the output folder. */
    private double[] fsyncProbe(int count) throws IOException {
        Path file = out.resolve("fsync-probe.bin");
        double[] ms = new double[count];
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.APPEND)) {
            java.nio.ByteBuffer kib = java.nio.ByteBuffer.allocate(1024);
            for (int i = 0; i < count; i++) {
                kib.clear();
                ch.write(kib);
                long t0 = System.nanoTime();
                ch.force(true);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        } finally {
            Files.deleteIfExists(file);
        }
        java.util.Arrays.sort(ms);
        return ms;
    }

    private static double pct(double[] sorted, double q) {
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1))];
    }

    /** Runs the threshold JMH benchmark briefly for 2048 bits, n = 5; p50 ms per benchmark method. */
    private Map<String, Double> signingBenchmark() throws IOException, InterruptedException {
        Path json = out.resolve("jmh-sign.json");
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", benchmarksJar.toString(),
                "org.evault.bench.threshold.ThresholdSignBenchmark.(additivePartialSignature|shoupShareWithoutProof|shoupShareWithProof|shoupShareWithProofCold)$",
                "-p", "bits=2048", "-p", "n=5", "-f", "1", "-rf", "json", "-rff", json.toString()));
        cmd.addAll(params.jmhOptions());
        log("(c) signing floor: %s", String.join(" ", cmd));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.resolve("logs/jmh-sign.log").toFile())
                .start();
        if (p.waitFor() != 0) {
            throw new IOException("the JMH run failed; see logs/jmh-sign.log");
        }
        Map<String, Double> p50 = new LinkedHashMap<>();
        String text = Files.readString(json);
        for (String block : text.split("\"jmhVersion\"")) {
            Matcher b = Pattern.compile("\"benchmark\"\\s*:\\s*\"[^\"]*\\.([A-Za-z]+)\"").matcher(block);
            Matcher q = Pattern.compile("\"50\\.0\"\\s*:\\s*([0-9.eE+-]+)").matcher(block);
            if (b.find() && q.find()) {
                p50.put(b.group(1), Double.parseDouble(q.group(1)));
            }
        }
        for (String needed : List.of("additivePartialSignature", "shoupShareWithoutProof", "shoupShareWithProof", "shoupShareWithProofCold")) {
            if (!p50.containsKey(needed)) {
                throw new IOException("no " + needed + " in " + json);
            }
        }
        log("(c) JMH p50 ms: %s", p50);
        return p50;
    }

    // ------------------------------------------------------------------ (d) bulk MB/s and (e) the gateway's heap

    private void bulk() throws Exception {
        List<String> targets = new ArrayList<>(vaults.keySet());
        targets.add("nginx");
        // per (size, target, operation): MB/s of each repetition
        Map<String, List<Double>> mbps = new LinkedHashMap<>();
        Map<String, HeapSampler.Heap> heaps = new LinkedHashMap<>();
        Map<String, Map<String, Double>> bulkCpu = new LinkedHashMap<>();
        Map<String, Double> bulkWall = new LinkedHashMap<>();
        long largest = params.bulkBytes()[params.bulkBytes().length - 1];
        for (long size : params.bulkBytes()) {
            for (int rep = 1; rep <= params.bulkReps(); rep++) {
                for (String target : targets) {
                    long seed = names.incrementAndGet();
                    String name = "bulk-" + size + "-" + seed;
                    Http.Vault v = vaults.get(target);
                    for (String operation : List.of("deposit", "retrieve")) {
                        HeapSampler heap = v != null && size == largest ? new HeapSampler(pid(target + ".gateway")) : null;
                        Map<String, Double> before = cpu.snapshot();
                        long t0 = System.nanoTime();
                        if (v == null) {
                            if (operation.equals("deposit")) {
                                nginx.upload(name, seed, size);
                            } else {
                                nginx.download(name, seed, size);
                            }
                        } else if (operation.equals("deposit")) {
                            v.deposit(name, seed, size);
                        } else {
                            v.retrieve(name, seed, size);
                        }
                        double seconds = (System.nanoTime() - t0) / 1e9;
                        String key = size + "/" + target + "/" + operation;
                        bulkCpu.merge(key, ProcessCpu.delta(before, cpu.snapshot()), LoadMain::add);
                        bulkWall.merge(key, seconds, Double::sum);
                        if (heap != null) {
                            heap.close();
                            heaps.merge(key, heap.result(), LoadMain::max);
                        }
                        double rate = size / 1e6 / seconds;
                        mbps.computeIfAbsent(key, x -> new ArrayList<>()).add(rate);
                        csv.printf(Locale.ROOT, "bulk,%s,%s,%d,1,%d,1,0,%.3f,%.4f,%.1f,%.1f,%.1f,%.2f,%s%n", target, operation,
                                size, rep, seconds, 1 / seconds, seconds * 1000, seconds * 1000, seconds * 1000, rate,
                                v == null ? "none" : v.authMode());
                        log("(d) %s %s %d MiB rep %d: %.1f MB/s", target, operation, size / MIB, rep, rate);
                    }
                    if (v == null) {
                        nginx.delete(name);
                    }
                }
            }
        }

        md.append("## (d) Large documents: MB/s (10^6 bytes/s) against nginx over HTTPS on the same machine\n\n");
        md.append(String.format("One transfer at a time, %d repetitions per size, interleaved (n = 3, n = 5, nginx in turn); "
                + "medians. The client streams each document from a seed and checks every retrieved byte. nginx: PUT "
                + "(WebDAV module, body to a temporary file, then renamed) and a static GET, TLS with the n = 5 gateway's "
                + "certificate; it does not fsync, the daemons do.%n%n", params.bulkReps()));
        md.append("| size | operation | n = 3 | n = 5 | nginx | n = 3 / nginx | n = 5 / nginx |\n|---|---|---|---|---|---|---|\n");
        for (long size : params.bulkBytes()) {
            for (String operation : List.of("deposit", "retrieve")) {
                double n3 = med(mbps.get(size + "/n3/" + operation));
                double n5 = med(mbps.get(size + "/n5/" + operation));
                double ng = med(mbps.get(size + "/nginx/" + operation));
                md.append(String.format("| %s | %s | %.0f | %.0f | %.0f (%s) | %.2fx | %.2fx |%n", human(size), operation, n3, n5, ng,
                        operation.equals("deposit") ? "upload" : "download", n3 / ng, n5 / ng));
            }
        }
        md.append("\nWall time and CPU seconds per GiB moved, by process group, over the repetitions of the largest size; "
                + "cores busy = the CPU our processes got during the transfers (2 would be the whole machine):\n\n");
        md.append("| transfer | wall s per GiB | gateway | daemons | nginx | load client | all | cores busy |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (String target : targets) {
            for (String operation : List.of("deposit", "retrieve")) {
                Map<String, Double> c = bulkCpu.get(largest + "/" + target + "/" + operation);
                double gib = params.bulkReps() * (double) largest / (1024 * MIB);
                double wall = bulkWall.get(largest + "/" + target + "/" + operation);
                double all = c.getOrDefault(target + " gateway", 0.0) + c.getOrDefault(target + " daemons", 0.0)
                        + c.getOrDefault("nginx", 0.0) + c.getOrDefault("load client", 0.0);
                md.append(String.format("| %s %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", target, operation, wall / gib,
                        c.getOrDefault(target + " gateway", 0.0) / gib, c.getOrDefault(target + " daemons", 0.0) / gib,
                        c.getOrDefault("nginx", 0.0) / gib, c.getOrDefault("load client", 0.0) / gib, all / gib, all / wall));
            }
        }
        String flags = Jfr.jcmd(pid("n5.gateway"), "VM.flags");
        Matcher maxHeap = Pattern.compile("MaxHeapSize=(\\d+)").matcher(flags);
        md.append("\n## (e) The gateway's heap while a ").append(human(largest)).append(" document streams\n\n");
        md.append("`jstat -gc PID 200` on the gateway during each transfer of the largest size (maximum over the repetitions; "
                + "default JVM heap settings: " + (maxHeap.find() ? Long.parseLong(maxHeap.group(1)) / MIB + " MiB maximum heap, " : "")
                + "G1). Old generation at start and at most: if a document were held in memory it would "
                + "grow by the document's size.\n\n");
        md.append("| gateway, transfer | heap used at most (MiB) | old gen at start (MiB) | old gen at most (MiB) | heap committed "
                + "(MiB) | young GCs | full GCs | samples |\n|---|---|---|---|---|---|---|---|\n");
        boolean flat = true;
        for (Map.Entry<String, HeapSampler.Heap> e : heaps.entrySet()) {
            HeapSampler.Heap h = e.getValue();
            String[] k = e.getKey().split("/");
            md.append(String.format("| %s %s | %.0f | %.0f | %.0f | %.0f | %d | %d | %d |%n", k[1], k[2], h.maxUsedMiB(),
                    h.firstOldUsedMiB(), h.maxOldUsedMiB(), h.maxCommittedMiB(), h.youngGcs(), h.fullGcs(), h.samples()));
            flat &= h.maxOldUsedMiB() - h.firstOldUsedMiB() < 64;
        }
        md.append('\n');
        for (String n : List.of("n3", "n5")) {
            double ratio = med(mbps.get(largest + "/" + n + "/deposit")) / med(mbps.get(largest + "/nginx/deposit"));
            double target = n.equals("n3") ? 0.3 : 0.2;
            verdicts.add(String.format("(d) %s deposits at %s: %.2fx the nginx upload, target at least %.1fx: %s", human(largest),
                    n.equals("n3") ? "n = 3" : "n = 5", ratio, target, ratio >= target ? "**met**"
                            : String.format("**not met** (%.0f%% of the target)", 100 * ratio / target)));
        }
        verdicts.add(String.format("(e) gateway heap flat while %s documents stream (old generation grew by less than 64 MiB in "
                + "every transfer; largest heap in use %.0f MiB): %s", human(largest),
                heaps.values().stream().mapToDouble(HeapSampler.Heap::maxUsedMiB).max().orElse(0), flat ? "**met**" : "**not met**"));
    }

    private static Map<String, Double> add(Map<String, Double> a, Map<String, Double> b) {
        Map<String, Double> s = new LinkedHashMap<>(a);
        b.forEach((k, v) -> s.merge(k, v, Double::sum));
        return s;
    }

    private static HeapSampler.Heap max(HeapSampler.Heap a, HeapSampler.Heap b) {
        return a.maxUsedMiB() >= b.maxUsedMiB() ? a : b;
    }

    private static double med(List<Double> v) {
        return LoadRunner.median(v.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static String human(long bytes) {
        return bytes >= 1024 * MIB ? bytes / (1024 * MIB) + " GiB" : bytes / MIB + " MiB";
    }

    private static void log(String format, Object... args) {
        System.out.printf("%s %s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS), String.format(Locale.ROOT, format, args));
    }
}
