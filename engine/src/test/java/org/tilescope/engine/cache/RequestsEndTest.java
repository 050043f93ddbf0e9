package org.tilescope.engine.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.tilescope.engine.cache.TilePipelineTest.await;
import static org.tilescope.engine.cache.TilePipelineTest.failure;
import static org.tilescope.engine.cache.TilePipelineTest.settle;
import static org.tilescope.engine.cache.TilePipelineTest.waitForQueued;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.slide.TileException;
import org.tilescope.engine.view.TileScheduler;
import org.tilescope.engine.view.Viewport;

/**
 * Every request ends, whatever a source or decoder throws and however a pool shuts down; a repeat
 * at the same priority adds nothing; transient failures are retried, permanent ones remembered.
 */
class RequestsEndTest {
    private final List<TilePipeline> pipelines = new ArrayList<>();

    TilePipeline pipeline(TileDecoder decoder, int decodeThreads, int readsPerSlide) {
        TilePipeline p = new TilePipeline(new CacheSizes(64L << 20, 64L << 20), decoder, decodeThreads, readsPerSlide, 8);
        pipelines.add(p);
        return p;
    }

    @AfterEach
    void closeAll() {
        pipelines.forEach(TilePipeline::close);
    }

    static void awaitTrue(BooleanSupplier c, String what) {
        long end = System.nanoTime() + TilePipelineTest.HANG_GUARD.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    static Throwable settled(CompletableFuture<?> f) throws Exception {
        f.handle((v, e) -> null).get(TilePipelineTest.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
        return f.isCompletedExceptionally() ? failure(f) : null;
    }

    @Test
    void anErrorInASourceEndsTheRequestAsAReportedTransientFailure() throws Exception {
        TilePipeline p = pipeline(TileDecoder.standard(), 2, 2);
        FakeSlide fake = new FakeSlide(2048, 2048, 256, 40);
        fake.faults.put(FakeSlide.name(0, 1, 1), () -> new AssertionError("injected assertion"));
        fake.faults.put(FakeSlide.name(0, 2, 1), () -> new OutOfMemoryError("injected out of memory"));
        SlideHandle h = p.open(40, Path.of("errors"), fake);
        await(h.ready());
        settle(p);
        for (int col = 1; col <= 2; col++) {
            TileKey key = h.key(0, col, 1);
            Throwable t = settled(p.request(h, key, Priority.VISIBLE, null, 0));
            TileException e = assertInstanceOf(TileException.class, t, "tile " + col);
            assertEquals(TileException.Kind.TRANSIENT, e.kind());
            assertInstanceOf(Error.class, e.getCause());
            assertTrue(e.getMessage().contains("injected"), e.getMessage());
            assertTrue(p.hasFailed(key), "reported, and left alone for a while");
        }
        assertEquals(0, p.stats().failedTiles(), "an Error is not the tile's fault: not remembered for good");
        // the read pool lives on (the out-of-memory error ended one worker; the pool replaced it)
        assertNotNull(await(p.request(h, h.key(0, 3, 1), Priority.VISIBLE, null, 0)));
        settle(p);
        assertEquals(0, p.inFlightRequests());
        assertEquals(0, p.stats().readsInFlight() + p.stats().decodesInFlight());
    }

    @Test
    void anErrorInTheDecoderEndsTheRequestToo() throws Exception {
        FakeSlide fake = new FakeSlide(2048, 2048, 256, 41);
        byte[] poison = fake.readTile(0, 4, 4); // the same array every read, so the decoder knows it
        TileDecoder decoder = new TileDecoder() {
            @Override
            public BufferedImage decode(byte[] encoded) throws IOException {
                if (encoded == poison) {
                    throw new StackOverflowError("injected in the decoder");
                }
                return TileDecoder.standard().decode(encoded);
            }

            @Override
            public String name() {
                return "poisoned";
            }
        };
        TilePipeline p = pipeline(decoder, 1, 2);
        SlideHandle h = p.open(41, Path.of("decoder-error"), fake);
        await(h.ready());
        TileException e = assertInstanceOf(TileException.class,
                settled(p.request(h, h.key(0, 4, 4), Priority.VISIBLE, null, 0)));
        assertEquals(TileException.Kind.TRANSIENT, e.kind());
        assertInstanceOf(StackOverflowError.class, e.getCause());
        // the single decode thread was replaced: decoding goes on
        assertNotNull(await(p.request(h, h.key(0, 4, 5), Priority.VISIBLE, null, 0)));
        settle(p);
        assertEquals(0, p.inFlightRequests());
    }

    @Test
    void closingThePipelineMidFlightEndsEveryRequest() throws Exception {
        Semaphore decoding = new Semaphore(0);
        TileDecoder slowDecoder = new TileDecoder() {
            @Override
            public BufferedImage decode(byte[] encoded) throws IOException {
                decoding.acquireUninterruptibly();
                return TileDecoder.standard().decode(encoded);
            }

            @Override
            public String name() {
                return "gated";
            }
        };
        TilePipeline p = pipeline(slowDecoder, 1, 1);
        FakeSlide fake = new FakeSlide(4096, 4096, 256, 42);
        SlideHandle h = p.open(42, Path.of("closing"), fake);
        // the coarse levels of the open block the only decode thread; reads go on and queue decodes
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            all.add(p.request(h, h.key(0, c, 0), Priority.VISIBLE, null, 0));
            all.add(p.warm(h, h.key(0, c, 1)));
        }
        awaitTrue(() -> p.queuedDecodes() > 0, "decodes queued behind the blocked decoder");
        fake.gate = new Semaphore(0);
        for (int c = 0; c < 12; c++) {
            all.add(p.request(h, h.key(0, c, 2), Priority.PREFETCH, null, 0));
        }
        assertTrue(waitForQueued(fake.gate), "a read blocked in the source");
        assertTrue(p.queuedReads(h) > 0, "reads queued behind it");
        p.close();
        for (CompletableFuture<?> f : all) {
            Throwable t = settled(f);
            assertTrue(t == null || t instanceof CancellationException, "ended, completed or cancelled: " + t);
        }
        assertEquals(0, p.inFlightRequests());
        fake.gate.release(1000);
        decoding.release(1000);
        awaitTrue(() -> p.stats().readsInFlight() + p.stats().decodesInFlight() == 0, "running work to end");
    }

    @Test
    void closingOneSlidesReadPoolEndsItsQueuedRequestsAndLeavesOthersAlone() throws Exception {
        TilePipeline p = pipeline(TileDecoder.standard(), 2, 1);
        FakeSlide gated = new FakeSlide(4096, 4096, 256, 43);
        FakeSlide other = new FakeSlide(2048, 2048, 256, 44);
        SlideHandle h = p.open(43, Path.of("gated"), gated);
        SlideHandle o = p.open(44, Path.of("other"), other);
        await(h.ready());
        await(o.ready());
        settle(p);
        gated.gate = new Semaphore(0);
        List<CompletableFuture<DecodedTile>> fs = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            fs.add(p.request(h, h.key(0, c, 0), Priority.VISIBLE, null, 0));
        }
        assertTrue(waitForQueued(gated.gate));
        h.close(); // queued reads dropped, the running one interrupted (the gate ignores it)
        for (int c = 1; c < 10; c++) {
            assertInstanceOf(CancellationException.class, settled(fs.get(c)), "queued tile " + c);
        }
        gated.gate.release(1000);
        settled(fs.getFirst());
        assertNotNull(await(p.request(o, o.key(0, 1, 1), Priority.VISIBLE, null, 0)));
        settle(p);
        assertEquals(0, p.inFlightRequests());
        // a request after the close ends at once
        assertInstanceOf(CancellationException.class, settled(p.request(h, h.key(0, 5, 5), Priority.VISIBLE, null, 0)));
    }

