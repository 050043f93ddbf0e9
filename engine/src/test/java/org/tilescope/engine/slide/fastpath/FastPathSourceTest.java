package org.tilescope.engine.slide.fastpath;

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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.region.Region;
import org.tilescope.engine.region.RegionReader;
import org.tilescope.engine.testing.Fixtures;
import org.tilescope.engine.testing.Fixtures.FastPathLayout;
import org.tilescope.engine.testing.Pixels;

class FastPathSourceTest {
    private static final int W = 300;
    private static final int H = 200;
    private static final int TILE = 64;
    private static final int LEVELS = 4;

    @TempDir
    Path dir;

    private Fixtures.FastPath write(FastPathLayout layout) throws IOException {
        return Fixtures.fastPath(dir.resolve(layout + ".fastpath"), Fixtures.drawSource(W, H), TILE, LEVELS, layout);
    }

    @ParameterizedTest
    @EnumSource(FastPathLayout.class)
    void infoHasFullResolutionFirst(FastPathLayout layout) throws IOException {
        Fixtures.FastPath fp = write(layout);
        try (SlideSource s = Slides.open(fp.dir())) {
            SlideInfo info = s.info();
            assertEquals("fastpath", info.format());
            assertEquals(W, info.width());
            assertEquals(H, info.height());
            assertEquals(TILE, info.tileWidth());
            assertEquals(0, info.overlap());
            assertEquals(LEVELS, info.levelCount());
            for (int i = 0; i < LEVELS; i++) {
                LevelInfo l = info.level(i);
                assertEquals(1 << i, l.downsample(), 0.0, "engine level " + i);
                assertEquals(Math.ceilDiv(W, 1 << i), l.width());
                assertEquals(Math.ceilDiv(H, 1 << i), l.height());
                assertEquals(Math.ceilDiv(l.width(), TILE), l.cols());
                assertEquals(Math.ceilDiv(l.height(), TILE), l.rows());
            }
            assertEquals(0.5, info.mpp().orElseThrow(), 0.0);
            assertEquals(20.0, info.magnification().orElseThrow(), 0.0);
            assertEquals(List.of("thumbnail"), info.associated());
        }
    }

    @ParameterizedTest
    @EnumSource(FastPathLayout.class)
    void engineLevelZeroReadsTheFullResolutionTiles(FastPathLayout layout) throws IOException {
        Fixtures.FastPath fp = write(layout);
        try (SlideSource s = Slides.open(fp.dir())) {
            BufferedImage tile = TileDecoder.standard().decode(s.readTile(0, 4, 3));
            // the last tile of a 300x200 level in 64 px tiles is 44x8
            assertEquals(W - 4 * TILE, tile.getWidth());
            assertEquals(H - 3 * TILE, tile.getHeight());
            BufferedImage coarsest = TileDecoder.standard().decode(s.readTile(LEVELS - 1, 0, 0));
            assertEquals(Math.ceilDiv(W, 1 << (LEVELS - 1)), coarsest.getWidth());
        }
    }

    @ParameterizedTest
    @EnumSource(FastPathLayout.class)
    void regionsAreCloseToTheSource(FastPathLayout layout) throws IOException {
        Fixtures.FastPath fp = write(layout);
        try (SlideSource s = Slides.open(fp.dir())) {
            for (int level = 0; level < LEVELS; level++) {
                LevelInfo l = s.info().level(level);
                Region r = new RegionReader(s).read(level, 0, 0, l.width(), l.height());
                assertTrue(r.failures().isEmpty(), r.failures().toString());
                double mean = Pixels.meanDiff(fp.level(level), r.image());
                assertTrue(mean < 12, "level " + level + " mean diff " + mean + " (JPEG q0.92)");
            }
        }
    }

    @Test
    void bothLayoutsGiveIdenticalTilesAndPixels() throws IOException {
        Fixtures.FastPath packed = write(FastPathLayout.PACK_V2);
        Fixtures.FastPath perTile = write(FastPathLayout.PER_TILE);
        try (SlideSource a = Slides.open(packed.dir()); SlideSource b = Slides.open(perTile.dir())) {
            assertEquals(a.info().levels(), b.info().levels());
            for (int level = 0; level < LEVELS; level++) {
                LevelInfo l = a.info().level(level);
                for (int r = 0; r < l.rows(); r++) {
                    for (int c = 0; c < l.cols(); c++) {
                        assertArrayEquals(b.readTile(level, c, r), a.readTile(level, c, r),
                                "tile " + level + "/" + c + "_" + r);
                    }
                }
                Region ra = new RegionReader(a).read(level, 0, 0, l.width(), l.height());
                Region rb = new RegionReader(b).read(level, 0, 0, l.width(), l.height());
                Pixels.assertSame(rb.image(), ra.image(), "level " + level);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(FastPathLayout.class)
    void thumbnailIsAnAssociatedImage(FastPathLayout layout) throws IOException {
        Fixtures.FastPath fp = write(layout);
        try (SlideSource s = Slides.open(fp.dir())) {
            BufferedImage thumb = TileDecoder.standard().decode(s.readAssociated("thumbnail"));
            BufferedImage expected = fp.level(LEVELS - 1);
            assertEquals(expected.getWidth(), thumb.getWidth());
            assertEquals(expected.getHeight(), thumb.getHeight());
            assertEquals(BufferedImage.TYPE_INT_RGB, thumb.getType());
            assertThrows(SlideException.class, () -> s.readAssociated("label"));
        }
    }

    @Test
    void withoutThumbnailThereIsNoAssociatedImage() throws IOException {
        Fixtures.FastPath fp = write(FastPathLayout.PACK_V2);
        Files.delete(fp.dir().resolve("thumbnail.jpg"));
        try (SlideSource s = Slides.open(fp.dir())) {
            assertTrue(s.info().associated().isEmpty());
            assertThrows(SlideException.class, () -> s.readAssociated("thumbnail"));
        }
    }

    @Test
    void packedLayoutIsFoundWithoutTileFormat() throws IOException {
        Fixtures.FastPath fp = write(FastPathLayout.PACK_V2);
        Path meta = fp.dir().resolve("metadata.json");
        Files.writeString(meta, Files.readString(meta).replace("\"tile_format\": \"pack_v2\"", "\"x\": 0"));
        try (SlideSource s = Slides.open(fp.dir())) {
            assertEquals(LEVELS, s.info().levelCount());
            TileDecoder.standard().decode(s.readTile(0, 0, 0));
        }
    }
}
