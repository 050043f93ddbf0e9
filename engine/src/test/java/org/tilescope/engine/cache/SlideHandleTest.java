package org.tilescope.engine.cache;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
}
