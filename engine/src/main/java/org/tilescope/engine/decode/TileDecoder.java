package org.tilescope.engine.decode;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Optional;

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

    /**
     * The decoder every part of the engine uses unless told otherwise: libjpeg-turbo when
     * libturbojpeg loads and works, else ImageIO. Chosen once; one log line says which and why.
     * {@code -Dtilescope.decoder=imageio} or {@code =turbo} forces one.
     */
    static TileDecoder standard() {
        return DecoderSelection.standard();
    }

    /** The pure-Java decoder (ImageIO with TwelveMonkeys), always available. */
    static TileDecoder imageIo() {
        return ImageIoTileDecoder.INSTANCE;
    }

    /**
     * The libjpeg-turbo decoder, when libturbojpeg is installed, native access is enabled and
     * its self-test passes. It hands PNG, TIFF, CMYK and ICC-tagged JPEG to {@link #imageIo()}.
     */
    static Optional<TileDecoder> turbo() {
        return DecoderSelection.turbo();
    }

    /**
     * The libturbojpeg file {@link #turbo()} runs on (an absolute path where it can be told),
     * when it is available. {@code -Dtilescope.turbojpeg.path=FILE} makes it try FILE first.
     */
    static Optional<String> turboLibraryFile() {
        return DecoderSelection.turboLibraryFile();
    }
}
