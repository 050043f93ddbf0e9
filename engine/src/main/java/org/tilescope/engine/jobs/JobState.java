package org.tilescope.engine.jobs;

/** Where a job is in its life. The last three are final. */
public enum JobState {
    QUEUED, RUNNING, PAUSED, DONE, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }
}
