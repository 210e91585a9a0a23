package org.evault.ida;

import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Distributed fingerprinting (SHA-256 per 64 KiB segment, then the root) against one raw
 * MessageDigest SHA-256 over the same 64 MiB of slice bytes: the target is within 10%.
 * {@code documentBytes} counts slice bytes per second here.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FingerprintBenchmark {
    @State(Scope.Thread)
    public static class SliceBytes {
        byte[] slice;

        @Setup
        public void setUp() {
            slice = new byte[IdaBenchmark.DOCUMENT_BYTES];
            new Random(1).nextBytes(slice);
        }
    }

    @Benchmark
    public SegmentHashes fingerprint(SliceBytes data, IdaBenchmark.Bytes bytes) {
        bytes.documentBytes += data.slice.length;
        return SegmentHashes.ofSlice(data.slice, Ida.DEFAULT_SEGMENT_SIZE);
    }

    @Benchmark
    public byte[] rawSha256(SliceBytes data, IdaBenchmark.Bytes bytes) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(data.slice);
        bytes.documentBytes += data.slice.length;
        return sha.digest();
    }
}
