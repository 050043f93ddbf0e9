package org.tilescope.engine.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters a job reports into from any thread. Cheap to update (atomics); the job manager
 * reads them to publish throttled snapshots.
 */
public final class Progress {
    /** How many failure reasons a snapshot keeps. */
    static final int KEPT_FAILURES = 5;

    final AtomicLong itemsDone = new AtomicLong();
    final AtomicLong itemsTotal = new AtomicLong(-1);
    final AtomicLong bytesDone = new AtomicLong();
    final AtomicLong bytesTotal = new AtomicLong(-1);
    final AtomicLong failures = new AtomicLong();
    final AtomicInteger activeWorkers = new AtomicInteger();
    /** Bumped on every change: the publisher compares it to tell whether anything moved. */
    final AtomicLong version = new AtomicLong();
    /** When done items last moved, in nanos. */
    volatile long lastProgressNanos = System.nanoTime();
    private final List<String> firstFailures = new ArrayList<>();
    private volatile String detail = "";

    public void setTotal(long items, long bytes) {
        itemsTotal.set(items);
        bytesTotal.set(bytes);
        version.incrementAndGet();
    }

    public void addTotal(long items, long bytes) {
        itemsTotal.accumulateAndGet(items, (a, b) -> a < 0 ? b : a + b);
        if (bytes > 0) {
            bytesTotal.accumulateAndGet(bytes, (a, b) -> a < 0 ? b : a + b);
        }
        version.incrementAndGet();
    }

    public void addDone(long items, long bytes) {
        itemsDone.addAndGet(items);
        bytesDone.addAndGet(bytes);
        lastProgressNanos = System.nanoTime();
        version.incrementAndGet();
    }

    /** One failed item: counted as done (it will not be tried again) and as a failure. */
    public void addFailure(String reason) {
        failures.incrementAndGet();
        synchronized (firstFailures) {
            if (firstFailures.size() < KEPT_FAILURES) {
                firstFailures.add(reason);
            }
        }
        addDone(1, 0);
    }

    public void setActiveWorkers(int n) {
        activeWorkers.set(n);
        version.incrementAndGet();
    }

    public void workerStarted() {
        activeWorkers.incrementAndGet();
        version.incrementAndGet();
    }

    public void workerFinished() {
        activeWorkers.decrementAndGet();
        version.incrementAndGet();
    }

    public void setDetail(String d) {
        detail = d == null ? "" : d;
        version.incrementAndGet();
    }

    /** What the job said it is doing last. */
    public String detail() {
        return detail;
    }

    List<String> firstFailures() {
        synchronized (firstFailures) {
            return List.copyOf(firstFailures);
        }
    }

    public long itemsDone() {
        return itemsDone.get();
    }

    /** Workers the job said are busy. */
    public int activeWorkers() {
        return activeWorkers.get();
    }

    public long failures() {
        return failures.get();
    }
}
