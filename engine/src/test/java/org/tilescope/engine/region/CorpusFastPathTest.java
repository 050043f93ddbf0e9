package org.tilescope.engine.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.testing.Corpus;
import org.tilescope.engine.testing.Pixels;

/** The same 5000x4000 FastPATH slide in the pack_v2 and the per-tile layout. */
class CorpusFastPathTest {

    private static Path packed() {
        return Corpus.root().resolve("fastpath").resolve("C24-0401_stomach_HE.fastpath");
    }

    private static Path perTile() {
        return Corpus.root().resolve("fastpath").resolve("C24-0402_stomach_HE_tiles.fastpath");
    }

    @Test
    void bothLayoutsDescribeTheSameSlide() throws IOException {
        for (Path dir : List.of(packed(), perTile())) {
            try (SlideSource s = Slides.open(dir)) {
                SlideInfo info = s.info();
                String name = dir.getFileName().toString();
                assertEquals("fastpath", info.format(), name);
                assertEquals(5000, info.width(), name);
                assertEquals(4000, info.height(), name);
                assertEquals(5, info.levelCount(), name);
                assertEquals(512, info.tileWidth(), name);
                assertEquals(0, info.overlap(), name);
                assertEquals(0.5, info.mpp().orElseThrow(), 0.0, name);
                assertEquals(20.0, info.magnification().orElseThrow(), 0.0, name);
                int[][] grids = {{10, 8}, {5, 4}, {3, 2}, {2, 1}, {1, 1}};
                for (int i = 0; i < 5; i++) {
                    LevelInfo l = info.level(i);
                    assertEquals(1 << i, l.downsample(), 0.0, name + " level " + i);
                    assertEquals(Math.ceilDiv(5000, 1 << i), l.width(), name + " level " + i);
                    assertEquals(grids[i][0], l.cols(), name + " level " + i);
                    assertEquals(grids[i][1], l.rows(), name + " level " + i);
                }
                assertEquals(List.of("thumbnail"), info.associated());
                BufferedImage thumb = TileDecoder.standard().decode(s.readAssociated("thumbnail"));
                assertEquals(1024, thumb.getWidth());
                assertEquals(819, thumb.getHeight());
            }
        }
    }

    @Test
    void bothLayoutsGiveIdenticalPixelsAtEveryLevel() throws IOException {
        try (SlideSource a = Slides.open(packed()); SlideSource b = Slides.open(perTile())) {
            assertEquals(a.info().levels(), b.info().levels());
            for (int level = 0; level < a.info().levelCount(); level++) {
                LevelInfo l = a.info().level(level);
                Region ra = new RegionReader(a).read(level, 0, 0, l.width(), l.height());
                Region rb = new RegionReader(b).read(level, 0, 0, l.width(), l.height());
                assertTrue(ra.failures().isEmpty(), ra.failures().toString());
                assertTrue(rb.failures().isEmpty(), rb.failures().toString());
                Pixels.assertSame(rb.image(), ra.image(), "level " + level);
                assertTrue(Pixels.whiteCount(ra.image(), new Rectangle(0, 0, l.width(), l.height()))
                        < (long) l.width() * l.height() / 2, "level " + level + " has content");
            }
        }
    }
}
