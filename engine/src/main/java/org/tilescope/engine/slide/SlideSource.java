package org.tilescope.engine.slide;

import java.io.IOException;

/**
 * One open slide: what it is, the encoded bytes of any tile, and its associated images.
 * Thread-safe: tiles may be read from many threads at once. Level numbers follow the engine's
 * convention (0 = full resolution), whatever the file's own numbering.
 */
public interface SlideSource extends AutoCloseable {

    SlideInfo info();

    /**
     * Stable for the same content at the same location, different once it changes: for a local
     * slide its canonical path, size and modification time ({@link org.tilescope.engine.slide.local.FileStamp}); for a remote one
     * the URL and the server's validator. The caches key tiles by it, so L1/L2 survive reopening
     * and a changed slide is never served from stale tiles.
     */
    default String identity() {
        return info().location().toString();
    }


    /**
     * The encoded bytes of one tile, exactly as stored, made standalone: a JPEG (tables spliced
     * in), a PNG, or for TIFF compressions other than JPEG a one-tile TIFF. The decoded image
     * covers {@link #tileOrigin} onward; it may be larger than the tile's rectangle (overlap,
     * padded edge tiles).
     *
     * @throws TileException when this tile is missing or damaged; other tiles still read
     * @throws IllegalArgumentException when the tile is outside the level's grid
     */
    byte[] readTile(int level, int col, int row) throws IOException;

    /** Where the decoded tile's top-left pixel lies, in pixels of its level. */
    default int[] tileOrigin(int level, int col, int row) {
        SlideInfo info = info();
        LevelInfo l = info.level(level);
        int ov = info.overlap();
        return new int[] {col * l.tileWidth() - (col > 0 ? ov : 0), row * l.tileHeight() - (row > 0 ? ov : 0)};
    }

    /**
     * An associated image (thumbnail, label, macro) by one of the names in
     * {@link SlideInfo#associated()}, encoded like a tile: a standalone JPEG, PNG or TIFF that
     * {@link org.tilescope.engine.decode.TileDecoder} decodes.
     *
     * @throws SlideException when there is no such image or it cannot be read
     */
    byte[] readAssociated(String name) throws IOException;

    /**
     * Closes open file handles to stay under the process's file limit. The source stays usable:
     * its next read reopens what it needs, without parsing the slide again.
     */
    default void releaseHandles() {
    }

    /**
     * True when the slide's files were rewritten since this source opened them: its levels and
     * tiles may no longer match the disk, and it should be opened again. Cheap enough to ask after
     * every read (implementations look at the disk at most about once a second, and right after a
     * failed read). Sources that cannot tell say false.
     */
    default boolean changedOnDisk() {
        return false;
    }

    @Override
    void close() throws IOException;
}
