package org.tilescope.engine.jobs;

/**
 * A named unit of background work. Subclasses do the work in {@link #run}, report into the
 * context's progress, and look at {@link JobContext#isCancelled()} between items, so that a
 * cancel takes effect within about 100 ms and leaves nothing half-written.
 */
public abstract class Job {
    /** What starting a job does when one of the same kind is running. */
    public enum SingleFlight {
        /** Both run. */
        NONE,
        /** The running one is cancelled; the new one starts. */
        CANCEL_RUNNING,
        /** The new one is dropped; the caller gets the running one's handle. */
        JOIN_RUNNING
    }

    private final String name;
    private final String kind;
    private final int priority;

    /**
     * @param priority lower runs first when jobs queue
     */
    protected Job(String name, String kind, int priority) {
        this.name = name;
        this.kind = kind;
        this.priority = priority;
    }

    public String name() {
        return name;
    }

    public String kind() {
        return kind;
    }

    public int priority() {
        return priority;
    }

    public SingleFlight singleFlight() {
        return SingleFlight.NONE;
    }

    /** Whether pause/resume means something for this job. */
    public boolean supportsPause() {
        return false;
    }

    /**
     * Does the work. Return normally when done; throw to fail (the message becomes the reason);
     * a {@link java.util.concurrent.CancellationException} after a cancel ends it as cancelled.
     */
    protected abstract void run(JobContext context) throws Exception;
}
