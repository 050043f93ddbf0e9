package org.tilescope.engine.fuzz;

import static java.util.concurrent.TimeUnit.SECONDS;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;
import org.tilescope.engine.decode.ImageCodec;
import org.tilescope.engine.decode.TileDecoder;

/**
 * Fuzzes tile decoding where it reads headers: ImageCodec's sniffing and end-marker check, the
 * ImageIO decoder (TwelveMonkeys' JPEG reader, the JDK's PNG and TIFF readers) and, where
 * libturbojpeg is installed, the libjpeg-turbo decoder with its JPEG marker scan (JpegMarkers:
 * the ICC-profile check that sends a tile to ImageIO). Both decoders must return an int-RGB image
 * no larger than a tile bound of {@value #MAX_EDGE} px a side, or throw an IOException, and
 * allocate no more than that bound justifies.
 *
 * <p>An input is one encoded tile. Seeds ({@code JpegFuzzTestInputs/decode/}): tiny JPEGs
 * (baseline 4:2:0 and 4:4:4, grayscale, progressive, with restart markers, RGB with an Adobe
 * marker, CMYK, with an ICC profile), abbreviated-tables JPEGs as the TIFF reader splices them, a
 * PNG, one-tile TIFFs, small tiles of the shared corpus, and the regression inputs of the campaigns.
 */
@Timeout(value = 20, unit = SECONDS)
class JpegFuzzTest {
    /** Twice a 512 px tile: what a tile decode is bounded by in the engine. */
    static final int MAX_EDGE = 1024;

    @FuzzTest(maxDuration = "10m")
    void decode(byte[] data) {
        ImageCodec codec = ImageCodec.sniff(data);
        if (codec == ImageCodec.JPEG) {
            ImageCodec.jpegHasEndMarker(data);
        }
        FuzzContract.decodeBounded(TileDecoder.imageIo(), data, MAX_EDGE, MAX_EDGE);
        TileDecoder.turbo().ifPresent(d -> FuzzContract.decodeBounded(d, data, MAX_EDGE, MAX_EDGE));
    }
}
