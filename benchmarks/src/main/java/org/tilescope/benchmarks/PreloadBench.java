package org.tilescope.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.jobs.JobHandle;
import org.tilescope.engine.jobs.JobManager;
import org.tilescope.engine.cache.CacheSizes;
import org.tilescope.engine.cache.Priority;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TileKey;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.view.TileScheduler;
import org.tilescope.engine.view.Viewport;
import org.tilescope.engine.preload.BulkPreloader;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideFolder;
import org.tilescope.engine.slide.SlideInfo;

/**
 * The bulk preloader's costs and gains, each against a baseline measured in the same run:
 *
 * <ul>
 * <li>{@code latency BIG LIB...}: foreground tile latency (a visible tile missing from L1, from
 *     the frame that first shows it to its decode landing in L1) while a scripted pan runs over
 *     BIG at 60 frames a second, with no preloader and with the preloader running over each LIB
 *     folder. Configurations are interleaved over rounds; page caches are dropped before each.</li>
 * <li>{@code throughput LIB...}: preload MB/s with a cold and a warm page cache, against
 *     {@code cat} of the same tile files to /dev/null.</li>
 * <li>{@code switch LIB}: next-slide switch (open + every tile of a 1920x1080 fit view decoded)
 *     after a preload, against cold (page cache dropped) and cold-app-warm-page-cache.</li>
 * </ul>
 * A plain main, not JMH: each measure is a fixed script whose percentiles are the result.
 */
