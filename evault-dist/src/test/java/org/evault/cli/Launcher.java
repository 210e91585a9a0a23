package org.evault.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bin/evault} as the tests run it: a real child JVM with this JVM's java and class path
 * running {@link Main}, with a chosen environment (the password comes from EVAULT_PASSWORD, as a
 * script would pass it), its output in files so that nothing blocks on a full pipe.
 */
final class Launcher {
    private static final AtomicInteger RUNS = new AtomicInteger();

    private Launcher() {
    }

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static ProcessBuilder command(Path logs, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove(ClientOptions.PASSWORD_VARIABLE);
        pb.environment().remove("EVAULT_USER");
        pb.environment().remove(ClientStore.HOME_VARIABLE);
        pb.environment().putAll(env);
        Files.createDirectories(logs);
        int run = RUNS.incrementAndGet();
        pb.redirectOutput(logs.resolve("run-" + run + ".out").toFile());
        pb.redirectError(logs.resolve("run-" + run + ".err").toFile());
        return pb;
    }

    /** Runs {@code evault args...} to completion (two minutes at most). */
    static Result run(Path logs, Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = command(logs, env, args);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("evault " + String.join(" ", args) + " did not finish within 120 s");
        }
        // The JVM's own note about the Vector API is not the command's output.
        String err = Files.readString(pb.redirectError().file().toPath(), StandardCharsets.UTF_8)
                .replace("WARNING: Using incubator modules: jdk.incubator.vector\n", "");
        return new Result(p.exitValue(), Files.readString(pb.redirectOutput().file().toPath(), StandardCharsets.UTF_8), err);
    }
}
