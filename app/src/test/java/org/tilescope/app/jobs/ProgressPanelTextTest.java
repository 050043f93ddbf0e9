package org.tilescope.app.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.tilescope.engine.jobs.JobSnapshot;
import org.tilescope.engine.jobs.JobState;

/** The progress panel's words and numbers (no window). */
class ProgressPanelTextTest {

    @Test
    void durationsReadLikeSpeech() {
        assertEquals("< 1 s", ProgressPanel.duration(400));
        assertEquals("45 s", ProgressPanel.duration(45_000));
        assertEquals("1 min 20 s", ProgressPanel.duration(80_000));
        assertEquals("2 min", ProgressPanel.duration(120_000));
        assertEquals("59 min 59 s", ProgressPanel.duration(3_599_000));
        assertEquals("1 h", ProgressPanel.duration(3_600_000));
        assertEquals("2 h 5 min", ProgressPanel.duration(7_500_000));
    }

    @Test
    void bytesPickTheirUnit() {
        assertEquals("512 B", ProgressPanel.bytes(512));
        assertEquals("812 KB", ProgressPanel.bytes(812L << 10));
        assertEquals("120.5 MB", ProgressPanel.bytes((long) (120.5 * (1 << 20))));
        assertEquals("1.2 GB", ProgressPanel.bytes((long) (1.2 * (1L << 30))));
    }

    static JobSnapshot snapshot(String kind, JobState state, long done, long total, long bytes, long bytesTotal,
                                double bytesPerSecond, Long eta, int workers) {
        return new JobSnapshot(1, "job", kind, state, done, total, bytes, bytesTotal, 0, bytesPerSecond,
                eta == null ? OptionalLong.empty() : OptionalLong.of(eta), workers, 0, List.of(), Optional.empty(), "",
                "", Instant.now());
    }

    @Test
    void numbersSayItemsBytesRateEtaAndWorkers() {
        assertEquals("1,234 / 5,000 tiles · 120.0 MB · 12.0 MB/s · ETA 1 min 20 s · 2 workers",
                ProgressPanel.numbersText(snapshot("preload", JobState.RUNNING, 1234, 5000, 120L << 20, -1,
                        12 << 20, 80_000L, 2)));
        assertEquals("3 items", ProgressPanel.numbersText(snapshot("scan", JobState.RUNNING, 3, -1, 0, -1, 0, null, 0)));
        assertEquals("40 / 100 items · 4.0 MB / 10.0 MB", ProgressPanel.numbersText(
                snapshot("x", JobState.CANCELLED, 40, 100, 4L << 20, 10L << 20, 1 << 20, 6000L, 1)),
                "a finished job shows no rate, ETA or workers");
        assertEquals("paused", ProgressPanel.stateText(snapshot("x", JobState.PAUSED, 0, 1, 0, 0, 0, null, 0)));
    }
}
