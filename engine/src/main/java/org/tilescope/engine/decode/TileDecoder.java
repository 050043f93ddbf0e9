package org.tilescope.engine.decode;

import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * Turns the encoded bytes of one tile (JPEG, PNG, or a one-tile TIFF) into an int-RGB image.
 * Implementations are thread-safe.
 */
public interface TileDecoder {

    /**
     * Decodes a tile.
     *
     * @return a {@link BufferedImage#TYPE_INT_RGB} image
     * @throws IOException when the bytes are not a complete, decodable image; the message says what
     *                     is wrong (truncated, not an image, too large)
     */
    BufferedImage decode(byte[] encoded) throws IOException;

    /** Short name for logs and the HUD: "imageio" or "libjpeg-turbo". */
    String name();

    /** The decoder every part of the engine uses unless told otherwise. */
    static TileDecoder standard() {
        return ImageIoTileDecoder.INSTANCE;
    }
}
