package org.tilescope.engine.slide;

import java.net.URI;
import java.nio.file.Path;

/**
 * One tile is missing or unreadable; the rest of the slide still reads. Its {@link #kind()} says
 * whether reading it again can help: a missing or damaged tile stays so, an I/O hiccup may pass.
 */
public class TileException extends SlideException {
    /** Why a tile did not read, as far as retrying it goes. */
    public enum Kind {
        /** The file says the tile is not there (no tile file, an empty index entry). Permanent. */
        MISSING,
        /** The bytes are malformed, outside the file or the grid, or declare the wrong size. Permanent. */
        DAMAGED,
        /**
         * The read itself failed (interrupted, too many open files, a network share's hiccup, an
         * out-of-memory error while decoding): worth a bounded number of retries, never remembered.
         */
        TRANSIENT
    }

    private final int level;
    private final int col;
    private final int row;
    private final Kind kind;

    /** A damaged tile (permanent). */
    public TileException(Path file, int level, int col, int row, String problem) {
        this(file, level, col, row, problem, null);
    }

    /** A damaged tile (permanent). */
    public TileException(Path file, int level, int col, int row, String problem, Throwable cause) {
        this(Kind.DAMAGED, file, level, col, row, problem, cause);
    }

    public TileException(Kind kind, Path file, int level, int col, int row, String problem, Throwable cause) {
        super(file, "tile (level " + level + ", col " + col + ", row " + row + "): " + problem, cause);
        this.kind = kind;
        this.level = level;
        this.col = col;
        this.row = row;
    }

    /** A damaged tile (permanent) of a slide at a location (a URL, or a file as a URI). */
    public TileException(URI location, int level, int col, int row, String problem, Throwable cause) {
        this(Kind.DAMAGED, location, level, col, row, problem, cause);
    }

    public TileException(Kind kind, URI location, int level, int col, int row, String problem, Throwable cause) {
        super(location, "tile (level " + level + ", col " + col + ", row " + row + "): " + problem, cause);
        this.kind = kind;
        this.level = level;
        this.col = col;
        this.row = row;
    }

    /** The tile is not in the file. */
    public static TileException missing(Path file, int level, int col, int row, String problem) {
        return new TileException(Kind.MISSING, file, level, col, row, problem, null);
    }

    /** The read failed in a way that may pass (see {@link Kind#TRANSIENT}). */
    public static TileException transientFailure(Path file, int level, int col, int row, String problem,
                                                 Throwable cause) {
        return new TileException(Kind.TRANSIENT, file, level, col, row, problem, cause);
    }

    /** The tile is not at the location (a 404 from a server). */
    public static TileException missing(URI location, int level, int col, int row, String problem) {
        return new TileException(Kind.MISSING, location, level, col, row, problem, null);
    }

    /** The read failed in a way that may pass: a timeout, a 5xx after the retries. */
    public static TileException transientFailure(URI location, int level, int col, int row, String problem,
                                                 Throwable cause) {
        return new TileException(Kind.TRANSIENT, location, level, col, row, problem, cause);
    }

    public Kind kind() {
        return kind;
    }

    /** True for missing and damaged tiles: reading again gives the same answer. */
    public boolean isPermanent() {
        return kind != Kind.TRANSIENT;
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
