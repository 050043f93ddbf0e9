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
import org.tilescope.engine.decode.TileEncoder;

/**
 * What one tile of a generated pyramid level costs, per operation on one thread, over the same
 * {@value DecodeTiles#COUNT} real 256 px Q80 tiles as {@link DecodeBenchmark}: a full decode
 * against a decode reduced to 1/2, 1/4, 1/8 (libjpeg-turbo scales inside the decoder; ImageIO
 * decodes in full and box-filters), and encoding a made tile (JPEG Q90 4:4:4). Setup prints the
 * encoded sizes against raw pixels, which is what keeping made tiles in L2 costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PyramidTileBenchmark {

    @Param({"imageio", "libjpeg-turbo"})
    public String codec;

    /** decode1 = full size; decodeN = reduced to 1/N; encode = a made tile to JPEG. */
    @Param({"decode1", "decode2", "decode4", "decode8", "encode"})
    public String op;

    private TileDecoder decoder;
    private TileEncoder encoder;
    private byte[][] tiles;
    private BufferedImage[] pixels;
    private int denominator;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        decoder = switch (codec) {
            case "imageio" -> TileDecoder.imageIo();
            case "libjpeg-turbo" -> TileDecoder.turbo().orElseThrow(() -> new IllegalStateException(
                    "libjpeg-turbo unavailable (install libturbojpeg0)"));
            default -> throw new IllegalArgumentException(codec);
        };
        if (op.equals("encode")) {
            encoder = codec.equals("imageio") ? TileEncoder.imageIo() : TileEncoder.standard();
            if (!encoder.name().equals(codec)) {
                throw new IllegalStateException("encoder " + encoder.name() + " is not " + codec);
            }
        } else {
            denominator = Integer.parseInt(op.substring("decode".length()));
        }
        List<DecodeTiles.Tile> picked = DecodeTiles.pick(256);
        tiles = picked.stream().map(DecodeTiles.Tile::bytes).toArray(byte[][]::new);
        pixels = new BufferedImage[tiles.length];
        long jpegBytes = 0;
        long rawBytes = 0;
        for (int i = 0; i < tiles.length; i++) {
            pixels[i] = TileDecoder.imageIo().decode(tiles[i]);
            if (encoder != null) {
                jpegBytes += encoder.encode(pixels[i]).length;
                rawBytes += 3L * pixels[i].getWidth() * pixels[i].getHeight();
            }
        }
        if (encoder != null) {
            System.out.printf("%n%s: made tiles average %d bytes as JPEG, %d as raw RGB (%.1fx)%n", codec,
                    jpegBytes / tiles.length, rawBytes / tiles.length, (double) rawBytes / jpegBytes);
        }
    }

    /**
     * The same operations timed in CPU time of the measuring thread (ThreadMXBean), which a
     * machine shared with other work disturbs far less than JMH's wall-clock throughput:
     * {@code java -cp benchmarks.jar org.tilescope.benchmarks.PyramidTileBenchmark [rounds]}.
     */
    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        String[] ops = {"decode1", "decode2", "decode4", "decode8", "encode"};
        System.out.printf("%-14s %-8s %12s %10s%n", "codec", "op", "CPU us/tile", "tiles/CPU s");
        for (String codec : new String[] {"imageio", "libjpeg-turbo"}) {
            for (String op : ops) {
                PyramidTileBenchmark b = new PyramidTileBenchmark();
                b.codec = codec;
                b.op = op;
                b.setUp();
                for (int i = 0; i < b.tiles.length * 4; i++) {
                    b.run(); // warm-up
                }
                long n = (long) rounds * b.tiles.length;
                long t0 = mx.getCurrentThreadCpuTime();
                for (long i = 0; i < n; i++) {
                    b.run();
                }
                double us = (mx.getCurrentThreadCpuTime() - t0) / 1e3 / n;
                System.out.printf("%-14s %-8s %12.1f %10.0f%n", codec, op, us, 1e6 / us);
            }
        }
    }

    @Benchmark
    public Object run() throws IOException {
        int i = next;
        next = next + 1 == tiles.length ? 0 : next + 1;
        return encoder != null ? encoder.encode(pixels[i]) : decoder.decodeReduced(tiles[i], denominator);
    }
}
