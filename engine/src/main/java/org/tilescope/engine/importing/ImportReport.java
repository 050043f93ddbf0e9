package org.tilescope.engine.importing;

import java.nio.file.Path;
import java.util.List;

/**
 * How an import went.
 *
 * @param files    per input file, in order
 * @param seconds  wall time of the whole batch
 */
public record ImportReport(List<FileResult> files, double seconds) {

    /** What happened to one file. */
    public enum Outcome { IMPORTED, SKIPPED, FAILED, CANCELLED }

    /**
     * @param source   the input image
     * @param output   the pyramid written (its .dzi or .tif), or null when none was
     * @param outcome  what happened
     * @param reason   why it failed or was skipped, else empty
     * @param bytesIn  size of the input file
     * @param bytesOut size of the pyramid written
     * @param seconds  time spent on this file
     */
    public record FileResult(Path source, Path output, Outcome outcome, String reason, long bytesIn, long bytesOut,
                             double seconds) {
    }

    public long count(Outcome o) {
        return files.stream().filter(f -> f.outcome() == o).count();
    }

    public long bytesIn() {
        return files.stream().filter(f -> f.outcome() == Outcome.IMPORTED).mapToLong(FileResult::bytesIn).sum();
    }

    public long bytesOut() {
        return files.stream().filter(f -> f.outcome() == Outcome.IMPORTED).mapToLong(FileResult::bytesOut).sum();
    }

    /** Bytes the pyramids save against their sources (negative: they take more). */
    public long bytesSaved() {
        return bytesIn() - bytesOut();
    }
}
