package org.tilescope.engine.cache;

import org.tilescope.engine.view.PaintPlan;
import org.tilescope.engine.view.TileScheduler;
import org.tilescope.engine.view.Viewport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.testing.Fixtures;

class PipelineConcurrencyTest {
    @TempDir
    Path dir;

    /**
     * Eight threads open, update, switch and drop views over five slides (three on disk, two in
     * memory) with small caches and a file-handle bound of 2, for a bounded time. Nothing may
     * throw, deadlock, or push a cache past its weight bound.
     */
    @Test
    void eightThreadsHammerOpenUpdateSwitchClose() throws Exception {
        List<Path> onDisk = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            var src = Fixtures.drawSource(1500 + 100 * i, 1100);
            if (i == 2) {
                onDisk.add(Fixtures.fastPath(dir.resolve("s" + i + ".fastpath"), src, 128, 4,
                        Fixtures.FastPathLayout.PACK_V2).dir());
            } else {
                onDisk.add(Fixtures.deepZoom(dir, "s" + i, src, 128, 1, "jpg").dzi());
            }
        }
        long l1Max = 2L << 20;
        long l2Max = 1L << 20;
        try (TilePipeline p = new TilePipeline(new CacheSizes(l1Max, l2Max), TileDecoder.standard(), 2, 3, 2)) {
            List<SlideHandle> memory = List.of(
                    p.open(900, Path.of("m0"), new FakeSlide(6000, 4000, 256, 90)),
                    p.open(901, Path.of("m1"), new FakeSlide(3000, 5000, 256, 91)));
            Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicLong updates = new AtomicLong();
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            CountDownLatch done = new CountDownLatch(8);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int seed = t;
                threads.add(Thread.ofPlatform().name("hammer-" + t).start(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    try {
                        while (System.nanoTime() < deadline) {
                            int pick = r.nextInt(5);
                            SlideHandle h = pick < 3 ? p.open(onDisk.get(pick)) : memory.get(pick - 3);
                            TileScheduler s = new TileScheduler(p, h);
                            long gen = 0;
                            for (int i = 0; i < 20; i++) {
                                double ds = Math.pow(2, r.nextDouble(-1, 6));
                                Viewport v = Viewport.centred(r.nextDouble(h.info().width()),
                                        r.nextDouble(h.info().height()), 400 + r.nextInt(800), 300 + r.nextInt(600),
                                        ds, ++gen);
                                v = new Viewport(v.x(), v.y(), v.width(), v.height(), ds,
                                        r.nextDouble(-5000, 5000), r.nextDouble(-5000, 5000), gen);
                                PaintPlan plan = s.update(v);
                                assertTrue(plan.sharp() <= plan.wanted());
                                updates.incrementAndGet();
                            }
                            if (r.nextInt(10) == 0) {
                                p.clearDecoded();
                            }
                            s.generation().next(); // the view closes: its pending work is stale
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    } finally {
                        done.countDown();
                    }
                }));
            }
            assertTrue(done.await(60, TimeUnit.SECONDS), "hammer threads finished (deadlock guard)");
            for (Thread th : threads) {
                th.join();
            }
            assertTrue(errors.isEmpty(), () -> "errors: " + errors);
            assertTrue(updates.get() > 0);
            // in-flight work drains: nothing is stuck
            long drainDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (p.stats().readsInFlight() + p.stats().decodesInFlight() > 0 && System.nanoTime() < drainDeadline) {
                Thread.onSpinWait();
                Thread.yield();
            }
            PipelineStats s = p.stats();
            assertEquals(0, s.readsInFlight() + s.decodesInFlight(), "work drained: " + s);
            p.cleanUp();
            s = p.stats();
            assertTrue(s.l1().bytes() <= l1Max, "L1 within bound: " + s.l1());
            assertTrue(s.l2().bytes() <= l2Max, "L2 within bound: " + s.l2());
            assertEquals(0, s.failedTiles());
            assertTrue(p.slidesWithOpenFiles() <= 2);
        }
    }

    /** L2 keeps a slide's tiles across a switch to another slide and a reopen of the same file. */
    @Test
    void l2SurvivesASlideSwitchAndAReopen() throws Exception {
        Path a = Fixtures.deepZoom(dir, "a", Fixtures.drawSource(3000, 2000), 128, 1, "jpg").dzi();
        Path b = Fixtures.deepZoom(dir, "b", Fixtures.drawSource(2000, 3000), 128, 1, "jpg").dzi();
        try (TilePipeline p = new TilePipeline(new CacheSizes(64L << 20, 64L << 20), TileDecoder.standard(), 2, 4, 8)) {
            SlideHandle ha = p.open(a);
            ha.ready().get(30, TimeUnit.SECONDS);
            TileKey key = ha.key(0, 10, 7);
            assertNotNull(p.request(ha, key, Priority.VISIBLE, null, 0).get(30, TimeUnit.SECONDS));
            long readsAfterA = p.stats().sourceReads();

            SlideHandle hb = p.open(b);
            hb.ready().get(30, TimeUnit.SECONDS);
            assertNotNull(p.request(hb, hb.key(0, 3, 3), Priority.VISIBLE, null, 0).get(30, TimeUnit.SECONDS));
            p.clearDecoded(); // as if L1 had moved on to slide b

            SlideHandle again = p.open(a);
            assertSame(ha, again, "reopening a visited slide parses nothing");
            try (var s = org.tilescope.engine.slide.Slides.open(a)) {
                assertEquals(SlideIds.of(s.identity()), again.id(), "the id is stable for the same file");
            }
            long readsBefore = p.stats().sourceReads();
            assertNotNull(p.request(again, again.key(0, 10, 7), Priority.VISIBLE, null, 0).get(30, TimeUnit.SECONDS));
            assertEquals(readsBefore, p.stats().sourceReads(), "served from L2, no source read");
            assertTrue(readsAfterA > 0);
        }
    }
}
