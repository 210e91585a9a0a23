package org.evault.bench.threshold;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.evault.threshold.DealtKey;
import org.evault.threshold.Dealer;
import org.evault.threshold.ThresholdScheme;

/** Keys for the benchmarks, made once per JVM fork with the real dealer. */
final class BenchKeys {
  private static final Map<String, DealtKey> KEYS = new ConcurrentHashMap<>();

  private BenchKeys() {}

  /** k = t + 1 with t < n / 2, the deployment's rule: 2 of 3, 3 of 5, 4 of 7. */
  static int thresholdFor(int n) {
    return (n + 1) / 2;
  }

  static DealtKey key(int bits, int n, ThresholdScheme scheme) {
    return KEYS.computeIfAbsent(bits + "/" + n + "/" + scheme, x -> {
      try {
        return Dealer.builder().modulusBits(bits).scheme(scheme).servers(n).threshold(thresholdFor(n))
            .random(new SecureRandom()).build().generate();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
  }
}
