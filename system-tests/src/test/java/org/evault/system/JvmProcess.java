package org.evault.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.evault.daemon.ClassPathSnapshot;

/**
 * A Java program as a real child process, with its output in a log file (a pipe would lose what a
 * shutdown hook prints, and would need a reader thread per child). The child runs on a private
 * copy of this JVM's class folders ({@link #classPathSnapshot()}): other builds in the same
 * checkout recompile classes while the system tests run.
 */
final class JvmProcess {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Path logFile;
    private final Process process;

    private JvmProcess(String name, Path logFile, Process process) {
        this.name = name;
        this.logFile = logFile;
        this.process = process;
    }

    /**
     * Starts {@code java <jvmOptions> -cp <snapshot> <mainClass> <args>} with the incubating Vector
     * API module (as bin/evault does); stdout and stderr both go to {@code logFile}.
     */
    static JvmProcess start(String name, Path logFile, List<String> jvmOptions, String mainClass, List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        // Times in the logs, to read what took how long after a failure.
        command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        command.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPathSnapshot());
        command.add(mainClass);
        command.addAll(args);
        Files.createDirectories(logFile.getParent());
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        return new JvmProcess(name, logFile, p);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Waits until the log has a match of {@code pattern} after character {@code from}, and returns
     * it. Fails at once, with the log, if the process exits first.
     */
    Matcher awaitLog(Pattern pattern, int from, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String text = log();
            Matcher m = pattern.matcher(text);
            if (text.length() > from && m.find(from)) {
                return m;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before logging /"
                        + pattern + "/:\n" + text);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not log /" + pattern + "/ within " + timeout + ":\n" + text);
            }
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
    }

    /** SIGTERM, then waits for a clean exit; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not stop within " + STOP_TIMEOUT + " of SIGTERM");
        }
        return process.exitValue();
    }

    /** SIGKILL (kill -9): no shutdown hook, no flush, as in a crash. Returns once the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " (pid " + pid() + ") survived SIGKILL for " + STOP_TIMEOUT);
        }
    }

    /** Kills the process if it still runs. */
    void killIfAlive() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    static String classPathSnapshot() throws IOException {
        return ClassPathSnapshot.get();
    }

    static void deleteTree(Path root) {
        ClassPathSnapshot.deleteTree(root);
    }
}
