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
        volatile double afterLastGc = 0.3;
        final AtomicInteger fullGcs = new AtomicInteger();

        @Override
        public double liveShareAfterFullGc() {
            fullGcs.incrementAndGet();
            return liveAfterFullGc;
        }

        @Override
        public double shareAfterLastGc() {
            return afterLastGc;
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
    void theWatchdogActsOnAHeapThatStaysFullWithoutAnyErrorReachingAThreadsEnd() throws Exception {
        OutOfMemoryGuard guard = guard();
        Thread.UncaughtExceptionHandler previous = guard.install(); // starts the watchdog
        try {
            assertEquals(guard, Thread.getDefaultUncaughtExceptionHandler());
            heap.afterLastGc = 0.98;
            await(() -> !notices.isEmpty());
            heap.afterLastGc = 0.3;
            assertTrue(freed.get() >= 1, "the watchdog emptied the caches");
            assertTrue(notices.getFirst().startsWith("Heap nearly full (heap limit 512 MB): tile caches emptied"),
                    notices.toString());
            assertEquals(List.of(), exits);
        } finally {
            guard.stopWatching();
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
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
