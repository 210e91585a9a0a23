package org.evault.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A daemon as a real operating-system process, as in production: started from its node folder,
 * ready once it logs its port, stopped with SIGTERM or killed with SIGKILL. Its output goes to a
 * log file beside the node folder (a pipe would lose what the shutdown hook prints: the JDK drains
 * and closes a child's pipe as soon as the child exits).
 */
public final class DaemonProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");
    private static final AtomicInteger STARTS = new AtomicInteger();

    private final Path folder;
    private final Path logFile;
    private final Process process;

    private DaemonProcess(Path folder, Path logFile, Process process) {
        this.folder = folder;
        this.logFile = logFile;
        this.process = process;
    }

    public static DaemonProcess start(Path folder, String... jvmOptions) throws IOException {
        return startWithClassPath(folder, System.getProperty("java.class.path"), jvmOptions);
    }

    /**
     * As {@link #start(Path, String...)} with the given class path (e.g. a snapshot of the build's
     * class folders, so that a concurrent rebuild cannot pull classes from under a running daemon).
     */
    public static DaemonProcess startWithClassPath(Path folder, String classPath, String... jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("-Xmx256m");
        command.addAll(List.of(jvmOptions));
        command.add("-cp");
        command.add(classPath);
        command.add(DaemonMain.class.getName());
        command.add(folder.toString());
        Path log = folder.resolveSibling(folder.getFileName() + "-" + STARTS.incrementAndGet() + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new DaemonProcess(folder, log, p);
    }

    /** Waits (up to a minute) for the daemon to log its port, and returns it. */
    public int awaitPort() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (String line : log()) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            if (process.waitFor(50, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("daemon in " + folder + " exited with " + process.exitValue()
                        + " before listening:\n" + String.join("\n", log()));
            }
        }
        throw new IllegalStateException("daemon in " + folder + " did not listen within 60 s:\n" + String.join("\n", log()));
    }

    public List<String> log() {
        try {
            return Files.readAllLines(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    public Path folder() {
        return folder;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, then wait for a clean exit. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("daemon in " + folder + " did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no flush, as in a crash or power loss of the process. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
