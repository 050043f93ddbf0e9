package org.tilescope.engine.cache;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A unit of queued work ordered by priority, then first come first served (centre-out order).
 * A task that a shutting-down pool drops instead of running gets {@link #drop()} called, so the
 * request it belongs to still ends.
 */
final class PrioritizedTask implements Runnable, Comparable<PrioritizedTask> {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final int priority;
    private final long sequence = SEQUENCE.getAndIncrement();
    private final Runnable work;
    private final Runnable onDrop;

    /**
     * @param work   what to run
     * @param onDrop what to do instead when the pool shuts down before the task ran
     */
    PrioritizedTask(Priority priority, Runnable work, Runnable onDrop) {
        this.priority = priority.ordinal();
        this.work = work;
        this.onDrop = onDrop;
    }

    @Override
    public void run() {
        work.run();
    }

    /** The task will never run: ends whatever waits for it. */
    void drop() {
        onDrop.run();
    }

    @Override
    public int compareTo(PrioritizedTask o) {
        int c = Integer.compare(priority, o.priority);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
}
