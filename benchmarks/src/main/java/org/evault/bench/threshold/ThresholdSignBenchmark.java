package org.evault.bench.threshold;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.evault.threshold.DealtKey;
import org.evault.threshold.SignatureCombiner;
import org.evault.threshold.SignatureShare;
import org.evault.threshold.ThresholdScheme;
import org.evault.threshold.ThresholdSignature;
import org.evault.threshold.ThresholdSigner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-receipt costs of threshold signing with real dealer keys of 2048 and 3072 bits for n = 3, 5, 7
 * (k = 2, 3, 4 for Shoup; all n for the additive scheme). Compare with
 * {@link ThresholdFloorBenchmark} from the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ThresholdSignBenchmark {
  @Param({"2048", "3072"})
  int bits;

  @Param({"3", "5", "7"})
  int n;

  private byte[] message;
  private ThresholdSigner additiveSigner;
  private ThresholdSigner shoupSigner;
  private ThresholdSigner shoupSignerNoPool;
  private SignatureCombiner additiveCombiner;
  private SignatureCombiner shoupCombiner;
  private List<SignatureShare> additiveShares;
  private List<SignatureShare> shoupShares;
  private SignatureShare shoupShare;

  @Setup(Level.Trial)
  public void setup() throws GeneralSecurityException {
    message = new byte[512];
    new SecureRandom().nextBytes(message);
    DealtKey additive = BenchKeys.key(bits, n, ThresholdScheme.ADDITIVE);
    DealtKey shoup = BenchKeys.key(bits, n, ThresholdScheme.SHOUP);
    additiveSigner = ThresholdSigner.create(additive.share(1));
    shoupSigner = ThresholdSigner.create(shoup.share(1));
    shoupSignerNoPool = ThresholdSigner.create(shoup.share(2));
    additiveCombiner = SignatureCombiner.create(additive.parameters());
    shoupCombiner = SignatureCombiner.create(shoup.parameters());
    additiveShares = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      additiveShares.add(ThresholdSigner.create(additive.share(i)).sign(message));
    }
    shoupShares = new ArrayList<>();
    for (int i = 1; i <= shoup.parameters().k(); i++) {
      shoupShares.add(ThresholdSigner.create(shoup.share(i)).sign(message));
    }
    shoupShare = shoupShares.get(0);
  }

  /** The message-independent half of the next proof, as a daemon computes it while idle. */
  @Setup(Level.Invocation)
  public void refill() {
    shoupSigner.precompute(1);
  }

  /** The paper's partial signature: x^(d_i) on a blinded base, x = EMSA(SHA-256(message)). */
  @Benchmark
  public SignatureShare additivePartialSignature() throws GeneralSecurityException {
    return additiveSigner.sign(message);
  }

  /** Shoup share x^(2 Delta s_i) with its proof, v^r precomputed. */
  @Benchmark
  public SignatureShare shoupShareWithProof() throws GeneralSecurityException {
    return shoupSigner.sign(message);
  }

  /**
   * The share alone, as a daemon signs a deposit (the gateway asks for the proof only when the
   * shares do not combine): one exponentiation on a blinded base.
   */
  @Benchmark
  public SignatureShare shoupShareWithoutProof() throws GeneralSecurityException {
    return shoupSignerNoPool.signWithoutProof(message);
  }

  /** The same with nothing precomputed: three exponentiations. */
  @Benchmark
  public SignatureShare shoupShareWithProofCold() throws GeneralSecurityException {
    return shoupSignerNoPool.sign(message);
  }

  /** The gateway's check of one share's proof (only needed when optimism fails). */
  @Benchmark
  public SignatureCombiner shoupProofCheck() throws GeneralSecurityException {
    shoupCombiner.checkShare(message, shoupShare);
    return shoupCombiner;
  }

  /** Optimistic combination of k Shoup shares plus y^e = x. */
  @Benchmark
  public ThresholdSignature shoupCombineVerify() throws GeneralSecurityException {
    return shoupCombiner.combine(message, shoupShares);
  }

  /** Product of all n additive partials plus y^e = x. */
  @Benchmark
  public ThresholdSignature additiveCombineVerify() throws GeneralSecurityException {
    return additiveCombiner.combine(message, additiveShares);
  }
}
