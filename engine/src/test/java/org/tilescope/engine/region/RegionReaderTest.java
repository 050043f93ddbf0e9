package org.tilescope.engine.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.slide.TileException;
import org.tilescope.engine.testing.Failures;
import org.tilescope.engine.testing.Fixtures;
import org.tilescope.engine.testing.Pixels;

/** Regions of PNG-tiled Deep Zoom fixtures are exact: PNG is lossless and the fixture knows its pyramid. */
class RegionReaderTest {
    @TempDir
    Path dir;

    static Stream<Arguments> geometries() {
        return Stream.of(
                Arguments.of(300, 200, 64, 0),
                Arguments.of(300, 200, 64, 1),
                Arguments.of(300, 200, 64, 2),
                Arguments.of(257, 129, 50, 1),
                Arguments.of(129, 257, 50, 2),
                Arguments.of(100, 100, 254, 1));
    }

    @ParameterizedTest(name = "{0}x{1} tile {2} overlap {3}")
    @MethodSource("geometries")
    void everyLevelEqualsTheFixturePyramid(int w, int h, int ts, int ov) throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", Fixtures.drawSource(w, h), ts, ov, "png");
        try (SlideSource s = Slides.open(dz.dzi())) {
            RegionReader reader = new RegionReader(s);
            for (int level = 0; level < s.info().levelCount(); level++) {
                LevelInfo l = s.info().level(level);
                Region r = reader.read(level, 0, 0, l.width(), l.height());
                assertTrue(r.failures().isEmpty(), r.failures().toString());
                assertEquals(BufferedImage.TYPE_INT_RGB, r.image().getType());
                Pixels.assertSame(dz.level(level), r.image(), "level " + level);
            }
        }
    }

    @ParameterizedTest(name = "overlap {0}")
    @MethodSource("overlaps")
    void subRegionsAcrossTileBordersAreExact(int ov) throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", Fixtures.drawSource(300, 200), 64, ov, "png");
        try (SlideSource s = Slides.open(dz.dzi())) {
            RegionReader reader = new RegionReader(s);
            // level 0: a 10x10 square centred on the corner of four tiles
            expectLevelCrop(reader, dz, 0, 123, 59, 10, 10);
            // level 0: exactly one tile, and a 1-pixel row on a tile border
            expectLevelCrop(reader, dz, 0, 64, 64, 64, 64);
            expectLevelCrop(reader, dz, 0, 0, 127, 300, 2);
            // level 1 (150x100): across the vertical border at 64 and the horizontal one
            expectLevelCrop(reader, dz, 1, 50, 40, 40, 40);
            expectLevelCrop(reader, dz, 1, 63, 63, 2, 2);
            // level 2 (75x50): two tiles
            expectLevelCrop(reader, dz, 2, 60, 10, 15, 30);
        }
    }

    static Stream<Integer> overlaps() {
        return Stream.of(0, 1, 2);
    }

    /** Reads level pixels (x, y, w, h), given to the reader in level-0 coordinates, against the pyramid. */
    private static void expectLevelCrop(RegionReader reader, Fixtures.DeepZoom dz, int level, int x, int y, int w, int h) {
        long ds = 1L << level;
        Region r = reader.read(level, x * ds, y * ds, w, h);
        assertTrue(r.failures().isEmpty(), r.failures().toString());
        Pixels.assertSame(Fixtures.crop(dz.level(level), x, y, w, h), r.image(),
                "level " + level + " region " + x + "," + y + " " + w + "x" + h);
    }

    @Test
    void level0CoordinatesAreDividedByTheDownsample() throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", Fixtures.drawSource(300, 200), 64, 1, "png");
        try (SlideSource s = Slides.open(dz.dzi())) {
            // x0 = 8, y0 = 12 are level-2 pixels 2 and 3 exactly
            Region exact = new RegionReader(s).read(2, 8, 12, 20, 20);
            Pixels.assertSame(Fixtures.crop(dz.level(2), 2, 3, 20, 20), exact.image(), "level 2 at (8,12)/4");
            // x0 = 7, y0 = 13 fall between level-2 pixels (1.75, 3.25): sampled bilinearly as OpenSlide does
            Region between = new RegionReader(s).read(2, 7, 13, 20, 20);
            BufferedImage l2 = dz.level(2);
            for (int y = 0; y < 20; y++) {
                for (int x = 0; x < 20; x++) {
                    int got = between.image().getRGB(x, y);
                    for (int shift = 0; shift <= 16; shift += 8) {
                        double a = channel(l2, 1 + x, 3 + y, shift) * 0.25 + channel(l2, 2 + x, 3 + y, shift) * 0.75;
                        double b = channel(l2, 1 + x, 4 + y, shift) * 0.25 + channel(l2, 2 + x, 4 + y, shift) * 0.75;
                        double want = a * 0.75 + b * 0.25;
                        assertTrue(Math.abs(((got >> shift) & 0xFF) - want) <= 1.0,
                                "pixel " + x + "," + y + " channel " + shift + ": " + ((got >> shift) & 0xFF) + " vs " + want);
                    }
                }
            }
        }
    }

    private static int channel(BufferedImage img, int x, int y, int shift) {
        return (img.getRGB(x, y) >> shift) & 0xFF;
    }

    @Test
    void outsideTheSlideIsWhite() throws IOException {
        BufferedImage src = Fixtures.drawSource(300, 200);
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", src, 64, 1, "png");
        try (SlideSource s = Slides.open(dz.dzi())) {
            RegionReader reader = new RegionReader(s);

            Region topLeft = reader.read(0, -10, -7, 80, 60);
            assertTrue(Pixels.allWhite(topLeft.image(), new Rectangle(0, 0, 80, 7)));
            assertTrue(Pixels.allWhite(topLeft.image(), new Rectangle(0, 0, 10, 60)));
            Pixels.assertSame(Fixtures.crop(src, 0, 0, 70, 53), Pixels.sub(topLeft.image(), new Rectangle(10, 7, 70, 53)),
                    "inside part");

            Region bottomRight = reader.read(0, 280, 190, 40, 20);
            assertTrue(Pixels.allWhite(bottomRight.image(), new Rectangle(20, 0, 20, 20)));
            assertTrue(Pixels.allWhite(bottomRight.image(), new Rectangle(0, 10, 40, 10)));
            Pixels.assertSame(Fixtures.crop(src, 280, 190, 20, 10),
                    Pixels.sub(bottomRight.image(), new Rectangle(0, 0, 20, 10)), "inside part");

            Region level1 = reader.read(1, 280, 180, 20, 20); // level 1 is 150x100
            assertTrue(Pixels.allWhite(level1.image(), new Rectangle(10, 0, 10, 20)));
            assertTrue(Pixels.allWhite(level1.image(), new Rectangle(0, 10, 20, 10)));
            Pixels.assertSame(Fixtures.crop(dz.level(1), 140, 90, 10, 10),
                    Pixels.sub(level1.image(), new Rectangle(0, 0, 10, 10)), "inside part");

            for (Region away : new Region[] {reader.read(0, 5000, 5000, 16, 16), reader.read(0, -500, -500, 16, 16),
                    reader.read(0, 300, 0, 16, 16), reader.read(0, 0, 200, 16, 16)}) {
                assertTrue(away.failures().isEmpty());
                assertTrue(Pixels.allWhite(away.image(), new Rectangle(0, 0, 16, 16)));
            }
        }
    }

    @Test
    void tinyLevelsDownToOnePixel() throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", Fixtures.drawSource(300, 200), 64, 1, "png");
        try (SlideSource s = Slides.open(dz.dzi())) {
            RegionReader reader = new RegionReader(s);
            int last = s.info().levelCount() - 1;
            assertEquals(1, s.info().level(last).width());
            for (int level = last - 3; level <= last; level++) {
                BufferedImage expected = dz.level(level);
                Region r = reader.read(level, 0, 0, 8, 8);
                Pixels.assertSame(expected, Pixels.sub(r.image(),
                        new Rectangle(0, 0, expected.getWidth(), expected.getHeight())), "level " + level);
                assertEquals(0xFFFFFF, r.image().getRGB(7, 7) & 0xFFFFFF, "beyond a tiny level is white");
            }
            assertEquals(dz.level(last).getRGB(0, 0), reader.read(last, 0, 0, 1, 1).image().getRGB(0, 0));
        }
    }

    @Test
    void refusesEmptyAndHugeRegions() throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", Fixtures.drawSource(30, 20), 64, 1, "png");
        try (SlideSource s = Slides.open(dz.dzi())) {
            RegionReader reader = new RegionReader(s);
            assertThrows(IllegalArgumentException.class, () -> reader.read(0, 0, 0, 0, 10));
            assertThrows(IllegalArgumentException.class, () -> reader.read(0, 0, 0, 10, -1));
            assertThrows(IllegalArgumentException.class, () -> reader.read(0, 0, 0, 1 << 16, 1 << 16));
            assertThrows(IllegalArgumentException.class, () -> reader.read(99, 0, 0, 10, 10));
        }
    }

    @Test
    void jpegTilesAreCloseToTheSource() throws IOException {
        BufferedImage src = Fixtures.drawSource(300, 200);
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", src, 64, 1, "jpg");
        try (SlideSource s = Slides.open(dz.dzi())) {
            Region r = new RegionReader(s).read(0, 0, 0, 300, 200);
            assertTrue(r.failures().isEmpty());
            double mean = Pixels.meanDiff(src, r.image());
            assertTrue(mean < 4, "mean diff " + mean);
        }
    }

    /** Ways a tile file can be bad. */
    enum Damage { MISSING, TRUNCATED, GARBAGE, ZERO_BYTES }

    static void damage(Path tile, Damage how) throws IOException {
        switch (how) {
            case MISSING -> Files.delete(tile);
            case TRUNCATED -> {
                byte[] b = Files.readAllBytes(tile);
                Files.write(tile, Arrays.copyOf(b, b.length / 2));
            }
            case GARBAGE -> {
                byte[] junk = new byte[(int) Files.size(tile)];
                new Random(3).nextBytes(junk);
                junk[0] = 0x21;
                Files.write(tile, junk);
            }
            case ZERO_BYTES -> Files.write(tile, new byte[0]);
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void badTileIsReportedAndFilledFromTheCoarserLevel(Damage how) throws IOException {
        for (String format : new String[] {"png", "jpg"}) {
            Path sub = Files.createDirectories(dir.resolve(format));
            BufferedImage src = Fixtures.drawSource(300, 200);
            Fixtures.DeepZoom dz = Fixtures.deepZoom(sub, "s", src, 64, 1, format);
            damage(dz.tile(0, 2, 1), how);
            try (SlideSource s = Slides.open(dz.dzi())) {
                Region r = assertTimeoutPreemptively(Failures.HANG_GUARD,
                        () -> new RegionReader(s).read(0, 0, 0, 300, 200));
                assertEquals(1, r.failures().size(), format + " " + r.failures());
                TileException e = r.failures().getFirst();
                assertEquals(0, e.level());
                assertEquals(2, e.col());
                assertEquals(1, e.row());
                Failures.assertMessage(e, dz.dzi(), "col 2, row 1");
                Rectangle hole = new Rectangle(128, 64, 64, 64);
                if (format.equals("png")) {
                    Pixels.assertSameExcept(src, r.image(), hole, "pixels of the good tiles");
                }
                assertFilledCloseToSource(src, r.image(), hole, format + " " + how);
            }
        }
    }

    private static void assertFilledCloseToSource(BufferedImage src, BufferedImage actual, Rectangle hole, String what) {
        assertEquals(0, Pixels.whiteCount(actual, hole), what + ": white pixels in the filled area");
        BufferedImage filled = Pixels.sub(actual, hole);
        BufferedImage expected = Pixels.sub(src, hole);
        double mean = Pixels.meanDiff(expected, filled);
        int max = Pixels.maxDiff(expected, filled);
        assertTrue(mean < 6, what + ": filled area mean diff " + mean);
        assertTrue(max < 40, what + ": filled area max diff " + max);
    }

    @Test
    void badTileAtTheSlideCornerIsFilledUpToTheEdge() throws IOException {
        BufferedImage src = Fixtures.drawSource(300, 200);
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", src, 64, 1, "png");
        damage(dz.tile(0, 4, 3), Damage.MISSING); // the 44x8 corner tile
        try (SlideSource s = Slides.open(dz.dzi())) {
            Region r = new RegionReader(s).read(0, 0, 0, 300, 200);
            assertEquals(1, r.failures().size());
            Rectangle hole = new Rectangle(256, 192, 44, 8);
            Pixels.assertSameExcept(src, r.image(), hole, "pixels of the good tiles");
            assertFilledCloseToSource(src, r.image(), hole, "corner tile");
        }
    }

    @Test
    void badTilesOnTwoLevelsFallBackFurther() throws IOException {
        BufferedImage src = Fixtures.drawSource(300, 200);
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", src, 64, 1, "png");
        damage(dz.tile(0, 2, 1), Damage.MISSING); // level 0 [128,192)x[64,128)
        damage(dz.tile(1, 1, 0), Damage.GARBAGE); // level 1 [64,128)x[0,64): covers the same area
        try (SlideSource s = Slides.open(dz.dzi())) {
            Region r = assertTimeoutPreemptively(Failures.HANG_GUARD, () -> new RegionReader(s).read(0, 0, 0, 300, 200));
            assertTrue(r.failures().stream().anyMatch(e -> e.level() == 0 && e.col() == 2 && e.row() == 1),
                    r.failures().toString());
            Rectangle hole = new Rectangle(128, 64, 64, 64);
            Pixels.assertSameExcept(src, r.image(), hole, "pixels of the good tiles");
            assertEquals(0, Pixels.whiteCount(r.image(), hole), "filled from level 2");
            double mean = Pixels.meanDiff(Pixels.sub(src, hole), Pixels.sub(r.image(), hole));
            assertTrue(mean < 12, "filled area mean diff " + mean);
        }
    }

    @Test
    void everyLevelBadLeavesWhiteButDoesNotFail() throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", Fixtures.drawSource(40, 30), 64, 1, "png");
        try (SlideSource s = Slides.open(dz.dzi())) {
            for (int level = 0; level < s.info().levelCount(); level++) {
                damage(dz.tile(level, 0, 0), Damage.MISSING);
            }
            Region r = assertTimeoutPreemptively(Failures.HANG_GUARD, () -> new RegionReader(s).read(0, 0, 0, 40, 30));
            assertEquals(s.info().levelCount(), r.failures().size(), r.failures().toString());
            assertTrue(Pixels.allWhite(r.image(), new Rectangle(0, 0, 40, 30)));
        }
    }

    @Test
    void shortTileKeepsThePixelsItHasAndFillsOnlyWhatItLacks() throws IOException {
        BufferedImage src = Fixtures.drawSource(300, 200);
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", src, 64, 1, "png");
        // tile (2,1) of level 0 should cover x [127,193); write it 4 columns short: [127,189)
        Files.write(dz.tile(0, 2, 1), Fixtures.encode(Fixtures.crop(src, 127, 63, 62, 66), "png"));
        try (SlideSource s = Slides.open(dz.dzi())) {
            Region r = new RegionReader(s).read(0, 0, 0, 300, 200);
            assertTrue(r.failures().isEmpty(), "a short tile is not reported");
            Rectangle missing = new Rectangle(189, 64, 3, 64);
            Pixels.assertSameExcept(src, r.image(), missing, "the short tile's own pixels and every other tile");
            assertFilledCloseToSource(src, r.image(), missing, "the columns the short tile lacks");
        }
    }
}
