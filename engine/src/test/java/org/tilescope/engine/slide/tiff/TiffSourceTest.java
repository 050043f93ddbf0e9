package org.tilescope.engine.slide.tiff;

import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.PixelRect;
import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.slide.TileException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tilescope.engine.decode.ImageCodec;
import org.tilescope.engine.decode.TileDecoder;

public class TiffSourceTest {
    @TempDir
    Path dir;

    private static final int TILE = 64;
    /** Mean abs difference per channel a Q92 JPEG of the test pattern stays under (sharp edges cost). */
    private static final double JPEG_TOLERANCE = 8;

    /** Level images of a three-level pyramid: 300x200, 150x100, 75x50. */
    static List<BufferedImage> pyramid(int w, int h, int count) {
        BufferedImage full = TiffFixtures.pattern(w, h, 3);
        List<BufferedImage> out = new ArrayList<>();
        out.add(full);
        for (int i = 1; i < count; i++) {
            out.add(TiffFixtures.scaled(full, w >> i, h >> i));
        }
        return out;
    }

    /** Fills a directory with JPEG tiles of an image; shared tables when asked. */
    static void jpegLevel(TiffTestWriter.Img img, BufferedImage level, boolean rgb, boolean sharedTables, boolean reduced) {
        img.image(level.getWidth(), level.getHeight(), 3, 8, 7, rgb ? 2 : 6);
        if (reduced) {
            img.tag(TiffParser.TAG_NEW_SUBFILE_TYPE, TiffTestWriter.LONG, 1);
        }
        List<byte[]> data = new ArrayList<>();
        byte[] tables = null;
        for (BufferedImage t : TiffFixtures.tiles(level, TILE, TILE)) {
            byte[] jpeg = TiffFixtures.jpeg(t, rgb);
            if (sharedTables || rgb) {
                TiffFixtures.Split s = TiffFixtures.split(jpeg);
                tables = s.tables();
                data.add(sharedTables ? s.abbreviated() : withoutApp(jpeg));
            } else {
                data.add(jpeg);
            }
        }
        img.tiles(TILE, TILE, data);
        if (sharedTables) {
            img.undefined(TiffParser.TAG_JPEG_TABLES, tables);
        }
    }

