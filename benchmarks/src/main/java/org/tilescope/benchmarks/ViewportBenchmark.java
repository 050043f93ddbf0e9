package org.tilescope.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideInfo;

/**
 * A full 1920x1080 viewport made sharp: every tile of the chosen level that it shows, read and
 * decoded on the pipeline's pools. States: colddisk (nothing cached, and the slide's files dropped
 * from the OS page cache: a first look), cold (nothing cached in the app, OS page cache warm),
 * L2-warm (encoded tiles cached, as right after switching back to a slide), L1-warm (all
 * decoded). Two zooms: 1:1 at level 0, and fit-to-window.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 4)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class ViewportBenchmark {
    static final int SCREEN_W = 1920;
    static final int SCREEN_H = 1080;

    @Param({"big.tif", "big_512.dzi"})
    String slide;

    @Param({"level0", "fit"})
    String zoom;

    @Param({"colddisk", "cold", "l2warm", "l1warm"})
    String state;

    TilePipeline pipeline;
    SlideHandle handle;
    int level;
    int col0;
    int row0;
    int col1;
    int row1;
    List<java.nio.file.Path> files = new ArrayList<>();

    @Setup(Level.Trial)
    public void open() throws Exception {
        pipeline = new TilePipeline(new CacheSizes(1L << 30, 1L << 30), TileDecoder.standard(),
                Runtime.getRuntime().availableProcessors(), 8, 32);
        handle = pipeline.open(BenchInputs.big(slide));
        handle.ready().get(60, TimeUnit.SECONDS);
        SlideInfo info = handle.info();
        double x;
        double y;
        double ds;
        if (zoom.equals("fit")) {
            ds = Math.max((double) info.width() / SCREEN_W, (double) info.height() / SCREEN_H);
            x = 0;
            y = 0;
        } else {
            ds = 1;
            // a spot in the middle, not aligned to tiles
            x = info.width() / 2.0 - SCREEN_W / 2.0 + 37;
            y = info.height() / 2.0 - SCREEN_H / 2.0 + 91;
        }
        level = info.bestLevelForDownsample(ds);
        LevelInfo l = info.level(level);
        double lds = l.downsample();
        col0 = (int) (x / lds) / l.tileWidth();
        row0 = (int) (y / lds) / l.tileHeight();
        col1 = Math.min(l.cols() - 1, (int) ((x + SCREEN_W * ds) / lds - 1) / l.tileWidth());
        row1 = Math.min(l.rows() - 1, (int) ((y + SCREEN_H * ds) / lds - 1) / l.tileHeight());
        java.nio.file.Path path = BenchInputs.big(slide);
        if (slide.endsWith(".dzi")) {
            // the tile files of this viewport; the Deep Zoom folder of engine level L is max - L
            String base = path.getFileName().toString().replace(".dzi", "_files");
            int folder = info.levelCount() - 1 - level;
            for (int r = row0; r <= row1; r++) {
                for (int c = col0; c <= col1; c++) {
                    java.nio.file.Path dir = path.resolveSibling(base).resolve(Integer.toString(folder));
                    java.nio.file.Path jpeg = dir.resolve(c + "_" + r + ".jpeg");
                    files.add(java.nio.file.Files.exists(jpeg) ? jpeg : dir.resolve(c + "_" + r + ".jpg"));
                }
            }
        } else {
            files.add(path);
        }
        viewport(); // fills both tiers once
    }

    @Setup(Level.Invocation)
    public void prepare() {
        switch (state) {
            case "cold" -> pipeline.clearAll();
            case "colddisk" -> {
                pipeline.clearAll();
                files.forEach(PageCache::evict);
            }
            case "l2warm" -> pipeline.clearDecoded();
            default -> {
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        pipeline.close();
    }

    @Benchmark
    public int viewport() throws Exception {
        List<CompletableFuture<DecodedTile>> all = new ArrayList<>();
        for (int r = row0; r <= row1; r++) {
            for (int c = col0; c <= col1; c++) {
                all.add(pipeline.request(handle, handle.key(level, c, r), Priority.VISIBLE, null, 0));
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        return all.size();
    }
}
