package org.tilescope.engine.cache;

import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.tilescope.engine.metrics.PoolRegistry;

/** The named, bounded, priority-ordered executors the pipeline runs on. */
final class Pools {
    private Pools() {
    }

    /** Platform threads for CPU work (decode): one per core, most urgent job first. */
    static ThreadPoolExecutor decodePool(int threads) {
        ThreadFactory f = Thread.ofPlatform().name("tilescope-decode-", 0).daemon(true).factory();
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
        ThreadFactory f = Thread.ofVirtual().name("tilescope-read-" + name + "-", 0).factory();
        ThreadPoolExecutor e = new ThreadPoolExecutor(concurrency, concurrency, 2, TimeUnit.SECONDS,
                new PriorityBlockingQueue<>(), f);
        e.allowCoreThreadTimeOut(true);
        PoolRegistry.shared().register("reads", e); // one per slide; the metrics view adds them up
        return e;
    }
}