    @Test
    void aStillViewRepeatedForAThousandFramesQueuesEachTileOnce() throws Exception {
        TilePipeline p = pipeline(TileDecoder.standard(), 2, 2);
        FakeSlide fake = new FakeSlide(8192, 8192, 256, 45);
        SlideHandle h = p.open(45, Path.of("frames"), fake);
        await(h.ready());
        settle(p);
        fake.gate = new Semaphore(0);
        TileScheduler scheduler = new TileScheduler(p, h);
        Viewport still = Viewport.centred(4096, 4096, 1600, 1000, 1.0, 1);
        int maxQueued = 0;
        for (int frame = 0; frame < 1000; frame++) {
            scheduler.update(still);
            maxQueued = Math.max(maxQueued, p.queuedReads(h) + p.queuedDecodes());
        }
        int inFlight = p.inFlightRequests();
        assertTrue(inFlight > 20, "visible, cover and prefetch tiles wait: " + inFlight);
        assertTrue(maxQueued <= inFlight, "at most one queued task per request: " + maxQueued + " for " + inFlight);
        // a pan that raises prefetch tiles to visible queues one better copy each, no more
        Viewport panned = Viewport.centred(4096 + 256, 4096, 1600, 1000, 1.0, 2);
        for (int frame = 0; frame < 1000; frame++) {
            scheduler.update(panned);
            maxQueued = Math.max(maxQueued, p.queuedReads(h) + p.queuedDecodes());
        }
        assertTrue(maxQueued <= 2 * p.inFlightRequests(), maxQueued + " queued for " + p.inFlightRequests());
        fake.gate.release(100_000);
        awaitTrue(() -> p.inFlightRequests() == 0, "every request to end");
        awaitTrue(() -> p.stats().readsInFlight() + p.stats().decodesInFlight() == 0, "every queued copy to run");
        assertEquals(0, p.queuedReads(h) + p.queuedDecodes());
    }

