package org.tilescope.engine.pyramid.generated;

import java.awt.image.BufferedImage;

/**
 * Where a generated pyramid looks for finer tiles already at hand and leaves what it reads and
 * makes: the tile pipeline supplies its L1 (decoded) and L2 (encoded) caches, so a tile read or
 * made for one coarser tile is not read or made again for the next, nor when it is viewed.
 * Levels are the complete pyramid's (the file's levels, then the generated ones). Implementations
 * are thread-safe and never block.
 */
public interface TileStore {

    /** Decoded pixels of a tile: {@code image}'s top-left pixel lies at (originX, originY) of its level. */
    record Pixels(BufferedImage image, int originX, int originY) {
    }

    /** The encoded bytes of a tile when held, else null. */
    byte[] encoded(int level, int col, int row);

    /** The decoded tile when held, else null. */
    Pixels decoded(int level, int col, int row);

    /** Keeps the encoded bytes of a tile just read from the file or just made. */
    void keep(int level, int col, int row, byte[] encoded);

    /** Holds nothing: for one-off work (a thumbnail on the command line) that reads each tile once anyway. */
    TileStore NONE = new TileStore() {
        @Override
        public byte[] encoded(int level, int col, int row) {
            return null;
        }

        @Override
        public Pixels decoded(int level, int col, int row) {
            return null;
        }

        @Override
        public void keep(int level, int col, int row, byte[] encoded) {
        }
    };
}
