package org.tilescope.engine.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.region.RegionReader;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.testing.Pixels;

class DemoSlideTest {
    /** Small enough to build in well under a second, large enough for five levels of real content. */
    static final DemoSlide.Spec SMALL = new DemoSlide.Spec(1200, 900, DemoSlide.DEFAULT.seed());

    @TempDir
    static Path shared;
    static Path sharedDzi;
    static final List<long[]> sharedProgress = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void buildOnce() throws IOException {
        sharedDzi = DemoSlide.ensure(shared, SMALL, 2, (done, total) -> sharedProgress.add(new long[] {done, total}),
                () -> false);
    }

    @Test
    void defaultDemoIsAtLeast20000By15000() {
        assertTrue(DemoSlide.DEFAULT.width() >= 20000, "width " + DemoSlide.DEFAULT.width());
        assertTrue(DemoSlide.DEFAULT.height() >= 15000, "height " + DemoSlide.DEFAULT.height());
    }

    @Test
    void defaultCacheDirIsPerUserAndNamedForTilescope() {
        Path d = DemoSlide.defaultCacheDir();
        assertTrue(d.toString().toLowerCase(Locale.ROOT).contains("tilescope"), d.toString());
        assertEquals(d.resolve("demo").resolve("tilescope-demo.dzi"), DemoSlide.location(d));
    }

    @Test
    void buildOpensAsDeepZoomWithEveryLevelDownTo1x1() throws IOException {
        assertEquals(DemoSlide.location(shared), sharedDzi);
        try (SlideSource s = Slides.open(sharedDzi)) {
            SlideInfo info = s.info();
            assertEquals("deepzoom", info.format());
            assertEquals(1200, info.width());
            assertEquals(900, info.height());
            assertEquals(254, info.tileWidth());
            assertEquals(1, info.overlap());
            assertEquals(12, info.levelCount(), "1200 wide: levels 2^0 .. 2^11");
            for (int i = 0; i < info.levelCount(); i++) {
                LevelInfo l = info.level(i);
                assertEquals(Math.ceilDiv(1200, 1 << i), l.width(), "width of level " + i);
                assertEquals(Math.ceilDiv(900, 1 << i), l.height(), "height of level " + i);
            }
            assertEquals(1, info.level(info.levelCount() - 1).width());
            assertEquals(1, info.level(info.levelCount() - 1).height());
        }
    }

    @Test
    void everyTileExistsDecodesAndHasItsDeepZoomSize() throws IOException {
        TileDecoder decoder = TileDecoder.standard();
        long tiles = 0;
        try (SlideSource s = Slides.open(sharedDzi)) {
            SlideInfo info = s.info();
            for (int i = 0; i < info.levelCount(); i++) {
                LevelInfo l = info.level(i);
                for (int r = 0; r < l.rows(); r++) {
                    for (int c = 0; c < l.cols(); c++) {
                        BufferedImage img = decoder.decode(s.readTile(i, c, r));
                        int x0 = c * 254 - (c > 0 ? 1 : 0);
                        int y0 = r * 254 - (r > 0 ? 1 : 0);
                        int x1 = Math.min((c + 1) * 254 + 1, l.width());
                        int y1 = Math.min((r + 1) * 254 + 1, l.height());
                        assertEquals(x1 - x0, img.getWidth(), "width of tile " + i + "/" + c + "_" + r);
                        assertEquals(y1 - y0, img.getHeight(), "height of tile " + i + "/" + c + "_" + r);
                        tiles++;
                    }
                }
            }
        }
        assertEquals(new org.tilescope.engine.pyramid.PyramidGeometry(1200, 900, DemoSlide.TILE_SIZE, DemoSlide.OVERLAP).tileCount(), tiles);
        try (Stream<Path> files = Files.walk(shared.resolve("demo"))) {
            assertEquals(tiles, files.filter(p -> p.toString().endsWith(".jpeg")).count(), "no stray tiles");
        }
    }

