package org.tilescope.app.viewer;

import org.tilescope.app.swing.Edt;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * What the viewer does when the heap runs out, and with any exception nobody caught.
 *
 * <p>Before this, a full heap froze the window on white and the process ignored SIGTERM: the
 * JVM could not even allocate the thread that handles the signal ("OutOfMemoryError occurred
 * dispatching signal SIGTERM"). Now an {@link OutOfMemoryError} that reaches a thread's end (any
 * thread, the EDT included: it hands what an event throws to the default handler and goes on)
 * lets a reserve block go and wakes the guard's own thread, which empties the tile caches and
 * runs a full collection (not on the thread that failed: that may be the EDT). If that frees
 * the heap, the status bar says what happened and the viewer goes on. If the heap is still
 * nearly full, something other than the caches holds it, every allocation would fail in turn,
 * and the viewer cannot go on: it says so on stderr and exits, rather than thrash unkillably.
 *
 * <p>Not every error reaches a thread's end (a future or a job keeps it as its result), so a
 * watchdog thread, started in advance because a full heap cannot start one, also looks at the
 * heap after each collection and acts the same way once it stays nearly full for a few seconds.
 */
final class OutOfMemoryGuard implements Thread.UncaughtExceptionHandler {
    private static final System.Logger LOG = System.getLogger(OutOfMemoryGuard.class.getName());
    static final int RESERVE_BYTES = 8 << 20;
    /** Live heap, after the caches are emptied and a full collection, beyond which the viewer cannot go on. */
    static final double UNRECOVERABLE_SHARE = 0.90;
    /** Heap in use after a collection that the watchdog treats as running out. */
    static final double FULL_SHARE = 0.95;
    /** Samples in a row (one a second) at {@link #FULL_SHARE} before the watchdog acts. */
    static final int FULL_SAMPLES = 5;
    /** The exit status when the heap cannot be freed. */
    static final int EXIT_OUT_OF_MEMORY = 3;

    /** How full the heap is; the JVM's own numbers, or a stand-in in tests. */
    interface Heap {
        /** Share of the heap limit in use after a full collection, run now. */
        double liveShareAfterFullGc();

        /** Share of the heap limit in use after the most recent collection. */
        double shareAfterLastGc();

        long maxBytes();

        Heap JVM = new Heap() {
            @Override
            public double liveShareAfterFullGc() {
                System.gc(); // a full, stop-the-world collection with G1 unless told otherwise
                Runtime rt = Runtime.getRuntime();
                return (rt.totalMemory() - rt.freeMemory()) / (double) rt.maxMemory();
            }

            @Override
            public double shareAfterLastGc() {
                long used = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    MemoryUsage u = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
                    if (u != null) {
                        used += u.getUsed();
                    }
                }
                return used / (double) Runtime.getRuntime().maxMemory();
            }

