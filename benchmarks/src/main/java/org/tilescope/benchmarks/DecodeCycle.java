package org.tilescope.benchmarks;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tilescope.engine.cache.CacheSizes;
import org.tilescope.engine.cache.DecodedTile;
import org.tilescope.engine.decode.PixelBuffers;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.slide.PixelRect;

/**
 * The Java twin of {@code benchmarks/tjcycle/tjcycle.c}: the same files in the same order for the
 * same seconds on one thread, each decoded by the engine's {@link TileDecoder#standard()} into what
 * L1 keeps (a {@link DecodedTile} over an int-RGB image), the way the pipeline's decode threads call
 * it. The last {@value #KEPT} tiles stay referenced, as a cache would hold them, so a pooled array
 * comes back only after its tile was dropped and a collection noticed.
 *
 * <pre>
 * DecodeCycle SECONDS pooled|allocating FILE_LIST
 * </pre>
 * pooled: arrays from a {@link PixelBuffers} sized for the default L1 (what the pipeline does);
 * allocating: a new array per tile (the decoder's plain {@code decode}). Untimed first: one pass
 * over the files, then decoding until the process has used {@value #WARM_UP_SECONDS} s of CPU, so
 * the JIT has compiled the loop however busy the machine is (tjcycle needs no JIT and does one
 * untimed pass).
 * Prints one line: "decodecycle: DECODER MODE, FILES files, DECODES decodes in SECS s, RATE tiles/s,
 * CPURATE tiles/cpu-s, ...", the second rate over the process's CPU time (this thread, the GC, the
 * JIT, the recycler), as tjcycle prints it.
 */
public final class DecodeCycle {
    static final int KEPT = 16;
    static final double WARM_UP_SECONDS = 3;

    private DecodeCycle() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3 || !(args[1].equals("pooled") || args[1].equals("allocating"))) {
            System.err.println("usage: DecodeCycle SECONDS pooled|allocating FILE_LIST");
            System.exit(2);
        }
        double seconds = Double.parseDouble(args[0]);
        boolean pooled = args[1].equals("pooled");
        List<byte[]> tiles = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[2]))) {
            if (!line.isBlank()) {
                tiles.add(Files.readAllBytes(Path.of(line.trim())));
            }
        }
        if (tiles.isEmpty()) {
            throw new IllegalArgumentException(args[2] + ": no files listed");
        }
        TileDecoder decoder = TileDecoder.standard();
        PixelBuffers buffers = pooled ? PixelBuffers.forCache(CacheSizes.fromEnvironment().l1Bytes()) : null;
        DecodedTile[] kept = new DecodedTile[KEPT];
        Cycle warm = run(decoder, buffers, tiles, kept, WARM_UP_SECONDS, true);
        Cycle c = run(decoder, buffers, tiles, kept, seconds, false);
        System.out.printf(Locale.ROOT, "decodecycle: %s %s, %d files, %d decodes in %.3f s, %.1f tiles/s, %.1f tiles/cpu-s%s%n",
                decoder.name(), args[1], tiles.size(), c.decodes(), c.seconds(), c.decodes() / c.seconds(),
                c.decodes() / c.cpuSeconds(),
                buffers == null ? "" : ", pool " + buffers.counts());
        if (warm.decodes() == 0) {
            throw new IllegalStateException("no decode in the warm-up");
        }
    }

    private record Cycle(long decodes, double seconds, double cpuSeconds) {
    }

    private static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    private static Cycle run(TileDecoder decoder, PixelBuffers buffers, List<byte[]> tiles, DecodedTile[] kept,
                             double seconds, boolean warmUp) throws IOException {
        long decodes = 0;
        int i = 0;
        double cpuStart = processCpuSeconds();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            byte[] t = tiles.get(i);
            BufferedImage img = buffers == null ? decoder.decode(t, Integer.MAX_VALUE, Integer.MAX_VALUE)
                    : decoder.decode(t, Integer.MAX_VALUE, Integer.MAX_VALUE, buffers);
            kept[(int) (decodes % kept.length)] = new DecodedTile(img, 0, 0,
                    new PixelRect(0, 0, img.getWidth(), img.getHeight()));
            decodes++;
            i = i + 1 == tiles.size() ? 0 : i + 1;
            now = System.nanoTime();
        } while (warmUp ? processCpuSeconds() - cpuStart < seconds || decodes < tiles.size() : now < end);
        return new Cycle(decodes, (now - start) / 1e9, processCpuSeconds() - cpuStart);
    }
}
