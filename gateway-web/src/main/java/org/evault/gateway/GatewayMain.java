package org.evault.gateway;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java org.evault.gateway.GatewayMain <gateway folder>}: runs the gateway until SIGTERM
 * or Ctrl-C. Exits with 1 and a message if it cannot start.
 */
public final class GatewayMain {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);

    private GatewayMain() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: GatewayMain <gateway folder>");
            System.exit(2);
        }
        int code = run(Path.of(args[0]));
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Starts the gateway of {@code folder} and blocks until the JVM is asked to stop; 1 if it cannot start. */
    public static int run(Path folder) {
        Gateway gateway;
        try {
            gateway = Gateway.start(folder);
        } catch (Exception e) {
            LOG.error("gateway could not start: {}", e.toString());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                gateway.close();
            } catch (Exception e) {
                LOG.warn("gateway shutdown: {}", e.toString());
            } finally {
                stopped.countDown();
            }
        }, "gateway-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
