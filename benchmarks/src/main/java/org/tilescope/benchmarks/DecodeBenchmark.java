package org.tilescope.benchmarks;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.tilescope.engine.decode.TileDecoder;

/**
 * Tiles per second one decode thread gets from real Q80 slide tiles (libvips output), cycling
 * through {@value DecodeTiles#COUNT} preloaded tiles, for ImageIO against libjpeg-turbo. The
 * anchor against libjpeg-turbo's own rate is {@code benchmarks/scripts/decode-vs-tjcycle.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
// The manifest's Enable-Native-Access covers only `java -jar`; JMH forks with -cp.
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class DecodeBenchmark {

    @Param({"imageio", "libjpeg-turbo"})
    public String decoder;

    @Param({"256", "512"})
    public int tileSize;

    /**
     * cycle: a different tile every call, as a viewer decodes. repeat: each tile {@value #REPEAT}
     * times before the next, as tjbench measures (one file, over and over), so that the ratio to
     * tjbench compares the decoders and not warm caches and a trained branch predictor.
     */
    @Param({"cycle", "repeat"})
    public String order;

    private static final int REPEAT = 200;
    private int repeats;

    private TileDecoder impl;
    private byte[][] tiles;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        impl = switch (decoder) {
            case "imageio" -> TileDecoder.imageIo();
            case "libjpeg-turbo" -> TileDecoder.turbo().orElseThrow(() -> new IllegalStateException(
                    "libjpeg-turbo decoder unavailable (install libturbojpeg0; see the engine's log line)"));
            default -> throw new IllegalArgumentException("decoder must be imageio or libjpeg-turbo: " + decoder);
        };
        List<DecodeTiles.Tile> picked = DecodeTiles.pick(tileSize);
        tiles = picked.stream().map(DecodeTiles.Tile::bytes).toArray(byte[][]::new);
        // Fail here, not mid-measurement, if a tile does not decode to its full size.
        for (byte[] t : tiles) {
            BufferedImage img = impl.decode(t);
            if (img.getWidth() != tileSize || img.getHeight() != tileSize) {
                throw new IllegalStateException("tile decoded to " + img.getWidth() + "x" + img.getHeight());
            }
        }
    }

    @Benchmark
    public BufferedImage decode() throws IOException {
        byte[] t = tiles[next];
        if (order.equals("cycle") || ++repeats == REPEAT) {
            repeats = 0;
            next = next + 1 == tiles.length ? 0 : next + 1;
        }
        return impl.decode(t);
    }
}
