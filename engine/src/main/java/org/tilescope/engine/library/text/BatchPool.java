package org.tilescope.engine.library.text;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The tokenize pool: a fixed number of platform threads (CPU work does not belong on virtual
 * threads) that take queued keys in batches, run {@code work} on each, and hand each batch's
 * results to {@code sink}. Workers return results; they never touch shared state. A key queued
 * twice runs once; urgent keys (the slides the user selected) go first.
 *
 * @param <R> what work on one key returns
 */
public final class BatchPool<R> implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BatchPool.class.getName());

    private final int batchSize;
    private final Function<String, R> work;
    private final Consumer<List<R>> sink;
    private final List<Thread> threads = new ArrayList<>();
    // guarded by this
    private final LinkedHashSet<String> urgent = new LinkedHashSet<>();
    private final LinkedHashSet<String> queue = new LinkedHashSet<>();
    private int active;
    private boolean closed;

    public BatchPool(String name, int threadCount, int batchSize, Function<String, R> work, Consumer<List<R>> sink) {
        this.batchSize = batchSize;
        this.work = work;
        this.sink = sink;
        for (int i = 0; i < threadCount; i++) {
            Thread t = Thread.ofPlatform().name("tilescope-" + name + "-" + i).daemon(true).unstarted(this::loop);
            threads.add(t);
            t.start();
        }
    }

    /** The size for the tokenize pool: half the cores, at least two. */
    public static int defaultThreads() {
        return Math.max(2, Runtime.getRuntime().availableProcessors() / 2);
    }

    public synchronized void submit(Collection<String> keys) {
        for (String k : keys) {
            if (!urgent.contains(k)) {
                queue.add(k);
            }
        }
        notifyAll();
    }

    /** Moves these keys to the front (queuing them when they are not queued). */
    public synchronized void prioritize(Collection<String> keys) {
        for (String k : keys) {
            queue.remove(k);
            urgent.add(k);
        }
        notifyAll();
    }

    public synchronized int queued() {
        return queue.size() + urgent.size();
    }

    /** Workers busy with a batch now. */
    public synchronized int active() {
        return active;
    }

    public synchronized boolean idle() {
        return active == 0 && queue.isEmpty() && urgent.isEmpty();
    }

    private void loop() {
        while (true) {
            List<String> batch;
            synchronized (this) {
                while (!closed && queue.isEmpty() && urgent.isEmpty()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                batch = new ArrayList<>(batchSize);
                take(urgent, batch);
                take(queue, batch);
                active++;
            }
            try {
                List<R> results = new ArrayList<>(batch.size());
                for (String key : batch) {
                    try {
                        R r = work.apply(key);
                        if (r != null) {
                            results.add(r);
                        }
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "tokenizing " + key + " failed", e);
                    }
                }
                sink.accept(results);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "tokenize batch lost", e);
            } finally {
                synchronized (this) {
                    active--;
                    notifyAll();
                }
            }
        }
    }

    private void take(LinkedHashSet<String> from, List<String> batch) {
        Iterator<String> it = from.iterator();
        while (batch.size() < batchSize && it.hasNext()) {
            batch.add(it.next());
            it.remove();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            queue.clear();
            urgent.clear();
            notifyAll();
        }
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
