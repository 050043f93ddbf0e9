package org.tilescope.engine.jobs;

/** Hears job snapshots. Called on the job manager's thread, never the EDT: marshal before touching UI. */
@FunctionalInterface
public interface JobListener {
    void onSnapshot(JobSnapshot snapshot);
}
