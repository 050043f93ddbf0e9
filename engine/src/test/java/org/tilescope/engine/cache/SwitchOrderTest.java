package org.tilescope.engine.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.view.PaintPlan;
import org.tilescope.engine.view.TileScheduler;
import org.tilescope.engine.view.Viewport;

/**
 * A slide switch decodes the view's own tiles first: at open only the one cover tile is asked
 * for, the view's first frames ask for their visible tiles alone, and the coarse levels and the
 * thumbnail follow once the view has them all. One read and one decode thread make the order
 * the queues' order.
 */
class SwitchOrderTest {
    private final TilePipeline pipeline = new TilePipeline(new CacheSizes(64L << 20, 64L << 20),
            TileDecoder.standard(), 1, 1, 4);

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void visibleTilesLandBeforeTheOverviewAndTheThumbnail() throws Exception {
        pipeline.overviewHoldMillis = TimeUnit.MINUTES.toMillis(5); // only the view ends the hold here
        // level 0: 8x6 = 48 tiles, a coarse level itself (as a library slide's fit level is);
        // level 1: 12 tiles, the thumbnail's; level 2: 4; level 3: one tile, the first frame's cover
        FakeSlide fake = new FakeSlide(2048, 1536, 256, 21);
        fake.gate = new Semaphore(0);
        List<TileKey> landed = new CopyOnWriteArrayList<>();
        pipeline.addListener((k, r) -> landed.add(k));
        SlideHandle h = pipeline.open(21, Path.of("switch"), fake);
        assertEquals(1, pipeline.inFlightRequests(), "at open, only the cover tile is asked for");
        assertFalse(h.coverReady().isDone(), "its read waits at the gate");

        TileScheduler view = new TileScheduler(pipeline, h);
        Viewport v = Viewport.centred(1024, 768, 2048, 1536, 1.0, 1);
        PaintPlan plan = view.update(v);
        assertEquals(0, plan.level());
        assertEquals(48, plan.wanted());
        assertEquals(1 + 48, pipeline.inFlightRequests(),
                "the new view asks for its visible tiles only: no cover level, no prefetch yet");

        fake.gate.release(1_000_000);
        long deadline = System.nanoTime() + TilePipelineTest.HANG_GUARD.toNanos();
        while (!plan.complete() && System.nanoTime() < deadline) {
            Thread.sleep(2); // a pane's frames as the tiles land
            plan = view.update(v);
        }
        assertTrue(plan.complete());
        TilePipelineTest.await(h.ready());
        assertEquals(1, h.thumbnailLevel());

        assertEquals(h.key(3, 0, 0), landed.getFirst(), "the cover tile first");
        TilePipelineTest.await(h.coverReady());
        int lastVisible = -1;
        int firstOther = Integer.MAX_VALUE;
        for (int i = 0; i < landed.size(); i++) {
            TileKey k = landed.get(i);
            if (k.level() == 0) {
                lastVisible = i;
            } else if (k.level() == 1 || k.level() == 2) {
                firstOther = Math.min(firstOther, i);
            }
        }
        assertEquals(1 + 48 - 1, lastVisible, landed.toString());
        assertTrue(firstOther > lastVisible && firstOther < landed.size(), landed.toString());
    }
}
