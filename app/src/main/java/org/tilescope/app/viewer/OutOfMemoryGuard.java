package org.tilescope.app.viewer;

import org.tilescope.app.swing.Edt;
import java.lang.System.Logger.Level;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * What the viewer does when memory runs out, and with any exception nobody caught.
 *
 * <p>Before this, running out froze the window on white and the process ignored SIGTERM: the
 * JVM collected garbage back to back, failing allocations everywhere, even of the thread that
 * handles the signal ("OutOfMemoryError occurred dispatching signal SIGTERM"). Measured on a
 * single-level 20000 x 15000 TIFF with -Xmx512m: thousands of full collections a minute, 400 MB
 * live of 512, and a thread that asked for memory waited on them for minutes. Now:
 * <ul>
 * <li>An {@link OutOfMemoryError} that reaches a thread's end (any thread, the EDT included: it
 *     hands what an event throws to the default handler and goes on) lets a reserve block go and
 *     hands the work to the guard's threads; the failing thread, maybe the EDT, goes on at once.</li>
 * <li>Not every error gets that far (a future or a job keeps it as its result), so a watch thread
 *     also samples the share of time the JVM spends collecting; five seconds in a row of more
 *     than half count as running out.</li>
 * <li>Running out empties the tile caches and runs a full collection (on a thread of its own).
 *     If that frees the heap, the status bar says what happened and the viewer goes on. If the
 *     live heap is still over 90 %, or the JVM is back to collecting most of the time within 30 s,
 *     something other than the caches holds the memory and the viewer cannot go on: it says so
 *     on stderr and ends, rather than thrash where not even SIGTERM gets through.</li>
 * </ul>
 * Both threads are started in advance and the handler's code is run once at start: once memory
 * is gone, neither a new thread nor the first run of a call site may get any. The watch thread
 * allocates nothing in its loop and its last words are encoded in advance, so it can end the
 * process while every allocation waits on the collector.
 */
final class OutOfMemoryGuard implements Thread.UncaughtExceptionHandler {
    private static final System.Logger LOG = System.getLogger(OutOfMemoryGuard.class.getName());
    static final int RESERVE_BYTES = 8 << 20;
    /** Live heap, after the caches are emptied and a full collection, beyond which the viewer cannot go on. */
    static final double UNRECOVERABLE_SHARE = 0.90;
    /** Share of wall time spent collecting that counts as pressure (the JVM is thrashing). */
    static final double THRASH_SHARE = 0.5;
    /** Samples in a row (one a second) under pressure before the guard acts. */
    static final int PRESSURE_SAMPLES = 5;
    /** Pressure again this soon after the caches were emptied: emptying them did not help. */
    static final long RELAPSE_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** The exit status when memory cannot be freed. */
    static final int EXIT_OUT_OF_MEMORY = 3;

    /** The JVM's memory numbers, or a stand-in in tests. */
    interface Heap {
        /** Share of the heap limit in use after a full collection, run now. */
        double liveShareAfterFullGc();

        /** Milliseconds spent in stop-the-world collections since start; allocates nothing. */
        long gcMillis();

        long maxBytes();

        /** The running JVM's; the collectors are looked up once, here, not when memory is short. */
        static Heap jvm() {
            GarbageCollectorMXBean[] collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .filter(c -> !c.getName().contains("Concurrent") && !c.getName().contains("Cycles"))
                    .toArray(GarbageCollectorMXBean[]::new);
            return new Heap() {
                @Override
                public double liveShareAfterFullGc() {
                    System.gc(); // a full, stop-the-world collection with G1 unless told otherwise
                    Runtime rt = Runtime.getRuntime();
                    return (rt.totalMemory() - rt.freeMemory()) / (double) rt.maxMemory();
                }

                @Override
                public long gcMillis() {
                    long ms = 0;
                    for (int i = 0; i < collectors.length; i++) { // no iterator: nothing allocated
                        ms += Math.max(0, collectors[i].getCollectionTime());
                    }
                    return ms;
                }

                @Override
                public long maxBytes() {
                    return Runtime.getRuntime().maxMemory();
                }
            };
        }
    }

