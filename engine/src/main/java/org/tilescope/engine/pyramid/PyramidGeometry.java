package org.tilescope.engine.pyramid;

/**
 * The shape of a written pyramid, as Deep Zoom and libvips' dzsave define it: level 0 is full
 * size, each next level half the one before (rounded up), down to 1x1; tiles are {@code tileSize}
 * square, each repeating {@code overlap} pixels of its neighbours on every inner side.
 *
 * @param width    level-0 width
 * @param height   level-0 height
 * @param tileSize tile side without overlap
 * @param overlap  pixels repeated on each inner side
 */
public record PyramidGeometry(int width, int height, int tileSize, int overlap) {
    /** The smallest tile side accepted: smaller ones make millions of files for nothing. */
    public static final int MIN_TILE = 16;
    public static final int MAX_TILE = 4096;

    public PyramidGeometry {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size " + width + "x" + height + " must be positive");
        }
        if (tileSize < MIN_TILE || tileSize > MAX_TILE) {
            throw new IllegalArgumentException("tile size " + tileSize + " must be " + MIN_TILE + " to " + MAX_TILE);
        }
        if (overlap < 0 || overlap > tileSize / 4) {
            throw new IllegalArgumentException("overlap " + overlap + " must be 0 to a quarter of the tile size");
        }
    }

    /** Levels down to 1x1. */
    public int levels() {
        int max = 0;
        while ((1L << max) < Math.max(width, height)) {
            max++;
        }
        return max + 1;
    }

    /** Deep Zoom's folder number of an engine level: 0 is the 1x1 level. */
    public int folder(int level) {
        return levels() - 1 - level;
    }

    public int levelWidth(int level) {
        return (int) Math.ceilDiv((long) width, 1L << level);
    }

    public int levelHeight(int level) {
        return (int) Math.ceilDiv((long) height, 1L << level);
    }

    public int cols(int level) {
        return Math.ceilDiv(levelWidth(level), tileSize);
    }

    public int rows(int level) {
        return Math.ceilDiv(levelHeight(level), tileSize);
    }

    public long tileCount() {
        long n = 0;
        for (int l = 0; l < levels(); l++) {
            n += (long) cols(l) * rows(l);
        }
        return n;
    }

    /** First level-pixel column/row a tile covers, overlap included. */
    public int tileStart(int index) {
        return index * tileSize - (index > 0 ? overlap : 0);
    }

    /** One past the last level-pixel column/row a tile covers, overlap included, clipped to {@code size}. */
    public int tileEnd(int index, int size) {
        return (int) Math.min((long) (index + 1) * tileSize + overlap, size);
    }
}
