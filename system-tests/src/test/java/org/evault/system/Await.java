package org.evault.system;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition until it holds or a timeout passes (for effects that may trail an HTTP answer). */
final class Await {
    private Await() {
    }

    static void until(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 10;
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(pause); // the poll interval, growing to 200 ms
            pause = Math.min(pause * 2, 200);
        }
    }
}
