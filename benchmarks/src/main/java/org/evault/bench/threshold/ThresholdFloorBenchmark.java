package org.evault.bench.threshold;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floors the threshold operations are compared with: one raw BigInteger.modPow with a full-size
 * exponent and modulus, and one JCA SHA256withRSA signature (which uses CRT, so about 4x faster).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ThresholdFloorBenchmark {
  @Param({"2048", "3072"})
  int bits;

  private BigInteger modulus;
  private BigInteger exponent;
  private BigInteger base;
  private KeyPair jcaKeys;
  private byte[] message;

  @Setup
  public void setup() throws Exception {
    SecureRandom r = new SecureRandom();
    modulus = BigInteger.probablePrime(bits / 2, r).multiply(BigInteger.probablePrime(bits / 2, r));
    exponent = new BigInteger(bits, r).setBit(bits - 1).mod(modulus);
    base = new BigInteger(bits - 1, r);
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits, r);
    jcaKeys = g.generateKeyPair();
    message = new byte[512];
    r.nextBytes(message);
  }

  @Benchmark
  public BigInteger rawModPow() {
    return base.modPow(exponent, modulus);
  }

  @Benchmark
  public byte[] jcaCrtSignature() throws Exception {
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(jcaKeys.getPrivate());
    s.update(message);
    return s.sign();
  }
}
