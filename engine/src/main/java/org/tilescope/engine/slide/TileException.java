package org.tilescope.engine.slide;

import java.net.URI;
import java.nio.file.Path;

/** One tile is missing or unreadable; the rest of the slide still reads. */
public class TileException extends SlideException {
    private final int level;
    private final int col;
    private final int row;

    public TileException(Path file, int level, int col, int row, String problem) {
        this(file, level, col, row, problem, null);
    }

    public TileException(Path file, int level, int col, int row, String problem, Throwable cause) {
        super(file, "tile (level " + level + ", col " + col + ", row " + row + "): " + problem, cause);
        this.level = level;
        this.col = col;
        this.row = row;
    }

    public TileException(URI location, int level, int col, int row, String problem, Throwable cause) {
        super(location, "tile (level " + level + ", col " + col + ", row " + row + "): " + problem, cause);
        this.level = level;
        this.col = col;
        this.row = row;
    }

    public int level() {
        return level;
    }

    public int col() {
        return col;
    }

    public int row() {
        return row;
    }
}
