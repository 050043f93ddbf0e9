package org.tilescope.engine.pyramid;

import java.io.IOException;
import org.tilescope.engine.decode.TileEncoder.Subsampling;

/**
 * The JPEG encoder of a pyramid being written: the engine's encoder (libjpeg-turbo through FFM
 * when it loads here, else the JDK's writer; {@code -Dtilescope.decoder=imageio} forces the
 * latter) at the requested quality with 4:2:0 chroma, what libvips' dzsave and tiffsave write
 * below Q90 and what {@link TiffSink} declares in its YCbCrSubsampling tag. Thread-safe.
 */
final class TileEncoder {
    /** Chroma subsampling of every written tile; {@link TiffSink} declares the same. */
    static final Subsampling SUBSAMPLING = Subsampling.YCC_420;

    private final org.tilescope.engine.decode.TileEncoder jpeg;

    TileEncoder(int quality) {
        this.jpeg = org.tilescope.engine.decode.TileEncoder.jpeg(quality, SUBSAMPLING);
    }

    /** JPEG bytes of a {@code w} x {@code h} tile of 0xRRGGBB pixels, read in place. */
    byte[] jpeg(int[] pixels, int w, int h) throws IOException {
        return jpeg.encodeRgb(pixels, w, h);
    }

    /** "libjpeg-turbo" or "imageio". */
    String name() {
        return jpeg.name();
    }
}
