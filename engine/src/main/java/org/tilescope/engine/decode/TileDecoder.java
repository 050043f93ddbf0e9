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

    /**
     * Decodes a tile of known bounds, refusing one whose header declares more than
     * {@code maxWidth} x {@code maxHeight} pixels before any pixel memory is allocated: a damaged
     * or hostile tile must not make the decoder allocate what its header asks for.
     *
     * @throws IOException as {@link #decode(byte[])}, and when the declared size is too large
     */
    default BufferedImage decode(byte[] encoded, int maxWidth, int maxHeight) throws IOException {
        ImageHeader.requireWithin(encoded, maxWidth, maxHeight);
        return decode(encoded);
    }

    /**
     * {@link #decode(byte[], int, int)} into a recycled pixel array from {@code buffers} where the
     * decoder can (libjpeg-turbo), which saves allocating and zeroing one per tile; the array goes
     * back to {@code buffers} once the image is unreachable. Decoders that cannot (ImageIO) ignore
     * {@code buffers}. Same pixels either way.
     */
    default BufferedImage decode(byte[] encoded, int maxWidth, int maxHeight, PixelBuffers buffers) throws IOException {
        return decode(encoded, maxWidth, maxHeight);
    }

    /**
     * Decodes at 1/{@code denominator} of the size, each pixel about the mean of a
     * denominator x denominator block of the full image (an edge block cut short averages what it
     * has). libjpeg-turbo does this inside the JPEG decoder (DCT scaling), several times faster
     * than a full decode because it skips most of the inverse DCT and the upsampling; this default
     * decodes in full and box-filters.
     *
     * @param denominator 1, 2, 4 or 8
     * @return an int-RGB image of ceil(width / denominator) x ceil(height / denominator)
     */
    default BufferedImage decodeReduced(byte[] encoded, int denominator) throws IOException {
        checkDenominator(denominator);
        BufferedImage full = decode(encoded);
        return denominator == 1 ? full : Images.shrink(full, 0, 0, full.getWidth(), full.getHeight(), denominator);
    }

    /** Refuses a reduction libjpeg-turbo cannot do in the decoder. */
    static void checkDenominator(int denominator) {
        if (denominator != 1 && denominator != 2 && denominator != 4 && denominator != 8) {
            throw new IllegalArgumentException("reduction 1/" + denominator + ": only 1/1, 1/2, 1/4 and 1/8");
        }
    }

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
