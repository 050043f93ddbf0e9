package org.tilescope.engine.cache;

import java.util.concurrent.atomic.AtomicLong;

/** A unit of queued work ordered by priority, then first come first served (centre-out order). */
final class PrioritizedTask implements Runnable, Comparable<PrioritizedTask> {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final int priority;
    private final long sequence = SEQUENCE.getAndIncrement();
    private final Runnable work;

    PrioritizedTask(Priority priority, Runnable work) {
        this.priority = priority.ordinal();
        this.work = work;
    }

    @Override
    public void run() {
        work.run();
    }

    @Override
    public int compareTo(PrioritizedTask o) {
        int c = Integer.compare(priority, o.priority);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
}
