package org.tilescope.engine.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.slide.LevelInfo;

class SlideHandleTest {

    @Test
    void aSlideWithNoReadableCoarseTileHasNoThumbnailAndAskingDoesNotThrow() throws Exception {
        try (TilePipeline p = new TilePipeline(new CacheSizes(16L << 20, 16L << 20), TileDecoder.standard(), 1, 2, 4)) {
            FakeSlide fake = new FakeSlide(1024, 512, 256, 3);
            for (LevelInfo l : fake.info.levels()) {
                for (int row = 0; row < l.rows(); row++) {
                    for (int col = 0; col < l.cols(); col++) {
                        fake.broken.add(FakeSlide.name(l.index(), col, row));
                    }
                }
            }
            SlideHandle h = p.open(3, Path.of("unreadable"), fake);
            ExecutionException e = assertThrows(ExecutionException.class, () -> h.ready().get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("no coarse tile could be read"), e.getCause().getMessage());
            // asked on every frame (the scheduler's plan, the overview): an answer, not an exception
            assertNull(h.thumbnail());
        }
    }

    @Test
    void onlyTheMostRecentlyViewedSlidesKeepTheirThumbnailAndAnotherOpenComposesItAgain() throws Exception {
        try (TilePipeline p = new TilePipeline(new CacheSizes(64L << 20, 16L << 20), TileDecoder.standard(), 1, 2, 4)) {
            List<SlideHandle> handles = new ArrayList<>();
            for (int i = 0; i <= SlidePool.THUMBNAILS_HELD; i++) {
                SlideHandle h = p.open(100 + i, Path.of("viewed-" + i), new FakeSlide(1024, 512, 256, 100 + i));
                h.ready().get(30, TimeUnit.SECONDS);
                handles.add(h);
            }
            // one more than held: the first viewed lost its thumbnail, the others kept theirs
            assertNull(handles.getFirst().thumbnail());
            assertEquals(-1, handles.getFirst().thumbnailLevel());
            for (SlideHandle h : handles.subList(1, handles.size())) {
                assertNotNull(h.thumbnail(), "thumbnail of slide " + h.id());
            }
            // viewing it again composes it again (and drops the next eldest)
            SlideHandle again = p.open(Path.of("viewed-0"));
            assertEquals(handles.getFirst().id(), again.id());
            BufferedImage img = again.ready().get(30, TimeUnit.SECONDS);
            assertNotNull(again.thumbnail());
            assertEquals(1024, img.getWidth());
            assertNull(handles.get(1).thumbnail());
        }
    }
}
