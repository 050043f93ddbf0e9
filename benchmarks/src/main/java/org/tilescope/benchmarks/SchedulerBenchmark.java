package org.tilescope.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.cache.CacheSizes;
import org.tilescope.engine.view.PaintPlan;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.view.TileScheduler;
import org.tilescope.engine.view.Viewport;

/** One scheduler update with everything in view, its cover level and its prefetch ring cached. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class SchedulerBenchmark {
    TilePipeline pipeline;
    TileScheduler scheduler;
    Viewport view;
    long generation;

    @Setup(Level.Trial)
    public void open() throws Exception {
        pipeline = new TilePipeline(new CacheSizes(1L << 30, 1L << 30), TileDecoder.standard(),
                Runtime.getRuntime().availableProcessors(), 8, 32);
        SlideHandle h = pipeline.open(BenchInputs.big("big.tif"));
        h.ready().get(60, TimeUnit.SECONDS);
        scheduler = new TileScheduler(pipeline, h);
        view = Viewport.centred(20000, 15000, 1920, 1080, 1.0, 1);
        // let everything it asks for land, then measure the hot path
        for (int i = 0; i < 200; i++) {
            PaintPlan p = scheduler.update(view);
            if (p.complete() && pipeline.stats().readsInFlight() + pipeline.stats().decodesInFlight() == 0) {
                break;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L); // poll: setup only, not measured
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        pipeline.close();
    }

    @Benchmark
    public PaintPlan updateHot() {
        return scheduler.update(view);
    }
}
