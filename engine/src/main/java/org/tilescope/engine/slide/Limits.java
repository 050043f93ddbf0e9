package org.tilescope.engine.slide;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** Bounds every reader applies before it allocates anything a file asks for. */
public final class Limits {
    /** Widest or tallest slide accepted: 16 Mi pixels a side, four times the largest scanners. */
    public static final int MAX_DIMENSION = 1 << 24;
    /** Largest tile edge accepted. */
    static final int MAX_TILE_EDGE = 16384;
    /**
     * Smallest tile edge accepted. Real writers use 240 to 1024; a tiny declared tile size turns one
     * screen into hundreds of thousands of tile requests (and every real tile into a damaged one).
     */
    public static final int MIN_TILE_EDGE = 16;
    /** Largest encoded tile accepted. */
    public static final int MAX_TILE_BYTES = 64 << 20;
    /** Largest descriptor (.dzi, metadata.json) accepted. */
    public static final int MAX_DESCRIPTOR_BYTES = 4 << 20;
    /** Most levels in a pyramid. */
    public static final int MAX_LEVELS = 64;

    private Limits() {
    }

    public static void checkDimensions(Path file, long width, long height) throws SlideException {
        String problem = dimensionProblem(width, height);
        if (problem != null) {
            throw new SlideException(file, problem);
        }
    }

    /** {@link #checkDimensions(Path, long, long)} for a slide that is not a local file. */
    public static void checkDimensions(URI location, long width, long height) throws SlideException {
        String problem = dimensionProblem(width, height);
        if (problem != null) {
            throw new SlideException(location, problem);
        }
    }

    public static void checkTileSize(Path file, long tw, long th) throws SlideException {
        if (!tileSizeOk(tw, th)) {
            throw new SlideException(file, "invalid tile size " + tw + "x" + th);
        }
        if (tw < MIN_TILE_EDGE || th < MIN_TILE_EDGE) {
            throw new SlideException(file, "tile size " + tw + "x" + th + " is below the minimum of "
                    + MIN_TILE_EDGE + " px a side");
        }
    }

    /**
     * The widest (or tallest) a decoded tile of a level may be: its tile edge, the overlap on both
     * sides, and a few pixels of slack for writers that pad. Anything larger is a damaged tile.
     */
    public static int maxTileEdge(int tileEdge, int overlap) {
        return tileEdge + 2 * overlap + 8;
    }

    /** {@link #checkTileSize(Path, long, long)} for a slide that is not a local file. */
    public static void checkTileSize(URI location, long tw, long th) throws SlideException {
        if (!tileSizeOk(tw, th)) {
            throw new SlideException(location, "invalid tile size " + tw + "x" + th);
        }
        if (tw < MIN_TILE_EDGE || th < MIN_TILE_EDGE) {
            throw new SlideException(location, "tile size " + tw + "x" + th + " is below the minimum of "
                    + MIN_TILE_EDGE + " px a side");
        }
    }

    private static String dimensionProblem(long width, long height) {
        if (width <= 0 || height <= 0) {
            return "invalid image size " + width + "x" + height;
        }
        if (width > MAX_DIMENSION || height > MAX_DIMENSION) {
            return "absurd image size " + width + "x" + height + " (more than " + MAX_DIMENSION + " pixels a side)";
        }
        return null;
    }

    private static boolean tileSizeOk(long tw, long th) {
        return tw > 0 && th > 0 && tw <= MAX_TILE_EDGE && th <= MAX_TILE_EDGE;
    }

    /** Reads a small whole file (a descriptor), refusing empty and oversized ones. */
    public static byte[] readDescriptor(Path file) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new SlideException(file, "cannot read: " + e.getMessage(), e);
        }
        if (size == 0) {
            throw new SlideException(file, "empty file (0 bytes)");
        }
        if (size > MAX_DESCRIPTOR_BYTES) {
            throw new SlideException(file, "descriptor too large (" + size + " bytes)");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SlideException(file, "cannot read: " + e.getMessage(), e);
        }
    }
}
