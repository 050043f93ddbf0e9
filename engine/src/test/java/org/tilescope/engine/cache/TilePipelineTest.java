package org.tilescope.engine.cache;

import org.tilescope.engine.view.PaintPlan;
import org.tilescope.engine.view.TilePainter;
import org.tilescope.engine.view.Viewport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.slide.TileException;

public class TilePipelineTest {
    static final Duration HANG_GUARD = Duration.ofSeconds(30);
    private final List<TilePipeline> pipelines = new ArrayList<>();

    TilePipeline pipeline(long l1Mb, long l2Mb, int decodeThreads, int readsPerSlide) {
        TilePipeline p = new TilePipeline(new CacheSizes(l1Mb << 20, l2Mb << 20), TileDecoder.standard(),
                decodeThreads, readsPerSlide, 4);
        pipelines.add(p);
        return p;
    }

    @AfterEach
    void closeAll() {
        pipelines.forEach(TilePipeline::close);
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void requestFillsL1AndL2AndNotifiesListeners() throws Exception {
        TilePipeline p = pipeline(64, 64, 2, 4);
        FakeSlide fake = new FakeSlide(4096, 4096, 256, 1);
        SlideHandle h = p.open(1, Path.of("a"), fake);
        await(h.ready());
        List<TileKey> landed = new java.util.concurrent.CopyOnWriteArrayList<>();
        p.addListener((k, r) -> landed.add(k));
        TileKey key = h.key(0, 1, 2);
        DecodedTile t = await(p.request(h, key, Priority.VISIBLE, null, 0));
        assertEquals(256, t.owned().width());
        assertEquals(fake.colour(0, 256 + 5, 512 + 7), t.image().getRGB(5, 7) & 0xFFFFFF);
        assertSame(t, p.cached(key));
        assertTrue(p.encodedCached(key));
        assertTrue(landed.contains(key));
        // a second request is an L1 hit: no read
        int reads = fake.totalReads();
        assertSame(t, await(p.request(h, key, Priority.VISIBLE, null, 0)));
        assertEquals(reads, fake.totalReads());
        PipelineStats s = p.stats();
        assertTrue(s.l1().hits() >= 1);
        assertTrue(s.l1().bytes() > 0 && s.l2().bytes() > 0);
        assertEquals(TileDecoder.standard().name(), s.decoder());
    }

    @Test
    void coarseLevelsLoadAtOpenAndTheThumbnailIsHeld() throws Exception {
        TilePipeline p = pipeline(64, 64, 2, 4);
        FakeSlide fake = new FakeSlide(4096, 2048, 256, 2); // level 0: 16x8=128 tiles, level 1: 32
        SlideHandle h = p.open(2, Path.of("b"), fake);
        BufferedImage thumb = await(h.ready());
        settle(p); // ready() waits for the thumbnail's level only; the coarser levels may still be reading
        assertEquals(2, h.thumbnailLevel()); // the finest level with <= 64 tiles and <= 1024 px
        assertEquals(1024, thumb.getWidth());
        assertEquals(fake.colour(2, 700, 300), thumb.getRGB(700, 300) & 0xFFFFFF);
        assertEquals(0, fake.readsOf(0, 0, 0));
        for (int level = 1; level < fake.info.levelCount(); level++) {
            assertTrue(fake.readsOf(level, 0, 0) == 1, "level " + level + " loaded");
        }
    }

    @Test
    void duplicateRequestsMergeIntoOneRead() throws Exception {
        TilePipeline p = pipeline(64, 64, 2, 4);
        FakeSlide fake = new FakeSlide(4096, 4096, 256, 3);
        SlideHandle h = p.open(3, Path.of("c"), fake);
        await(h.ready());
        settle(p);
        fake.gate = new Semaphore(0);
        TileKey key = h.key(0, 3, 3);
        List<CompletableFuture<DecodedTile>> fs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fs.add(p.request(h, key, i % 2 == 0 ? Priority.PREFETCH : Priority.VISIBLE, null, 0));
        }
        fake.gate.release(100);
        for (var f : fs) {
            assertNotNull(await(f));
        }
        assertEquals(1, fake.readsOf(0, 3, 3));
    }

