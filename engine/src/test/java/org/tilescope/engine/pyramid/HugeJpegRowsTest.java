package org.tilescope.engine.pyramid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.testing.Fixtures;

/** A JPEG of more than 2^31 RGB bytes streams: the 40000x30000 input. */
class HugeJpegRowsTest {
    @TempDir
    Path dir;

    @Test
    void a40000x30000JpegStreamsItsFirstBand() throws IOException {
        // 16 real rows, then a header that says 30000: the decoder fills the rest, which is never read here
        BufferedImage top = Fixtures.drawSource(40000, 16);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(top, "jpeg", jpeg);
        Path file = dir.resolve("huge.jpg");
        Files.write(file, Fixtures.withDeclaredSize(jpeg.toByteArray(), 40000, 30000));
        assertTrue(40000L * 30000 * 3 > Integer.MAX_VALUE, "more RGB bytes than one Java array holds");
        try (RowSource rows = ImageFileRows.openStreaming(file, 64L << 20)) {
            assertEquals(40000, rows.width());
            assertEquals(30000, rows.height());
            int band = rows.preferredBand();
            int[] px = new int[band * 40000];
            rows.read(0, band, px);
            for (int x : new int[] {0, 13_333, 39_999}) {
                int want = top.getRGB(x, 8);
                int got = px[8 * 40000 + x];
                for (int shift = 0; shift <= 16; shift += 8) {
                    int d = Math.abs(((want >> shift) & 0xFF) - ((got >> shift) & 0xFF));
                    assertTrue(d < 12, "pixel " + x + ",8: " + Integer.toHexString(got) + " for " + Integer.toHexString(want));
                }
            }
        }
    }
}
