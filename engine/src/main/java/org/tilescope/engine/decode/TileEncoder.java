package org.tilescope.engine.decode;

import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * Turns pixels into baseline JPEG bytes any {@link TileDecoder} reads: tiles the engine made itself
 * (a generated pyramid level, {@link #standard()}) and the tiles of a pyramid being written
 * ({@link #jpeg(int, Subsampling)}). Implementations are thread-safe.
 */
public interface TileEncoder {

    /** JPEG quality of made tiles: above the Q75-80 scanners write, so a made level adds little loss. */
    int QUALITY = 90;

    /** How the two chroma planes are sampled against luma. */
    enum Subsampling {
        /** Every component sampled 1x1: full colour detail, about 1.6x the bytes of 4:2:0. */
        YCC_444(1, 1),
        /** Chroma halved both ways (luma sampled 2x2): what libvips writes below Q90, and scanners write. */
        YCC_420(2, 2);

        private final int lumaH;
        private final int lumaV;

        Subsampling(int lumaH, int lumaV) {
            this.lumaH = lumaH;
            this.lumaV = lumaV;
        }

        /** The luma component's horizontal sampling factor (the chroma components' is 1). */
        public int lumaH() {
            return lumaH;
        }

        /** The luma component's vertical sampling factor (the chroma components' is 1). */
        public int lumaV() {
            return lumaV;
        }
    }

    /**
     * What an encoder writes.
     *
     * @param quality     JPEG quality, 1-100
     * @param subsampling chroma subsampling
     */
    record Settings(int quality, Subsampling subsampling) {
        public Settings {
            if (quality < 1 || quality > 100) {
                throw new IllegalArgumentException("JPEG quality " + quality + " must be 1 to 100");
            }
        }
    }

    /** The encoded bytes of an image. */
    byte[] encode(BufferedImage image) throws IOException;

    /**
     * The encoded bytes of {@code width} x {@code height} pixels given as 0xRRGGBB ints, row after
     * row from index 0 (the top byte is ignored). The array is read in place, never copied into
     * another Java array, and left unchanged.
     */
    byte[] encodeRgb(int[] pixels, int width, int height) throws IOException;

    /** Short name for logs: "imageio" or "libjpeg-turbo". */
    String name();

    /** The quality and subsampling written. */
    Settings settings();

    /** The JPEG quality written, 1-100. */
    default int quality() {
        return settings().quality();
    }

    /** The chroma subsampling written. */
    default Subsampling subsampling() {
        return settings().subsampling();
    }

    /**
     * The encoder of made levels: quality {@value #QUALITY}, 4:4:4; libjpeg-turbo's when the
     * standard decoder is libjpeg-turbo (so the same library, native access and
     * {@code -Dtilescope.decoder} rules apply), else ImageIO's JPEG writer.
     */
    static TileEncoder standard() {
        return TurboJpegEncoder.standard();
    }

    /**
     * An encoder of the given quality (1-100) and subsampling, from the same library as
     * {@link #standard()}: libjpeg-turbo when it decodes here, else the JDK's JPEG writer.
     */
    static TileEncoder jpeg(int quality, Subsampling subsampling) {
        return TurboJpegEncoder.jpeg(quality, subsampling);
    }

    /** The pure-Java encoder (the JDK's JPEG writer) of made levels, always available. */
    static TileEncoder imageIo() {
        return ImageIoTileEncoder.STANDARD;
    }

    /** The pure-Java encoder of the given quality (1-100) and subsampling, always available. */
    static TileEncoder imageIo(int quality, Subsampling subsampling) {
        return new ImageIoTileEncoder(quality, subsampling);
    }
}
