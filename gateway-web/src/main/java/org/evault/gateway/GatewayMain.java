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

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: GatewayMain <gateway folder>");
            System.exit(2);
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(Path.of(args[0]));
        } catch (Exception e) {
            LOG.error("gateway could not start: {}", e.toString());
            System.exit(1);
            return;
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
        stopped.await();
    }
}
