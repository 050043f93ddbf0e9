package org.tilescope.engine.jobs;

import java.util.concurrent.CancellationException;

/** What a running job gets: its progress to report into, and its cancel and pause switches. */
public interface JobContext {

    Progress progress();

    boolean isCancelled();

    /** Throws {@link CancellationException} once the job is cancelled: call between items. */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new CancellationException("cancelled");
        }
    }

    /** Blocks while the job is paused; returns at once when it is not (or once cancelled). */
    void awaitIfPaused() throws InterruptedException;
}
