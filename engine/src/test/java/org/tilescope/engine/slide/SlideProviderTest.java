package org.tilescope.engine.slide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tilescope.engine.cache.CacheSizes;
import org.tilescope.engine.cache.DecodedTile;
import org.tilescope.engine.cache.Priority;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.region.RegionReader;

/** A provider from outside the engine's code opens through Slides, the pipeline and the region reader. */
class SlideProviderTest {

    @Test
    void testOnlyProviderIsFoundBesideTheBuiltInOnes() {
        var names = Slides.providers().stream().map(SlideProvider::name).toList();
        assertTrue(names.containsAll(java.util.List.of("deepzoom", "fastpath", "tiff", "testpattern")), names.toString());
    }

    @Test
    void opensThroughSlides() throws Exception {
        try (SlideSource s = Slides.open(URI.create("testpattern:300x200"))) {
            assertEquals("testpattern", s.info().format());
            assertEquals(300, s.info().width());
            assertEquals("testpattern:300x200", s.identity());
            BufferedImage region = new RegionReader(s).read(0, 64, 0, 64, 64).image();
            assertEquals(TestPatternProvider.colour(0, 1, 0).getRGB(), region.getRGB(10, 10));
        }
    }

    @Test
    void opensThroughThePipeline() throws Exception {
        try (TilePipeline p = new TilePipeline(new CacheSizes(64 << 20, 64 << 20), TileDecoder.standard(), 2, 4, 8)) {
            SlideHandle h = p.open(URI.create("testpattern:1000x700"));
            assertNotNull(h.ready().get(30, TimeUnit.SECONDS), "coarse levels and thumbnail");
            DecodedTile t = p.request(h, h.key(0, 3, 2), Priority.VISIBLE, null, 0).get(30, TimeUnit.SECONDS);
            assertEquals(TestPatternProvider.colour(0, 3, 2).getRGB(), t.image().getRGB(5, 5));
            assertEquals(null, h.path(), "not a local slide");
        }
    }
}