public final class PreloadBench {
    static final int SCREEN_W = 1920;
    static final int SCREEN_H = 1080;
    static final long FRAME_NANOS = 16_666_667L;

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: PreloadBench latency BIG LIB... | throughput LIB... | switch LIB");
            System.exit(2);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (args[0]) {
            case "latency" -> latency(Path.of(rest.getFirst()), rest.subList(1, rest.size()).stream().map(Path::of).toList());
            case "throughput" -> throughput(rest.stream().map(Path::of).toList());
            case "switch" -> switchTime(Path.of(rest.getFirst()));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static TilePipeline pipeline() {
        // big enough that neither tier evicts during a run: eviction is not what is measured
        return new TilePipeline(new CacheSizes(1L << 30, 1L << 30), TileDecoder.standard(),
                Runtime.getRuntime().availableProcessors(), 8, 64);
    }

    /** Every tile file of the slides in a folder (what the preloader reads). */
    static List<Path> tileFiles(Path libraryDir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path slide : SlideFolder.list(libraryDir)) {
            String n = slide.getFileName().toString();
            Path files = slide.resolveSibling(n.substring(0, n.lastIndexOf('.')) + "_files");
            try (Stream<Path> s = Files.walk(files)) {
                s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".xml"))
                        .sorted().forEach(out::add);
            }
        }
        return out;
    }

    static void evictAll(List<Path> files) {
        files.forEach(PageCache::evict);
    }

    static String pct(long[] sortedNanos, double q) {
        if (sortedNanos.length == 0) {
            return "-";
        }
        int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(q * sortedNanos.length) - 1);
        return String.format(Locale.ROOT, "%.2f", sortedNanos[Math.max(0, i)] / 1e6);
    }

    // ---------------------------------------------------------------- latency while panning

    static void latency(Path big, List<Path> libraries) throws Exception {
        Map<Path, List<Path>> libFiles = new java.util.LinkedHashMap<>();
        for (Path lib : libraries) {
            libFiles.put(lib, tileFiles(lib));
        }
        int rounds = Integer.getInteger("preload.rounds", 3);
        int trials = Integer.getInteger("preload.trials", 10);
        List<String> configs = new ArrayList<>();
        configs.add("none");
        libraries.forEach(l -> configs.add(l.toString()));
        Map<String, List<Long>> samples = new java.util.LinkedHashMap<>();
        Map<String, int[]> overlapped = new java.util.LinkedHashMap<>();
        Map<String, long[]> preloaded = new java.util.LinkedHashMap<>();
        // warm-up trials: JIT, decoder, carriers; not counted
        for (int i = 0; i < 3; i++) {
            trial(big, libraries.getLast(), 1000 + i);
        }
        for (int r = 0; r < rounds; r++) {
            for (int t = 0; t < trials; t++) {
                // the same script (seed) for every configuration, configurations interleaved
                for (String c : configs) {
                    PageCache.evict(big);
                    libFiles.values().forEach(PreloadBench::evictAll);
                    Path lib = c.equals("none") ? null : Path.of(c);
                    Trial res = trial(big, lib, r * trials + t);
                    List<Long> l = samples.computeIfAbsent(c, k -> new ArrayList<>());
                    for (long x : res.latencies) {
                        l.add(x);
                    }
                    overlapped.computeIfAbsent(c, k -> new int[2])[res.preloadStillRunning ? 0 : 1]++;
                    long[] pb = preloaded.computeIfAbsent(c, k -> new long[2]);
                    pb[0] += res.preloadTiles;
                    pb[1] += res.preloadBytes;
                }
            }
            System.out.printf(Locale.ROOT, "round %d done%n", r + 1);
        }
        long[] none = samples.get("none").stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.println();
        System.out.println("| configuration | trials (preload still running at the end) | visible misses | p50 ms | p90 ms | p99 ms | p50 / none | p99 / none | preloaded during the pans |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String c : configs) {
            long[] x = samples.get(c).stream().mapToLong(Long::longValue).sorted().toArray();
            int[] ov = overlapped.get(c);
            long[] pb = preloaded.get(c);
            System.out.printf(Locale.ROOT, "| %s | %d (%s) | %d | %s | %s | %s | %.2f | %.2f | %s |%n", label(c),
                    ov[0] + ov[1], c.equals("none") ? "-" : Integer.toString(ov[0]), x.length,
                    pct(x, 0.5), pct(x, 0.9), pct(x, 0.99),
                    Double.parseDouble(pct(x, 0.5)) / Double.parseDouble(pct(none, 0.5)),
                    Double.parseDouble(pct(x, 0.99)) / Double.parseDouble(pct(none, 0.99)),
                    c.equals("none") ? "-" : String.format(Locale.ROOT, "%d tiles, %.1f MB", pb[0], pb[1] / 1e6));
        }
    }

    static String label(String c) {
        if (c.equals("none")) {
            return "no preloader";
        }
        try {
            return "preloader over " + Path.of(c).getFileName() + " (" + SlideFolder.list(Path.of(c)).size() + " slides)";
        } catch (IOException e) {
            return c;
        }
    }

    record Trial(long[] latencies, boolean preloadStillRunning, long preloadTiles, long preloadBytes) {
    }

    static final int FRAMES = 60;
    static final int FRAMES_PER_SPOT = 15;

    /**
     * One second of navigation at 60 frames a second on a fresh pipeline with BIG open: four
     * spots (seeded), 15 frames each, alternately at 1:1 on level 0 panning right at 3000 px/s
     * and at downsample 2 panning down-right at 6000/3000 px/s. Each jump to a new spot shows a
     * screenful of tiles that are not in L1 (as a click on the overview or a zoom does), so the
     * visible-tile latency is measured on real misses, not on what prefetch already brought in.
     * The preloader, when there is one, starts with the first frame and is cancelled after the
     * last tile has landed. A sample: a visible tile not in L1, from the frame that first shows it
     * to its decode landing in L1; tiles that leave the screen before they land are not samples.
     */
    static Trial trial(Path big, Path library, long seed) throws Exception {
        try (TilePipeline p = pipeline(); JobManager jobs = new JobManager(2)) {
            SlideHandle h = p.open(big);
            h.ready().get(120, TimeUnit.SECONDS);
            SlideInfo info = h.info();
            TileScheduler sched = new TileScheduler(p, h);
            Map<TileKey, Long> pending = new ConcurrentHashMap<>();
            List<Long> lat = java.util.Collections.synchronizedList(new ArrayList<>());
            p.addListener((key, region) -> {
                Long t = pending.remove(key);
                if (t != null) {
                    lat.add(System.nanoTime() - t);
                }
            });
            BulkPreloader pre = new BulkPreloader(p, jobs);
            JobHandle job = null;
            if (library != null) {
                List<Path> slides = SlideFolder.list(library);
                job = pre.start(slides, slides.getFirst());
            }
            java.util.Random rnd = new java.util.Random(seed);
            long gen = 0;
            long start = System.nanoTime();
            double x0 = 0;
            double y0 = 0;
            for (int f = 0; f < FRAMES; f++) {
                int spot = f / FRAMES_PER_SPOT;
                boolean level0 = spot % 2 == 0;
                double ds = level0 ? 1 : 2;
                double vx = level0 ? 3000 : 6000;
                double vy = level0 ? 0 : 3000;
                if (f % FRAMES_PER_SPOT == 0) {
                    x0 = rnd.nextDouble() * (info.width() - 2 * SCREEN_W * ds);
                    y0 = rnd.nextDouble() * (info.height() - 2 * SCREEN_H * ds);
                }
                long frameAt = start + f * FRAME_NANOS;
                long wait = frameAt - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                double t = (f % FRAMES_PER_SPOT) * FRAME_NANOS / 1e9;
                Viewport v = new Viewport(x0 + vx * t, y0 + vy * t, SCREEN_W * ds, SCREEN_H * ds, ds, vx, vy, ++gen);
                LevelInfo l = info.level(info.bestLevelForDownsample(ds));
                Set<TileKey> visible = visible(h, l, v);
                long now = System.nanoTime();
                pending.keySet().retainAll(visible);
                for (TileKey k : visible) {
                    if (p.cached(k) == null && !pending.containsKey(k) && !p.hasFailed(k)) {
                        pending.put(k, now);
                    }
                }
                sched.update(v);
            }
            long end = System.nanoTime() + 5_000_000_000L;
            while (!pending.isEmpty() && System.nanoTime() < end) {
                LockSupport.parkNanos(500_000);
            }
            boolean running = job != null && !job.done().isDone()
                    && pre.status().slidesDone() < pre.status().slidesTotal();
            long tiles = 0;
            long bytes = 0;
            if (job != null) {
                job.cancel();
                job.done().get(60, TimeUnit.SECONDS);
                tiles = pre.status().tilesLoaded();
                bytes = pre.status().bytes();
            }
            long[] out;
            synchronized (lat) {
                out = lat.stream().mapToLong(Long::longValue).toArray();
            }
            return new Trial(out, running, tiles, bytes);
        }
    }

    static Set<TileKey> visible(SlideHandle h, LevelInfo l, Viewport v) {
        double ds = l.downsample();
        int c0 = (int) Math.max(0, Math.floor(v.x() / ds / l.tileWidth()));
        int r0 = (int) Math.max(0, Math.floor(v.y() / ds / l.tileHeight()));
        int c1 = (int) Math.min(l.cols() - 1, Math.floor((Math.ceil((v.x() + v.width()) / ds) - 1) / l.tileWidth()));
        int r1 = (int) Math.min(l.rows() - 1, Math.floor((Math.ceil((v.y() + v.height()) / ds) - 1) / l.tileHeight()));
        Set<TileKey> out = new HashSet<>();
        for (int r = r0; r <= r1; r++) {
            for (int c = c0; c <= c1; c++) {
                out.add(h.key(l.index(), c, r));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- throughput

    static void throughput(List<Path> libraries) throws Exception {
        int rounds = Integer.getInteger("preload.rounds", 3);
        System.out.println("| library | page cache | round | cat MB/s | preload MB/s (2 in flight) | preload MB/s (8 in flight) | preload / cat (2) |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        // warm-up: JIT and the read pools, not counted
        preload(libraries.getFirst(), 2);
        for (int r = 1; r <= rounds; r++) {
            for (Path lib : libraries) {
                List<Path> files = tileFiles(lib);
                long bytes = 0;
                for (Path f : files) {
                    bytes += Files.size(f);
                }
                Path list = Files.createTempFile("tiles", ".lst");
                Files.write(list, String.join("\0", files.stream().map(Path::toString).toList())
                        .getBytes(StandardCharsets.UTF_8));
                for (String cache : List.of("cold", "warm")) {
                    if (cache.equals("cold")) {
                        evictAll(files);
                    } else {
                        cat(list); // make sure it is warm
                    }
                    double catS = cat(list);
                    if (cache.equals("cold")) {
                        evictAll(files);
                    }
                    Preloaded two = preload(lib, 2);
                    if (cache.equals("cold")) {
                        evictAll(files);
                    }
                    Preloaded eight = preload(lib, 8);
                    if (two.bytes != bytes || eight.bytes != bytes) {
                        throw new IllegalStateException("preload read " + two.bytes + "/" + eight.bytes
                                + " bytes, files hold " + bytes);
                    }
                    double catMb = bytes / 1e6 / catS;
                    double twoMb = bytes / 1e6 / two.seconds;
                    System.out.printf(Locale.ROOT, "| %s (%d files, %.1f MB) | %s | %d | %.0f | %.0f | %.0f | %.2f |%n",
                            lib.getFileName(), files.size(), bytes / 1e6, cache, r, catMb, twoMb,
                            bytes / 1e6 / eight.seconds, twoMb / catMb);
                }
                Files.delete(list);
            }
        }
    }

    /** Seconds for {@code xargs -0 cat} of the listed files to /dev/null. */
    static double cat(Path list) throws Exception {
        long t0 = System.nanoTime();
        Process pr = new ProcessBuilder("sh", "-c", "xargs -0 -a \"$0\" cat > /dev/null", list.toString())
                .inheritIO().start();
        if (pr.waitFor() != 0) {
            throw new IllegalStateException("cat failed");
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    record Preloaded(double seconds, long bytes) {
    }

    /** A fresh pipeline preloading a whole folder; timed from start to the last slide done. */
    static Preloaded preload(Path lib, int inFlight) throws Exception {
        List<Path> slides = SlideFolder.list(lib);
        try (TilePipeline p = pipeline(); JobManager jobs = new JobManager(2)) {
            BulkPreloader pre = new BulkPreloader(p, jobs);
            long t0 = System.nanoTime();
            JobHandle h = pre.start(slides, slides.getFirst(), BulkPreloader.ALL_LEVELS, inFlight);
            while (pre.status().slidesDone() < slides.size() && !h.done().isDone()) {
                LockSupport.parkNanos(200_000);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            h.done().get(60, TimeUnit.SECONDS);
            if (pre.status().tilesFailed() > 0) {
                throw new IllegalStateException("preload failures: " + h.snapshot().firstFailures());
            }
            return new Preloaded(s, pre.status().bytes());
        }
    }

    // ---------------------------------------------------------------- switch time

    static void switchTime(Path lib) throws Exception {
        int rounds = Integer.getInteger("preload.rounds", 3);
        List<Path> slides = SlideFolder.list(lib);
        List<Path> files = tileFiles(lib);
        Map<String, List<Double>> ms = new java.util.LinkedHashMap<>();
        // warm-up, not counted
        switchAll(slides, false, files, false);
        for (int r = 0; r < rounds; r++) {
            ms.computeIfAbsent("cold, page cache dropped", k -> new ArrayList<>()).addAll(switchAll(slides, false, files, true));
            ms.computeIfAbsent("cold, page cache warm", k -> new ArrayList<>()).addAll(switchAll(slides, false, files, false));
            ms.computeIfAbsent("after preload, page cache dropped", k -> new ArrayList<>()).addAll(switchAll(slides, true, files, true));
            ms.computeIfAbsent("after preload, page cache warm", k -> new ArrayList<>()).addAll(switchAll(slides, true, files, false));
        }
        System.out.println("| switch (open + 1920x1080 fit view decoded) | switches | median ms | mean ms | p90 ms | median / cold dropped |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        double base = median(ms.values().iterator().next());
        for (var e : ms.entrySet()) {
            List<Double> v = e.getValue().stream().sorted().toList();
            System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f |%n", e.getKey(), v.size(), median(v),
                    v.stream().mapToDouble(Double::doubleValue).average().orElse(0),
                    v.get((int) Math.ceil(0.9 * v.size()) - 1), median(v) / base);
        }
    }

    static double median(List<Double> v) {
        List<Double> s = v.stream().sorted().toList();
        return s.get(s.size() / 2);
    }

    /**
     * A fresh pipeline; optionally a full preload of the folder first; then a switch to each slide
     * in turn (after the first, as a user flips to the next): open, and every tile of a fit view
     * requested at visible priority, timed until the thumbnail and all those tiles are decoded.
     */
    static List<Double> switchAll(List<Path> slides, boolean preload, List<Path> files, boolean dropPageCache)
            throws Exception {
        List<Double> out = new ArrayList<>();
        try (TilePipeline p = pipeline(); JobManager jobs = new JobManager(2)) {
            if (preload) {
                BulkPreloader pre = new BulkPreloader(p, jobs);
                pre.start(slides, slides.getFirst()).done().get(300, TimeUnit.SECONDS);
                if (pre.status().slidesDone() != slides.size()) {
                    throw new IllegalStateException("preload incomplete: " + pre.status());
                }
            }
            if (dropPageCache) {
                evictAll(files);
                slides.forEach(PageCache::evict);
            } else {
                for (Path f : files) {
                    Files.readAllBytes(f);
                }
            }
            p.open(slides.getFirst()).ready().get(60, TimeUnit.SECONDS);
            for (Path s : slides.subList(1, slides.size())) {
                long t0 = System.nanoTime();
                SlideHandle h = p.open(s);
                SlideInfo info = h.info();
                double ds = Math.max((double) info.width() / SCREEN_W, (double) info.height() / SCREEN_H);
                LevelInfo l = info.level(info.bestLevelForDownsample(ds));
                Viewport v = Viewport.centred(info.width() / 2.0, info.height() / 2.0, SCREEN_W, SCREEN_H, ds, 1);
                List<CompletableFuture<?>> fs = new ArrayList<>();
                for (TileKey k : visible(h, l, v)) {
                    fs.add(p.request(h, k, Priority.VISIBLE, null, 0));
                }
                fs.add(h.ready());
                CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                out.add((System.nanoTime() - t0) / 1e6);
            }
        }
        return out;
    }
}
