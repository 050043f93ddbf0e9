package org.tilescope.engine.importing;

import java.nio.file.Path;
import java.util.List;
import org.tilescope.engine.pyramid.PyramidWriter;

/**
 * How an import went.
 *
 * @param files      per input file, in order
 * @param seconds    wall time of the whole batch
 * @param cpuSeconds CPU time the process spent during the batch (all its threads), or -1 where the
 *                   platform does not tell
 */
public record ImportReport(List<FileResult> files, double seconds, double cpuSeconds) {

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
     * @param cpuSeconds CPU time the process spent on this file, or -1 where the platform does not tell
     * @param writing  what the pyramid writer did (encoder, pool, per-worker tasks, stage times), or
     *                 null when no pyramid was begun (skipped, or the input did not open)
     */
    public record FileResult(Path source, Path output, Outcome outcome, String reason, long bytesIn, long bytesOut,
                             double seconds, double cpuSeconds, PyramidWriter.Summary writing) {

        /**
         * Bytes the pyramid saves against its source (negative: it takes more); 0 when there is no
         * pyramid (failed, cancelled).
         */
        public long bytesSaved() {
            return outcome == Outcome.IMPORTED || outcome == Outcome.SKIPPED ? bytesIn - bytesOut : 0;
        }
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
