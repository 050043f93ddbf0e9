package org.tilescope.engine.pyramid;

import java.io.IOException;

/**
 * A big image read top to bottom in bands, never whole: the input of {@link PyramidWriter}.
 * Implementations read a plain image file by regions or strips, or draw pixels (the demo slide).
 */
public interface RowSource extends AutoCloseable {

    int width();

    int height();

    /** A good band height: a multiple of the file's strips or JPEG MCU rows; the writer reads in these. */
    default int preferredBand() {
        return 256;
    }

    /**
     * How many bands of {@link #preferredBand()} rows (at 4 bytes a pixel) the source itself holds
     * while it is read: what it decoded ahead and queued, or the region it decodes a band into.
     * The writer counts them, with its own band, before it sizes its encoder pool.
     */
    default int bandsHeld() {
        return 1;
    }

    /**
     * Reads rows {@code y} to {@code y + rows - 1} as 0xRRGGBB ints, row after row, {@link #width()}
     * a row, into {@code out} from index 0. Called with increasing {@code y}, each row once.
     *
     * @throws IOException naming the file and the problem when the rows cannot be read
     */
    void read(int y, int rows, int[] out) throws IOException;

    @Override
    default void close() throws IOException {
    }
}
