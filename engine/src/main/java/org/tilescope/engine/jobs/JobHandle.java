package org.tilescope.engine.jobs;

import java.util.concurrent.CompletableFuture;

/** A submitted job: cancel, pause, resume, its latest snapshot, and a future for its end. */
public interface JobHandle {
    long id();

    Job job();

    void cancel();

    /** Pauses a job that supports it; no effect otherwise. */
    void pause();

    void resume();

    /** The latest published snapshot (never null). */
    JobSnapshot snapshot();

    /** Completes with the final snapshot when the job is done, failed or cancelled. */
    CompletableFuture<JobSnapshot> done();
}
