package org.tilescope.app.viewer;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.app.TestSlides;
import org.tilescope.app.swing.Edt;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TilePipeline;

/** A slide none of whose tiles reads paints a hatched "cannot be read" page, not a white one. */
class UnreadableSlideTest {
    @TempDir
    Path dir;

    @Test
    void aSlideWithNoReadableTileSaysSo() throws Exception {
        Path dzi = TestSlides.writeDzi(dir, "broken", 1200, 900, 256, 1);
        try (Stream<Path> files = Files.walk(dir.resolve("broken_files"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.write(f, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}); // no tile decodes
            }
        }
        try (TilePipeline pipeline = TilePipeline.createDefault()) {
            SlideHandle h = pipeline.open(dzi);
            h.ready().handle((t, e) -> t).get(60, TimeUnit.SECONDS);
            assertTrue(h.ready().isCompletedExceptionally(), "no coarse tile could be read");
            BufferedImage img = Edt.call(() -> {
                TilePane pane = new TilePane(pipeline);
                try {
                    pane.setSize(800, 600);
                    pane.setSlide(h, null);
                    BufferedImage out = new BufferedImage(800, 600, BufferedImage.TYPE_INT_RGB);
                    Graphics2D g = out.createGraphics();
                    pane.paintSlide(g, 800, 600, 1);
                    g.dispose();
                    return out;
                } finally {
                    pane.dispose();
                }
            });
            // a row inside the slide's area, above the message box: white on a plain failed slide
            int white = 0xFFFFFFFF;
            int light = 0xFFE6E6E6;
            int hatch = 0xFFC8C8C8;
            int gray = 0;
            int lines = 0;
            for (int x = 200; x < 600; x++) {
                int p = img.getRGB(x, 150);
                assertNotEquals(white, p, "pixel " + x + " is white");
                gray += p == light ? 1 : 0;
                lines += p == hatch ? 1 : 0;
            }
            assertTrue(gray > 100 && lines > 50, "hatched: " + gray + " light, " + lines + " line pixels");
        }
    }
}