    @Test
    void aTransientReadFailureIsRetriedAndThenSucceeds() throws Exception {
        TilePipeline p = pipeline(TileDecoder.standard(), 2, 2);
        FakeSlide fake = new FakeSlide(2048, 2048, 256, 46);
        AtomicInteger tries = new AtomicInteger();
        fake.faults.put(FakeSlide.name(0, 2, 2),
                () -> tries.getAndIncrement() < 2 ? new IOException("Too many open files") : null);
        SlideHandle h = p.open(46, Path.of("hiccup"), fake);
        await(h.ready());
        assertNotNull(await(p.request(h, h.key(0, 2, 2), Priority.VISIBLE, null, 0)));
        assertEquals(3, fake.readsOf(0, 2, 2), "two failed reads, then one that worked");
        assertFalse(p.hasFailed(h.key(0, 2, 2)));
        assertEquals(0, p.stats().failedTiles());
    }

    @Test
    void aTransientFailureThatLastsIsReportedAfterItsRetriesAndNotRememberedForGood() throws Exception {
        TilePipeline p = pipeline(TileDecoder.standard(), 2, 2);
        FakeSlide fake = new FakeSlide(2048, 2048, 256, 47);
        fake.faults.put(FakeSlide.name(0, 3, 2), () -> new IOException("Input/output error"));
        SlideHandle h = p.open(47, Path.of("share"), fake);
        await(h.ready());
        // two views ask at once: one read (and its retries) serves both
        var a = p.request(h, h.key(0, 3, 2), Priority.VISIBLE, null, 0);
        var b = p.request(h, h.key(0, 3, 2), Priority.PREFETCH, null, 0);
        TileException e = assertInstanceOf(TileException.class, settled(a));
        assertSame(e, settled(b));
        assertEquals(TileException.Kind.TRANSIENT, e.kind());
        assertEquals(1 + TilePipeline.RETRY_DELAYS_MS.length, fake.readsOf(0, 3, 2));
        assertTrue(p.hasFailed(h.key(0, 3, 2)), "left alone for its cool-down");
        assertEquals(0, p.stats().failedTiles(), "not among the tiles never read again");
        // during the cool-down a request fails at once, without a read
        assertSame(e, settled(p.request(h, h.key(0, 3, 2), Priority.VISIBLE, null, 0)));
        assertEquals(1 + TilePipeline.RETRY_DELAYS_MS.length, fake.readsOf(0, 3, 2));
    }

    @Test
    void aMissingTileIsPermanentAndReadOnce() throws Exception {
        TilePipeline p = pipeline(TileDecoder.standard(), 2, 2);
        FakeSlide fake = new FakeSlide(2048, 2048, 256, 48);
        fake.faults.put(FakeSlide.name(0, 1, 3), () -> TileException.missing(fake.info.location(), 0, 1, 3, "missing file"));
        SlideHandle h = p.open(48, Path.of("missing"), fake);
        await(h.ready());
        for (int i = 0; i < 3; i++) {
            TileException e = assertInstanceOf(TileException.class,
                    settled(p.request(h, h.key(0, 1, 3), Priority.VISIBLE, null, 0)));
            assertEquals(TileException.Kind.MISSING, e.kind());
        }
        assertEquals(1, fake.readsOf(0, 1, 3));
        assertEquals(1, p.stats().failedTiles());
    }

    @Test
    void aSourceThatSaysItChangedEndsItsRequestsAndItsHandleIsRetired() throws Exception {
        TilePipeline p = pipeline(TileDecoder.standard(), 2, 2);
        List<TilePipeline.SlideChange> changes = new CopyOnWriteArrayList<>();
        p.addSlideChangeListener(changes::add);
        FakeSlide fake = new FakeSlide(4096, 4096, 256, 49); // level 0 is not a coarse level: not loaded at open
        SlideHandle h = p.open(49, Path.of("no-such-dir", "fake-49"), fake);
        await(h.ready());
        TileKey before = h.key(0, 0, 0);
        assertNotNull(await(p.request(h, before, Priority.VISIBLE, null, 0)));
        fake.changed = true;
        Throwable t = settled(p.request(h, h.key(0, 1, 0), Priority.VISIBLE, null, 0));
        assertInstanceOf(CancellationException.class, t, "the bytes of a changed file are not kept: " + t);
        assertTrue(h.isRetired());
        awaitTrue(() -> !changes.isEmpty(), "the change to be reported");
        TilePipeline.SlideChange c = changes.getFirst();
        assertSame(h, c.old());
        // an in-memory slide has no file to open again: reported as such
        assertNotNull(c.failure());
        assertTrue(c.message().startsWith("fake-49 changed on disk and could not be reopened"), c.message());
        assertFalse(p.encodedCached(before), "the old id's tiles are dropped");
        assertInstanceOf(CancellationException.class, settled(p.request(h, h.key(0, 2, 0), Priority.VISIBLE, null, 0)));
        awaitTrue(() -> p.inFlightRequests() == 0, "every request to end");
    }
}
