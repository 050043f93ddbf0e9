package org.tilescope.engine.slide;

import java.io.IOException;
import java.nio.file.Path;

/** Pyramidal tiled TIFF, classic and BigTIFF, including Aperio SVS. */
final class TiffSource {
    private TiffSource() {
    }

    static SlideSource open(Path file) throws IOException {
        throw new SlideException(file, "TIFF reading is being written");
    }
}
