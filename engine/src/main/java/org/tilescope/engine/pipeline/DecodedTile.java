package org.tilescope.engine.pipeline;

import java.awt.image.BufferedImage;
import org.tilescope.engine.slide.PixelRect;

/**
 * A decoded tile ready to paint.
 *
 * @param image  int-RGB pixels; may be larger than {@code owned} (overlap, padded edges)
 * @param originX level x of the image's top-left pixel
 * @param originY level y of the image's top-left pixel
 * @param owned  the part of the level this tile owns, in level pixels; paint only this part
 */
public record DecodedTile(BufferedImage image, int originX, int originY, PixelRect owned) {

    /** Bytes this tile holds on the heap: what L1 weighs it by. */
    public int weight() {
        return image.getWidth() * image.getHeight() * 4;
    }
}
