package org.tilescope.engine.fuzz;

import static java.util.concurrent.TimeUnit.SECONDS;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.testing.Fixtures;

/**
 * Fuzzes the Deep Zoom descriptor: the {@code .dzi} XML and libvips' {@code vips-properties.xml}
 * beside the tiles. An input is the .dzi's bytes, then optionally a NUL byte and the
 * vips-properties.xml (NUL cannot occur in XML, so it is a safe separator).
 *
 * <p>The tile tree is fixed and valid whatever the descriptor claims: folders 0 to 24 (every level
 * count a 16 Mi pixel slide can have), each with tiles 0_0, 1_0, 0_1 and 1_1 as both .jpg and
 * .png, so that a mutated size, tile size or format still reaches tile reading.
 *
 * <p>Seeds ({@code DziFuzzTestInputs/descriptor/}): the .dzi of {@link Fixtures#dziXml} for JPEG
 * and PNG slides, the shared corpus's descriptors (libvips' own layout, with and without its
 * vips-properties.xml), and the regression inputs of the campaigns.
 */
@Timeout(value = 20, unit = SECONDS)
class DziFuzzTest {
    private static final int FOLDERS = 25;
    private static final Path DIR = FuzzContract.tempDir("dzi-fuzz");
    private static final Path DZI = DIR.resolve("slide.dzi");
    private static final Path PROPS = DIR.resolve("slide_files").resolve("vips-properties.xml");
    private static final long TILE_BYTES;

    static {
        try {
            BufferedImage src = Fixtures.drawSource(20, 12);
            byte[] jpg = Fixtures.encode(src, "jpg");
            byte[] png = Fixtures.encode(src, "png");
            TILE_BYTES = Math.max(jpg.length, png.length);
            for (int f = 0; f < FOLDERS; f++) {
                Path folder = Files.createDirectories(DIR.resolve("slide_files").resolve(Integer.toString(f)));
                for (String t : new String[] {"0_0", "1_0", "0_1", "1_1"}) {
                    Files.write(folder.resolve(t + ".jpg"), jpg);
                    Files.write(folder.resolve(t + ".png"), png);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void descriptor(byte[] data) {
        int nul = indexOf(data, (byte) 0);
        byte[] dzi = nul < 0 ? data : Arrays.copyOf(data, nul);
        byte[] props = nul < 0 ? null : Arrays.copyOfRange(data, nul + 1, data.length);
        FuzzContract.put(DZI, dzi);
        FuzzContract.put(PROPS, props);
        FuzzContract.Mark start = FuzzContract.allocated();
        try (SlideSource s = Slides.open(DZI)) {
            FuzzContract.checkAllocation("open", start, FuzzContract.parseBudget(data.length));
            FuzzContract.exercise(s, TILE_BYTES, null);
        } catch (IOException e) {
            FuzzContract.expected(e);
            FuzzContract.checkAllocation("failed open", start, FuzzContract.parseBudget(data.length));
        }
    }

    private static int indexOf(byte[] b, byte v) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }
}
