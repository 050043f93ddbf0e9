package org.tilescope.engine.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/** A unit of queued work ordered by priority, then first come first served (centre-out order). */
final class Job implements Runnable, Comparable<Job> {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final int priority;
    private final long sequence = SEQUENCE.getAndIncrement();
    private final Runnable work;

    Job(Priority priority, Runnable work) {
        this.priority = priority.ordinal();
        this.work = work;
    }

    @Override
    public void run() {
        work.run();
    }

    @Override
    public int compareTo(Job o) {
        int c = Integer.compare(priority, o.priority);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
}
