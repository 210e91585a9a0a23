package org.evault.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of groups of processes (the gateway, the daemons, nginx with its workers, this client)
 * from /proc/PID/stat, so that each phase can say which process spent the cores.
 */
final class ProcessCpu {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private final Map<String, List<Long>> groups = new LinkedHashMap<>();

    void add(String group, long pid) {
        groups.computeIfAbsent(group, g -> new ArrayList<>()).add(pid);
    }

    /** CPU seconds so far per group (user + system, including each process's live children). */
    Map<String, Double> snapshot() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Long>> g : groups.entrySet()) {
            double s = 0;
            for (long pid : g.getValue()) {
                s += seconds(pid);
                for (ProcessHandle child : ProcessHandle.of(pid).map(p -> p.children().toList()).orElse(List.of())) {
                    s += seconds(child.pid());
                }
            }
            out.put(g.getKey(), s);
        }
        return out;
    }

    static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> d = new LinkedHashMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0.0)));
        return d;
    }

    /**
     * CPU seconds so far of each live thread of one process, keyed by "name/tid" (Linux keeps 15
     * characters of a name). Threads that end between two snapshots take their time with them.
     */
    static Map<String, Double> threads(long pid) {
        Map<String, Double> out = new LinkedHashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    out.put(name + "/" + task.getFileName(), ticks(stat) / TICKS_PER_SECOND);
                } catch (IOException | RuntimeException e) {
                    // The thread ended meanwhile.
                }
            }
        } catch (IOException e) {
            // The process ended.
        }
        return out;
    }

    /**
     * CPU seconds between two {@link #threads} snapshots, grouped by thread name with digits as #
     * (so "C2 CompilerThread0" and "C2 CompilerThread1" are one group); threads born meanwhile
     * count from zero.
     */
    static Map<String, Double> threadDelta(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> out = new LinkedHashMap<>();
        after.forEach((key, seconds) -> {
            String name = key.substring(0, key.lastIndexOf('/')).replaceAll("[0-9]+", "#");
            out.merge(name, Math.max(0, seconds - before.getOrDefault(key, 0.0)), Double::sum);
        });
        return out;
    }

    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // After "pid (comm) ": state is field 3, so utime (14) and stime (15) are at 11 and 12.
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static double seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return ticks(stat) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
