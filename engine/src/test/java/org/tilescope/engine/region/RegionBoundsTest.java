package org.tilescope.engine.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tilescope.engine.cache.FakeSlide;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.slide.TileException;
import org.tilescope.engine.testing.Failures;
import org.tilescope.engine.testing.Fixtures;
import org.tilescope.engine.testing.Pixels;

/** Regions stay bounded in memory and work whatever a slide's tiles claim. */
class RegionBoundsTest {
    @TempDir
    Path dir;

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** ImageIO would allocate the header's 1 GiB on the heap, where it can be measured; libjpeg-turbo natively. */
    @ParameterizedTest
    @ValueSource(strings = {"imageio", "standard"})
    void aTileDeclaring16000PixelsSquareInA254PixelLevelIsRefusedWithoutAllocatingIt(String decoderName)
            throws IOException {
        TileDecoder decoder = decoderName.equals("imageio") ? TileDecoder.imageIo() : TileDecoder.standard();
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "bomb", Fixtures.drawSource(1000, 800), 254, 1, "jpg");
        Path bad = dz.tile(0, 1, 1);
        Files.write(bad, Fixtures.withDeclaredSize(Files.readAllBytes(bad), 16000, 16000));
        try (SlideSource s = Slides.open(dz.dzi())) {
            RegionReader reader = new RegionReader(s, decoder);
            reader.read(0, 0, 0, 64, 64); // warm up the decoder and the JIT outside the measurement
            long before = THREADS.getCurrentThreadAllocatedBytes();
            Region r = reader.read(0, 0, 0, 512, 512);
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            // the region (1 MiB of pixels) and a few tiles, not the 1 GiB the header asks for
            assertTrue(allocated < 64L << 20, "allocated " + (allocated >> 20) + " MiB");
            assertEquals(1, r.failures().size(), r.failureLines().toString());
            TileException e = r.failures().getFirst();
            assertEquals(TileException.Kind.DAMAGED, e.kind());
            assertEquals(1, e.col());
            assertTrue(e.getMessage().contains("16000x16000"), e.getMessage());
            assertEquals(Region.Fill.COARSER_LEVEL, r.fills().getFirst());
        }
    }

    @Test
    void theDecoderRefusesAnOversizedHeaderBeforeDecoding() throws IOException {
        byte[] small = Fixtures.encode(Fixtures.drawSource(32, 32), "jpg");
        byte[] bomb = Fixtures.withDeclaredSize(small, 16000, 16000);
        boolean[] decoded = new boolean[1];
        TileDecoder spy = new TileDecoder() {
            @Override
            public BufferedImage decode(byte[] encoded) throws IOException {
                decoded[0] = true;
                return TileDecoder.standard().decode(encoded);
            }

            @Override
            public String name() {
                return "spy";
            }
        };
        IOException e = assertThrows(IOException.class, () -> spy.decode(bomb, 270, 270));
        assertTrue(e.getMessage().contains("16000x16000"), e.getMessage());
        assertFalse(decoded[0], "refused from the header alone");
        assertEquals(32, spy.decode(small, 270, 270).getWidth());
    }

    @Test
    void tileSizesBelowTheMinimumAreRefusedAtOpen() throws IOException {
        for (int size : new int[] {1, 3, 15}) {
            Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "tiny" + size, Fixtures.drawSource(300, 200), 64, 0, "jpg");
            Files.writeString(dz.dzi(), Fixtures.dziXml("jpg", size, 0, 300, 200));
            Failures.openFails(dz.dzi(), dz.dzi(), "tile size " + size + "x" + size, "minimum of 16");
        }
    }

    @Test
    void aTooSmallDeclaredTileSizeGivesOneLinePerBadTileAndEachTileIsReadOnce() throws IOException {
        // real 64 px tiles, declared as 16: every tile of the finer levels is too large or missing
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "liar", Fixtures.drawSource(512, 512), 64, 1, "jpg");
        Files.writeString(dz.dzi(), Fixtures.dziXml("jpg", 16, 1, 512, 512));
        try (SlideSource s = Slides.open(dz.dzi())) {
            CountingSource counting = new CountingSource(s);
            Region r = new RegionReader(counting).read(0, 0, 0, 512, 512);
            List<TileException> failures = r.failures();
            Set<String> distinct = new HashSet<>();
            for (TileException e : failures) {
                assertTrue(distinct.add(e.level() + "/" + e.col() + "/" + e.row()), "reported twice: " + e.getMessage());
            }
            assertEquals(failures.size(), r.failureLines().size());
            assertEquals(counting.distinctReads(), counting.reads(), "no tile was read twice");
            // level 0 alone has 32x32 tiles of 16 px; every one of them is bad
            assertEquals(32 * 32, failures.stream().filter(e -> e.level() == 0).count());
            // the levels small enough for one real tile read, and fill the rest: nothing is white
            assertEquals(0, Pixels.whiteCount(r.image(), new Rectangle(0, 0, 512, 512)));
            assertTrue(r.fills().stream().allMatch(f -> f == Region.Fill.COARSER_LEVEL), r.fills().toString());
        }
    }

    @Test
    void aFailedTileWithNothingCoarserToReadSaysItWasLeftWhite() throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "allbad", Fixtures.drawSource(300, 200), 64, 0, "png");
        for (int level = 0; level <= dz.maxFolder(); level++) {
            Files.write(dz.tile(level, 0, 0), new byte[] {1, 2, 3});
        }
        try (SlideSource s = Slides.open(dz.dzi())) {
            Region r = new RegionReader(s).read(0, 0, 0, 64, 64);
            assertEquals(s.info().levelCount(), r.failures().size(), r.failureLines().toString());
            assertTrue(r.fills().stream().allMatch(f -> f == Region.Fill.NONE), r.fills().toString());
            assertTrue(r.failureLines().getFirst().endsWith("(left white: no other level could fill it)"),
                    r.failureLines().getFirst());
        }
    }

    @Test
    void aRegionNeedingMoreTilesThanTheCapIsReadFromACoarserLevel() {
        FakeSlide fake = new FakeSlide(1024, 1024, 16, 3); // level 0: 64x64 tiles of 16 px
        RegionReader reader = new RegionReader(fake, TileDecoder.standard(), 300);
        Region r = reader.read(0, 0, 0, 512, 512); // 32x32 = 1024 tiles at level 0, 256 at level 1
        assertTrue(r.failures().isEmpty());
        assertEquals(0, fake.readsOf(0, 0, 0), "level 0 not read");
        assertEquals(1, fake.readsOf(1, 0, 0), "read from level 1");
        assertEquals(512, r.image().getWidth());
        assertEquals(512, r.image().getHeight());
    }

    /** Counts reads per tile. */
    private static final class CountingSource implements SlideSource {
        private final SlideSource in;
        private final Map<String, Integer> reads = new HashMap<>();

        CountingSource(SlideSource in) {
            this.in = in;
        }

        int reads() {
            return reads.values().stream().mapToInt(Integer::intValue).sum();
        }

        int distinctReads() {
            return reads.size();
        }

        @Override
        public SlideInfo info() {
            return in.info();
        }

        @Override
        public byte[] readTile(int level, int col, int row) throws IOException {
            reads.merge(level + "/" + col + "/" + row, 1, Integer::sum);
            return in.readTile(level, col, row);
        }

        @Override
        public int[] tileOrigin(int level, int col, int row) {
            return in.tileOrigin(level, col, row);
        }

        @Override
        public byte[] readAssociated(String name) throws IOException {
            return in.readAssociated(name);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
