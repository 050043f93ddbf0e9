package org.tilescope.engine.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tilescope.engine.cache.TilePipelineTest.await;

import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tilescope.engine.decode.TileDecoder;

/** Caches give memory back when the heap stays full after a collection. */
class MemoryReliefTest {
    private static final long MB = 1L << 20;

    @Test
    void pressureHalvesL1ThenL2InTurnDownToTheirFloor() throws Exception {
        try (TilePipeline p = new TilePipeline(new CacheSizes(64 * MB, 128 * MB), TileDecoder.standard(), 2, 4, 4)) {
            FakeSlide fake = new FakeSlide(4096, 4096, 256, 60);
            SlideHandle h = p.open(60, Path.of("pressure"), fake);
            await(h.ready());
            for (int c = 0; c < 16; c++) {
                for (int r = 0; r < 12; r++) {
                    await(p.request(h, h.key(0, c, r), Priority.VISIBLE, null, 0)); // 256 KiB each in L1
                }
            }
            p.cleanUp();
            assertTrue(p.stats().l1().bytes() > 32 * MB, "L1 holds more than it will be allowed: " + p.stats().l1());

            assertTrue(p.relieveMemoryPressure(0.9));
            p.cleanUp();
            assertEquals(32 * MB, p.stats().l1().maxBytes());
            assertTrue(p.stats().l1().bytes() <= 32 * MB, "evicted down to the new bound: " + p.stats().l1());
            assertEquals(128 * MB, p.stats().l2().maxBytes(), "L2 waits its turn");

            assertTrue(p.relieveMemoryPressure(0.9));
            assertEquals(64 * MB, p.stats().l2().maxBytes());
            List<Long> l1 = new ArrayList<>();
            List<Long> l2 = new ArrayList<>();
            while (p.relieveMemoryPressure(0.95)) {
                l1.add(p.stats().l1().maxBytes() / MB);
                l2.add(p.stats().l2().maxBytes() / MB);
            }
            // L1 and L2 in turn; once L1 is at its floor, L2 alone
            assertEquals(List.of(16L, 16L, 16L), l1, "L1 stops at its floor");
            assertEquals(List.of(64L, 32L, 16L), l2);
            assertEquals(TilePipeline.MIN_TIER_BYTES, p.stats().l1().maxBytes());
            assertEquals(TilePipeline.MIN_TIER_BYTES, p.stats().l2().maxBytes());
            assertFalse(p.relieveMemoryPressure(0.99), "both at their floor: nothing more to give");
            // the pipeline still serves tiles
            assertNotNull(await(p.request(h, h.key(0, 15, 15), Priority.VISIBLE, null, 0)));
        }
    }

    @Test
    void theHeapWatchActsOnlyWhenACollectionLeavesTheTenuredPoolAboveItsThreshold() {
        List<Double> heard = new ArrayList<>();
        CacheSizes.HeapWatch watch = CacheSizes.HeapWatch.start(heard::add).orElseThrow(
                () -> new AssertionError("this JVM's collector has a tenured pool with thresholds"));
        try {
            var pool = CacheSizes.HeapWatch.tenuredPool().orElseThrow();
            assertEquals(watch.poolName(), pool.getName());
            long max = pool.getUsage().getMax() > 0 ? pool.getUsage().getMax() : Runtime.getRuntime().maxMemory();
            assertEquals((long) (max * CacheSizes.HeapWatch.THRESHOLD), pool.getCollectionUsageThreshold());
            watch.afterCollection(new MemoryUsage(0, 80 * MB, 100 * MB, 100 * MB));
            assertTrue(heard.isEmpty(), "80% full: nothing to do");
            watch.afterCollection(new MemoryUsage(0, 90 * MB, 100 * MB, 100 * MB));
            assertEquals(List.of(0.9), heard);
        } finally {
            watch.close();
        }
    }
}
