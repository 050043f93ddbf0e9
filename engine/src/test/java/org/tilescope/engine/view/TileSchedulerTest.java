package org.tilescope.engine.view;

import org.tilescope.engine.cache.CacheSizes;
import org.tilescope.engine.cache.FakeSlide;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.cache.TileKey;
import org.tilescope.engine.cache.TilePipelineTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;

class TileSchedulerTest {
    private final List<TilePipeline> pipelines = new ArrayList<>();

    TilePipeline pipeline() {
        TilePipeline p = new TilePipeline(new CacheSizes(256L << 20, 256L << 20), TileDecoder.standard(), 2, 4, 8);
        pipelines.add(p);
        return p;
    }

    @AfterEach
    void closeAll() {
        pipelines.forEach(TilePipeline::close);
    }

    @Test
    void levelChoiceIsByDownsample() throws Exception {
        TilePipeline p = pipeline();
        FakeSlide fake = new FakeSlide(8192, 8192, 256, 1);
        SlideHandle h = p.open(1, Path.of("a"), fake);
        TileScheduler s = new TileScheduler(p, h);
        assertEquals(0, s.update(Viewport.centred(4000, 4000, 800, 600, 1.0, 1)).level());
        assertEquals(0, s.update(Viewport.centred(4000, 4000, 800, 600, 1.9, 2)).level());
        assertEquals(1, s.update(Viewport.centred(4000, 4000, 800, 600, 2.0, 3)).level());
        assertEquals(2, s.update(Viewport.centred(4000, 4000, 800, 600, 7.5, 4)).level());
        assertEquals(0, s.update(Viewport.centred(4000, 4000, 800, 600, 0.25, 5)).level());
        int last = fake.info.levelCount() - 1;
        assertEquals(last, s.update(Viewport.centred(4000, 4000, 800, 600, 1e6, 6)).level());
    }

    @Test
    void fallbackCoversEveryVisibleTileOnceCoarseLevelsAreLoaded() throws Exception {
        TilePipeline p = pipeline();
        FakeSlide fake = new FakeSlide(8192, 6144, 256, 2);
        SlideHandle h = p.open(2, Path.of("b"), fake);
        h.ready().get(30, TimeUnit.SECONDS);
        fake.gate = new Semaphore(0); // nothing fine arrives
        TileScheduler s = new TileScheduler(p, h);
        Viewport v = Viewport.centred(3000.5, 2500.25, 1280, 720, 1.0, 1);
        PaintPlan plan = s.update(v);
        assertTrue(plan.wanted() > 0);
        assertEquals(0, plan.sharp());
        assertEquals(0, plan.uncovered(), "every missing tile has a coarser cached cover");
        assertEquals(0, TilePipelineTest.unfilledPixels(plan, v, 1280, 720, 8192, 6144));
        fake.gate.release(10_000);
    }

