package org.tilescope.engine.pyramid;

import java.io.IOException;

/** Where encoded tiles go: a Deep Zoom folder or a tiled TIFF. Thread-safe: encoders call it at once. */
interface TileSink extends AutoCloseable {

    /** Stores one encoded tile of an engine level (0 = full resolution). */
    void put(int level, int col, int row, byte[] encoded) throws IOException;

    /** Writes what makes the pyramid whole (descriptor, IFDs); called once, after every tile. */
    void finish() throws IOException;

    /** Bytes written so far. */
    long bytesWritten();

    @Override
    void close() throws IOException;
}
