package org.tilescope.engine.cache;

import org.tilescope.engine.slide.PixelRect;

/** Hears that a tile landed in L1. Called on a pipeline thread, never the EDT: marshal before touching UI. */
@FunctionalInterface
public interface TileListener {
    /**
     * @param key   the tile
     * @param owned the level pixels it covers
     */
    void tileLanded(TileKey key, PixelRect owned);
}
