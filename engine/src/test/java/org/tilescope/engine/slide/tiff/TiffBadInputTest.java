package org.tilescope.engine.slide.tiff;

import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.Limits;
import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.slide.TileException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Damaged and hostile TIFFs: each one a clear message naming the file, never a crash, hang or OOM. */
class TiffBadInputTest {
    /** Only a guard against hangs: generous, and not a speed requirement. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** A small valid two-level RGB pyramid with uncompressed 32-px tiles. */
    private static TiffTestWriter pyramid(boolean big) {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, big);
        BufferedImage full = TiffFixtures.pattern(96, 64, 1);
        TiffSourceTest.rawLevel(w.add(), full, 32);
        TiffSourceTest.rawLevel(w.add(), TiffFixtures.scaled(full, 48, 32), 32);
        return w;
    }

    private <T extends Throwable> T fails(Class<T> type, Path file, Executable open, String... phrases) {
        T e = assertTimeoutPreemptively(HANG_GUARD, () -> assertThrows(type, open));
        String msg = e.getMessage();
        assertTrue(msg.startsWith(file.toString()), "message must name the file: " + msg);
        for (String p : phrases) {
            assertTrue(msg.contains(p), "message should say '" + p + "': " + msg);
        }
        return e;
    }

    private SlideException openFails(Path file, String... phrases) {
        return fails(SlideException.class, file, () -> Slides.open(file).close(), phrases);
    }

    @Test
    void truncatedInHalf() throws IOException {
        TiffTestWriter w = pyramid(false);
        byte[] full = w.toBytes();
        Path p = write("half.tif", Arrays.copyOf(full, full.length / 2));
        openFails(p, "truncated TIFF", "past the end of the file (" + full.length / 2 + " bytes)");
    }

    @Test
    void truncatedJustBeforeTheLastIfd() throws IOException {
        TiffTestWriter w = pyramid(true);
        byte[] full = w.toBytes();
        Path p = write("cut.tif", Arrays.copyOf(full, full.length - 30));
        openFails(p, "truncated TIFF", "IFD at offset");
    }

    @Test
    void tileDataPastTheEndIsATileErrorNotASlideError() throws IOException {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        TiffTestWriter.Img img = w.add();
        TiffSourceTest.rawLevel(img, TiffFixtures.pattern(64, 32, 1), 32);
        byte[] ok = w.toBytes();
        // Point the second tile far past the end of the file, as a truncated download leaves it.
        TiffTestWriter w2 = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        TiffTestWriter.Img img2 = w2.add();
        TiffSourceTest.rawLevel(img2, TiffFixtures.pattern(64, 32, 1), 32);
        img2.tag(TiffParser.TAG_TILE_OFFSETS, TiffTestWriter.LONG, 8, ok.length * 4L);
        Path p = write("tile-eof.tif", w2.toBytes());
        try (SlideSource s = Slides.open(p)) {
            s.readTile(0, 0, 0);
            TileException e = fails(TileException.class, p, () -> s.readTile(0, 1, 0),
                    "truncated TIFF", "past the end of the file");
            assertEquals(1, e.col());
        }
    }

    @Test
    void ifdLoop() throws IOException {
        TiffTestWriter w = pyramid(false);
        TiffTestWriter.Img extra = w.add();
        TiffSourceTest.rawLevel(extra, TiffFixtures.pattern(24, 16, 1), 32);
        byte[] b = w.toBytes();
        // Make the third directory point back to the second.
        List<Long> ifds = ifdOffsets(b);
        byte[] loop = TiffFixtures.patchLong(b, ByteOrder.LITTLE_ENDIAN, w.nextPointerOffset(extra), false, ifds.get(1));
        Path p = write("loop.tif", loop);
        openFails(p, "IFD loop at offset " + ifds.get(1));
    }

    @Test
    void ifdPointingToItself() throws IOException {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.BIG_ENDIAN, true);
        TiffTestWriter.Img img = w.add();
        TiffSourceTest.rawLevel(img, TiffFixtures.pattern(32, 32, 1), 32);
        byte[] b = w.toBytes();
        Path p = write("self.tif", TiffFixtures.patchLong(b, ByteOrder.BIG_ENDIAN, w.nextPointerOffset(img), true, img.ifdOffset));
        openFails(p, "IFD loop");
    }

    @Test
    void subIfdPointingBackToItsParent() throws IOException {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        TiffTestWriter.Img base = w.add();
        TiffSourceTest.rawLevel(base, TiffFixtures.pattern(64, 64, 1), 32);
        TiffTestWriter.Img sub = base.subIfd();
        TiffSourceTest.rawLevel(sub, TiffFixtures.pattern(32, 32, 1), 32);
        byte[] b = w.toBytes();
        Path p = write("subloop.tif", TiffFixtures.patchLong(b, ByteOrder.LITTLE_ENDIAN, w.nextPointerOffset(sub), false,
                base.ifdOffset));
        openFails(p, "IFD loop");
    }

    @Test
    void tooManyIfds() throws IOException {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        for (int i = 0; i < TiffParser.MAX_IFDS + 1; i++) {
            w.add().image(8, 8, 1, 8, 1, 1).strips(8, List.of(new byte[1]));
        }
        openFails(write("many.tif", w.toBytes()), "more than " + TiffParser.MAX_IFDS + " IFDs");
    }

    @Test
    void firstIfdPastTheEnd() throws IOException {
        byte[] b = pyramid(false).toBytes();
        Path p = write("first.tif", TiffFixtures.patchLong(b, ByteOrder.LITTLE_ENDIAN, 4, false, b.length + 1000L));
        openFails(p, "truncated TIFF: IFD at offset " + (b.length + 1000L) + " is past the end of the file ("
                + b.length + " bytes)");
    }

    @Test
    void bigTiffOffsetBeyondLongRange() throws IOException {
        byte[] b = pyramid(true).toBytes();
        Path p = write("neg.tif", TiffFixtures.patchLong(b, ByteOrder.LITTLE_ENDIAN, 8, true, -16L));
        openFails(p, "past the end of the file");
    }

    @Test
    void absurdWidth() throws IOException {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        TiffTestWriter.Img img = w.add();
        TiffSourceTest.rawLevel(img, TiffFixtures.pattern(32, 32, 1), 32);
        img.tag(TiffParser.TAG_IMAGE_WIDTH, TiffTestWriter.LONG, 1L << 31);
        openFails(write("wide.tif", w.toBytes()), "absurd image size 2147483648x32");
    }

    @Test
    void absurdTileSize() throws IOException {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        TiffTestWriter.Img img = w.add();
        TiffSourceTest.rawLevel(img, TiffFixtures.pattern(32, 32, 1), 32);
        img.tag(TiffParser.TAG_TILE_WIDTH, TiffTestWriter.LONG, 100000);
        openFails(write("tile.tif", w.toBytes()), "invalid tile size 100000x32");
    }

    @Test
    void absurdTileGrid() throws IOException {
        // Legal sizes, but 16 Mi x 16 Mi pixels in 16-px tiles would be 2^40 tiles.
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        TiffTestWriter.Img img = w.add();
        TiffSourceTest.rawLevel(img, TiffFixtures.pattern(32, 32, 1), 16);
        img.tag(TiffParser.TAG_IMAGE_WIDTH, TiffTestWriter.LONG, Limits.MAX_DIMENSION);
        img.tag(TiffParser.TAG_IMAGE_LENGTH, TiffTestWriter.LONG, Limits.MAX_DIMENSION);
        openFails(write("grid.tif", w.toBytes()), "absurd tile grid");
    }

    @Test
    void tileCountThatDoesNotMatchTheGrid() throws IOException {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        TiffTestWriter.Img img = w.add();
        TiffSourceTest.rawLevel(img, TiffFixtures.pattern(64, 64, 1), 32);
        img.tag(TiffParser.TAG_IMAGE_WIDTH, TiffTestWriter.LONG, 96);
        openFails(write("count.tif", w.toBytes()), "TileOffsets has 4 entries but a 3x2 tile grid needs 6");
    }

    @Test
    void tileCountLargerThanTheFile() throws IOException {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        TiffTestWriter.Img img = w.add();
        TiffSourceTest.rawLevel(img, TiffFixtures.pattern(64, 64, 1), 32);
        byte[] b = w.toBytes();
        long countField = w.countFieldOffset(img, TiffParser.TAG_TILE_OFFSETS);
        Path p = write("huge-count.tif", TiffFixtures.patchLong(b, ByteOrder.LITTLE_ENDIAN, countField, false, 1_000_000_000L));
        openFails(p, "TileOffsets has 1000000000 entries");
    }

    @Test
    void tagValuesPastTheEnd() throws IOException {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        TiffTestWriter.Img img = w.add();
        TiffSourceTest.rawLevel(img, TiffFixtures.pattern(64, 64, 1), 32);
        byte[] b = w.toBytes();
        long field = w.valueFieldOffset(img, TiffParser.TAG_TILE_BYTE_COUNTS);
        Path p = write("values.tif", TiffFixtures.patchLong(b, ByteOrder.LITTLE_ENDIAN, field, false, b.length - 4L));
        openFails(p, "values of tag 325", "past the end of the file (" + b.length + " bytes)");
    }

    @Test
    void absurdEntryCount() throws IOException {
        TiffTestWriter w = pyramid(false);
        byte[] b = w.toBytes();
        long first = ifdOffsets(b).getFirst();
        byte[] bad = b.clone();
        bad[(int) first] = (byte) 0xFF;
        bad[(int) first + 1] = (byte) 0xFF;
        openFails(write("entries.tif", bad), "IFD at offset " + first);
    }

    @Test
    void zeroByteTileIsAMissingTile() throws IOException {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        TiffTestWriter.Img img = w.add();
        TiffSourceTest.rawLevel(img, TiffFixtures.pattern(64, 32, 1), 32);
        img.tag(TiffParser.TAG_TILE_BYTE_COUNTS, TiffTestWriter.LONG, 32 * 32 * 3, 0);
        Path p = write("zero.tif", w.toBytes());
        try (SlideSource s = Slides.open(p)) {
            s.readTile(0, 0, 0);
            fails(TileException.class, p, () -> s.readTile(0, 1, 0), "tile (level 0, col 1, row 0)", "missing tile");
        }
    }

    @Test
    void hugeTileByteCount() throws IOException {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, true);
        TiffTestWriter.Img img = w.add();
        TiffSourceTest.rawLevel(img, TiffFixtures.pattern(64, 32, 1), 32);
        img.tag(TiffParser.TAG_TILE_BYTE_COUNTS, TiffTestWriter.LONG8, 32 * 32 * 3, Long.MAX_VALUE);
        Path p = write("hugetile.tif", w.toBytes());
        try (SlideSource s = Slides.open(p)) {
            fails(TileException.class, p, () -> s.readTile(0, 1, 0), "tile too large");
        }
    }

    @Test
    void strippedTiffIsNotAPyramid() throws IOException {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        w.add().image(40, 30, 3, 8, 1, 2).strips(30, List.of(new byte[40 * 30 * 3]));
        openFails(write("strip.tif", w.toBytes()), "no tiled image", "stripped TIFF (40x30) is not a pyramid");
    }

    @ParameterizedTest(name = "compression {0}")
    @ValueSource(ints = {6, 33003, 34712, 50000, 12345})
    void unsupportedCompression(int compression) throws IOException {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        TiffTestWriter.Img img = w.add();
        TiffSourceTest.rawLevel(img, TiffFixtures.pattern(32, 32, 1), 32);
        img.tag(TiffParser.TAG_COMPRESSION, TiffTestWriter.SHORT, compression);
        SlideException e = openFails(write("c.tif", w.toBytes()), "compression " + compression);
        if (compression == 6) {
            assertTrue(e.getMessage().contains("old-style JPEG"), e.getMessage());
        }
    }

    @Test
    void separatePlanesAreRefused() throws IOException {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, false);
        TiffTestWriter.Img img = w.add();
        TiffSourceTest.rawLevel(img, TiffFixtures.pattern(32, 32, 1), 32);
        img.tag(TiffParser.TAG_PLANAR_CONFIGURATION, TiffTestWriter.SHORT, 2);
        openFails(write("planar.tif", w.toBytes()), "PlanarConfiguration 2");
    }

    @Test
    void notATiffAtAll() throws IOException {
        byte[] b = new byte[100];
        b[0] = 'I';
        b[1] = 'I';
        b[2] = 42;
        openFails(write("zeros.tif", b), "first IFD offset is 0");
        openFails(write("short.tif", new byte[] {'M', 'M', 0, 42, 0}), "too short");
    }

    @Test
    void damagedReducedLevelCostsOnlyThatLevel() throws IOException {
        TiffTestWriter w = pyramid(false);
        TiffTestWriter.Img bad = w.add();
        TiffSourceTest.rawLevel(bad, TiffFixtures.pattern(24, 16, 1), 32);
        bad.tag(TiffParser.TAG_TILE_OFFSETS, TiffTestWriter.LONG, 8, 8, 8); // one tile, three offsets
        try (SlideSource s = Slides.open(write("lvl.tif", w.toBytes()))) {
            assertEquals(2, s.info().levelCount());
        }
    }

    /**
     * Random damage to a valid file: opening and reading every tile and associated image either
     * works or fails with an IOException that names the file. Anything else (a RuntimeException,
     * an Error, a hang) is a bug.
     */
    @Test
    void randomDamageNeverEscapesAsAnythingButIoException() throws IOException {
        TiffTestWriter w = pyramid(false);
        w.add().image(24, 16, 3, 8, 1, 2).strips(8, List.of(new byte[24 * 8 * 3], new byte[24 * 8 * 3]))
                .tag(TiffParser.TAG_NEW_SUBFILE_TYPE, TiffTestWriter.LONG, 1);
        byte[] good = w.toBytes();
        TiffTestWriter wb = pyramid(true);
        byte[] goodBig = wb.toBytes();
        Random rnd = new Random(42);
        Path p = dir.resolve("fuzz.tif");
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 600; i++) {
                byte[] b = (i % 2 == 0 ? good : goodBig).clone();
                int flips = 1 + rnd.nextInt(6);
                for (int f = 0; f < flips; f++) {
                    // Damage the directories mostly: pixel bytes are not structure.
                    int pos = rnd.nextInt(4) == 0 ? rnd.nextInt(b.length) : b.length - 1 - rnd.nextInt(Math.min(b.length, 400));
                    b[pos] = (byte) rnd.nextInt(256);
                }
                if (rnd.nextInt(10) == 0) {
                    b = Arrays.copyOf(b, rnd.nextInt(b.length));
                }
                Files.write(p, b);
                try (SlideSource s = Slides.open(p)) {
                    for (LevelInfo l : s.info().levels()) {
                        for (int r = 0; r < l.rows(); r++) {
                            for (int c = 0; c < l.cols(); c++) {
                                try {
                                    s.readTile(l.index(), c, r);
                                } catch (TileException e) {
                                    assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
                                }
                            }
                        }
                    }
                    for (String name : s.info().associated()) {
                        try {
                            s.readAssociated(name);
                        } catch (SlideException e) {
                            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
                        }
                    }
                } catch (SlideException e) {
                    assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
                }
            }
        });
    }

    /** The offsets of the main-chain IFDs of a little-endian classic TIFF. */
    private static List<Long> ifdOffsets(byte[] b) {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        List<Long> out = new java.util.ArrayList<>();
        long off = Integer.toUnsignedLong(bb.getInt(4));
        while (off != 0 && out.size() < 100) {
            out.add(off);
            int n = Short.toUnsignedInt(bb.getShort((int) off));
            off = Integer.toUnsignedLong(bb.getInt((int) off + 2 + n * 12));
        }
        return out;
    }
}
