package org.tilescope.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.tilescope.engine.cache.CacheSizes;
import org.tilescope.engine.cache.DecodedTile;
import org.tilescope.engine.cache.Priority;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideInfo;

/**
 * Does decode scale with cores? A 1920x1080 viewport at level 0 made sharp through the real
 * {@link TilePipeline}, once with one decode thread and once with N, alternating in one JVM, each
 * time at another spot of the slide. States: {@code cold} (L1 and L2 emptied first: read from the
 * file, the OS page cache warm, and decode) and {@code l2warm} (L1 emptied: decode only).
 *
 * <pre>
 * DecodeScaling SLIDE_NAME THREADS ROUNDS [pool]    e.g. DecodeScaling big.tif 2 12
 * </pre>
 * With {@code pool}, it compares instead one decode thread with the pixel pool and without
 * ({@value TilePipeline#PIXEL_POOL_PROPERTY}=off), THREADS being ignored.
 * A sample is the mean over {@value #SPOTS} spots, each viewport made sharp before the next is
 * asked for. Prints the median of the samples, in milliseconds per viewport, for 1 and THREADS
 * decode threads, the speed-up (goal: at least 0.85 x THREADS), the share of the wall time the GC
 * paused, and the process's CPU time per viewport: on a machine whose other processes take a core
 * now and then, the wall-time speed-up says what the machine allowed, while equal CPU time per
 * viewport on 1 and N threads says that the work itself did not grow (no contention, no extra GC).
 */
public final class DecodeScaling {
    static final int SCREEN_W = 1920;
    static final int SCREEN_H = 1080;
    /** Viewport spots, as fractions of the slide: never the same tiles twice in a row. */
    static final int SPOTS = 8;
    static final double WARM_UP_SECONDS = 8;

    private DecodeScaling() {
    }

