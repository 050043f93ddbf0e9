package org.tilescope.app.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.Test;

/** The handler's logic, on real threads that die of an uncaught error. */
class OutOfMemoryGuardTest {

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

    @Test
    void anOutOfMemoryErrorEmptiesTheCachesLetsTheReserveGoAndSaysSoOnTheEdt() throws Exception {
        AtomicInteger freed = new AtomicInteger();
        List<String> notices = new CopyOnWriteArrayList<>();
        List<Boolean> onEdt = new CopyOnWriteArrayList<>();
        OutOfMemoryGuard guard = new OutOfMemoryGuard(freed::incrementAndGet, line -> {
            notices.add(line);
            onEdt.add(SwingUtilities.isEventDispatchThread());
        });
        assertTrue(guard.reserveHeld());
        dieOf(new OutOfMemoryError("Java heap space"), guard);
        SwingUtilities.invokeAndWait(() -> { }); // the notice was queued before this
        assertEquals(1, freed.get());
        assertFalse(guard.reserveHeld(), "the reserve is let go first");
        assertEquals(List.of(true), onEdt);
        assertTrue(notices.getFirst().startsWith("Out of memory in tilescope-decode-7 (heap limit "), notices.toString());
        assertTrue(notices.getFirst().endsWith("tile caches emptied"), notices.toString());

        dieOf(new CompletionException(new ExecutionException(new OutOfMemoryError("Java heap space"))), guard);
        SwingUtilities.invokeAndWait(() -> { });
        assertEquals(2, freed.get(), "found inside the wrappers of a future");
        assertTrue(notices.getLast().endsWith("(2 times)"), notices.toString());
    }

    @Test
    void otherExceptionsFreeNothing() throws Exception {
        AtomicInteger freed = new AtomicInteger();
        OutOfMemoryGuard guard = new OutOfMemoryGuard(freed::incrementAndGet, line -> { });
        dieOf(new IllegalStateException("a bug, not memory"), guard);
        dieOf(new StackOverflowError(), guard);
        assertEquals(0, freed.get());
        assertEquals(0, guard.outOfMemoryCount());
        assertTrue(guard.reserveHeld());
    }

    @Test
    void aFailingFreeStillSaysWhatHappened() throws Exception {
        List<String> notices = new CopyOnWriteArrayList<>();
        OutOfMemoryGuard guard = new OutOfMemoryGuard(() -> {
            throw new OutOfMemoryError("again");
        }, notices::add);
        dieOf(new OutOfMemoryError("Java heap space"), guard);
        SwingUtilities.invokeAndWait(() -> { });
        assertEquals(1, notices.size());
    }
}