    /** The JPEG with its APPn markers dropped but its tables kept. */
    private static byte[] withoutApp(byte[] jpeg) {
        TiffFixtures.Split s = TiffFixtures.split(jpeg);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        out.write(s.tables(), 2, s.tables().length - 4);
        out.write(s.abbreviated(), 2, s.abbreviated().length - 2);
        return out.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** Every tile of every level decodes and matches the level image it was cut from. */
    static void assertTilesMatch(SlideSource s, List<BufferedImage> levels, double maxMeanDiff) throws IOException {
        for (LevelInfo l : s.info().levels()) {
            BufferedImage src = levels.get(l.index());
            for (int r = 0; r < l.rows(); r++) {
                for (int c = 0; c < l.cols(); c++) {
                    BufferedImage t = TileDecoder.standard().decode(s.readTile(l.index(), c, r));
                    PixelRect rect = l.tileRect(c, r);
                    String where = "level " + l.index() + " tile " + c + "," + r;
                    if (maxMeanDiff == 0) {
                        assertTrue(TiffFixtures.samePixels(t, 0, 0, src, rect.x(), rect.y(), rect.width(), rect.height()),
                                where + " differs");
                    } else {
                        double d = TiffFixtures.meanAbsDiff(t, 0, 0, src, rect.x(), rect.y(), rect.width(), rect.height());
                        assertTrue(d < maxMeanDiff, where + ": mean abs diff " + d);
                    }
                }
            }
        }
    }

    @Test
    void jpegPyramidWithSharedTables() throws IOException {
        List<BufferedImage> levels = pyramid(300, 200, 3);
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        for (int i = 0; i < levels.size(); i++) {
            jpegLevel(w.add(), levels.get(i), false, true, i > 0);
        }
        try (SlideSource s = Slides.open(write("p.tif", w.toBytes()))) {
            SlideInfo info = s.info();
            assertEquals("tiff", info.format());
            assertEquals(3, info.levelCount());
            assertEquals(new LevelInfo(0, 300, 200, 1.0, 64, 64, 5, 4), info.level(0));
            assertEquals(new LevelInfo(1, 150, 100, 2.0, 64, 64, 3, 2), info.level(1));
            assertEquals(new LevelInfo(2, 75, 50, 4.0, 64, 64, 2, 1), info.level(2));
            assertEquals(64, info.tileWidth());
            assertEquals(0, info.overlap());
            assertTrue(info.mpp().isEmpty());
            assertEquals(List.of(), info.associated());
            byte[] t = s.readTile(0, 1, 1);
            assertEquals(ImageCodec.JPEG, ImageCodec.sniff(t));
            assertTrue(ImageCodec.jpegHasEndMarker(t));
            assertTilesMatch(s, levels, JPEG_TOLERANCE);
        }
    }

    @Test
    void spliceMakesAbbreviatedStreamDecodable() throws IOException {
        BufferedImage img = TiffFixtures.pattern(64, 64, 1);
        TiffFixtures.Split split = TiffFixtures.split(TiffFixtures.jpeg(img, false));
        byte[] body = Arrays.copyOf(split.tables(), split.tables().length - 2);
        byte[] spliced = TiffSource.standaloneJpeg(body, split.abbreviated(), false);
        assertEquals(0xFF, spliced[0] & 0xFF);
        assertEquals(0xD8, spliced[1] & 0xFF);
        assertEquals(split.tables().length - 2 + split.abbreviated().length - 2, spliced.length);
        BufferedImage out = TileDecoder.standard().decode(spliced);
        assertTrue(TiffFixtures.meanAbsDiff(out, 0, 0, img, 0, 0, 64, 64) < JPEG_TOLERANCE);
        assertEquals(null, TiffSource.standaloneJpeg(body, new byte[] {1, 2, 3, 4, 5}, false));
    }

    @Test
    void rgbJpegGetsAdobeMarkerSoColoursStay() throws IOException {
        List<BufferedImage> levels = pyramid(200, 130, 2);
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        for (int i = 0; i < levels.size(); i++) {
            jpegLevel(w.add(), levels.get(i), true, true, i > 0);
        }
        try (SlideSource s = Slides.open(write("rgb.tif", w.toBytes()))) {
            byte[] t = s.readTile(0, 0, 0);
            assertTrue(TiffSource.hasAdobeMarker(t));
            assertTilesMatch(s, levels, JPEG_TOLERANCE);
            // Without the marker the same bytes decode as YCbCr: the colours must be far off.
            byte[] noMarker = new byte[t.length - 16];
            noMarker[0] = (byte) 0xFF;
            noMarker[1] = (byte) 0xD8;
            System.arraycopy(t, 18, noMarker, 2, t.length - 18);
            BufferedImage wrong = TileDecoder.standard().decode(noMarker);
            assertTrue(TiffFixtures.meanAbsDiff(wrong, 0, 0, levels.getFirst(), 0, 0, 64, 64) > 20);
        }
    }

    @Test
    void jpegTilesWithoutSharedTablesPassThrough() throws IOException {
        List<BufferedImage> levels = pyramid(130, 70, 2);
        TiffTestWriter w = new TiffTestWriter(ByteOrder.BIG_ENDIAN, false);
        for (int i = 0; i < levels.size(); i++) {
            jpegLevel(w.add(), levels.get(i), false, false, i > 0);
        }
        try (SlideSource s = Slides.open(write("full.tif", w.toBytes()))) {
            assertEquals(2, s.info().levelCount());
            assertTilesMatch(s, levels, JPEG_TOLERANCE);
        }
    }

    static void rawLevel(TiffTestWriter.Img img, BufferedImage level, int tile) {
        img.image(level.getWidth(), level.getHeight(), 3, 8, 1, 2);
        img.tiles(tile, tile, TiffFixtures.tiles(level, tile, tile).stream().map(TiffFixtures::rawRgb).toList());
    }

    @ParameterizedTest(name = "{0} BigTIFF={1} SubIFDs={2}")
    @CsvSource({"LITTLE_ENDIAN,true,false", "BIG_ENDIAN,true,false", "LITTLE_ENDIAN,true,true",
                "BIG_ENDIAN,false,true", "LITTLE_ENDIAN,false,false"})
    void uncompressedTilesInEveryFlavour(String orderName, boolean big, boolean subIfds) throws IOException {
        ByteOrder order = orderName.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        List<BufferedImage> levels = pyramid(180, 140, 3);
        TiffTestWriter w = new TiffTestWriter(order, big);
        TiffTestWriter.Img base = w.add();
        rawLevel(base, levels.getFirst(), 32);
        for (int i = levels.size() - 1; i >= 1; i--) { // written smallest first: order must not matter
            TiffTestWriter.Img img = subIfds ? base.subIfd() : w.add();
            rawLevel(img, levels.get(i), 32);
            img.tag(TiffParser.TAG_NEW_SUBFILE_TYPE, TiffTestWriter.LONG, 1);
        }
        try (SlideSource s = Slides.open(write("raw.tif", w.toBytes()))) {
            assertEquals(3, s.info().levelCount());
            assertEquals(90, s.info().level(1).width());
            assertEquals(45, s.info().level(2).width());
            assertEquals(ImageCodec.TIFF, ImageCodec.sniff(s.readTile(0, 0, 0)));
            assertTilesMatch(s, levels, 0);
        }
    }

    /** Writes levels as a tiled multi-page TIFF with the JDK's own writer. */
    public static byte[] jdkTiledTiff(List<BufferedImage> levels, String compression) throws IOException {
        ImageWriter w = null;
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext(); ) {
            ImageWriter c = it.next();
            if (c.getClass().getName().startsWith("com.sun.imageio")) {
                w = c;
            }
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ImageOutputStream os = ImageIO.createImageOutputStream(bos)) {
            w.setOutput(os);
            w.prepareWriteSequence(null);
            for (BufferedImage level : levels) {
                ImageWriteParam p = w.getDefaultWriteParam();
                p.setTilingMode(ImageWriteParam.MODE_EXPLICIT);
                p.setTiling(48, 32, 0, 0);
                if (compression.equals("None")) {
                    p.setCompressionMode(ImageWriteParam.MODE_DISABLED);
                } else {
                    p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                    p.setCompressionType(compression);
                }
                BufferedImage rgb = new BufferedImage(level.getWidth(), level.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
                rgb.getGraphics().drawImage(level, 0, 0, null);
                w.writeToSequence(new IIOImage(rgb, null, null), p);
            }
            w.endWriteSequence();
        } finally {
            w.dispose();
        }
        return bos.toByteArray();
    }

    /** The JDK writes big-endian files only; little-endian is covered by the hand-written fixtures. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"LZW", "Deflate", "ZLib", "PackBits", "None"})
    void losslessTilesWrittenByJdk(String compression) throws IOException {
        List<BufferedImage> levels = pyramid(200, 150, 3);
        byte[] file = jdkTiledTiff(levels, compression);
        assertEquals('M', (char) file[0]);
        try (SlideSource s = Slides.open(write("jdk.tif", file))) {
            assertEquals(3, s.info().levelCount());
            assertEquals(new LevelInfo(1, 100, 75, 2.0, 48, 32, 3, 3), s.info().level(1));
            assertTilesMatch(s, levels, 0);
        }
    }

    @Test
    void svsLikeFileWithAssociatedImages() throws IOException {
        List<BufferedImage> levels = pyramid(256, 192, 3);
        BufferedImage thumb = TiffFixtures.scaled(levels.getFirst(), 64, 48);
        BufferedImage label = TiffFixtures.pattern(40, 30, 9);
        BufferedImage macro = TiffFixtures.pattern(96, 40, 5);
        String desc = "Aperio Image Library v12.0.15 \r\n256x192 [0,0 256x192] (64x64) JPEG/RGB Q=70"
                + "|AppMag = 20|StripeWidth = 1000|ScanScope ID = SS1234|MPP = 0.2499|Left = 25.1";
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        TiffTestWriter.Img l0 = w.add();
        jpegLevel(l0, levels.get(0), true, true, false);
        l0.ascii(TiffParser.TAG_IMAGE_DESCRIPTION, desc);
        // Thumbnail: uncompressed strips of 20 rows (the last one short).
        TiffTestWriter.Img t = w.add().image(64, 48, 3, 8, 1, 2);
        List<byte[]> strips = new ArrayList<>();
        for (int y = 0; y < 48; y += 20) {
            strips.add(TiffFixtures.rawRgb(thumb.getSubimage(0, y, 64, Math.min(20, 48 - y))));
        }
        t.strips(20, strips).ascii(TiffParser.TAG_IMAGE_DESCRIPTION, "Aperio Image Library v12.0.15 \r\n256x192 -> 64x48");
        for (int i = 1; i < 3; i++) {
            TiffTestWriter.Img li = w.add();
            jpegLevel(li, levels.get(i), true, true, false); // Aperio does not flag reduced levels
            li.ascii(TiffParser.TAG_IMAGE_DESCRIPTION, "Aperio Image Library v12.0.15 \r\n256x192 -> " + levels.get(i).getWidth());
        }
        // Label: one uncompressed strip; macro: JPEG strips (RGB, shared tables) of 16 rows.
        w.add().image(40, 30, 3, 8, 1, 2).strips(30, List.of(TiffFixtures.rawRgb(label)))
                .tag(TiffParser.TAG_NEW_SUBFILE_TYPE, TiffTestWriter.LONG, 1)
                .ascii(TiffParser.TAG_IMAGE_DESCRIPTION, "Aperio Image Library v12.0.15\nlabel 40x30");
        TiffTestWriter.Img m = w.add().image(96, 40, 3, 8, 7, 2);
        List<byte[]> mstrips = new ArrayList<>();
        byte[] tables = null;
        for (int y = 0; y < 40; y += 16) {
            TiffFixtures.Split sp = TiffFixtures.split(TiffFixtures.jpeg(macro.getSubimage(0, y, 96, Math.min(16, 40 - y)), true));
            tables = sp.tables();
            mstrips.add(sp.abbreviated());
        }
        m.strips(16, mstrips).undefined(TiffParser.TAG_JPEG_TABLES, tables)
                .tag(TiffParser.TAG_NEW_SUBFILE_TYPE, TiffTestWriter.LONG, 9)
                .ascii(TiffParser.TAG_IMAGE_DESCRIPTION, "Aperio Image Library v12.0.15\nmacro 96x40");

        try (SlideSource s = Slides.open(write("slide.svs", w.toBytes()))) {
            SlideInfo info = s.info();
            assertEquals("svs", info.format());
            assertEquals(3, info.levelCount());
            assertEquals(0.2499, info.mpp().orElseThrow(), 1e-12);
            assertEquals(20, info.magnification().orElseThrow(), 1e-12);
            assertEquals(List.of("thumbnail", "label", "macro"), info.associated());
            assertTilesMatch(s, levels, JPEG_TOLERANCE);

            BufferedImage th = TileDecoder.standard().decode(s.readAssociated("thumbnail"));
            assertEquals(BufferedImage.TYPE_INT_RGB, th.getType());
            assertTrue(TiffFixtures.samePixels(th, 0, 0, thumb, 0, 0, 64, 48));
            BufferedImage lb = TileDecoder.standard().decode(s.readAssociated("label"));
            assertTrue(TiffFixtures.samePixels(lb, 0, 0, label, 0, 0, 40, 30));
            BufferedImage mc = TileDecoder.standard().decode(s.readAssociated("macro"));
            assertEquals(96, mc.getWidth());
            assertEquals(40, mc.getHeight());
            assertTrue(TiffFixtures.meanAbsDiff(mc, 0, 0, macro, 0, 0, 96, 40) < JPEG_TOLERANCE);
            SlideException e = assertThrows(SlideException.class, () -> s.readAssociated("overview"));
            assertTrue(e.getMessage().contains("no associated image named 'overview'"), e.getMessage());
        }
    }

    @Test
    void genericTiffThumbnailAndResolution() throws IOException {
        List<BufferedImage> levels = pyramid(200, 100, 2);
        BufferedImage thumb = TiffFixtures.scaled(levels.getFirst(), 50, 25);
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        TiffTestWriter.Img l0 = w.add();
        rawLevel(l0, levels.get(0), 32);
        l0.rational(TiffParser.TAG_X_RESOLUTION, 40000, 1).rational(TiffParser.TAG_Y_RESOLUTION, 40000, 1)
                .tag(TiffParser.TAG_RESOLUTION_UNIT, TiffTestWriter.SHORT, 3);
        rawLevel(w.add(), levels.get(1), 32);
        w.add().image(50, 25, 3, 8, 1, 2).strips(25, List.of(TiffFixtures.rawRgb(thumb)))
                .tag(TiffParser.TAG_NEW_SUBFILE_TYPE, TiffTestWriter.LONG, 1);
        // A stripped image of another shape is not taken for a thumbnail.
        w.add().image(30, 30, 3, 8, 1, 2).strips(30, List.of(new byte[30 * 30 * 3]));
        try (SlideSource s = Slides.open(write("g.tif", w.toBytes()))) {
            assertEquals(0.25, s.info().mpp().orElseThrow(), 1e-12);
            assertEquals(List.of("thumbnail"), s.info().associated());
            assertTrue(TiffFixtures.samePixels(TileDecoder.standard().decode(s.readAssociated("thumbnail")), 0, 0, thumb, 0, 0, 50, 25));
        }
    }

    @ParameterizedTest(name = "unit {0}, resolution {1} -> mpp {2}")
    @CsvSource({"2,72,-1", "2,300,-1", "2,101600,0.25", "3,20000,0.5", "3,0,-1", "1,40000,-1"})
    void mppFromResolutionOnlyWhenSane(int unit, long xres, double expected) throws IOException {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.BIG_ENDIAN, false);
        TiffTestWriter.Img l0 = w.add();
        rawLevel(l0, TiffFixtures.pattern(32, 32, 0), 32);
        l0.rational(TiffParser.TAG_X_RESOLUTION, xres, 1).tag(TiffParser.TAG_RESOLUTION_UNIT, TiffTestWriter.SHORT, unit);
        try (SlideSource s = Slides.open(write("r.tif", w.toBytes()))) {
            if (expected < 0) {
                assertTrue(s.info().mpp().isEmpty(), "mpp " + s.info().mpp());
            } else {
                assertEquals(expected, s.info().mpp().orElseThrow(), 1e-9);
            }
        }
    }

    @Test
    void levelsWithoutGrowingDownsampleAreDropped() throws IOException {
        BufferedImage full = TiffFixtures.pattern(128, 128, 0);
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        rawLevel(w.add(), full, 32);
        rawLevel(w.add(), TiffFixtures.scaled(full, 64, 64), 32);
        rawLevel(w.add(), TiffFixtures.scaled(full, 64, 64), 32); // same size again
        // Sorted by width this one comes first (mean downsample 2.0018), so 64x64 (2.0) no longer grows.
        rawLevel(w.add(), TiffFixtures.scaled(full, 66, 62), 32);
        // Gray: another family, not a level of an RGB slide.
        w.add().image(32, 32, 1, 8, 1, 1).tiles(32, 32, List.of(new byte[32 * 32]));
        try (SlideSource s = Slides.open(write("dup.tif", w.toBytes()))) {
            assertEquals(2, s.info().levelCount());
            assertEquals(66, s.info().level(1).width());
        }
    }

    @Test
    void levelZeroIsTheLargestTiledImageWhereverItIs() throws IOException {
        List<BufferedImage> levels = pyramid(160, 96, 2);
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        rawLevel(w.add(), levels.get(1), 32);
        rawLevel(w.add(), levels.get(0), 32);
        try (SlideSource s = Slides.open(write("rev.tif", w.toBytes()))) {
            assertEquals(160, s.info().width());
            assertEquals(2.0, s.info().level(1).downsample());
            assertTilesMatch(s, levels, 0);
        }
    }

    @Test
    void concurrentReadsGiveTheSameBytes() throws Exception {
        List<BufferedImage> levels = pyramid(320, 320, 2);
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, true);
        for (int i = 0; i < levels.size(); i++) {
            jpegLevel(w.add(), levels.get(i), false, true, i > 0);
        }
        try (SlideSource s = Slides.open(write("c.tif", w.toBytes()));
             ExecutorService pool = Executors.newFixedThreadPool(8)) {
            LevelInfo l = s.info().level(0);
            List<byte[]> expected = new ArrayList<>();
            for (int i = 0; i < l.tileCount(); i++) {
                expected.add(s.readTile(0, (int) (i % l.cols()), (int) (i / l.cols())));
            }
            List<Future<?>> futures = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < l.tileCount(); i++) {
                    int idx = i;
                    futures.add(pool.submit(() -> {
                        assertArrayEquals(expected.get(idx), s.readTile(0, idx % l.cols(), idx / l.cols()));
                        return null;
                    }));
                }
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
    }

    @Test
    void anInterruptedReadDoesNotBreakTheSlide() throws IOException {
        List<BufferedImage> levels = pyramid(128, 128, 1);
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        rawLevel(w.add(), levels.getFirst(), 32);
        try (SlideSource s = Slides.open(write("i.tif", w.toBytes()))) {
            byte[] before = s.readTile(0, 1, 1);
            Thread.currentThread().interrupt();
            try {
                assertThrows(InterruptedIOException.class, () -> s.readTile(0, 1, 1));
            } finally {
                Thread.interrupted();
            }
            assertArrayEquals(before, s.readTile(0, 1, 1));
        }
    }

    @Test
    void tilesOutsideTheGridAreRefused() throws IOException {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        rawLevel(w.add(), TiffFixtures.pattern(64, 64, 0), 32);
        try (SlideSource s = Slides.open(write("g.tif", w.toBytes()))) {
            assertThrows(IllegalArgumentException.class, () -> s.readTile(0, 2, 0));
            assertThrows(IllegalArgumentException.class, () -> s.readTile(0, 0, -1));
            assertThrows(IllegalArgumentException.class, () -> s.readTile(1, 0, 0));
            assertFalse(s.info().associated().contains("thumbnail"));
        }
    }

    @Test
    void tileOriginIsTheGridPosition() throws IOException {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        rawLevel(w.add(), TiffFixtures.pattern(100, 70, 0), 32);
        try (SlideSource s = Slides.open(write("o.tif", w.toBytes()))) {
            assertArrayEquals(new int[] {64, 32}, s.tileOrigin(0, 2, 1));
            BufferedImage edge = TileDecoder.standard().decode(s.readTile(0, 3, 2));
            assertEquals(32, edge.getWidth(), "edge tiles are padded to the full tile size");
            assertInstanceOf(TiffSource.class, s);
        }
    }

    @Test
    void aRewrittenTiffIsNoticedAndItsTileFailuresSayTheirKind() throws Exception {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        rawLevel(w.add(), TiffFixtures.pattern(128, 128, 0), 32);
        byte[] bytes = w.toBytes();
        Path file = write("c.tif", bytes);
        try (SlideSource s = Slides.open(file)) {
            s.readTile(0, 1, 1);
            assertFalse(s.changedOnDisk());
            Files.write(file, Arrays.copyOf(bytes, bytes.length + 100));
            long end = System.nanoTime() + 30_000_000_000L;
            while (!s.changedOnDisk()) {
                assertTrue(System.nanoTime() < end, "the change was never noticed");
                LockSupport.parkNanos(20_000_000);
            }
        }
    }

    @Test
    void aZeroByteCountIsAMissingTile() throws Exception {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        BufferedImage level = TiffFixtures.pattern(64, 64, 0);
        List<byte[]> tiles = new ArrayList<>(TiffFixtures.tiles(level, 32, 32).stream().map(TiffFixtures::rawRgb).toList());
        tiles.set(1, new byte[0]);
        w.add().image(64, 64, 3, 8, 1, 2).tiles(32, 32, tiles);
        try (SlideSource s = Slides.open(write("z.tif", w.toBytes()))) {
            var e = assertThrows(TileException.class, () -> s.readTile(0, 1, 0));
            assertEquals(TileException.Kind.MISSING, e.kind());
        }
    }

    @Test
    void tilesBelowTheMinimumSizeAreRefused() throws Exception {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        rawLevel(w.add(), TiffFixtures.pattern(64, 64, 0), 8);
        Path file = write("t8.tif", w.toBytes());
        SlideException e = assertThrows(SlideException.class, () -> Slides.open(file).close());
        assertTrue(e.getMessage().contains("t8.tif") && e.getMessage().contains("minimum of 16"), e.getMessage());
    }
}
