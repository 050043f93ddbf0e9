package org.tilescope.engine.pyramid.generated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.cache.CacheSizes;
import org.tilescope.engine.cache.Priority;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.decode.TileEncoder;
import org.tilescope.engine.region.Region;
import org.tilescope.engine.region.RegionReader;
import org.tilescope.engine.region.Thumbnails;
import org.tilescope.engine.slide.ContentFingerprint;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.slide.TileException;
import org.tilescope.engine.testing.Fixtures;
import org.tilescope.engine.testing.Pixels;

/** A single-level tiled TIFF (as many scanners write) gets its coarse levels made tile by tile. */
class GeneratedPyramidTest {
    /** 3000x2000 in 128 px tiles: 24x16 = 384 tiles at level 0, too many to load at open. */
    private static final int W = 3000;
    private static final int H = 2000;
    private static final int TILE = 128;

    @TempDir
    static Path dir;
    private static Path tiff;
    /**
     * The file's level 0 as decoded, then box-filtered by 2, 4, 8... (index = log2 of the factor)
     * by the test's own filter: what each generated level should hold.
     */
    private static final List<BufferedImage> boxed = new ArrayList<>();

    @BeforeAll
    static void writeSlide() throws IOException {
        tiff = Fixtures.singleLevelTiff(dir.resolve("single.tif"), Fixtures.drawSource(W, H), TILE);
        try (SlideSource s = Slides.open(tiff)) {
            boxed.add(new RegionReader(s, TileDecoder.imageIo()).read(0, 0, 0, W, H).image());
        }
        for (int i = 1; i <= 5; i++) {
            boxed.add(Fixtures.halve(boxed.getLast()));
        }
    }

    @Test
    void generatedLevelsHalveDownToOneTile() throws IOException {
        try (SlideSource s = Pyramids.complete(Slides.open(tiff))) {
            SlideInfo info = s.info();
            int[][] sizes = {{3000, 2000}, {1500, 1000}, {750, 500}, {375, 250}, {188, 125}, {94, 63}};
            assertEquals(sizes.length, info.levelCount());
            for (int i = 0; i < sizes.length; i++) {
                LevelInfo l = info.level(i);
                assertEquals(sizes[i][0], l.width(), "level " + i);
                assertEquals(sizes[i][1], l.height(), "level " + i);
                assertEquals(1 << i, l.downsample(), 1e-12, "level " + i);
                assertEquals(i > 0, l.generated(), "level " + i);
                assertEquals(TILE, l.tileWidth());
            }
            assertEquals(1, info.level(sizes.length - 1).tileCount());
            assertEquals(2, info.bestLevelForDownsample(5));
        }
    }

    @Test
    void planReducesStraightFromTheFileUpTo8xThenChains() throws IOException {
        try (SlideSource file = Slides.open(tiff)) {
            PyramidPlan plan = PyramidPlan.of(file.info());
            assertEquals(1, plan.fileLevels());
            assertEquals(List.of(new PyramidPlan.Step(0, 2), new PyramidPlan.Step(0, 4), new PyramidPlan.Step(0, 8),
                    new PyramidPlan.Step(3, 2), new PyramidPlan.Step(4, 2)), plan.steps());
            assertEquals(3, plan.hub());
        }
    }

