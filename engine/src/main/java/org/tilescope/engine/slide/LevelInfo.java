package org.tilescope.engine.slide;

/**
 * One level of a slide pyramid, in the engine's convention: index 0 is full resolution.
 *
 * @param index      engine level index, 0 = full resolution
 * @param width      level width in pixels
 * @param height     level height in pixels
 * @param downsample level-0 pixels per level pixel (OpenSlide's convention: mean of the two axes)
 * @param tileWidth  nominal tile width, without overlap
 * @param tileHeight nominal tile height, without overlap
 * @param cols       tiles across
 * @param rows       tiles down
 * @param generated  true for a level the file does not have, made by the engine from finer tiles
 *                   (see {@code org.tilescope.engine.pyramid}); false for the file's own levels
 */
public record LevelInfo(int index, int width, int height, double downsample,
                        int tileWidth, int tileHeight, int cols, int rows, boolean generated) {

    public LevelInfo {
        if (width <= 0 || height <= 0 || tileWidth <= 0 || tileHeight <= 0 || cols <= 0 || rows <= 0
                || !(downsample >= 1.0) || Double.isInfinite(downsample)) {
            throw new IllegalArgumentException("bad level geometry: " + width + "x" + height
                    + " tile " + tileWidth + "x" + tileHeight + " grid " + cols + "x" + rows + " ds " + downsample);
        }
    }

    /** A level the file has. */
    public LevelInfo(int index, int width, int height, double downsample,
                     int tileWidth, int tileHeight, int cols, int rows) {
        this(index, width, height, downsample, tileWidth, tileHeight, cols, rows, false);
    }

    /** A level whose grid is derived from its size and tile size. */
    public static LevelInfo of(int index, int width, int height, double downsample, int tileWidth, int tileHeight) {
        return new LevelInfo(index, width, height, downsample, tileWidth, tileHeight,
                ceilDiv(width, tileWidth), ceilDiv(height, tileHeight));
    }

    /** A level the engine makes from finer tiles, its grid derived from its size and tile size. */
    public static LevelInfo generatedLevel(int index, int width, int height, double downsample, int tileWidth, int tileHeight) {
        return new LevelInfo(index, width, height, downsample, tileWidth, tileHeight,
                ceilDiv(width, tileWidth), ceilDiv(height, tileHeight), true);
    }

    public long tileCount() {
        return (long) cols * rows;
    }

    public boolean containsTile(int col, int row) {
        return col >= 0 && row >= 0 && col < cols && row < rows;
    }

    /** Refuses a tile outside the grid: a caller's bug, not a damaged file. */
    public void requireTile(int col, int row) {
        if (!containsTile(col, row)) {
            throw new IllegalArgumentException("tile " + col + "," + row + " outside level " + index
                    + " grid " + cols + "x" + rows);
        }
    }

    /** The area of the level this tile owns (no overlap), clipped to the level. */
    public PixelRect tileRect(int col, int row) {
        int x = col * tileWidth;
        int y = row * tileHeight;
        return new PixelRect(x, y, Math.min(tileWidth, width - x), Math.min(tileHeight, height - y));
    }

    private static int ceilDiv(int a, int b) {
        return (int) Math.ceilDiv((long) a, (long) b);
    }
}
