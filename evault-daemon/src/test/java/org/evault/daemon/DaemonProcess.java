package org.evault.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A daemon as a real operating-system process, as in production: started from its node folder,
 * ready once it logs its port, stopped with SIGTERM or killed with SIGKILL. Its log lines are kept
 * for assertions.
 */
public final class DaemonProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");

    private final Path folder;
    private final Process process;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Integer> port = new CompletableFuture<>();

    private DaemonProcess(Path folder, Process process) {
        this.folder = folder;
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    log.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                // the process is gone
            } finally {
                port.completeExceptionally(new IllegalStateException("daemon in " + folder + " exited before listening:\n"
                        + String.join("\n", log)));
            }
        }, "log-" + folder.getFileName());
        reader.setDaemon(true);
        reader.start();
    }

    public static DaemonProcess start(Path folder, String... jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("-Xmx256m");
        command.addAll(List.of(jvmOptions));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(DaemonMain.class.getName());
        command.add(folder.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new DaemonProcess(folder, p);
    }

    /** Waits for the daemon to listen and returns its port. */
    public int awaitPort() throws Exception {
        return port.get(60, TimeUnit.SECONDS);
    }

    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
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