    private final Runnable freeCaches;
    private final Consumer<String> notice;
    private final Heap heap;
    private final IntConsumer exit;
    private final long sampleNanos;
    private final AtomicLong outOfMemory = new AtomicLong();
    /** The thread whose out-of-memory error is to be handled next (set by the handler, taken by the watch). */
    private volatile Thread failedThread;
    /** Set by the watch for the freer: empty the caches now. */
    private volatile boolean freeRequested;
    /** The thread to name in the status line for that request, or null when the watch saw the pressure. */
    private volatile Thread freeFor;
    private final Thread watch;
    private final Thread freer;
    private volatile boolean running = true;
    /** The last words when the caches did not help, encoded now: then there may be no memory to encode them. */
    private final byte[] gaveUp;
    @SuppressWarnings("unused") // held only to be let go
    private volatile byte[] reserve = new byte[RESERVE_BYTES];

    /**
     * @param freeCaches empties the tile caches; may run on any thread
     * @param notice     shows one line in the status bar; runs on the EDT
     */
    OutOfMemoryGuard(Runnable freeCaches, Consumer<String> notice) {
        this(freeCaches, notice, Heap.jvm(), OutOfMemoryGuard::exitNow, TimeUnit.SECONDS.toNanos(1));
    }

    OutOfMemoryGuard(Runnable freeCaches, Consumer<String> notice, Heap heap, IntConsumer exit, long sampleNanos) {
        this.freeCaches = freeCaches;
        this.notice = notice;
        this.heap = heap;
        this.exit = exit;
        this.sampleNanos = sampleNanos;
        this.watch = Thread.ofPlatform().name("tilescope-memory-watch").daemon(true).unstarted(this::watch);
        this.freer = Thread.ofPlatform().name("tilescope-memory-freer").daemon(true).unstarted(this::free);
        this.gaveUp = giveUpLine("the JVM went back to collecting garbage most of the time after the tile caches "
                + "were emptied").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        prime();
    }

    /**
     * Runs, once and with room to spare, the code the handler and the guard's threads run when
     * memory is gone: classes loaded, call sites linked.
     */
    private void prime() {
        isOutOfMemory(new OutOfMemoryError("priming"));
        message("Out of memory in " + Thread.currentThread().getName(), 2, heap.maxBytes());
        heap.gcMillis();
        LockSupport.unpark(watch); // not started yet: no effect, but the call is linked
    }

