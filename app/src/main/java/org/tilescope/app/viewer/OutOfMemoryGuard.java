package org.tilescope.app.viewer;

import org.tilescope.app.swing.Edt;
import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What the viewer does with an exception nobody caught, on any thread and on the EDT. An
 * {@link OutOfMemoryError} empties the tile caches (most of the heap the viewer holds), says so
 * in one line in the status bar, and the viewer goes on: before this, the window froze on white
 * once the heap was full, every later allocation (a repaint, the thread that handles SIGTERM)
 * failing in turn. A reserve block held from the start is let go first, so the handler itself,
 * the message and an exit have room. Anything else is logged, and the thread's work ends as
 * before.
 */
final class OutOfMemoryGuard implements Thread.UncaughtExceptionHandler {
    private static final System.Logger LOG = System.getLogger(OutOfMemoryGuard.class.getName());
    static final int RESERVE_BYTES = 8 << 20;

    private final Runnable freeCaches;
    private final Consumer<String> notice;
    private final AtomicLong outOfMemory = new AtomicLong();
    @SuppressWarnings("unused") // held only to be let go
    private volatile byte[] reserve = new byte[RESERVE_BYTES];

    /**
     * @param freeCaches empties the tile caches; may run on any thread
     * @param notice     shows one line in the status bar; runs on the EDT
     */
    OutOfMemoryGuard(Runnable freeCaches, Consumer<String> notice) {
        this.freeCaches = freeCaches;
        this.notice = notice;
    }

    /**
     * Becomes the handler of every thread without its own, the EDT included (the EDT hands what
     * an event throws to its uncaught-exception handler and goes on to the next event).
     *
     * @return the handler it replaced, to put back (tests)
     */
    Thread.UncaughtExceptionHandler install() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler(this);
        return previous;
    }

    @Override
    public void uncaughtException(Thread t, Throwable e) {
        if (isOutOfMemory(e)) {
            outOfMemory(t);
            return;
        }
        try {
            LOG.log(Level.ERROR, "uncaught in thread " + t.getName() + ": " + e, e);
        } catch (Throwable ignored) {
            // logging failed too: nothing left to tell
        }
    }

    private void outOfMemory(Thread t) {
        reserve = null;
        long n = outOfMemory.incrementAndGet();
        try {
            freeCaches.run();
        } catch (Throwable ignored) {
            // whatever could not be freed stays; the message still goes out
        }
        try {
            String line = message(t.getName(), n, Runtime.getRuntime().maxMemory());
            LOG.log(Level.ERROR, line);
            Edt.run(() -> notice.accept(line));
        } catch (Throwable ignored) {
            // the heap is still full: the status line waits for the next one
        }
    }

    /** The status line: what happened, what was done, and how often so far. */
    static String message(String thread, long times, long maxHeap) {
        return String.format(Locale.ROOT, "Out of memory in %s (heap limit %,d MB): tile caches emptied%s",
                thread, maxHeap >> 20, times > 1 ? " (" + times + " times)" : "");
    }

    /** Times the heap ran out so far. */
    long outOfMemoryCount() {
        return outOfMemory.get();
    }

    boolean reserveHeld() {
        return reserve != null;
    }

    /** True for an {@link OutOfMemoryError}, also when wrapped (an executor's or a future's exception). */
    static boolean isOutOfMemory(Throwable e) {
        for (int depth = 0; e != null && depth < 16; depth++, e = e.getCause()) {
            if (e instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }
}
