package org.tilescope.engine.importing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.tilescope.engine.pyramid.PyramidWriter;

/**
 * What to import and how.
 *
 * @param sources     image files, or folders whose images are imported (not recursively)
 * @param outDir      where the pyramids go, one per image, named after it
 * @param options     output format, tile size, overlap, JPEG quality, encoder threads
 * @param force       import again even when the output is complete and the source unchanged
 * @param stallTimeout a file that makes no progress this long is cancelled and reported
 */
public record ImportRequest(List<Path> sources, Path outDir, PyramidWriter.Options options, boolean force,
                            Duration stallTimeout) {
    public ImportRequest {
        sources = List.copyOf(sources);
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("nothing to import");
        }
    }
}
