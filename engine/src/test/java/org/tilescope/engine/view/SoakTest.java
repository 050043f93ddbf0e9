package org.tilescope.engine.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.cache.CacheSizes;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.region.RegionReader;
import org.tilescope.engine.region.Thumbnails;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.slide.TileException;
import org.tilescope.engine.testing.Corpus;

/**
 * Soak: {@value #THREADS} threads for two minutes opening, closing, panning and switching across
 * every slide of the corpus (Deep Zoom, pyramidal TIFF, FastPATH in both layouts, the damaged
 * ones) while a copy of the TIFF is rewritten in place under them, half-written every other time.
 * Afterwards: no deadlock, every worker ended, and threads, open files and heap back where they
 * were. Skipped unless {@code -Dtilescope.soak=true} (it runs for minutes); the figures it prints
 * are recorded in benchmarks/README.md.
 *
 * <pre>
 * ./mvnw -o -B -pl engine -am test -Dtest=SoakTest -Dtilescope.soak=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class SoakTest {
    static final int THREADS = 8;
    static final long SECONDS = Long.getLong("tilescope.soak.seconds", 120);
    /** Pans per view session: one per frame, as a dragging user makes them. */
    static final int FRAMES = 30;
    static final long FRAME_NANOS = TimeUnit.MILLISECONDS.toNanos(8);
    /** Rewrites of the shared TIFF copy: one every so often. */
    static final long REWRITE_NANOS = TimeUnit.MILLISECONDS.toNanos(400);

    @TempDir
    Path tmp;

    /** What the process holds: all threads, the engine's own threads, open descriptors, heap after a full GC. */
    record Footprint(int threads, int tilescopeThreads, int fds, long heapAfterGc) {
        static Footprint now() {
            long heap = heapAfterFullGc();
            ThreadMXBean tm = ManagementFactory.getThreadMXBean();
            int own = 0;
            for (ThreadInfo t : tm.getThreadInfo(tm.getAllThreadIds())) {
                if (t != null && t.getThreadName().startsWith("tilescope-")) {
                    own++;
                }
            }
            return new Footprint(tm.getThreadCount(), own, openFiles(), heap);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "threads %d (tilescope-* %d), open fds %d, heap after GC %.1f MB",
                    threads, tilescopeThreads, fds, heapAfterGc / 1048576.0);
        }
    }

    static int openFiles() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long heapAfterFullGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // a few rounds: finalizable and weakly held objects go in the later ones
            System.gc();
            long u = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null) {
                    u += p.getCollectionUsage().getUsed();
                }
            }
            used = Math.min(used, u);
        }
        return used;
    }

    /** Counts of what the workers did, by kind, and the errors they met, by kind. */
    static final class Tally {
        final Map<String, LongAdder> done = new ConcurrentHashMap<>();
        final Map<String, LongAdder> expectedErrors = new ConcurrentHashMap<>();
        final List<Throwable> unexpected = new CopyOnWriteArrayList<>();

        void count(String what) {
            done.computeIfAbsent(what, k -> new LongAdder()).increment();
        }

        void error(String op, Throwable e) {
            // damaged slides and a file caught half-written fail in these ways, and should
            if (e instanceof SlideException || e instanceof TileException || e instanceof IOException
                    || e instanceof CancellationException || e instanceof IllegalArgumentException
                    || e instanceof UncheckedIOException) {
                expectedErrors.computeIfAbsent(op + ": " + e.getClass().getSimpleName(), k -> new LongAdder()).increment();
            } else {
                unexpected.add(e);
            }
        }

        long total() {
            return done.values().stream().mapToLong(LongAdder::sum).sum();
        }
    }

    @Test
    void eightThreadsOpenPanAndSwitchForTwoMinutesWhileAFileIsRewritten() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("tilescope.soak"), "soak runs only with -Dtilescope.soak=true");
        Path corpus = Corpus.root();
        Path rewritten = tmp.resolve("rewritten.tif");
        byte[] tiff = Files.readAllBytes(corpus.resolve("tiff/C24-0350_prostate_HE.tif"));
        Files.write(rewritten, tiff);
        List<Path> slides = new ArrayList<>();
        for (String dir : List.of("library", "tiff", "fastpath", "broken")) {
            try (Stream<Path> s = Files.list(corpus.resolve(dir))) {
                s.filter(p -> p.getFileName().toString().matches(".*\\.(dzi|tif|fastpath)$")).sorted().forEach(slides::add);
            }
        }
        slides.add(rewritten);
        TileDecoder decoder = TileDecoder.standard();

        // warm: classes loaded, the decoder's library open, every slide parsed once; then the baseline.
        // Each phase runs in its own method, so no stack slot keeps its pipeline alive afterwards.
        warmUp(slides, decoder);
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(3)); // the read pools' idle threads end after 2 s
        Footprint before = Footprint.now();
        Tally tally = new Tally();
        List<String> samples = new CopyOnWriteArrayList<>();
        Footprint during = load(slides, decoder, rewritten, tiff, tally, samples);
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(3));
        Footprint after = Footprint.now();

        System.out.println("SOAK " + THREADS + " threads, " + SECONDS + " s, " + slides.size() + " slides");
        samples.forEach(s -> System.out.println("SOAK   " + s));
        System.out.println("SOAK operations: " + tally.total() + " " + new java.util.TreeMap<>(tally.done));
        System.out.println("SOAK expected errors: " + new java.util.TreeMap<>(tally.expectedErrors));
        System.out.println("SOAK before:                " + before);
        System.out.println("SOAK after, pipeline open:  " + during);
        System.out.println("SOAK after, pipeline closed: " + after);
        if (!tally.unexpected.isEmpty()) {
            tally.unexpected.stream().limit(5).forEach(e -> System.out.println("SOAK unexpected: " + e));
        }

        assertEquals(List.of(), tally.unexpected.stream().limit(5).map(String::valueOf).toList(), "unexpected errors");
        assertTrue(tally.done.getOrDefault("rewrite", new LongAdder()).sum() > 10, "the file was rewritten under them");
        assertEquals(before.tilescopeThreads(), after.tilescopeThreads(), "engine threads left behind: " + after);
        assertTrue(after.threads() <= before.threads() + 2, "threads: " + before + " -> " + after);
        assertTrue(after.fds() <= before.fds() + 2, "open files: " + before + " -> " + after);
        assertTrue(after.heapAfterGc() <= before.heapAfterGc() + (32L << 20), "heap: " + before + " -> " + after);
    }

    static void warmUp(List<Path> slides, TileDecoder decoder) {
        Tally warm = new Tally();
        try (TilePipeline p = pipeline(decoder)) {
            for (Path s : slides) {
                viewSession(p, s, new SplittableRandom(s.hashCode()), warm, 3);
                thumbnail(s, decoder, warm);
            }
            quiesce(p);
        }
    }

    /**
     * The soak itself: workers and the rewriter for {@link #SECONDS}, then a stop; fails on a
     * deadlock or a worker that does not end.
     *
     * @return the footprint once the work has drained, the pipeline still open
     */
    static Footprint load(List<Path> slides, TileDecoder decoder, Path rewritten, byte[] tiff, Tally tally,
                          List<String> samples) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(SECONDS);
        try (TilePipeline p = pipeline(decoder)) {
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                long seed = 0x5eed + i;
                workers.add(Thread.ofPlatform().name("soak-" + i).start(() -> work(p, slides, decoder, seed, stop, tally)));
            }
            Thread writer = Thread.ofPlatform().name("soak-rewriter").start(() -> rewrite(rewritten, tiff, stop, tally));
            long nextSample = System.nanoTime();
            while (System.nanoTime() < deadline) {
                if (System.nanoTime() >= nextSample) {
                    samples.add(String.format(Locale.ROOT, "t=%3ds threads %d fds %d heap used %.0f MB ops %d",
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
                            ManagementFactory.getThreadMXBean().getThreadCount(), openFiles(),
                            ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0, tally.total()));
                    nextSample += TimeUnit.SECONDS.toNanos(10);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
            stop.set(true);
            List<String> stuck = new ArrayList<>();
            for (Thread t : workers) {
                t.join(TimeUnit.SECONDS.toMillis(30));
                if (t.isAlive()) {
                    stuck.add(t.getName() + " at " + List.of(t.getStackTrace()));
                }
            }
            writer.join(TimeUnit.SECONDS.toMillis(30));
            long[] deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
            assertNull(deadlocked, "deadlocked threads");
            assertEquals(List.of(), stuck, "workers that did not end within 30 s of the stop");
            quiesce(p);
            var st = p.stats();
            samples.add(String.format(Locale.ROOT, "drained: reads in flight %d, decodes in flight %d, requests waited on %d,"
                    + " source reads %,d, failed tiles %,d, L1 evictions %,d, L2 evictions %,d", st.readsInFlight(),
                    st.decodesInFlight(), p.foregroundInFlight(), st.sourceReads(), st.failedTiles(), st.l1().evictions(),
                    st.l2().evictions()));
            return Footprint.now();
        }
    }

    static TilePipeline pipeline(TileDecoder decoder) {
        // small caches (both evict all the time) and few open files (handles released and reopened)
        return new TilePipeline(new CacheSizes(96L << 20, 64L << 20), decoder, 2, 4, 6);
    }

    /** Waits until nothing is read or decoded (hang guard: a minute). */
    static void quiesce(TilePipeline p) {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while ((p.stats().readsInFlight() > 0 || p.stats().decodesInFlight() > 0) && System.nanoTime() < end) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** One worker: view sessions (open, pan, switch), thumbnails (open and close a source), regions. */
    static void work(TilePipeline p, List<Path> slides, TileDecoder decoder, long seed, AtomicBoolean stop, Tally tally) {
        SplittableRandom rnd = new SplittableRandom(seed);
        while (!stop.get()) {
            Path slide = slides.get(rnd.nextInt(slides.size()));
            int op = rnd.nextInt(10);
            try {
                if (op < 6) {
                    viewSession(p, slide, rnd, tally, FRAMES);
                } else if (op < 8) {
                    thumbnail(slide, decoder, tally);
                } else {
                    region(slide, decoder, rnd, tally);
                }
            } catch (Throwable e) {
                tally.error(op < 6 ? "view" : op < 8 ? "thumbnail" : "region", e);
            }
        }
    }

    /** Opens a slide in the pipeline and pans and zooms over it frame by frame, as a user does. */
    static void viewSession(TilePipeline p, Path slide, SplittableRandom rnd, Tally tally, int frames) {
        SlideHandle h;
        try {
            h = p.open(slide);
        } catch (IOException | RuntimeException e) {
            tally.error("open", e);
            return;
        }
        tally.count("open");
        SlideInfo info = h.info();
        TileScheduler s = new TileScheduler(p, h);
        double cx = rnd.nextDouble() * info.width();
        double cy = rnd.nextDouble() * info.height();
        double ds = Math.pow(2, rnd.nextDouble() * Math.max(1, info.levelCount() - 1));
        for (int f = 0; f < frames; f++) {
            cx = Math.clamp(cx + (rnd.nextDouble() - 0.5) * 400 * ds, 0, info.width());
            cy = Math.clamp(cy + (rnd.nextDouble() - 0.5) * 400 * ds, 0, info.height());
            if (rnd.nextInt(8) == 0) {
                ds = Math.max(0.5, ds * (rnd.nextBoolean() ? 2 : 0.5));
            }
            s.update(Viewport.centred(cx, cy, 1280, 800, ds, f + 1));
            tally.count("frame");
            LockSupport.parkNanos(FRAME_NANOS);
        }
    }

    /** Opens a source on its own, renders a navigator thumbnail, closes it. */
    static void thumbnail(Path slide, TileDecoder decoder, Tally tally) {
        try (SlideSource src = Slides.open(slide)) {
            Thumbnails.render(src, decoder, 72);
            tally.count("thumbnail");
        } catch (IOException | RuntimeException e) {
            tally.error("thumbnail", e);
        }
    }

    /** Opens a source on its own, reads a 512 x 512 region of a random level, closes it. */
    static void region(Path slide, TileDecoder decoder, SplittableRandom rnd, Tally tally) throws IOException {
        try (SlideSource src = Slides.open(slide)) {
            LevelInfo l = src.info().level(rnd.nextInt(src.info().levelCount()));
            long x = l.width() > 512 ? rnd.nextLong(l.width() - 512) : 0;
            long y = l.height() > 512 ? rnd.nextLong(l.height() - 512) : 0;
            new RegionReader(src, decoder).read(l.index(), x, y, Math.min(512, l.width()), Math.min(512, l.height()));
            tally.count("region");
        }
    }

    /**
     * Rewrites the TIFF copy in place, in 64 KB writes: every other time it stops at 60 % (a copy
     * caught half-way), the next time it is whole again. Readers see every state in between.
     */
    static void rewrite(Path file, byte[] tiff, AtomicBoolean stop, Tally tally) {
        boolean whole = false;
        while (!stop.get()) {
            LockSupport.parkNanos(REWRITE_NANOS);
            int length = whole ? tiff.length : tiff.length * 6 / 10;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                for (int at = 0; at < length; at += 65536) {
                    ch.write(ByteBuffer.wrap(tiff, at, Math.min(65536, length - at)));
                }
                tally.count("rewrite");
            } catch (IOException e) {
                tally.error("rewrite", e);
            }
            whole = !whole;
        }
    }
}