    /**
     * Becomes the handler of every thread without its own (the EDT included) and starts the
     * guard's threads.
     *
     * @return the handler it replaced, to put back (tests)
     */
    Thread.UncaughtExceptionHandler install() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler(this);
        start();
        return previous;
    }

    /** Starts the guard's threads: the watch, and the freer it hands work to. */
    OutOfMemoryGuard start() {
        freer.start();
        watch.start();
        return this;
    }

    /** Stops the guard's threads (tests; the app's live as long as the process). */
    void stopWatching() {
        running = false;
        watch.interrupt();
        freer.interrupt();
    }

    /**
     * Allocates nothing on the way for an out-of-memory error: notes the thread, lets the reserve
     * go and wakes the watch. Never throws: the EDT would end with it.
     */
    @Override
    public void uncaughtException(Thread t, Throwable e) {
        try {
            if (isOutOfMemory(e)) {
                reserve = null;
                outOfMemory.incrementAndGet();
                failedThread = t;
                LockSupport.unpark(watch);
                return;
            }
            LOG.log(Level.ERROR, "uncaught in thread " + t.getName() + ": " + e, e);
        } catch (Throwable ignored) {
            // nothing left to tell with
        }
    }

    /** The watch: allocates nothing, so it runs however full the heap is. */
    private void watch() {
        int pressured = 0;
        long emptiedAt = System.nanoTime() - 2 * RELAPSE_NANOS;
        long lastGc = heap.gcMillis();
        long lastAt = System.nanoTime();
        while (running) {
            try {
                LockSupport.parkNanos(sampleNanos);
                long now = System.nanoTime();
                Thread failed = failedThread;
                if (failed != null) {
                    failedThread = null;
                    if (now - emptiedAt >= sampleNanos) { // a burst of errors is one event
                        emptiedAt = now;
                        requestFree(failed);
                    }
                }
                long gc = heap.gcMillis();
                long wallMs = Math.max(1, (now - lastAt) / 1_000_000L);
                boolean thrashing = (gc - lastGc) >= THRASH_SHARE * wallMs;
                lastGc = gc;
                lastAt = now;
                pressured = thrashing ? pressured + 1 : 0;
                if (pressured >= PRESSURE_SAMPLES) {
                    pressured = 0;
                    if (now - emptiedAt < RELAPSE_NANOS) {
                        giveUp(gaveUp);
                    } else {
                        outOfMemory.incrementAndGet();
                        emptiedAt = now;
                        requestFree(null);
                    }
                }
            } catch (Throwable e) {
                // this thread cannot be started again once memory is gone: it must not end
            }
        }
    }

    private void requestFree(Thread failed) {
        reserve = null;
        freeFor = failed;
        freeRequested = true;
        LockSupport.unpark(freer);
    }

    /** The freer: empties the caches when the watch asks; this may wait on the collector for long. */
    private void free() {
        while (running) {
            try {
                LockSupport.park(this);
                if (freeRequested) {
                    freeRequested = false;
                    ranOut(freeFor);
                }
            } catch (Throwable e) {
                // as for the watch: it must not end
            }
        }
    }

    /**
     * Empties the caches, then goes on and says so, or ends the process when the heap stays full.
     *
     * @param failed the thread whose error reached its end, or null when the watch saw the pressure
     */
    private void ranOut(Thread failed) {
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
            byte[] line = gaveUp;
            try {
                line = giveUpLine(String.format(Locale.ROOT, "the heap is still %.0f %% full after emptying the tile caches",
                        live * 100)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } catch (Throwable e) {
                // the line made in advance will do
            }
            giveUp(line);
            return;
        }
        try {
            reserve = new byte[RESERVE_BYTES]; // room for the next time
            String line = message(failed == null ? "Memory nearly exhausted" : "Out of memory in " + failed.getName(),
                    outOfMemory.get(), heap.maxBytes());
            LOG.log(Level.ERROR, line);
            Edt.run(() -> notice.accept(line));
        } catch (Throwable ignored) {
            // memory is still tight: the status line waits for the next time
        }
    }

    private String giveUpLine(String why) {
        long mb = heap.maxBytes() >> 20;
        return String.format(Locale.ROOT, "tilescope: out of memory: %s (heap limit %,d MB); exiting."
                + " A larger heap: TILESCOPE_JAVA_OPTS=-Xmx%dm%n", why, mb, Math.max(1024, 2 * mb));
    }

    private void giveUp(byte[] line) {
        try {
            System.err.write(line, 0, line.length);
            System.err.flush();
        } catch (Throwable ignored) {
            // the exit below is what matters
        }
        try {
            exit.accept(EXIT_OUT_OF_MEMORY);
        } catch (Throwable e) {
            Runtime.getRuntime().halt(EXIT_OUT_OF_MEMORY);
        }
    }

    /**
     * Ends the process at once. Not {@code System.exit}: its shutdown hooks need threads and
     * memory that are not there, and a shutdown stuck on them is how SIGTERM got lost. Settings
     * are written atomically as they change, so nothing is left half-written.
     */
    static void exitNow(int status) {
        Runtime.getRuntime().halt(status);
    }

    /** The status line: what happened, what was done, and how often so far. */
    static String message(String what, long times, long maxHeap) {
        return String.format(Locale.ROOT, "%s (heap limit %,d MB): tile caches emptied%s",
                what, maxHeap >> 20, times > 1 ? " (" + times + " times)" : "");
    }

    /** Times memory ran out so far. */
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