    @Test
    void theViewGoesSharpAndCentreTilesComeFirst() throws Exception {
        TilePipeline p = pipeline();
        FakeSlide fake = new FakeSlide(8192, 8192, 256, 3);
        SlideHandle h = p.open(3, Path.of("c"), fake);
        h.ready().get(30, TimeUnit.SECONDS);
        fake.readOrder.clear();
        TileScheduler s = new TileScheduler(p, h);
        Viewport v = Viewport.centred(4096, 4096, 1024, 768, 1.0, 1);
        PaintPlan plan = s.update(v);
        // wait for the view to complete (hang guard only)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!plan.complete() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            plan = s.update(v);
        }
        assertTrue(plan.complete());
        assertEquals(plan.wanted(), plan.sharp());
        // the tiles at the centre (4096/256 = 16) are read before the corners
        int firstIndex = fake.readOrder.indexOf("0/15_15") >= 0 ? fake.readOrder.indexOf("0/15_15") : fake.readOrder.indexOf("0/16_16");
        int cornerIndex = fake.readOrder.indexOf("0/14_14");
        assertTrue(firstIndex >= 0 && cornerIndex > firstIndex, fake.readOrder.toString());
        assertEquals(0, TilePipelineTest.unfilledPixels(plan, v, 1024, 768, 8192, 8192));
    }

    @Test
    void prefetchReachesAheadInThePanDirection() throws Exception {
        TilePipeline p = pipeline();
        FakeSlide fake = new FakeSlide(65536, 16384, 256, 4);
        SlideHandle h = p.open(4, Path.of("d"), fake);
        h.ready().get(30, TimeUnit.SECONDS);
        TileScheduler s = new TileScheduler(p, h);
        // panning right at 2000 level-0 px/s on level 2 (downsample 4): 0.5 s ahead = 1000 px = ~1 tile
        Viewport v = new Viewport(4000, 1000, 1024 * 4, 512 * 4, 4.0, 8000, 0, 1);
        // visible cols at level 2: 1000/256=3 .. (8096/4-1)/256=7; ring to 8, stretch adds up to MAX.
        // Updated frame after frame, as a pane does: a new view asks for its visible tiles first
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (fake.readsOf(2, 9, 2) == 0 && System.nanoTime() < deadline) {
            s.update(v);
            Thread.sleep(5);
        }
        assertEquals(1, fake.readsOf(2, 9, 2), "a tile two columns ahead is prefetched");
        assertEquals(0, fake.readsOf(2, 1, 2), "nothing two columns behind");
    }

    @Test
    void aViewNeedingTooManyTinyTilesIsDrawnFromACoarserLevel() throws Exception {
        TilePipeline p = pipeline();
        FakeSlide fake = new FakeSlide(16384, 16384, 16, 7); // level 0: 1024x1024 tiles of 16 px
        fake.gate = new Semaphore(0); // nothing needs to arrive
        try {
            SlideHandle h = p.open(7, Path.of("tiny"), fake);
            TileScheduler s = new TileScheduler(p, h);
            Viewport v = Viewport.centred(8000, 8000, 1920, 1080, 1.0, 1); // 120x68 tiles at level 0
            assertEquals(1, s.levelFor(v), "60x34 tiles at level 1 are within the cap");
            PaintPlan plan = s.update(v);
            assertEquals(1, plan.level());
            assertTrue(plan.wanted() <= TileScheduler.MAX_TILES_PER_FRAME, "wanted " + plan.wanted());
            assertTrue(s.visibleTiles(v).stream().allMatch(k -> k.level() == 1));
        } finally {
            fake.gate.release(1_000_000);
        }
    }

    @Test
    void aSingleLevelSlideOfManyTilesIsViewedFromAGeneratedLevel() throws Exception {
        TilePipeline p = pipeline();
        LevelInfo only = LevelInfo.of(0, 4096, 4096, 1.0, 16, 16); // 256x256 tiles, nothing coarser
        SlideInfo info = new SlideInfo(java.net.URI.create("memory:/flat"), "fake", 16, 16, 0, List.of(only),
                OptionalDouble.empty(), OptionalDouble.empty(), List.of());
        Semaphore gate = new Semaphore(0);
        SlideSource flat = new SlideSource() {
            @Override
            public SlideInfo info() {
                return info;
            }

            @Override
            public byte[] readTile(int level, int col, int row) throws IOException {
                gate.acquireUninterruptibly();
                throw new IOException("never read in this test");
            }

            @Override
            public byte[] readAssociated(String name) throws IOException {
                throw new IOException("none");
            }

            @Override
            public void close() {
            }
        };
        try {
            SlideHandle h = p.open(8, Path.of("flat"), flat);
            TileScheduler s = new TileScheduler(p, h);
            Viewport v = Viewport.centred(2048, 2048, 1920, 1080, 4096.0 / 1080, 1); // the whole slide
            PaintPlan plan = s.update(v);
            // the file has one level; the pipeline gives it generated coarser ones, and the frame
            // asks for one of those rather than 65,536 file tiles
            assertTrue(h.info().levelCount() > 1, "generated levels");
            assertTrue(plan.level() > 0, "level " + plan.level());
            assertTrue(plan.wanted() <= TileScheduler.MAX_TILES_PER_FRAME, "wanted " + plan.wanted());
            List<TileKey> keys = s.visibleTiles(v);
            assertEquals(plan.wanted(), keys.size());
        } finally {
            gate.release(1_000_000);
        }
    }
}