    @Test
    void staleWorkIsDroppedBeforeItsReadAndBeforeItsDecode() throws Exception {
        TilePipeline p = pipeline(64, 64, 1, 1);
        FakeSlide fake = new FakeSlide(4096, 4096, 256, 4);
        SlideHandle h = p.open(4, Path.of("d"), fake);
        await(h.ready());
        settle(p);
        fake.gate = new Semaphore(0);
        ViewGeneration view = new ViewGeneration();
        long g1 = view.next();
        var first = p.request(h, h.key(0, 0, 0), Priority.VISIBLE, view, g1);   // takes the only reader, blocks
        var queued = new ArrayList<CompletableFuture<DecodedTile>>();
        for (int c = 1; c < 6; c++) {
            queued.add(p.request(h, h.key(0, c, 0), Priority.VISIBLE, view, g1));
        }
        // wait until the first read is blocked in the source
        assertTrue(fake.gate.hasQueuedThreads() || waitForQueued(fake.gate));
        view.next(); // the user moved on
        fake.gate.release(100);
        for (var f : queued) {
            assertInstanceOf(StaleRequestException.class, failure(f));
        }
        for (int c = 1; c < 6; c++) {
            assertEquals(0, fake.readsOf(0, c, 0), "stale tile " + c + " must not be read");
        }
        // the one already reading lands in L2 (write-through) but is not decoded
        assertInstanceOf(StaleRequestException.class, failure(first));
        assertTrue(p.encodedCached(h.key(0, 0, 0)));
        assertNull(p.cached(h.key(0, 0, 0)));
    }

    @Test
    void aNewerRequestKeepsMergedWorkAlive() throws Exception {
        TilePipeline p = pipeline(64, 64, 1, 1);
        FakeSlide fake = new FakeSlide(4096, 4096, 256, 5);
        SlideHandle h = p.open(5, Path.of("e"), fake);
        await(h.ready());
        settle(p);
        fake.gate = new Semaphore(0);
        ViewGeneration view = new ViewGeneration();
        p.request(h, h.key(0, 0, 0), Priority.VISIBLE, view, view.next());
        waitForQueued(fake.gate);
        var old = p.request(h, h.key(0, 1, 0), Priority.VISIBLE, view, view.current());
        long g2 = view.next();
        var again = p.request(h, h.key(0, 1, 0), Priority.VISIBLE, view, g2); // still wanted
        fake.gate.release(100);
        assertNotNull(await(again));
        assertSame(old, again);
        assertEquals(1, fake.readsOf(0, 1, 0));
    }

    @Test
    void priorityOrderIsHonouredUnderLoad() throws Exception {
        TilePipeline p = pipeline(64, 64, 1, 1);
        FakeSlide fake = new FakeSlide(4096, 4096, 256, 6);
        SlideHandle h = p.open(6, Path.of("f"), fake);
        await(h.ready());
        settle(p);
        fake.readOrder.clear();
        fake.gate = new Semaphore(0);
        List<CompletableFuture<DecodedTile>> all = new ArrayList<>();
        all.add(p.request(h, h.key(0, 15, 15), Priority.VISIBLE, null, 0)); // occupies the reader
        waitForQueued(fake.gate);
        Priority[] mix = {Priority.PREFETCH, Priority.COVER, Priority.VISIBLE};
        for (int i = 0; i < 12; i++) {
            all.add(p.request(h, h.key(0, i, 0), mix[i % 3], null, 0));
        }
        fake.gate.release(1000);
        for (var f : all) {
            await(f);
        }
        // level 0 only: coarse levels may still be loading from the open, at their own priority
        List<String> order = fake.readOrder.stream().filter(n -> n.startsWith("0/") && !n.equals("0/15_15")).toList();
        assertEquals(12, order.size(), order.toString());
        List<Integer> ranks = order.stream().map(n -> {
            int col = Integer.parseInt(n.substring(n.indexOf('/') + 1, n.indexOf('_')));
            return switch (col % 3) {
                case 2 -> 0; // VISIBLE
                case 1 -> 1; // COVER
                default -> 2; // PREFETCH
            };
        }).toList();
        List<Integer> sorted = new ArrayList<>(ranks);
        sorted.sort(null);
        assertEquals(sorted, ranks, "reads in priority order: " + order);
    }

    @Test
    void aBrokenTileIsCountedOnceAndNeverRetried() throws Exception {
        TilePipeline p = pipeline(64, 64, 2, 2);
        FakeSlide fake = new FakeSlide(4096, 4096, 256, 7);
        fake.broken.add(FakeSlide.name(0, 2, 2));
        SlideHandle h = p.open(7, Path.of("g"), fake);
        await(h.ready());
        for (int i = 0; i < 5; i++) {
            CompletableFuture<DecodedTile> f = p.request(h, h.key(0, 2, 2), Priority.VISIBLE, null, 0);
            CompletionException e = assertThrows(CompletionException.class, f::join);
            assertInstanceOf(TileException.class, e.getCause());
        }
        assertEquals(1, fake.readsOf(0, 2, 2));
        assertEquals(1, p.stats().failedTiles());
        assertTrue(p.hasFailed(h.key(0, 2, 2)));
        // its neighbours read fine
        assertNotNull(await(p.request(h, h.key(0, 2, 1), Priority.VISIBLE, null, 0)));
    }