            @Override
            public long maxBytes() {
                return Runtime.getRuntime().maxMemory();
            }
        };
    }

    private final Runnable freeCaches;
    private final Consumer<String> notice;
    private final Heap heap;
    private final IntConsumer exit;
    private final long sampleNanos;
    private final AtomicLong outOfMemory = new AtomicLong();
    /** What ran out, set by the failing thread for the guard's thread to handle. */
    private volatile String pending;
    private final Thread watchdog;
    private volatile boolean watching = true;
    @SuppressWarnings("unused") // held only to be let go
    private volatile byte[] reserve = new byte[RESERVE_BYTES];

    /**
     * @param freeCaches empties the tile caches; may run on any thread
     * @param notice     shows one line in the status bar; runs on the EDT
     */
    OutOfMemoryGuard(Runnable freeCaches, Consumer<String> notice) {
        this(freeCaches, notice, Heap.JVM, OutOfMemoryGuard::exitNow, TimeUnit.SECONDS.toNanos(1));
    }

    OutOfMemoryGuard(Runnable freeCaches, Consumer<String> notice, Heap heap, IntConsumer exit, long sampleNanos) {
        this.freeCaches = freeCaches;
        this.notice = notice;
        this.heap = heap;
        this.exit = exit;
        this.sampleNanos = sampleNanos;
        this.watchdog = Thread.ofPlatform().name("tilescope-heap-watchdog").daemon(true).unstarted(this::watch);
    }

    /**
     * Becomes the handler of every thread without its own (the EDT included) and starts the heap
     * watchdog.
     *
     * @return the handler it replaced, to put back (tests)
     */
    Thread.UncaughtExceptionHandler install() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler(this);
        start();
        return previous;
    }

    /** Starts the guard's thread: it does the freeing, and watches the heap. */
    OutOfMemoryGuard start() {
        watchdog.start();
        return this;
    }

    /** Stops the watchdog (tests; the app's lives as long as the process). */
    void stopWatching() {
        watching = false;
        watchdog.interrupt();
    }

    @Override
    public void uncaughtException(Thread t, Throwable e) {
        if (isOutOfMemory(e)) {
            reserve = null;
            outOfMemory.incrementAndGet();
            String where;
            try {
                where = "Out of memory in " + t.getName();
            } catch (Throwable again) {
                where = "Out of memory";
            }
            pending = where;
            LockSupport.unpark(watchdog); // it frees; this thread (the EDT, say) goes on at once
            return;
        }
        try {
            LOG.log(Level.ERROR, "uncaught in thread " + t.getName() + ": " + e, e);
        } catch (Throwable ignored) {
            // logging failed too: nothing left to tell
        }
    }

    private void watch() {
        int full = 0;
        while (watching) {
            LockSupport.parkNanos(sampleNanos);
            String what = pending;
            if (what != null) {
                pending = null;
                ranOut(what);
                full = 0;
                continue;
            }
            try {
                full = heap.shareAfterLastGc() >= FULL_SHARE ? full + 1 : 0;
            } catch (OutOfMemoryError e) {
                full++; // not even the numbers fit
            }
            if (full >= FULL_SAMPLES) {
                full = 0;
                outOfMemory.incrementAndGet();
                ranOut("Heap nearly full");
            }
        }
    }

    /** On the guard's thread: frees what can be freed, then goes on and says so, or exits when the heap stays full. */
    private void ranOut(String what) {
        reserve = null;
        try {
            freeCaches.run();
        } catch (Throwable ignored) {
            // whatever could not be freed stays; the heap check below decides
        }
        double live;
        try {
            live = heap.liveShareAfterFullGc();
        } catch (Throwable e) {
            live = 1;
        }
        if (live > UNRECOVERABLE_SHARE) {
            giveUp(live);
            return;
        }
        try {
            reserve = new byte[RESERVE_BYTES]; // room for the next time
            String line = message(what, outOfMemory.get(), heap.maxBytes());
            LOG.log(Level.ERROR, line);
            Edt.run(() -> notice.accept(line));
        } catch (Throwable ignored) {
            // the heap is still tight: the status line waits for the next one
        }
    }

    private void giveUp(double live) {
        String line;
        try {
            line = String.format(Locale.ROOT, "tilescope: out of memory: the heap is still %.0f %% full after emptying the "
                    + "tile caches (limit %,d MB); exiting. A larger heap: TILESCOPE_JAVA_OPTS=-Xmx%dm",
                    live * 100, heap.maxBytes() >> 20, Math.max(1024, 2 * (heap.maxBytes() >> 20)));
        } catch (Throwable e) {
            line = "tilescope: out of memory, and emptying the tile caches did not free the heap; exiting";
        }
        System.err.println(line);
        exit.accept(EXIT_OUT_OF_MEMORY);
    }

    /** Exits through the shutdown hooks (bounded: see ViewerApp), or at once if even that fails. */
    static void exitNow(int status) {
        try {
            System.exit(status);
        } catch (Throwable e) {
            Runtime.getRuntime().halt(status);
        }
    }

    /** The status line: what happened, what was done, and how often so far. */
    static String message(String what, long times, long maxHeap) {
        return String.format(Locale.ROOT, "%s (heap limit %,d MB): tile caches emptied%s",
                what, maxHeap >> 20, times > 1 ? " (" + times + " times)" : "");
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
