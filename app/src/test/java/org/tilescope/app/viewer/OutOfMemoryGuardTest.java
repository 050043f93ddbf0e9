package org.tilescope.app.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The handler's logic, on real threads that die of an uncaught error, against a stand-in heap. */
class OutOfMemoryGuardTest {

    /** A heap whose fullness the test sets. */
    static final class FakeHeap implements OutOfMemoryGuard.Heap {
        volatile double liveAfterFullGc = 0.3;
        /** Milliseconds of GC per millisecond of wall time: 0 idle, 0.9 thrashing. */
        volatile double collecting;
        private long gc;
        private long lastAsked = System.nanoTime();
        final AtomicInteger fullGcs = new AtomicInteger();

        @Override
        public double liveShareAfterFullGc() {
            fullGcs.incrementAndGet();
            return liveAfterFullGc;
        }

        @Override
        public synchronized long gcMillis() {
            long now = System.nanoTime();
            gc += (long) (collecting * TimeUnit.NANOSECONDS.toMillis(now - lastAsked));
            lastAsked = now;
            return gc;
        }

        @Override
        public long maxBytes() {
            return 512L << 20;
        }
    }

    final AtomicInteger freed = new AtomicInteger();
    final List<String> notices = new CopyOnWriteArrayList<>();
    final List<Boolean> onEdt = new CopyOnWriteArrayList<>();
    final List<Integer> exits = new CopyOnWriteArrayList<>();
    final FakeHeap heap = new FakeHeap();

    final List<OutOfMemoryGuard> started = new CopyOnWriteArrayList<>();

    /** A guard with its thread running (it does the freeing), sampling the heap every 5 ms. */
    OutOfMemoryGuard guard() {
        OutOfMemoryGuard g = new OutOfMemoryGuard(freed::incrementAndGet, line -> {
            notices.add(line);
            onEdt.add(SwingUtilities.isEventDispatchThread());
        }, heap, exits::add, TimeUnit.MILLISECONDS.toNanos(5));
        started.add(g);
        return g;
    }

    @AfterEach
    void stop() {
        started.forEach(OutOfMemoryGuard::stopWatching);
    }

    /** Waits (hang guard only) until the guard has done what the test looks at. */
    static void await(BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
    }

    static void dieOf(Throwable t, Thread.UncaughtExceptionHandler handler) throws InterruptedException {
        Thread worker = Thread.ofPlatform().name("tilescope-decode-7").uncaughtExceptionHandler(handler).unstarted(() -> {
            if (t instanceof Error e) {
                throw e;
            }
            throw (RuntimeException) t;
        });
        worker.start();
        worker.join();
    }

    static void edtCatchesUp() throws Exception {
        SwingUtilities.invokeAndWait(() -> { }); // anything the guard queued ran before this
    }

    @Test
    void anOutOfMemoryErrorEmptiesTheCachesAndTheViewerGoesOnSayingSoOnTheEdt() throws Exception {
        OutOfMemoryGuard guard = guard().start();
        dieOf(new OutOfMemoryError("Java heap space"), guard);
        await(() -> !notices.isEmpty());
        assertEquals(1, freed.get());
        assertEquals(1, heap.fullGcs.get(), "a full collection tells whether emptying the caches was enough");
        assertEquals(List.of(), exits);
        assertEquals(List.of(true), onEdt);
        assertEquals("Out of memory in tilescope-decode-7 (heap limit 512 MB): tile caches emptied", notices.getFirst());
        assertTrue(guard.reserveHeld(), "the reserve is let go, then taken again for the next time");

        // errors within one sample of each other count as one burst: this one comes well after
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        dieOf(new CompletionException(new ExecutionException(new OutOfMemoryError("Java heap space"))), guard);
        await(() -> notices.size() == 2);
        assertEquals(2, freed.get(), "found inside the wrappers of a future");
        assertTrue(notices.getLast().endsWith("(2 times)"), notices.toString());
    }

    @Test
    void whenEmptyingTheCachesLeavesTheHeapFullTheViewerExits() throws Exception {
        heap.liveAfterFullGc = 0.97; // something else holds the heap: every allocation would fail in turn
        dieOf(new OutOfMemoryError("Java heap space"), guard().start());
        await(() -> !exits.isEmpty());
        assertEquals(1, freed.get());
        assertEquals(List.of(OutOfMemoryGuard.EXIT_OUT_OF_MEMORY), exits);
        edtCatchesUp();
        assertEquals(List.of(), notices);
    }

    @Test
    void installedItHandlesEveryThreadAndASpellOfCollectingThatEmptyingTheCachesEnds() throws Exception {
        // emptying the caches is enough here: the collecting stops with it
        OutOfMemoryGuard guard = new OutOfMemoryGuard(() -> {
            freed.incrementAndGet();
            heap.collecting = 0;
        }, notices::add, heap, exits::add, TimeUnit.MILLISECONDS.toNanos(5));
        started.add(guard);
        Thread.UncaughtExceptionHandler previous = guard.install();
        try {
            assertEquals(guard, Thread.getDefaultUncaughtExceptionHandler());
            heap.collecting = 0.8; // no error reaches a thread's end: the JVM just collects most of the time
            await(() -> !notices.isEmpty());
            assertEquals(1, freed.get());
            assertTrue(notices.getFirst().startsWith("Memory nearly exhausted (heap limit 512 MB): tile caches emptied"),
                    notices.toString());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // twenty samples: it would give up by now
            assertEquals(List.of(), exits);
        } finally {
            guard.stopWatching();
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }

    @Test
    void aJvmThatKeepsCollectingIsFreedOnceAndEndedWhenThatDoesNotHelp() throws Exception {
        heap.collecting = 0.9; // the JVM collects garbage 90 % of the time: no error needs to reach a thread's end
        guard().start();
        await(() -> !notices.isEmpty());
        assertEquals(1, freed.get(), "first the caches are emptied");
        assertEquals(List.of(), exits);
        await(() -> !exits.isEmpty()); // still thrashing: the caches were not what held the memory
        assertEquals(OutOfMemoryGuard.EXIT_OUT_OF_MEMORY, exits.getFirst());
        assertEquals(1, freed.get(), "emptied once: the second time it ends instead");
    }

    @Test
    void otherExceptionsFreeNothing() throws Exception {
        OutOfMemoryGuard guard = guard().start();
        dieOf(new IllegalStateException("a bug, not memory"), guard);
        dieOf(new StackOverflowError(), guard);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // ten of the guard's samples: it would have acted
        assertEquals(0, freed.get());
        assertEquals(0, guard.outOfMemoryCount());
        assertEquals(0, heap.fullGcs.get());
    }

    @Test
    void aFailingFreeStillSaysWhatHappened() throws Exception {
        OutOfMemoryGuard guard = new OutOfMemoryGuard(() -> {
            throw new OutOfMemoryError("again");
        }, notices::add, heap, exits::add, TimeUnit.MILLISECONDS.toNanos(5));
        started.add(guard.start());
        dieOf(new OutOfMemoryError("Java heap space"), guard);
        await(() -> !notices.isEmpty());
        assertEquals(1, notices.size());
    }
}
