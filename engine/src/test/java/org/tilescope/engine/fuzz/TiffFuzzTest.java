package org.tilescope.engine.fuzz;

import static java.util.concurrent.TimeUnit.SECONDS;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;

/**
 * Fuzzes the TIFF reader: the header and IFD chain (classic and BigTIFF, both byte orders,
 * SubIFDs), the level and associated-image choice, and what reading a tile makes of the stored
 * bytes: JPEG tiles with the shared JPEGTables spliced in (and an Adobe marker for RGB), other
 * compressions wrapped in a one-tile TIFF. Every tile read is decoded by ImageIO within its
 * level's tile size; associated images (SVS label, macro, thumbnail) are read too.
 *
 * <p>An input is the whole file. Seeds ({@code TiffFuzzTestInputs/tiff/}): small pyramids
 * written by the TIFF tests' writer (little-endian JPEG with shared tables, big-endian
 * uncompressed, BigTIFF with SubIFDs, an SVS with label, macro and thumbnail) and by the JDK's
 * TIFF writer (LZW, Deflate, PackBits, JPEG), 16 to 32 px tiles, a few KB each, and the
 * regression inputs of the campaigns.
 */
@Timeout(value = 20, unit = SECONDS)
class TiffFuzzTest {
    private static final Path FILE = FuzzContract.tempDir("tiff-fuzz").resolve("slide.tif");

    @FuzzTest(maxDuration = "10m")
    void tiff(byte[] data) {
        FuzzContract.put(FILE, data);
        FuzzContract.Mark start = FuzzContract.allocated();
        try (SlideSource s = Slides.open(FILE)) {
            FuzzContract.checkAllocation("open", start, FuzzContract.parseBudget(data.length));
            FuzzContract.exercise(s, data.length, TileDecoder.imageIo());
        } catch (IOException e) {
            FuzzContract.expected(e);
            FuzzContract.checkAllocation("failed open", start, FuzzContract.parseBudget(data.length));
        }
    }
}