    @Test
    void undecodableBytesFailOnceToo() throws Exception {
        TilePipeline p = pipeline(64, 64, 2, 2);
        FakeSlide fake = new FakeSlide(4096, 4096, 256, 8) {
            @Override
            public byte[] readTile(int level, int col, int row) throws java.io.IOException {
                return level == 0 && col == 1 && row == 1 ? new byte[] {1, 2, 3, 4} : super.readTile(level, col, row);
            }
        };
        SlideHandle h = p.open(8, Path.of("h"), fake);
        await(h.ready());
        for (int i = 0; i < 3; i++) {
            assertThrows(CompletionException.class, () -> p.request(h, h.key(0, 1, 1), Priority.VISIBLE, null, 0).join());
        }
        assertEquals(1, p.stats().failedTiles());
    }

    @Test
    void warmFillsL2WithoutDecoding() throws Exception {
        TilePipeline p = pipeline(64, 64, 2, 2);
        FakeSlide fake = new FakeSlide(4096, 4096, 256, 9);
        SlideHandle h = p.open(9, Path.of("i"), fake);
        await(h.ready());
        TileKey key = h.key(0, 0, 1);
        assertNull(await(p.warm(h, key)));
        assertTrue(p.encodedCached(key));
        assertNull(p.cached(key));
        assertNull(await(p.warm(h, key)));
        assertEquals(1, fake.readsOf(0, 0, 1));
        // a foreground request now decodes from L2, no read
        assertNotNull(await(p.request(h, key, Priority.VISIBLE, null, 0)));
        assertEquals(1, fake.readsOf(0, 0, 1));
    }

    @Test
    void weightsStayWithinTheirBounds() throws Exception {
        TilePipeline p = pipeline(1, 1, 2, 4); // 1 MiB each: a 256 px tile weighs 256 KiB in L1
        FakeSlide fake = new FakeSlide(4096, 4096, 256, 10);
        SlideHandle h = p.open(10, Path.of("j"), fake);
        await(h.ready());
        for (int r = 0; r < 8; r++) {
            for (int c = 0; c < 8; c++) {
                p.request(h, h.key(0, c, r), Priority.VISIBLE, null, 0).handle((t, e) -> t).get(30, TimeUnit.SECONDS);
            }
        }
        p.cleanUp();
        PipelineStats s = p.stats();
        assertTrue(s.l1().bytes() <= 1 << 20, "L1 " + s.l1().bytes());
        assertTrue(s.l2().bytes() <= 1 << 20, "L2 " + s.l2().bytes());
        assertTrue(s.l1().evictions() > 0);
    }

    @Test
    void openFilesAreBoundedLeastRecentlyUsedReleased() throws Exception {
        TilePipeline p = pipeline(64, 64, 2, 2);
        List<FakeSlide> fakes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            FakeSlide f = new FakeSlide(512, 512, 256, 20 + i);
            fakes.add(f);
            await(p.open(20 + i, Path.of("s" + i), f).ready());
        }
        assertTrue(p.slidesWithOpenFiles() <= 4);
        assertTrue(fakes.getFirst().released.get() >= 1, "the least recently used slide released its files");
        assertEquals(0, fakes.getLast().released.get());
    }

    /** The exception a future failed with, unwrapped. */
    static Throwable failure(CompletableFuture<?> f) {
        Throwable t = f.handle((v, e) -> e).join();
        return t instanceof CompletionException c && c.getCause() != null ? c.getCause() : t;
    }

    /** Waits (hang guard only) until the coarse-level loads from the open are done. */
    static void settle(TilePipeline p) {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (p.stats().readsInFlight() + p.stats().decodesInFlight() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    static boolean waitForQueued(Semaphore gate) throws InterruptedException {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (!gate.hasQueuedThreads()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        return true;
    }

    /** Paints a plan over magenta: any magenta left inside the slide is an unfilled pixel. */
    public static int unfilledPixels(PaintPlan plan, Viewport v, int screenW, int screenH, int slideW, int slideH) {
        BufferedImage img = new BufferedImage(screenW, screenH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.MAGENTA);
        g.fillRect(0, 0, screenW, screenH);
        g.scale(1 / v.downsample(), 1 / v.downsample());
        g.translate(-v.x(), -v.y());
        TilePainter.paint(g, plan);
        g.dispose();
        int unfilled = 0;
        for (int y = 0; y < screenH; y++) {
            for (int x = 0; x < screenW; x++) {
                double sx = v.x() + (x + 0.5) * v.downsample();
                double sy = v.y() + (y + 0.5) * v.downsample();
                if (sx >= 0 && sy >= 0 && sx < slideW && sy < slideH && (img.getRGB(x, y) & 0xFFFFFF) == 0xFF00FF) {
                    unfilled++;
                }
            }
        }
        assertFalse(unfilled < 0);
        return unfilled;
    }
}