    @Test
    void aSlideThatEndsInOneTileIsLeftAlone() throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "full", Fixtures.drawSource(300, 200), 64, 1, "jpg");
        try (SlideSource s = Slides.open(dz.dzi())) {
            assertSame(s, Pyramids.complete(s));
            assertTrue(Pyramids.progress(s).isEmpty());
        }
    }

    /** Every generated tile, read as the pipeline reads it, is the box-filtered picture within JPEG error. */
    @Test
    void generatedTilesMatchABoxFilterOfTheFinerLevel() throws IOException {
        for (TileDecoder decoder : decoders()) {
            try (SlideSource s = Pyramids.complete(Slides.open(tiff), decoder, TileEncoder.standard(),
                    TileStore.NONE, Runnable::run)) {
                SlideInfo info = s.info();
                for (int level = 1; level < info.levelCount(); level++) {
                    LevelInfo l = info.level(level);
                    BufferedImage expected = boxed.get(level);
                    for (int row = 0; row < l.rows(); row++) {
                        for (int col = 0; col < l.cols(); col++) {
                            BufferedImage tile = decoder.decode(s.readTile(level, col, row));
                            var owned = l.tileRect(col, row);
                            assertEquals(owned.width(), tile.getWidth());
                            assertEquals(owned.height(), tile.getHeight());
                            BufferedImage want = Fixtures.crop(expected, owned.x(), owned.y(), owned.width(), owned.height());
                            String where = decoder.name() + " level " + level + " tile " + col + "," + row;
                            assertWithinJpegError(want, tile, where);
                        }
                    }
                }
            }
        }
    }

    /** The right and bottom edge tiles are padded with black in the file; none of it may show. */
    @Test
    void edgePaddingNeverShows() throws IOException {
        // 1000 = 7 * 128 + 104 (on the 8 px JPEG block grid), 700 = 5 * 128 + 60 (mid-block)
        Path file = Fixtures.singleLevelTiff(dir.resolve("odd.tif"), Fixtures.drawSource(1000, 700), TILE);
        try (SlideSource s = Pyramids.complete(Slides.open(file))) {
            // what the file holds, decoded: the truth each generated level is a box filter of
            List<BufferedImage> box = new ArrayList<>(List.of(new RegionReader(s).read(0, 0, 0, 1000, 700).image()));
            for (int level = 1; level < s.info().levelCount(); level++) {
                box.add(Fixtures.halve(box.getLast()));
                LevelInfo l = s.info().level(level);
                Region r = new RegionReader(s).read(level, 0, 0, l.width(), l.height());
                assertTrue(r.failures().isEmpty());
                BufferedImage img = r.image();
                for (int y = 0; y < l.height(); y++) {
                    assertNear(box.get(level).getRGB(l.width() - 1, y), img.getRGB(l.width() - 1, y), 16,
                            "level " + level + " right edge, y " + y);
                }
                for (int x = 0; x < l.width(); x++) {
                    assertNear(box.get(level).getRGB(x, l.height() - 1), img.getRGB(x, l.height() - 1), 16,
                            "level " + level + " bottom edge, x " + x);
                }
            }
        }
    }

    @Test
    void thumbnailOfASingleLevelSlideReadsEachTileOnce() throws IOException {
        try (CountingSource s = new CountingSource(Slides.open(tiff))) {
            Region t = Thumbnails.render(s, TileDecoder.standard(), 375); // exactly the 8x level
            assertEquals(375, t.image().getWidth());
            assertEquals(250, t.image().getHeight());
            assertTrue(t.failures().isEmpty());
            assertEquals(384, s.reads.size(), "every file tile is needed once");
            s.reads.forEach((tile, n) -> assertEquals(1, n.get(), "tile " + tile + " read " + n + " times"));
            assertWithinJpegError(boxed.get(3), t.image(), "thumbnail");
        }
    }

    @Test
    void openingLoadsOnlyTheSmallLevelsAndReadsEachFileTileOnce() throws Exception {
        try (TilePipeline pipeline = new TilePipeline(new CacheSizes(64L << 20, 64L << 20), TileDecoder.standard(), 2, 4, 8);
             CountingSource file = new CountingSource(Slides.open(tiff))) {
            SlideHandle h = pipeline.open(7, tiff, file);
            BufferedImage thumb = h.ready().get(60, TimeUnit.SECONDS);
            SlideInfo info = h.info();
            // levels of at most 64 tiles: 750x500 (24), 375x250 (6), 188x125 (2), 94x63 (1)
            assertEquals(2, h.thumbnailLevel(), "the largest of them within 1024 px");
            assertEquals(750, thumb.getWidth());
            long loaded = 24 + 6 + 2 + 1;
            // the thumbnail is ready once its own level is: wait for the coarser levels' loads too
            // (a request joins the one in flight, or finds the tile in L1, and reads nothing more)
            for (int level = 2; level < info.levelCount(); level++) {
                for (int row = 0; row < info.level(level).rows(); row++) {
                    for (int col = 0; col < info.level(level).cols(); col++) {
                        pipeline.request(h, h.key(level, col, row), Priority.COVER, null, 0).get(60, TimeUnit.SECONDS);
                    }
                }
            }
            // at most one read per tile of the small levels, none finer: the cover tile, asked for
            // first, makes the levels under it on the way, and they are kept for their own requests
            assertTrue(pipeline.stats().sourceReads() <= loaded, "reads " + pipeline.stats().sourceReads());
            for (int col = 0; col < info.level(1).cols(); col++) {
                assertFalse(pipeline.encodedCached(h.key(1, col, 0)), "the 2x level is made only where someone looks");
            }
            assertEquals(384, file.reads.size());
            file.reads.forEach((tile, n) -> assertEquals(1, n.get(), "tile " + tile + " read " + n + " times"));
            assertEquals(new PyramidProgress(6, 6), h.pyramidProgress().orElseThrow());
            assertWithinJpegError(boxed.get(2), thumb, "held thumbnail");
        }
    }

    @Test
    void theContentFingerprintReadsTheFileNotTheGeneratedLevels() throws IOException {
        try (CountingSource file = new CountingSource(Slides.open(tiff))) {
            ContentFingerprint plain = ContentFingerprint.of(file);
            int reads = file.reads.size();
            assertEquals(plain, ContentFingerprint.of(Pyramids.complete(file)));
            assertEquals(2 * reads, file.reads.values().stream().mapToInt(AtomicInteger::get).sum(),
                    "the same file tiles once more, nothing made");
        }
    }

    @Test
    void anUnreadableFileTileLeavesItsPartWhiteAndTheRestIsMade() throws IOException {
        try (CountingSource file = new CountingSource(Slides.open(tiff))) {
            file.broken.add("0/1,0");
            SlideSource s = Pyramids.complete(file);
            // level 1 tile (0,0) is made from level-0 tiles (0,0) (1,0) (0,1) (1,1)
            BufferedImage t = TileDecoder.standard().decode(s.readTile(1, 0, 0));
            assertEquals(0xFFFFFF, t.getRGB(64 + 32, 32) & 0xFFFFFF, "the broken tile's quarter");
            assertNear(boxed.get(1).getRGB(32, 32), t.getRGB(32, 32), 12, "a good quarter");
            // all four unreadable: the generated tile fails, like a damaged file tile
            file.broken.addAll(Set.of("0/2,0", "0/3,0", "0/2,1", "0/3,1"));
            TileException e = assertThrows(TileException.class, () -> s.readTile(1, 1, 0));
            assertEquals(1, e.level());
            assertTrue(e.getMessage().contains("none of whose 4 tiles could be read"), e.getMessage());
        }
    }

    @Test
    void closingEndsAWaitForATileBeingMade() throws Exception {
        try (CountingSource file = new CountingSource(Slides.open(tiff))) {
            // an executor that never runs anything: the maker waits until the slide is closed
            SlideSource s = Pyramids.complete(file, TileDecoder.standard(), TileEncoder.standard(), TileStore.NONE, work -> { });
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    s.readTile(5, 0, 0);
                } catch (IOException expected) {
                    // closed under it
                }
            });
            while (file.reads.isEmpty()) {
                Thread.sleep(5);
            }
            s.close();
            assertTrue(reader.join(java.time.Duration.ofSeconds(10)), "the reader ended after close");
        }
    }

    private static List<TileDecoder> decoders() {
        List<TileDecoder> d = new ArrayList<>(List.of(TileDecoder.imageIo()));
        TileDecoder.turbo().ifPresent(d::add);
        return d;
    }

    /**
     * Made pixels against the exact answer, allowing what JPEG-encoding the exact answer itself
     * costs (the test picture is busy at coarse levels, where JPEG errs most), plus a little for
     * libjpeg-turbo's DCT scaling, which is close to a box filter but not one, and for rounding.
     */
    private static void assertWithinJpegError(BufferedImage want, BufferedImage got, String where) throws IOException {
        assertEquals(want.getWidth(), got.getWidth(), where + " width");
        assertEquals(want.getHeight(), got.getHeight(), where + " height");
        BufferedImage jpegOfWant = TileDecoder.imageIo().decode(TileEncoder.standard().encode(want));
        double mean = Pixels.meanDiff(want, got);
        double allowedMean = Pixels.meanDiff(want, jpegOfWant) + 1;
        int max = Pixels.maxDiff(want, got);
        int allowedMax = Pixels.maxDiff(want, jpegOfWant) + 12;
        assertTrue(mean <= allowedMean, where + ": mean diff " + mean + " > " + allowedMean);
        assertTrue(max <= allowedMax, where + ": max diff " + max + " > " + allowedMax);
    }

    private static void assertNear(int expected, int actual, int tolerance, String what) {
        for (int shift = 0; shift <= 16; shift += 8) {
            int a = (expected >> shift) & 0xFF;
            int b = (actual >> shift) & 0xFF;
            if (Math.abs(a - b) > tolerance) {
                throw new AssertionError(what + String.format(": expected %06x, got %06x", expected & 0xFFFFFF, actual & 0xFFFFFF));
            }
        }
    }

    /** A slide whose reads are counted per tile, and whose tiles can be broken. */
    static final class CountingSource implements SlideSource {
        final SlideSource file;
        final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
        final Set<String> broken = ConcurrentHashMap.newKeySet();

        CountingSource(SlideSource file) {
            this.file = file;
        }

        @Override
        public SlideInfo info() {
            return file.info();
        }

        @Override
        public byte[] readTile(int level, int col, int row) throws IOException {
            String name = level + "/" + col + "," + row;
            reads.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            if (broken.contains(name)) {
                throw new TileException(info().location(), level, col, row, "broken on purpose", null);
            }
            return file.readTile(level, col, row);
        }

        @Override
        public int[] tileOrigin(int level, int col, int row) {
            return file.tileOrigin(level, col, row);
        }

        @Override
        public byte[] readAssociated(String name) throws IOException {
            return file.readAssociated(name);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
