package org.tilescope.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;
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
 * xxHash64 of lz4-java's three implementations, to choose one that prints no JDK warning:
 * {@code safe} (plain Java arrays), {@code unsafe} ({@code fastestJavaInstance()}: sun.misc.Unsafe,
 * which JDK 24+ warns about at first use), {@code jni} ({@code fastestInstance()}: the bundled
 * native library). 1 KiB is a slide id key or a descriptor; 64 KiB is a large encoded tile, what
 * the content fingerprint hashes. The forked JVM allows Unsafe memory access and native access so
 * that every variant runs as fast as it can; the warnings are what the product must avoid.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class HashBenchmark {
    @Param({"safe", "unsafe", "jni"})
    String impl;

    @Param({"1024", "65536"})
    int size;

    XXHash64 hash;
    byte[] data;

    @Setup
    public void setUp() {
        XXHashFactory factory = switch (impl) {
            case "safe" -> XXHashFactory.safeInstance();
            case "unsafe" -> XXHashFactory.fastestJavaInstance();
            case "jni" -> XXHashFactory.nativeInstance();
            default -> throw new IllegalArgumentException(impl);
        };
        hash = factory.hash64();
        data = new byte[size];
        new SplittableRandom(42).nextBytes(data);
    }

    @Benchmark
    public long xxhash64() {
        return hash.hash(data, 0, data.length, 0x7173_636f_7065L);
    }
}
