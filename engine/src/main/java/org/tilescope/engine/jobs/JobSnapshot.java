package org.tilescope.engine.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A job's progress at a moment, as listeners and the UI see it.
 *
 * @param id             the job's id
 * @param name           what the job is, for people ("Preload 40 slides in /data")
 * @param kind           the job's kind, for single-flight ("preload")
 * @param state          queued, running, paused, done, failed or cancelled
 * @param itemsDone      items finished (including skipped and failed ones)
 * @param itemsTotal     items in all, or -1 while unknown
 * @param bytesDone      bytes handled
 * @param bytesTotal     bytes in all, or -1 when unknown
 * @param itemsPerSecond smoothed rate
 * @param bytesPerSecond smoothed rate
 * @param etaMillis      time left at the smoothed rate, when it can be told
 * @param activeWorkers  workers busy now
 * @param failures       items that failed
 * @param firstFailures  the first few failure reasons
 * @param stalledSince   when progress last moved, if it has not for a while
 * @param detail         what the job is doing now ("C24-0112_liver_HE.dzi, level 3")
 * @param reason         why it failed, or what stopped it, when it did
 * @param at             when this snapshot was taken
 */
public record JobSnapshot(long id, String name, String kind, JobState state, long itemsDone, long itemsTotal,
                          long bytesDone, long bytesTotal, double itemsPerSecond, double bytesPerSecond,
                          OptionalLong etaMillis, int activeWorkers, long failures, List<String> firstFailures,
                          Optional<Instant> stalledSince, String detail, String reason, Instant at) {

    public JobSnapshot {
        firstFailures = List.copyOf(firstFailures);
    }

    /** Done fraction 0..1, or -1 while the total is unknown. */
    public double fraction() {
        if (itemsTotal <= 0) {
            return itemsTotal == 0 && state.isFinal() ? 1 : -1;
        }
        return Math.min(1, (double) itemsDone / itemsTotal);
    }
}