    @Test
    void levelZeroShowsStainedTissueWithNucleiOnWhiteGlass() throws IOException {
        BufferedImage img = region(sharedDzi, 0);
        long tissue = 0;
        long nuclei = 0;
        long glass = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                int r = (p >> 16) & 0xFF;
                int g = (p >> 8) & 0xFF;
                int b = p & 0xFF;
                if (r > 235 && g > 235 && b > 235) {
                    glass++;
                } else if (g < r - 25 && g < b - 10) {
                    // Stained: green absorbed most, as with both eosin and haematoxylin.
                    tissue++;
                    if (r < 150 && b > r) {
                        nuclei++;
                    }
                }
            }
        }
        long n = (long) img.getWidth() * img.getHeight();
        assertTrue(tissue > n / 4, "stained tissue covers " + tissue + " of " + n + " pixels");
        assertTrue(glass > n / 20, "glass shows around the section: " + glass + " of " + n);
        assertTrue(nuclei > n / 100, "dark purple nuclei: " + nuclei + " of " + n);
    }

    @Test
    void coarseLevelsLookLikeLevelZeroScaledDown() throws IOException {
        BufferedImage full = region(sharedDzi, 0);
        for (int level : new int[] {1, 3}) {
            BufferedImage coarse = region(sharedDzi, level);
            BufferedImage scaled = boxDownscale(full, 1 << level, coarse.getWidth(), coarse.getHeight());
            double diff = Pixels.meanDiff(scaled, coarse);
            assertTrue(diff < 12, "level " + level + " differs from level 0 scaled down by " + diff + " on average");
            // The same comparison against an unrelated part of the slide must fail, or the check means nothing.
            BufferedImage shifted = boxDownscale(flip(full), 1 << level, coarse.getWidth(), coarse.getHeight());
            assertTrue(Pixels.meanDiff(shifted, coarse) > 2 * diff, "check is not discriminating at level " + level);
        }
    }

    @Test
    void readyOnlyAfterAWholeBuild() throws IOException {
        assertFalse(DemoSlide.isReady(dir, SMALL));
        assertTrue(DemoSlide.isReady(shared, SMALL));
        assertFalse(DemoSlide.isReady(shared), "the small demo is not the default one");
        assertEquals(DemoSlide.markerText(SMALL),
                Files.readString(shared.resolve("demo").resolve("complete"), StandardCharsets.UTF_8));
    }

    @Test
    void progressCountsUpToTheTotalAndEndsThere() {
        long total = new org.tilescope.engine.pyramid.PyramidGeometry(1200, 900, DemoSlide.TILE_SIZE, DemoSlide.OVERLAP).tileCount();
        assertFalse(sharedProgress.isEmpty());
        long last = -1;
        for (long[] p : sharedProgress) {
            assertEquals(total, p[1]);
            assertTrue(p[0] >= last, "progress went back");
            last = p[0];
        }
        assertEquals(total, last, "final report says done");
    }

    @Test
    void halfBuiltLeftoversAreNotReadyAndAreReplaced() throws IOException {
        // A build killed mid-way by a process that no longer exists, and a demo without its marker.
        Path deadTemp = dir.resolve("demo.tmp-999999999");
        Files.createDirectories(deadTemp.resolve("tilescope-demo_files/11"));
        Files.writeString(deadTemp.resolve("tilescope-demo_files/11/0_0.jpeg"), "partial");
        Path demo = dir.resolve("demo");
        Files.createDirectories(demo.resolve("tilescope-demo_files/0"));
        Files.writeString(demo.resolve("tilescope-demo.dzi"), DemoSlide.descriptor(SMALL));
        assertFalse(DemoSlide.isReady(dir, SMALL));

        Path dzi = DemoSlide.ensure(dir, SMALL, 2, DemoSlide.Progress.NONE, () -> false);

        assertTrue(DemoSlide.isReady(dir, SMALL));
        assertFalse(Files.exists(deadTemp), "stale temporary folder removed");
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(List.of("demo"), entries.map(p -> p.getFileName().toString()).toList());
        }
        try (SlideSource s = Slides.open(dzi)) {
            assertEquals(12, s.info().levelCount());
        }
    }

    @Test
    void anOlderFormatVersionIsRebuilt() throws IOException {
        DemoSlide.ensure(dir, SMALL, 1, DemoSlide.Progress.NONE, () -> false);
        Path marker = dir.resolve("demo").resolve("complete");
        Files.writeString(marker, DemoSlide.markerText(SMALL).replace("version=" + DemoSlide.FORMAT_VERSION, "version=0"));
        assertFalse(DemoSlide.isReady(dir, SMALL));
        DemoSlide.ensure(dir, SMALL, 2, DemoSlide.Progress.NONE, () -> false);
        assertTrue(DemoSlide.isReady(dir, SMALL));
    }

    @Test
    void cancellingStopsTheBuildAndLeavesNothing() throws IOException {
        AtomicInteger polls = new AtomicInteger();
        assertThrows(CancellationException.class,
                () -> DemoSlide.ensure(dir, SMALL, 2, DemoSlide.Progress.NONE, () -> polls.incrementAndGet() > 5));
        assertFalse(DemoSlide.isReady(dir, SMALL));
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(List.of(), entries.toList(), "no demo and no temporary folder left");
        }
        // And a later, uncancelled call builds it.
        DemoSlide.ensure(dir, SMALL, 2, DemoSlide.Progress.NONE, () -> false);
        assertTrue(DemoSlide.isReady(dir, SMALL));
    }

    @Test
    void sameSeedSameBytes() throws IOException {
        DemoSlide.ensure(dir, SMALL, 1, DemoSlide.Progress.NONE, () -> false);
        Path a = shared.resolve("demo").resolve("tilescope-demo_files");
        Path b = dir.resolve("demo").resolve("tilescope-demo_files");
        List<Path> tiles;
        try (Stream<Path> files = Files.walk(a)) {
            tiles = files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".jpeg"))
                    .map(a::relativize).sorted().toList();
        }
        assertEquals(new org.tilescope.engine.pyramid.PyramidGeometry(1200, 900, DemoSlide.TILE_SIZE, DemoSlide.OVERLAP).tileCount(), tiles.size());
        for (Path t : tiles) {
            assertArrayEquals(Files.readAllBytes(a.resolve(t)), Files.readAllBytes(b.resolve(t)), "tile " + t);
        }
    }

    @Test
    void unwritableCacheFolderIsAClearError() throws IOException {
        Path blocker = dir.resolve("blocker");
        Files.writeString(blocker, "a file where the cache folder should go");
        Path cache = blocker.resolve("cache");
        IOException e = assertThrows(IOException.class,
                () -> DemoSlide.ensure(cache, SMALL, 2, DemoSlide.Progress.NONE, () -> false));
        assertTrue(e.getMessage().contains(cache.toString()), e.getMessage());
    }

    @Test
    void anyTilePaintsTheSameAloneAsInsideItsNeighbours() {
        // Seams: the overlap column of one tile must equal the same column painted by its neighbour.
        DemoPainter p = new DemoPainter(24000, 18000, DemoSlide.DEFAULT.seed());
        int[] left = new int[256 * 256];
        int[] right = new int[256 * 256];
        p.paint(1, 11937, 9143, 256, 256, left);
        p.paint(1, 11937 + 254, 9143, 256, 256, right);
        for (int y = 0; y < 256; y++) {
            assertEquals(left[y * 256 + 254], right[y * 256], "row " + y);
            assertEquals(left[y * 256 + 255], right[y * 256 + 1], "row " + y);
        }
    }

    private static BufferedImage region(Path dzi, int level) throws IOException {
        try (SlideSource s = Slides.open(dzi)) {
            LevelInfo l = s.info().level(level);
            return new RegionReader(s, TileDecoder.standard()).read(level, 0, 0, l.width(), l.height()).image();
        }
    }

    /** Mean of each factor x factor block; edge blocks average what is inside the image. */
    private static BufferedImage boxDownscale(BufferedImage src, int factor, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                long r = 0;
                long g = 0;
                long b = 0;
                int n = 0;
                for (int yy = y * factor; yy < Math.min(src.getHeight(), (y + 1) * factor); yy++) {
                    for (int xx = x * factor; xx < Math.min(src.getWidth(), (x + 1) * factor); xx++) {
                        int p = src.getRGB(xx, yy);
                        r += (p >> 16) & 0xFF;
                        g += (p >> 8) & 0xFF;
                        b += p & 0xFF;
                        n++;
                    }
                }
                out.setRGB(x, y, (int) (r / n) << 16 | (int) (g / n) << 8 | (int) (b / n));
            }
        }
        return out;
    }

    private static BufferedImage flip(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                out.setRGB(x, y, src.getRGB(src.getWidth() - 1 - x, src.getHeight() - 1 - y));
            }
        }
        return out;
    }
}
