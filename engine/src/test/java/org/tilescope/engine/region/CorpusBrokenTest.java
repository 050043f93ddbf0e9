package org.tilescope.engine.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.slide.TileException;
import org.tilescope.engine.testing.Corpus;
import org.tilescope.engine.testing.Failures;
import org.tilescope.engine.testing.Pixels;

/** {@code shared/corpus/broken}: 2000x1500, tile 254, overlap 1; the damaged tile is level 0 (folder 11) tile 3,2. */
class CorpusBrokenTest {
    private static final Rectangle DAMAGED = new Rectangle(3 * 254, 2 * 254, 254, 254);

    private static Path broken() {
        return Corpus.root().resolve("broken");
    }

    @Test
    void truncatedDescriptorFailsClearly() {
        Path dzi = broken().resolve("truncated_xml.dzi");
        Failures.openFails(dzi, dzi, "XML");
    }

    @Test
    void emptyDescriptorFailsClearly() {
        Path dzi = broken().resolve("empty.dzi");
        Failures.openFails(dzi, dzi, "empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"missing_tile.dzi", "truncated_tile.dzi", "random_tile.dzi"})
    void damagedTileIsTheOnlyFailureAndIsFilled(String name) throws IOException {
        Path dzi = broken().resolve(name);
        try (SlideSource s = Slides.open(dzi)) {
            assertEquals(2000, s.info().width());
            assertEquals(1500, s.info().height());
            assertEquals(12, s.info().levelCount());
            Region r = assertTimeoutPreemptively(Failures.HANG_GUARD,
                    () -> new RegionReader(s).read(0, 0, 0, 2000, 1500));
            assertEquals(1, r.failures().size(), r.failures().toString());
            TileException e = r.failures().getFirst();
            assertEquals(0, e.level());
            assertEquals(3, e.col());
            assertEquals(2, e.row());
            Failures.assertMessage(e, dzi, "col 3, row 2");

            BufferedImage ref = new Corpus.Reference(dzi).region(0, 0, 0, 2000, 1500, 3, 2);
            Pixels.assertSameExcept(ref, r.image(), DAMAGED, name + ": every pixel but the damaged tile's");

            assertEquals(0, Pixels.whiteCount(r.image(), DAMAGED), name + ": white pixels where the bad tile was");
            // truncated_xml_files holds the same slide with this tile intact: the fill should look like it
            BufferedImage intact = new Corpus.Reference(dzi, broken().resolve("truncated_xml_files"))
                    .region(0, DAMAGED.x, DAMAGED.y, DAMAGED.width, DAMAGED.height, -1, -1);
            double mean = Pixels.meanDiff(intact, Pixels.sub(r.image(), DAMAGED));
            assertTrue(mean < 20, name + ": filled area differs from the intact tile by " + mean + " on average");
        }
    }
}
