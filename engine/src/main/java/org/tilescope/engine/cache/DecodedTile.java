package org.tilescope.engine.cache;

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

    /** Copies the owned pixels into an image of the tile's level, offset by (dx, dy). */
    public void copyOwnedInto(BufferedImage dst, int dx, int dy) {
        PixelRect o = owned;
        int sx = o.x() - originX;
        int sy = o.y() - originY;
        int w = Math.min(Math.min(o.width(), image.getWidth() - sx), dst.getWidth() - (o.x() + dx));
        int h = Math.min(Math.min(o.height(), image.getHeight() - sy), dst.getHeight() - (o.y() + dy));
        if (w <= 0 || h <= 0) {
            return;
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRaster().getDataElements(sx, sy + y, w, 1, row);
            dst.getRaster().setDataElements(o.x() + dx, o.y() + dy + y, w, 1, row);
        }
    }
}