    /** One pipeline with its decode threads, and what it is called in the output. */
    private record Setup(String name, TilePipeline pipeline, SlideHandle handle) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 && !(args.length == 4 && args[3].equals("pool"))) {
            System.err.println("usage: DecodeScaling SLIDE_NAME THREADS ROUNDS [pool]   (SLIDE_NAME in " +
                    "-Dtilescope.big, default /tmp/tilescope-big)");
            System.exit(2);
        }
        String slide = args[0];
        int threads = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        boolean poolAb = args.length == 4;
        List<Setup> setups = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            int t = poolAb || k == 0 ? 1 : threads;
            System.setProperty(TilePipeline.PIXEL_POOL_PROPERTY, poolAb && k == 1 ? "off" : "on");
            TilePipeline p = new TilePipeline(new CacheSizes(256L << 20, 256L << 20), TileDecoder.standard(), t, 8, 32);
            SlideHandle h = p.open(BenchInputs.big(slide));
            h.ready().get(60, TimeUnit.SECONDS);
            setups.add(new Setup(poolAb ? (k == 0 ? "pool" : "no pool") : t + (t == 1 ? " thread" : " threads"), p, h));
        }
        System.out.printf(Locale.ROOT, "%s, level 0, %dx%d viewport, decoder %s, %d cores, %d rounds%n", slide,
                SCREEN_W, SCREEN_H, TileDecoder.standard().name(), Runtime.getRuntime().availableProcessors(), rounds);
        for (String state : List.of("l2warm", "cold")) {
            // warm-up, every spot on every setup until the process used WARM_UP_SECONDS of CPU: page
            // cache, thread start, and the JIT, whose compiler threads otherwise take a core at first
            double warmEnd = processCpuMillis() + WARM_UP_SECONDS * 1e3;
            while (processCpuMillis() < warmEnd) {
                for (Setup s : setups) {
                    for (int spot = 0; spot < SPOTS; spot++) {
                        request(s, prepare(s, spot, state));
                    }
                }
            }
            double[][] ms = new double[2][rounds];
            double[][] cpuMs = new double[2][rounds];
            long[] gcMs = new long[2];
            double[] wallMs = new double[2];
            int tiles = 0;
            for (int r = 0; r < rounds; r++) {
                // alternate which goes first, so drift in the machine's load hits both alike
                for (int k = 0; k < 2; k++) {
                    int i = (r % 2 == 0) ? k : 1 - k;
                    // one sample: the viewport at every spot in turn, each made sharp before the next
                    double sample = 0;
                    double cpuSample = 0;
                    for (int spot = 0; spot < SPOTS; spot++) {
                        int[] range = prepare(setups.get(i), spot, state);
                        long gc0 = gcMillis();
                        double cpu0 = processCpuMillis();
                        long t0 = System.nanoTime();
                        tiles = request(setups.get(i), range);
                        double took = (System.nanoTime() - t0) / 1e6;
                        cpuSample += processCpuMillis() - cpu0;
                        sample += took;
                        gcMs[i] += gcMillis() - gc0;
                    }
                    ms[i][r] = sample / SPOTS;
                    cpuMs[i][r] = cpuSample / SPOTS;
                    wallMs[i] += sample;
                }
            }
            double one = median(ms[0]);
            double n = median(ms[1]);
            System.out.printf(Locale.ROOT, "%-7s %d tiles: %s %.1f ms, %s %.1f ms (medians), speed-up %.2fx%s, "
                            + "GC paused %.1f%% / %.1f%% of the time%n", state, tiles, setups.get(0).name(), one,
                    setups.get(1).name(), n, one / n, poolAb ? "" : String.format(Locale.ROOT, " (goal %.2fx)", 0.85 * threads),
                    100.0 * gcMs[0] / wallMs[0], 100.0 * gcMs[1] / wallMs[1]);
            // the process CPU clock ticks in 10 ms steps on Linux: a mean over every viewport, not a median
            double cpu0 = Arrays.stream(cpuMs[0]).average().orElseThrow();
            double cpu1 = Arrays.stream(cpuMs[1]).average().orElseThrow();
            System.out.printf(Locale.ROOT, "        CPU of the process per viewport: %s %.2f ms, %s %.2f ms (means over %d): "
                            + "%.2fx the work%n", setups.get(0).name(), cpu0, setups.get(1).name(), cpu1, rounds * SPOTS,
                    cpu1 / cpu0);
        }
        for (Setup s : setups) {
            s.pipeline().close();
        }
    }

    /**
     * Empties the caches as the state says (for l2warm, after reading the spot's tiles into L2);
     * returns the spot's tile range: col0, row0, col1, row1.
     */
    static int[] prepare(Setup s, int spot, String state) throws Exception {
        TilePipeline p = s.pipeline();
        p.clearAll();
        SlideInfo info = s.handle().info();
        LevelInfo l = info.level(0);
        // spots on a diagonal, off the tile grid
        double fx = (spot + 0.5) / SPOTS;
        int x = (int) (fx * (info.width() - SCREEN_W)) + 37;
        int y = (int) (fx * (info.height() - SCREEN_H)) + 91;
        int col0 = x / l.tileWidth();
        int row0 = y / l.tileHeight();
        int col1 = Math.min(l.cols() - 1, (x + SCREEN_W - 1) / l.tileWidth());
        int row1 = Math.min(l.rows() - 1, (y + SCREEN_H - 1) / l.tileHeight());
        int[] range = {col0, row0, col1, row1};
        if (state.equals("l2warm")) {
            request(s, range);   // the encoded tiles into L2 first
            p.clearDecoded();
        }
        return range;
    }

    /** Makes the tiles of {@code range} sharp; returns how many there are. */
    private static int request(Setup s, int[] range) throws Exception {
        List<CompletableFuture<DecodedTile>> all = new ArrayList<>();
        for (int r = range[1]; r <= range[3]; r++) {
            for (int c = range[0]; c <= range[2]; c++) {
                all.add(s.pipeline().request(s.handle(), s.handle().key(0, c, r), Priority.VISIBLE, null, 0));
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        return all.size();
    }

    private static double processCpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e6;
    }

    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            // G1's "Concurrent GC" bean counts concurrent cycles, not pauses
            if (!b.getName().contains("Concurrent")) {
                sum += Math.max(0, b.getCollectionTime());
            }
        }
        return sum;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
