package org.tilescope.engine.preload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.jobs.JobHandle;
import org.tilescope.engine.jobs.JobManager;
import org.tilescope.engine.jobs.JobSnapshot;
import org.tilescope.engine.jobs.JobState;
import org.tilescope.engine.cache.CacheSizes;
import org.tilescope.engine.cache.FakeSlide;
import org.tilescope.engine.cache.SlideIds;
import org.tilescope.engine.view.PaintPlan;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TileKey;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.view.TileScheduler;
import org.tilescope.engine.view.Viewport;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.testing.Fixtures;

class BulkPreloaderTest {
    /** Hang guard only: nothing here asserts speed. */
    static final Duration GUARD = Duration.ofSeconds(60);
    static final int SLIDES = 6;

    @TempDir
    static Path folder;
    /** Six 600x400 Deep Zoom slides with 64 px tiles: level 0 has 70 tiles (not a coarse level), 10 levels. */
    static List<Path> slides = new ArrayList<>();
    static long tilesPerSlide;
    static long bytesPerSlide;

    private final List<AutoCloseable> closeMe = new ArrayList<>();

    @BeforeAll
    static void makeFolder() throws IOException {
        BufferedImage img = Fixtures.drawSource(600, 400);
        for (int i = 0; i < SLIDES; i++) {
            var dz = Fixtures.deepZoom(folder, "slide" + i, img, 64, 1, "jpg");
            slides.add(dz.dzi());
            if (i == 0) {
                try (var files = Files.walk(dz.filesDir())) {
                    List<Path> tiles = files.filter(Files::isRegularFile).toList();
                    tilesPerSlide = tiles.size();
                    for (Path t : tiles) {
                        bytesPerSlide += Files.size(t);
                    }
                }
            }
        }
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeMe.reversed()) {
            c.close();
        }
    }

    TilePipeline pipeline(long l2Bytes) {
        TilePipeline p = new TilePipeline(new CacheSizes(64L << 20, l2Bytes), TileDecoder.standard(), 2, 4, 32);
        closeMe.add(p);
        return p;
    }

    JobManager jobs() {
        JobManager m = new JobManager(2);
        closeMe.add(m);
        return m;
    }

    static JobSnapshot awaitEnd(JobHandle h) throws Exception {
        return h.done().get(GUARD.toSeconds(), TimeUnit.SECONDS);
    }

    static void awaitTrue(BooleanSupplier c, String what) {
        long end = System.nanoTime() + GUARD.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /** Every tile key of a slide, by level. */
    static List<TileKey> keys(SlideHandle h, int level) {
        LevelInfo l = h.info().level(level);
        List<TileKey> out = new ArrayList<>();
        for (int row = 0; row < l.rows(); row++) {
            for (int col = 0; col < l.cols(); col++) {
                out.add(h.key(level, col, row));
            }
        }
        return out;
    }

    static long tileCount(SlideInfo info) {
        return info.levels().stream().mapToLong(LevelInfo::tileCount).sum();
    }

    @Test
    void outwardOrderIsCentreThenPlusOneMinusOne() {
        assertEquals(List.of(2, 3, 1, 4, 0, 5), BulkPreloader.outward(2, 6));
        assertEquals(List.of(0, 1, 2, 3), BulkPreloader.outward(0, 4));
        assertEquals(List.of(3, 2, 1, 0), BulkPreloader.outward(3, 4));
        assertEquals(List.of(), BulkPreloader.outward(0, 0));
    }

    @Test
    void visitsTheCurrentSlideFirstThenOutwardAndCachesEveryTile() throws Exception {
        TilePipeline p = pipeline(64L << 20);
        BulkPreloader pre = new BulkPreloader(p, jobs());
        JobHandle h = pre.start(slides, slides.get(2));
        JobSnapshot end = awaitEnd(h);
        assertEquals(JobState.DONE, end.state());
        List<Path> expected = BulkPreloader.outward(2, SLIDES).stream().map(slides::get)
                .map(s -> s.toAbsolutePath().normalize()).toList();
        assertEquals(expected, pre.visitOrder());
        BulkPreloader.Status st = pre.status();
        assertEquals(SLIDES, st.slidesTotal());
        assertEquals(SLIDES, st.slidesDone());
        assertEquals(0, st.tilesFailed());
        assertEquals(SLIDES * tilesPerSlide, st.tilesLoaded() + st.tilesSkipped());
        assertEquals(SLIDES * bytesPerSlide, st.bytes(), "bytes of every tile file");
        assertEquals(end.itemsTotal(), end.itemsDone());
        for (Path s : slides) {
            assertTrue(pre.isFullyCached(s), s.toString());
            SlideHandle sh = p.openWithoutLoading(s);
            for (int level = 0; level < sh.info().levelCount(); level++) {
                for (TileKey k : keys(sh, level)) {
                    assertTrue(p.encodedCached(k), k.toString());
                }
            }
        }
    }

    /** A single-level slide: the file's tiles are preloaded, its generated levels are left to the viewer. */
    @Test
    void generatedLevelsAreNotPreloaded(@TempDir Path own) throws Exception {
        Path tif = Fixtures.singleLevelTiff(own.resolve("single.tif"), Fixtures.drawSource(600, 400), 64);
        TilePipeline p = pipeline(64L << 20);
        BulkPreloader pre = new BulkPreloader(p, jobs());
        assertEquals(JobState.DONE, awaitEnd(pre.start(List.of(tif), tif)).state());
        SlideHandle h = p.openWithoutLoading(tif);
        assertEquals(5, h.info().levelCount(), "600x400 in 64 px tiles, then 300x200 ... 38x25");
        assertEquals(70, pre.status().tilesLoaded(), "level 0's 10x7 tiles, nothing else");
        for (TileKey k : keys(h, 0)) {
            assertTrue(p.encodedCached(k), k.toString());
        }
        for (int level = 1; level < h.info().levelCount(); level++) {
            assertTrue(h.info().level(level).generated());
            for (TileKey k : keys(h, level)) {
                assertFalse(p.encodedCached(k), k.toString());
            }
        }
        assertTrue(pre.isFullyCached(tif), "every tile of the file is in L2");
    }

    @Test
    void tilesAlreadyInL2AreSkippedAndEveryOtherTileIsReadOnce() throws Exception {
        TilePipeline p = pipeline(64L << 20);
        // the user looked at slide 1's level 0 before: those tiles are in L2
        SlideHandle seen = p.open(slides.get(1));
        seen.ready().get(GUARD.toSeconds(), TimeUnit.SECONDS);
        List<CompletableFuture<?>> fs = new ArrayList<>();
        for (TileKey k : keys(seen, 0)) {
            fs.add(p.warm(seen, k));
        }
        CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(GUARD.toSeconds(), TimeUnit.SECONDS);
        // ready() waits for the thumbnail's level only: a coarser level's read may still be under way
        awaitTrue(() -> p.stats().readsInFlight() + p.stats().decodesInFlight() == 0, "the open's reads to end");
        long inL2 = tileCount(seen.info()); // level 0 warmed, the coarse levels loaded by open
        long readsBefore = p.stats().sourceReads();

        BulkPreloader pre = new BulkPreloader(p, jobs());
        assertEquals(JobState.DONE, awaitEnd(pre.start(slides, slides.get(0))).state());
        BulkPreloader.Status st = pre.status();
        assertEquals(inL2, st.tilesSkipped());
        assertEquals(SLIDES * tilesPerSlide - inL2, st.tilesLoaded());
        // each tile not cached was read exactly once, by the preloader, and nothing else was read
        assertEquals(st.tilesLoaded(), p.stats().sourceReads() - readsBefore);
    }

    @Test
    void preloadDecodesNothingSoL1KeepsOnlyWhatIsOnScreen() throws Exception {
        TilePipeline p = pipeline(64L << 20);
        // the slide in view: opened by the viewer, coarse levels decoded, one visible tile decoded
        SlideHandle current = p.open(slides.get(3));
        current.ready().get(GUARD.toSeconds(), TimeUnit.SECONDS);
        p.request(current, current.key(0, 4, 3), org.tilescope.engine.cache.Priority.VISIBLE, null, 0)
                .get(GUARD.toSeconds(), TimeUnit.SECONDS);
        // ready() waits for the thumbnail's level only: let the coarser levels land too
        for (int level = 1; level < current.info().levelCount(); level++) {
            for (TileKey k : keys(current, level)) {
                awaitTrue(() -> p.cached(k) != null, "coarse tile " + k);
            }
        }
        p.cleanUp();
        long l1Before = p.stats().l1().entries();

        BulkPreloader pre = new BulkPreloader(p, jobs());
        assertEquals(JobState.DONE, awaitEnd(pre.start(slides, slides.get(3))).state());
        p.cleanUp();
        assertEquals(l1Before, p.stats().l1().entries(), "the preload put decoded tiles into L1");
        for (Path s : slides) {
            if (s.equals(slides.get(3))) {
                continue;
            }
            SlideHandle other = p.openWithoutLoading(s); // the known handle; open() would load coarse levels
            for (int level = 0; level < other.info().levelCount(); level++) {
                for (TileKey k : keys(other, level)) {
                    assertNull(p.cached(k), "decoded by the preload: " + k);
                    assertTrue(p.encodedCached(k));
                }
            }
        }
        // the L1 count is a real probe: a decoding request does move it
        p.request(current, current.key(0, 0, 0), org.tilescope.engine.cache.Priority.VISIBLE, null, 0)
                .get(GUARD.toSeconds(), TimeUnit.SECONDS);
        p.cleanUp();
        assertEquals(l1Before + 1, p.stats().l1().entries());
    }

    @Test
    void cancelStopsTheRunAndNoReadsFollowItsEnd() throws Exception {
        TilePipeline p = pipeline(64L << 20);
        BulkPreloader pre = new BulkPreloader(p, jobs());
        JobHandle h = pre.start(slides, slides.get(0), BulkPreloader.ALL_LEVELS, 1);
        awaitTrue(() -> pre.status().tilesLoaded() > 0, "first tile");
        h.cancel();
        JobSnapshot end = awaitEnd(h);
        assertEquals(JobState.CANCELLED, end.state());
        long reads = p.stats().sourceReads();
        assertEquals(0, p.stats().readsInFlight(), "reads still in flight when the job said it ended");
        assertTrue(pre.status().tilesLoaded() < SLIDES * tilesPerSlide, "cancel came after the end");
        assertTrue(pre.status().slidesDone() < SLIDES);
        // nothing trickles in afterwards
        LockSupport.parkNanos(300_000_000);
        assertEquals(reads, p.stats().sourceReads());
        assertEquals(reads, pre.status().tilesLoaded());
    }

    @Test
    void aNewRunReplacesTheOldOne() throws Exception {
        TilePipeline p = pipeline(64L << 20);
        BulkPreloader pre = new BulkPreloader(p, jobs());
        JobHandle first = pre.start(slides, slides.get(0), BulkPreloader.ALL_LEVELS, 1);
        first.pause();
        JobHandle second = pre.start(slides.subList(0, 2), slides.get(1));
        assertEquals(JobState.CANCELLED, awaitEnd(first).state());
        assertEquals(JobState.DONE, awaitEnd(second).state());
        assertEquals(2, pre.status().slidesTotal());
    }

    @Test
    void recentreGoesOnFromTheNewSlideWithoutRedoingFinishedOnes() throws Exception {
        TilePipeline p = pipeline(64L << 20);
        BulkPreloader pre = new BulkPreloader(p, jobs());
        JobHandle h = pre.start(slides, slides.get(0), BulkPreloader.ALL_LEVELS, 1);
        // let slide 0 finish and slide 1 begin, then hold the run still while the user switches
        awaitTrue(() -> pre.visitOrder().size() >= 2, "second slide started");
        h.pause();
        awaitTrue(() -> h.snapshot().state() == JobState.PAUSED, "paused");
        List<Path> before = pre.visitOrder();
        assertTrue(before.size() < SLIDES, "the run got too far before the pause");
        Path newCentre = slides.get(4).toAbsolutePath().normalize();
        pre.recentre(slides.get(4));
        h.resume();
        assertEquals(JobState.DONE, awaitEnd(h).state());

        List<Path> order = pre.visitOrder();
        assertEquals(before, order.subList(0, before.size()));
        List<Path> after = order.subList(before.size(), order.size());
        if (!before.getLast().equals(newCentre)) {
            assertEquals(newCentre, after.getFirst(), "the next slide visited is the new centre: " + order);
        }
        // finished slides are not visited again (the one in progress may be, to finish it)
        for (Path done : before.subList(0, before.size() - 1)) {
            assertFalse(after.contains(done), done + " visited again: " + order);
        }
        assertEquals(SLIDES, pre.status().slidesDone());
        for (Path s : slides) {
            assertTrue(pre.isFullyCached(s));
        }
        // the rest goes outward from the new centre
        List<Path> rest = BulkPreloader.outward(4, SLIDES).stream()
                .map(i -> slides.get(i).toAbsolutePath().normalize())
                .filter(after::contains).toList();
        assertEquals(rest, after);
    }

    @Test
    void stopsBeforeL2WouldEvict() throws Exception {
        // room for a slide and a tenth of the six: the next slide's coarse levels alone would overflow it
        TilePipeline p = pipeline(bytesPerSlide * 11 / 10);
        BulkPreloader pre = new BulkPreloader(p, jobs());
        JobSnapshot end = awaitEnd(pre.start(slides, slides.get(0)));
        assertEquals(JobState.DONE, end.state());
        BulkPreloader.Status st = pre.status();
        assertTrue(st.stoppedBecause().contains("L2"), "stopped because: '" + st.stoppedBecause() + "'");
        assertTrue(st.slidesDone() < SLIDES);
        assertTrue(pre.isFullyCached(slides.get(0)));
        p.cleanUp();
        assertEquals(0, p.stats().l2().evictions(), "L2 evicted " + p.stats().l2());
        assertTrue(p.stats().l2().bytes() <= p.stats().l2().maxBytes());
    }

    @Test
    void aSlideLosingATileFromL2IsNoLongerMarkedCached() throws Exception {
        TilePipeline p = pipeline(bytesPerSlide * 11 / 10);
        BulkPreloader pre = new BulkPreloader(p, jobs());
        List<Path> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        pre.addUncachedListener(heard::add);
        awaitEnd(pre.start(slides, slides.get(0)));
        Path first = slides.get(0).toAbsolutePath().normalize();
        assertTrue(pre.isFullyCached(first));
        SlideHandle h0 = p.openWithoutLoading(first);
        List<TileKey> firstKeys = new ArrayList<>();
        for (int level = 0; level < h0.info().levelCount(); level++) {
            firstKeys.addAll(keys(h0, level));
        }
        // the user views the other slides, again and again: L2 makes room by evicting slide 0's tiles
        // (a tile read more often wins its place over one read once, so a few rounds are needed)
        for (int round = 0; round < 20 && firstKeys.stream().allMatch(p::encodedCached); round++) {
            p.clearDecoded();
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (Path s : slides.subList(1, SLIDES)) {
                SlideHandle h = p.openWithoutLoading(s);
                for (int level = 0; level < h.info().levelCount(); level++) {
                    for (TileKey k : keys(h, level)) {
                        all.add(p.request(h, k, org.tilescope.engine.cache.Priority.VISIBLE, null, 0)
                                .handle((t, e) -> t));
                    }
                }
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(GUARD.toSeconds(), TimeUnit.SECONDS);
            p.cleanUp();
        }
        assertFalse(firstKeys.stream().allMatch(p::encodedCached), "L2 kept every tile of slide 0: nothing to test");
        assertTrue(p.stats().l2().evictions() > 0);
        assertFalse(pre.isFullyCached(first), "slide 0 lost tiles from L2 but is still marked cached");
        assertEquals(List.of(first), heard, "the listener hears it once");
    }

    @Test
    void clearingL2ClearsEveryCachedMark() throws Exception {
        TilePipeline p = pipeline(64L << 20);
        BulkPreloader pre = new BulkPreloader(p, jobs());
        awaitEnd(pre.start(slides, slides.get(0)));
        assertTrue(slides.stream().allMatch(pre::isFullyCached));
        p.clearAll();
        assertTrue(slides.stream().noneMatch(pre::isFullyCached));
    }

    @Test
    void aCorruptSlideIsAFailureAndTheRunGoesOn(@TempDir Path bad) throws Exception {
        Path empty = Files.createFile(bad.resolve("empty.dzi"));
        String dzi = Files.readString(slides.get(0));
        Path truncated = bad.resolve("truncated.dzi");
        Files.writeString(truncated, dzi.substring(0, dzi.length() / 2));
        Files.createDirectories(bad.resolve("truncated_files"));
        List<Path> folderWithBad = List.of(slides.get(0), empty, slides.get(1), truncated, slides.get(2));

        TilePipeline p = pipeline(64L << 20);
        BulkPreloader pre = new BulkPreloader(p, jobs());
        JobSnapshot end = awaitEnd(pre.start(folderWithBad, slides.get(0)));
        assertEquals(JobState.DONE, end.state());
        assertEquals(2, end.failures(), end.toString());
        assertEquals(2, end.firstFailures().size());
        assertTrue(end.firstFailures().stream().anyMatch(f -> f.contains("empty.dzi")), end.firstFailures().toString());
        assertTrue(end.firstFailures().stream().anyMatch(f -> f.contains("truncated.dzi")), end.firstFailures().toString());
        assertEquals(5, pre.status().slidesDone());
        for (int i = 0; i < 3; i++) {
            assertTrue(pre.isFullyCached(slides.get(i)));
        }
        assertFalse(pre.isFullyCached(empty));
        assertFalse(pre.isFullyCached(truncated));
        assertEquals(3 * tilesPerSlide, pre.status().tilesLoaded() + pre.status().tilesSkipped());
    }

    @Test
    void afterAFullPreloadEverySlideShowsSharpWithoutASourceRead() throws Exception {
        TilePipeline p = pipeline(64L << 20);
        BulkPreloader pre = new BulkPreloader(p, jobs());
        assertEquals(JobState.DONE, awaitEnd(pre.start(slides, slides.get(0))).state());
        long reads = p.stats().sourceReads();
        long gen = 0;
        for (Path s : slides) {
            // switch to the slide the way the viewer does: open, then views at 1:1 and fit
            SlideHandle h = p.open(s);
            h.ready().get(GUARD.toSeconds(), TimeUnit.SECONDS);
            TileScheduler sched = new TileScheduler(p, h);
            for (double ds : new double[] {1.0, 2.0}) {
                Viewport v = Viewport.centred(300, 200, 400, 300, ds, ++gen);
                long end = System.nanoTime() + GUARD.toNanos();
                PaintPlan plan = sched.update(v);
                while (!plan.complete()) {
                    if (System.nanoTime() > end) {
                        fail("never sharp: " + s);
                    }
                    LockSupport.parkNanos(1_000_000);
                    plan = sched.update(v);
                }
            }
        }
        assertEquals(reads, p.stats().sourceReads(), "a switch after the preload read from the slide files");
    }

    /**
     * A slide file whose level-0 reads never return for the tiles in {@code stuck} (a dead network
     * mount): an in-memory slide registered under a real file's path and id, so the preloader finds it.
     */
    private SlideHandle stuckSlide(TilePipeline p, Path dir, Semaphore release, int stuckTiles) throws IOException {
        Path file = Files.writeString(dir.resolve("stuck.fake"), "stands for a slide").toRealPath();
        FakeSlide fake = new FakeSlide(4096, 4096, 256, 70); // level 0: 256 tiles, not loaded at open
        for (int i = 0; i < stuckTiles; i++) {
            fake.faults.put("0/" + (i % 16) + "_" + (i / 16), () -> {
                release.acquireUninterruptibly();
                return null;
            });
        }
        SlideHandle h = p.open(SlideIds.of(file.toString()), file, fake);
        return h;
    }

    @Test
    void cancelEndsARunWhoseReadsAreStuck(@TempDir Path dir) throws Exception {
        TilePipeline p = pipeline(64L << 20);
        Semaphore release = new Semaphore(0);
        try {
            SlideHandle h = stuckSlide(p, dir, release, 256);
            h.ready().get(GUARD.toSeconds(), TimeUnit.SECONDS);
            BulkPreloader pre = new BulkPreloader(p, jobs(), Duration.ofMillis(300));
            JobHandle job = pre.start(List.of(h.path()), h.path(), BulkPreloader.ALL_LEVELS, 2);
            awaitTrue(() -> release.getQueueLength() >= 2, "two preload reads stuck in the slide");
            job.cancel();
            JobSnapshot end = awaitEnd(job);
            assertEquals(JobState.CANCELLED, end.state());
        } finally {
            release.release(1000);
        }
    }

    @Test
    void stuckReadsAreGivenUpAndTheRunGoesOn(@TempDir Path dir) throws Exception {
        TilePipeline p = pipeline(64L << 20);
        Semaphore release = new Semaphore(0);
        try {
            SlideHandle h = stuckSlide(p, dir, release, 2);
            h.ready().get(GUARD.toSeconds(), TimeUnit.SECONDS);
            BulkPreloader pre = new BulkPreloader(p, jobs(), Duration.ofMillis(300));
            JobSnapshot end = awaitEnd(pre.start(List.of(h.path()), h.path(), BulkPreloader.ALL_LEVELS, 2));
            assertEquals(JobState.DONE, end.state());
            assertEquals(2, end.failures(), end.toString());
            assertTrue(end.firstFailures().stream().allMatch(f -> f.contains("read stuck")), end.firstFailures().toString());
            assertEquals(tileCount(h.info()) - 2, pre.status().tilesLoaded() + pre.status().tilesSkipped());
        } finally {
            release.release(1000);
        }
    }
}
