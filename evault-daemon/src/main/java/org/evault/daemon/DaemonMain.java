package org.evault.daemon;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one daemon until SIGTERM or SIGINT: {@code java ... org.evault.daemon.DaemonMain <node folder>}
 * ({@code bin/evault daemon --config <node folder>} does the same). Exit code 0 after a clean stop,
 * 1 if it could not start (the message says why).
 */
public final class DaemonMain {
    private DaemonMain() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: DaemonMain <node folder>");
            System.exit(2);
        }
        int code = run(Path.of(args[0]));
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Starts the daemon of {@code folder} and blocks until the JVM is asked to stop. */
    public static int run(Path folder) {
        Daemon daemon;
        try {
            daemon = Daemon.start(DaemonConfig.load(folder));
        } catch (Exception e) {
            System.err.println("evault daemon: cannot start from " + folder + ": " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                daemon.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stopped.countDown();
            }
        }, "daemon-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
