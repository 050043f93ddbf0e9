package org.tilescope.engine.library;

import java.nio.file.Path;
import java.util.List;

/**
 * What a scan did.
 *
 * @param slides    slides found that open
 * @param tokenized slides whose text was read and counted this run (new or changed)
 * @param skipped   slides unchanged since the last scan: not opened, not tokenized
 * @param failed    slides that did not open
 * @param failures  each failed slide with its reason
 * @param removed   slides gone from the roots since the last scan
 * @param seconds   time per stage
 * @param warnings  notes that were too large or not UTF-8, folders that could not be listed
 * @param cancelled the scan was cancelled; the counts are what it did until then
 */
public record ScanReport(int slides, int tokenized, int skipped, int failed, List<Failure> failures, int removed,
                         Seconds seconds, List<String> warnings, boolean cancelled) {

    public ScanReport {
        failures = List.copyOf(failures);
        warnings = List.copyOf(warnings);
    }

    /** A slide that did not open, and why. */
    public record Failure(Path path, String reason) {
    }

    /**
     * Seconds per stage. The stages overlap: scan is the walk and the examining of every slide
     * (wall time); tokenize runs from the first batch to the last (wall time); merge is the time
     * the single merger spent applying results; persist is the time spent writing the store.
     */
    public record Seconds(double scan, double tokenize, double merge, double persist) {
    }
}
