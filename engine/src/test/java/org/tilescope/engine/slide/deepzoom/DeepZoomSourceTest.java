package org.tilescope.engine.slide.deepzoom;

import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tilescope.engine.testing.Fixtures;

class DeepZoomSourceTest {
    @TempDir
    Path dir;

    static Stream<Arguments> geometries() {
        return Stream.of(
                Arguments.of(300, 200, 64, 0),
                Arguments.of(300, 200, 64, 1),
                Arguments.of(300, 200, 64, 2),
                Arguments.of(257, 129, 50, 1),
                Arguments.of(129, 257, 32, 2),
                Arguments.of(255, 1, 16, 1),
                Arguments.of(1, 1, 254, 1),
                Arguments.of(64, 64, 64, 0),
                Arguments.of(65, 63, 64, 1));
    }

    @ParameterizedTest(name = "{0}x{1} tile {2} overlap {3}")
    @MethodSource("geometries")
    void infoDescribesThePyramidDownTo1x1(int w, int h, int ts, int ov) throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", Fixtures.drawSource(w, h), ts, ov, "png");
        try (SlideSource s = Slides.open(dz.dzi())) {
            SlideInfo info = s.info();
            assertEquals("deepzoom", info.format());
            assertEquals(w, info.width());
            assertEquals(h, info.height());
            assertEquals(ts, info.tileWidth());
            assertEquals(ts, info.tileHeight());
            assertEquals(ov, info.overlap());
            int expectedLevels = 1;
            while ((1L << (expectedLevels - 1)) < Math.max(w, h)) {
                expectedLevels++;
            }
            assertEquals(expectedLevels, info.levelCount(), "levels from full size down to 1x1");
            assertEquals(dz.levels().size(), info.levelCount());
            for (int i = 0; i < info.levelCount(); i++) {
                LevelInfo l = info.level(i);
                assertEquals(i, l.index());
                assertEquals(Math.ceilDiv(w, 1 << i), l.width(), "width of level " + i);
                assertEquals(Math.ceilDiv(h, 1 << i), l.height(), "height of level " + i);
                assertEquals(dz.level(i).getWidth(), l.width());
                assertEquals(dz.level(i).getHeight(), l.height());
                assertEquals(1 << i, l.downsample(), 0.0, "downsample of level " + i);
                assertEquals(dz.cols(i), l.cols(), "cols of level " + i);
                assertEquals(dz.rows(i), l.rows(), "rows of level " + i);
                assertEquals(ts, l.tileWidth());
            }
            LevelInfo last = info.level(info.levelCount() - 1);
            assertEquals(1, last.width());
            assertEquals(1, last.height());
            assertEquals(1, last.cols());
            assertEquals(1, last.rows());
            assertTrue(info.mpp().isEmpty());
            assertTrue(info.associated().isEmpty());
        }
    }

    @ParameterizedTest(name = "overlap {0}")
    @MethodSource("overlaps")
    void tilesAreTheFileBytesAndOriginsFollowOverlap(int ov) throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", Fixtures.drawSource(300, 200), 64, ov, "png");
        try (SlideSource s = Slides.open(dz.dzi())) {
            for (int level = 0; level < s.info().levelCount(); level++) {
                LevelInfo l = s.info().level(level);
                for (int r = 0; r < l.rows(); r++) {
                    for (int c = 0; c < l.cols(); c++) {
                        assertArrayEquals(Files.readAllBytes(dz.tile(level, c, r)), s.readTile(level, c, r),
                                "tile " + level + "/" + c + "_" + r);
                        assertArrayEquals(new int[] {c * 64 - (c > 0 ? ov : 0), r * 64 - (r > 0 ? ov : 0)},
                                s.tileOrigin(level, c, r));
                    }
                }
            }
        }
    }

    static Stream<Integer> overlaps() {
        return Stream.of(0, 1, 2);
    }

    @Test
    void tileOutsideTheGridIsAnArgumentError() throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", Fixtures.drawSource(300, 200), 64, 1, "png");
        try (SlideSource s = Slides.open(dz.dzi())) {
            assertThrows(IllegalArgumentException.class, () -> s.readTile(0, 5, 0));
            assertThrows(IllegalArgumentException.class, () -> s.readTile(0, 0, 4));
            assertThrows(IllegalArgumentException.class, () -> s.readTile(0, -1, 0));
            assertThrows(IllegalArgumentException.class, () -> s.readTile(s.info().levelCount(), 0, 0));
        }
    }

    @Test
    void opensFromTheFilesFolderToo() throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", Fixtures.drawSource(300, 200), 64, 1, "jpg");
        try (SlideSource s = Slides.open(dz.filesDir())) {
            assertEquals(300, s.info().width());
            assertEquals(dz.dzi().toAbsolutePath().normalize(), s.info().file().orElseThrow().toAbsolutePath().normalize());
            assertArrayEquals(Files.readAllBytes(dz.tile(0, 1, 1)), s.readTile(0, 1, 1));
        }
    }

    @Test
    void pyramidThatStopsAboveOneByOneKeepsTheLevelsItHas() throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", Fixtures.drawSource(300, 200), 64, 1, "png");
        // vips --depth onetile: folders below the one-tile level are not written
        for (int folder = 0; folder < 3; folder++) {
            try (Stream<Path> walk = Files.walk(dz.filesDir().resolve(Integer.toString(folder)))) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        try (SlideSource s = Slides.open(dz.dzi())) {
            assertEquals(dz.maxFolder() - 2, s.info().levelCount());
            assertArrayEquals(Files.readAllBytes(dz.tile(s.info().levelCount() - 1, 0, 0)),
                    s.readTile(s.info().levelCount() - 1, 0, 0));
        }
    }

    @Test
    void hasNoAssociatedImages() throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", Fixtures.drawSource(30, 20), 64, 1, "png");
        try (SlideSource s = Slides.open(dz.dzi())) {
            SlideException e = assertThrows(SlideException.class, () -> s.readAssociated("thumbnail"));
            assertTrue(e.getMessage().contains("thumbnail"), e.getMessage());
        }
    }

    @Test
    void bestLevelForDownsampleChoosesByDownsample() throws IOException {
        BufferedImage src = Fixtures.drawSource(300, 200);
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", src, 64, 1, "png");
        try (SlideSource s = Slides.open(dz.dzi())) {
            assertEquals(0, s.info().bestLevelForDownsample(1));
            assertEquals(0, s.info().bestLevelForDownsample(1.9));
            assertEquals(1, s.info().bestLevelForDownsample(2));
            assertEquals(2, s.info().bestLevelForDownsample(7.5));
            assertEquals(0, s.info().bestLevelForDownsample(0.5));
            assertEquals(s.info().levelCount() - 1, s.info().bestLevelForDownsample(1e9));
        }
    }
}
