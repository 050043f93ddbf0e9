package org.tilescope.engine.decode;

import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * Turns a tile the engine made itself (a generated pyramid level) into encoded bytes, so that it
 * can live in the encoded cache beside tiles read from files. The output is a baseline JPEG any
 * {@link TileDecoder} reads. Implementations are thread-safe.
 */
public interface TileEncoder {

    /** JPEG quality of made tiles: above the Q75-80 scanners write, so a made level adds little loss. */
    int QUALITY = 90;

    /** The encoded bytes of an image. */
    byte[] encode(BufferedImage image) throws IOException;

    /** Short name for logs: "imageio" or "libjpeg-turbo". */
    String name();

    /**
     * libjpeg-turbo's encoder when the standard decoder is libjpeg-turbo (so the same library,
     * native access and {@code -Dtilescope.decoder} rules apply), else ImageIO's JPEG writer.
     */
    static TileEncoder standard() {
        return TurboJpegEncoder.standard();
    }

    /** The pure-Java encoder (the JDK's JPEG writer), always available. */
    static TileEncoder imageIo() {
        return ImageIoTileEncoder.INSTANCE;
    }
}
