package org.tilescope.engine.cache;

import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.tilescope.engine.metrics.PoolRegistry;

/** The named, bounded, priority-ordered executors the pipeline runs on. */
final class Pools {
    private static final System.Logger LOG = System.getLogger(Pools.class.getName());

    /**
     * What reaches a pool thread's top (a VirtualMachineError the pipeline rethrows once its
     * request has ended) goes to the log, then to the application's default handler if it set one.
     */
    private static final Thread.UncaughtExceptionHandler LOG_UNCAUGHT = (thread, e) -> {
        LOG.log(System.Logger.Level.ERROR, thread.getName() + " stopped by " + e, e);
        Thread.UncaughtExceptionHandler app = Thread.getDefaultUncaughtExceptionHandler();
        if (app != null) {
            app.uncaughtException(thread, e);
        }
    };

    private Pools() {
    }

    /** Platform threads for CPU work (decode): one per core, most urgent job first. */
    static ThreadPoolExecutor decodePool(int threads) {
        ThreadFactory f = Thread.ofPlatform().name("tilescope-decode-", 0).daemon(true)
                .uncaughtExceptionHandler(LOG_UNCAUGHT).factory();
        ThreadPoolExecutor e = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new PriorityBlockingQueue<>(), f);
        e.allowCoreThreadTimeOut(true);
        PoolRegistry.shared().register("decode", e); // the metrics view shows its load
        return e;
    }

    /**
     * Virtual threads for blocking reads of one source: at most {@code concurrency} at once, the
     * most urgent job first. Idle workers end, so a slide nobody looks at costs no thread.
     */
    static ThreadPoolExecutor readPool(String name, int concurrency) {
        ThreadFactory f = Thread.ofVirtual().name("tilescope-read-" + name + "-", 0)
                .uncaughtExceptionHandler(LOG_UNCAUGHT).factory();
        ThreadPoolExecutor e = new ThreadPoolExecutor(concurrency, concurrency, 2, TimeUnit.SECONDS,
                new PriorityBlockingQueue<>(), f);
        e.allowCoreThreadTimeOut(true);
        PoolRegistry.shared().register("reads", e); // one per slide; the metrics view adds them up
        return e;
    }

    /**
     * Stops a pool now (interrupting what runs) and ends every task it had queued, so no request
     * waits for work that will never run. Returns how many queued tasks were dropped.
     */
    static int shutdownNow(ThreadPoolExecutor pool) {
        int dropped = 0;
        for (Runnable r : pool.shutdownNow()) {
            if (r instanceof PrioritizedTask t) {
                t.drop();
                dropped++;
            }
        }
        return dropped;
    }
}
