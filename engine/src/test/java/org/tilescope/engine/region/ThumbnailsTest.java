package org.tilescope.engine.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.testing.Fixtures;
import org.tilescope.engine.testing.Pixels;

class ThumbnailsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}x{1} in {2} -> {3}x{4}")
    @CsvSource({
        "300, 200, 100, 100, 67",
        "200, 300, 100, 67, 100",
        "300, 200, 150, 150, 100",
        "300, 200, 64, 64, 43",
        "257, 129, 50, 50, 25",
        "300, 200, 1000, 300, 200",
        "300, 200, 1, 1, 1",
        "300, 3, 10, 10, 1"})
    void sizeKeepsTheAspect(int w, int h, int max, int tw, int th) throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", Fixtures.drawSource(w, h), 64, 1, "png");
        try (SlideSource s = Slides.open(dz.dzi())) {
            Region t = Thumbnails.render(s, TileDecoder.standard(), max);
            assertEquals(tw, t.image().getWidth());
            assertEquals(th, t.image().getHeight());
            assertTrue(t.failures().isEmpty());
        }
    }

    @Test
    void looksLikeTheSlide() throws IOException {
        BufferedImage src = Fixtures.drawSource(300, 200);
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", src, 64, 1, "png");
        try (SlideSource s = Slides.open(dz.dzi())) {
            BufferedImage thumb = Thumbnails.render(s, TileDecoder.standard(), 75).image();
            assertEquals(75, thumb.getWidth());
            assertEquals(50, thumb.getHeight());
            double mean = Pixels.meanDiff(dz.level(2), thumb); // level 2 is exactly 75x50
            assertTrue(mean < 3, "mean diff from the 4x box-filtered source " + mean);
        }
    }

    @Test
    void fullSizeWhenLargerThanTheSlide() throws IOException {
        BufferedImage src = Fixtures.drawSource(120, 80);
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", src, 64, 1, "png");
        try (SlideSource s = Slides.open(dz.dzi())) {
            Pixels.assertSame(src, Thumbnails.render(s, TileDecoder.standard(), 4096).image(), "unscaled");
        }
    }

    @Test
    void reportsFailedTiles() throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", Fixtures.drawSource(300, 200), 64, 1, "png");
        Files.delete(dz.tile(2, 0, 0)); // level 2 (75x50) is what a 75 px thumbnail reads
        try (SlideSource s = Slides.open(dz.dzi())) {
            Region t = Thumbnails.render(s, TileDecoder.standard(), 75);
            assertEquals(1, t.failures().size());
            assertEquals(0, Pixels.whiteCount(t.image(), new Rectangle(0, 0, 75, 50)));
        }
    }

    @Test
    void refusesSillySizes() throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", Fixtures.drawSource(30, 20), 64, 1, "png");
        try (SlideSource s = Slides.open(dz.dzi())) {
            assertThrows(IllegalArgumentException.class, () -> Thumbnails.render(s, TileDecoder.standard(), 0));
            assertThrows(IllegalArgumentException.class, () -> Thumbnails.render(s, TileDecoder.standard(), 20000));
        }
    }

    @Test
    void downscaleGivesExactlyTheAskedSize() {
        BufferedImage img = Thumbnails.downscale(Fixtures.drawSource(301, 199), 37, 23);
        assertEquals(37, img.getWidth());
        assertEquals(23, img.getHeight());
    }
}
