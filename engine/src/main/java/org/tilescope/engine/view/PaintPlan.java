package org.tilescope.engine.view;

import org.tilescope.engine.cache.DecodedTile;
import org.tilescope.engine.cache.TileKey;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * What a view can paint right now without waiting: layers from coarse to fine. Painting the
 * base, then every tile in order, covers every pixel of the slide inside the viewport once the
 * slide's coarse levels are in.
 *
 * @param level       the level chosen for the viewport's downsample
 * @param base        the whole-slide thumbnail, or null before it exists
 * @param baseDownsample level-0 pixels per thumbnail pixel
 * @param tiles       cached tiles to paint, coarse levels first, the chosen level last
 * @param wanted      tiles of the chosen level that the viewport needs
 * @param sharp       how many of those were in L1
 * @param uncovered   wanted tiles with neither themselves nor any coarser tile cached
 *                    (the thumbnail still covers them when it exists)
 */
public record PaintPlan(int level, BufferedImage base, double baseDownsample, List<PaintTile> tiles,
                        int wanted, int sharp, int uncovered) {

    public PaintPlan {
        tiles = List.copyOf(tiles);
    }

    /** True when every wanted tile of the chosen level is painted sharp. */
    public boolean complete() {
        return sharp == wanted;
    }

    /** One cached tile and the downsample of its level (to map its level pixels to level 0). */
    public record PaintTile(TileKey key, DecodedTile tile, double downsample) {
    }
}
