package org.tilescope.benchmarks;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import org.tilescope.engine.slide.http.HttpFetcher;

/**
 * Time to a sharp 1920x1080 viewport at 1:1 of a slide read over loopback HTTP, against the same
 * slide from its local file, in the same run: {@code NAME=LOCATION} arguments, each a file path
 * or a URL, measured in turn in every round (interleaved, so drift hits all alike, and in a
 * rotated order, so none is always first).
 *
 * <p>A trial starts a fresh pipeline (nothing cached), opens the slide (for a URL: its
 * descriptor fetched and parsed) and requests every tile of a level-0 view near the centre at
 * VISIBLE priority, the coarse levels loading beside them as in the viewer, and ends when the
 * last visible tile is decoded. Then "L2-warm": L1 emptied and the same view asked again (what a
 * switch back to the slide costs; no HTTP request may happen). The shared HTTP client's
 * connections stay open across trials, as they do in the viewer.
 */
public final class RemoteViewportBench {
    static final int SCREEN_W = 1920;
    static final int SCREEN_H = 1080;

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("remote.rounds", 15);
        Map<String, String> cases = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                System.err.println("usage: RemoteViewportBench NAME=PATH_OR_URL ...");
                System.exit(2);
            }
            cases.put(a.substring(0, eq), a.substring(eq + 1));
        }
        Map<String, List<Double>> cold = new LinkedHashMap<>();
        Map<String, List<Double>> warm = new LinkedHashMap<>();
        Map<String, long[]> requests = new LinkedHashMap<>();
        for (String name : cases.keySet()) {
            cold.put(name, new ArrayList<>());
            warm.put(name, new ArrayList<>());
            requests.put(name, new long[2]);
        }
        for (int round = -2; round < rounds; round++) { // two rounds of warm-up, not recorded
            List<Map.Entry<String, String>> order = new ArrayList<>(cases.entrySet());
            java.util.Collections.rotate(order, Math.floorMod(round, order.size())); // no case always first
            for (var e : order) {
                long[] r = trial(location(e.getValue()));
                if (round >= 0) {
                    cold.get(e.getKey()).add(r[0] / 1e6);
                    warm.get(e.getKey()).add(r[1] / 1e6);
                    requests.get(e.getKey())[0] += r[2];
                    requests.get(e.getKey())[1] += r[3];
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d rounds, %d cores, decoder %s%n", rounds,
                Runtime.getRuntime().availableProcessors(), TileDecoder.standard().name());
        System.out.printf(Locale.ROOT, "%-22s %9s %9s %9s   %9s %9s   %s%n", "slide", "cold p50", "p90", "mean",
                "L2 p50", "p90", "HTTP requests per trial (cold / L2-warm)");
        for (String name : cases.keySet()) {
            double[] c = sorted(cold.get(name));
            double[] w = sorted(warm.get(name));
            System.out.printf(Locale.ROOT, "%-22s %7.1f ms %6.1f ms %6.1f ms   %6.1f ms %6.1f ms   %.0f / %.0f%n", name,
                    pct(c, 50), pct(c, 90), Arrays.stream(c).average().orElse(0), pct(w, 50), pct(w, 90),
                    (double) requests.get(name)[0] / rounds, (double) requests.get(name)[1] / rounds);
        }
    }

    static URI location(String s) {
        return s.contains("://") ? URI.create(s) : Path.of(s).toAbsolutePath().normalize().toUri();
    }

    /** {cold nanos, L2-warm nanos, HTTP attempts cold, HTTP attempts warm}. */
    static long[] trial(URI location) throws Exception {
        try (TilePipeline pipeline = new TilePipeline(new CacheSizes(512L << 20, 512L << 20), TileDecoder.standard(),
                Runtime.getRuntime().availableProcessors(), 8, 32)) {
            long req0 = HttpFetcher.shared().stats().attempts();
            long t0 = System.nanoTime();
            SlideHandle h = pipeline.open(location);
            viewport(pipeline, h);
            long t1 = System.nanoTime();
            h.ready().get(60, TimeUnit.SECONDS);
            quiet(pipeline); // the coarse levels finish outside the clock
            long req1 = HttpFetcher.shared().stats().attempts();
            long reads1 = pipeline.stats().sourceReads();
            pipeline.clearDecoded();
            long t2 = System.nanoTime();
            viewport(pipeline, h);
            long t3 = System.nanoTime();
            quiet(pipeline);
            long req2 = HttpFetcher.shared().stats().attempts();
            if (pipeline.stats().sourceReads() != reads1) {
                throw new IllegalStateException(location + ": the L2-warm view read "
                        + (pipeline.stats().sourceReads() - reads1) + " tiles from the source");
            }
            return new long[] {t1 - t0, t3 - t2, req1 - req0, req2 - req1};
        }
    }

    /** Waits until no read or decode is in flight (the coarse levels are all in). */
    static void quiet(TilePipeline pipeline) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (pipeline.stats().readsInFlight() + pipeline.stats().decodesInFlight() > 0) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the pipeline did not settle");
            }
            Thread.sleep(5);
        }
    }

    /** Every level-0 tile of a 1920x1080 view near the centre, not aligned to tiles, decoded. */
    static int viewport(TilePipeline pipeline, SlideHandle h) throws Exception {
        SlideInfo info = h.info();
        LevelInfo l = info.level(0);
        double x = Math.max(0, info.width() / 2.0 - SCREEN_W / 2.0 + 37);
        double y = Math.max(0, info.height() / 2.0 - SCREEN_H / 2.0 + 91);
        int col0 = (int) x / l.tileWidth();
        int row0 = (int) y / l.tileHeight();
        int col1 = Math.min(l.cols() - 1, (int) (x + SCREEN_W - 1) / l.tileWidth());
        int row1 = Math.min(l.rows() - 1, (int) (y + SCREEN_H - 1) / l.tileHeight());
        List<CompletableFuture<DecodedTile>> all = new ArrayList<>();
        for (int r = row0; r <= row1; r++) {
            for (int c = col0; c <= col1; c++) {
                all.add(pipeline.request(h, h.key(0, c, r), Priority.VISIBLE, null, 0));
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        if (pipeline.stats().failedTiles() > 0) {
            throw new IllegalStateException(location(h) + ": " + pipeline.stats().failedTiles() + " tiles failed");
        }
        return all.size();
    }

    private static String location(SlideHandle h) {
        return h.location().toString();
    }

    static double[] sorted(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
