package org.tilescope.benchmarks;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.cache.CacheSizes;
import org.tilescope.engine.cache.DecodedTile;
import org.tilescope.engine.cache.Priority;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TileKey;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.slide.LevelInfo;

/**
 * One tile through each path of the pipeline: an L1 hit, an L2 hit decoded, a cold read decoded.
 * Input: big.tif (256 px JPEG tiles) from make-big.sh.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class TileCacheBenchmark {
    @Param({"big.tif"})
    String slide;

    TilePipeline pipeline;
    SlideHandle handle;
    LevelInfo level0;
    TileKey hot;
    int next;

    @Setup(Level.Trial)
    public void open() throws Exception {
        pipeline = new TilePipeline(new CacheSizes(1L << 30, 1L << 30), TileDecoder.standard(),
                Runtime.getRuntime().availableProcessors(), 8, 32);
        handle = pipeline.open(BenchInputs.big(slide));
        handle.ready().get(60, TimeUnit.SECONDS);
        level0 = handle.info().level(0);
        hot = handle.key(0, level0.cols() / 2, level0.rows() / 2);
        pipeline.request(handle, hot, Priority.VISIBLE, null, 0).get();
    }

    @TearDown(Level.Trial)
    public void close() {
        pipeline.close();
    }

    private TileKey nextKey() {
        // walk the interior of level 0 so every key is a real, full tile
        int cols = level0.cols() - 2;
        int n = next++ % (cols * (level0.rows() - 2));
        return handle.key(0, 1 + n % cols, 1 + n / cols);
    }

    @Benchmark
    public DecodedTile l1Hit() {
        return pipeline.cached(hot);
    }

    /** L2 has the bytes (as after a slide switch): decode and insert into L1. */
    @Benchmark
    public DecodedTile l2HitDecoded(L2Warm s) throws Exception {
        return pipeline.request(handle, s.key, Priority.VISIBLE, null, 0).get();
    }

    /** Nothing cached: read from the file (page cache warm), write through to L2, decode. */
    @Benchmark
    public DecodedTile coldDecoded(Cold s) throws Exception {
        return pipeline.request(handle, s.key, Priority.VISIBLE, null, 0).get();
    }

    @State(Scope.Thread)
    public static class L2Warm {
        TileKey key;

        @Setup(Level.Invocation)
        public void prepare(TileCacheBenchmark b) throws Exception {
            key = b.nextKey();
            b.pipeline.warm(b.handle, key).get();
            b.pipeline.clearDecoded();
        }
    }

    @State(Scope.Thread)
    public static class Cold {
        TileKey key;

        @Setup(Level.Invocation)
        public void prepare(TileCacheBenchmark b) {
            key = b.nextKey();
            b.pipeline.clearAll();
        }
    }
}
