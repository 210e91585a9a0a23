package org.evault.bench.threshold;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.evault.threshold.DealtKey;
import org.evault.threshold.Dealer;
import org.evault.threshold.ThresholdScheme;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The dealer's whole key generation: two safe primes by the joint sieve on all cores, then the
 * sharing. Single shots: the time varies a lot from key to key, so read the median of many.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 9)
@Fork(1)
public class ThresholdKeyGenBenchmark {
  @Param({"2048", "3072"})
  int bits;

  @Param({"3", "5", "7"})
  int n;

  @Benchmark
  public DealtKey keyGeneration() throws InterruptedException {
    try (DealtKey key = Dealer.builder().modulusBits(bits).scheme(ThresholdScheme.SHOUP).servers(n)
        .threshold(BenchKeys.thresholdFor(n)).random(new SecureRandom()).build().generate()) {
      return key;
    }
  }
}
