package org.tilescope.engine.slide;

import org.tilescope.engine.slide.tiff.TiffSourceTest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.testing.Fixtures;

/** A source that released its file handles reads on as before, reopening what it needs. */
class ReleaseHandlesTest {
    @TempDir
    Path dir;

    @Test
    void fastPathPackReopensAfterRelease() throws IOException {
        BufferedImage src = Fixtures.drawSource(700, 500);
        Fixtures.FastPath fp = Fixtures.fastPath(dir.resolve("a.fastpath"), src, 128, 3, Fixtures.FastPathLayout.PACK_V2);
        try (SlideSource s = Slides.open(fp.dir())) {
            byte[] before = s.readTile(0, 2, 1);
            s.releaseHandles();
            assertArrayEquals(before, s.readTile(0, 2, 1));
            s.releaseHandles();
            s.releaseHandles();
            assertArrayEquals(before, s.readTile(0, 2, 1));
        }
    }

    @Test
    void tiffReopensAfterRelease() throws IOException {
        BufferedImage src = Fixtures.drawSource(300, 200);
        Path tif = dir.resolve("a.tif");
        Files.write(tif, TiffSourceTest.jdkTiledTiff(List.of(src, Fixtures.halve(src)), "Deflate"));
        try (SlideSource s = Slides.open(tif)) {
            byte[] before = s.readTile(0, 1, 1);
            s.releaseHandles();
            assertArrayEquals(before, s.readTile(0, 1, 1));
            byte[] coarse = s.readTile(1, 0, 0);
            s.releaseHandles();
            assertArrayEquals(coarse, s.readTile(1, 0, 0));
        }
    }
}
