package org.tilescope.engine.library;

import java.util.List;

/**
 * What "move extra copies to trash" did.
 *
 * @param found      extra copies found
 * @param moved      extra copies now in the trash
 * @param bytesSaved bytes on disk freed (once the trash is emptied)
 * @param failures   copies that could not be moved, and why
 */
public record TrashReport(int found, int moved, long bytesSaved, List<ScanReport.Failure> failures) {
    public TrashReport {
        failures = List.copyOf(failures);
    }
}
