package org.tilescope.engine.slide;

import org.tilescope.engine.slide.local.FileStamp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tilescope.engine.testing.Failures;
import org.tilescope.engine.testing.Fixtures;
import org.tilescope.engine.testing.Fixtures.FastPathLayout;

/** Deep Zoom and FastPATH sources notice a rewrite of their files, and say what kind a tile failure is. */
class ChangedOnDiskTest {
    @TempDir
    Path dir;

    /** Only a hang guard: the stamp is looked at about once a second. */
    static void awaitChange(SlideSource s) {
        long end = System.nanoTime() + 30_000_000_000L;
        while (!s.changedOnDisk()) {
            if (System.nanoTime() > end) {
                fail("the change was never noticed");
            }
            LockSupport.parkNanos(20_000_000);
        }
    }

    static void touchLater(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 10_000));
    }

    @Test
    void anUntouchedDeepZoomNeverSaysItChanged() throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "still", Fixtures.drawSource(300, 200), 64, 1, "jpg");
        try (SlideSource s = Slides.open(dz.dzi())) {
            long end = System.nanoTime() + 2 * FileStamp.CHECK_INTERVAL_NANOS + 200_000_000L;
            while (System.nanoTime() < end) {
                assertFalse(s.changedOnDisk());
                s.readTile(0, 1, 1);
                LockSupport.parkNanos(20_000_000);
            }
        }
    }

    @Test
    void aRewrittenDeepZoomDescriptorIsNoticed() throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "dz", Fixtures.drawSource(300, 200), 64, 1, "jpg");
        try (SlideSource s = Slides.open(dz.dzi())) {
            assertFalse(s.changedOnDisk());
            Files.writeString(dz.dzi(), Fixtures.dziXml("jpg", 64, 1, 320, 200));
            touchLater(dz.dzi());
            awaitChange(s);
            assertTrue(s.changedOnDisk(), "once changed, always changed");
        }
    }

    @Test
    void aFailedReadMakesTheNextLookImmediate() throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "gone", Fixtures.drawSource(300, 200), 64, 1, "jpg");
        try (SlideSource s = Slides.open(dz.dzi())) {
            Files.delete(dz.dzi()); // a writer replacing the slide: the descriptor is gone a moment
            Files.delete(dz.tile(0, 1, 1));
            TileException e = assertThrows(TileException.class, () -> s.readTile(0, 1, 1));
            assertEquals(TileException.Kind.MISSING, e.kind());
            assertTrue(s.changedOnDisk(), "looked at the disk right after the failed read");
        }
    }

    @Test
    void deepZoomTileFailuresSayTheirKind() throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "kinds", Fixtures.drawSource(300, 200), 64, 1, "jpg");
        Files.delete(dz.tile(0, 0, 0));
        Files.write(dz.tile(0, 1, 0), new byte[0]);
        Files.delete(dz.tile(0, 2, 0));
        Files.createDirectory(dz.tile(0, 2, 0)); // unreadable as a file: the read itself fails
        try (SlideSource s = Slides.open(dz.dzi())) {
            assertEquals(TileException.Kind.MISSING, assertThrows(TileException.class, () -> s.readTile(0, 0, 0)).kind());
            assertEquals(TileException.Kind.DAMAGED, assertThrows(TileException.class, () -> s.readTile(0, 1, 0)).kind());
            TileException io = assertThrows(TileException.class, () -> s.readTile(0, 2, 0));
            assertEquals(TileException.Kind.TRANSIENT, io.kind(), io.getMessage());
            assertFalse(io.isPermanent());
            assertFalse(s.changedOnDisk(), "failed reads alone are not a change");
        }
    }

    @ParameterizedTest
    @EnumSource(FastPathLayout.class)
    void aRewrittenFastPathIsNoticed(FastPathLayout layout) throws IOException {
        Fixtures.FastPath fp = Fixtures.fastPath(dir.resolve(layout + ".fastpath"), Fixtures.drawSource(300, 200), 64, 3,
                layout);
        try (SlideSource s = Slides.open(fp.dir())) {
            s.readTile(0, 0, 0);
            assertFalse(s.changedOnDisk());
            touchLater(fp.dir().resolve("metadata.json"));
            awaitChange(s);
        }
    }

    @Test
    void aFastPathPackRewrittenInPlaceIsNoticedToo() throws IOException {
        Fixtures.FastPath fp = Fixtures.fastPath(dir.resolve("pack.fastpath"), Fixtures.drawSource(300, 200), 64, 3,
                FastPathLayout.PACK_V2);
        try (SlideSource s = Slides.open(fp.dir())) {
            Path pack = fp.dir().resolve("tiles").resolve("level_2.pack");
            Files.write(pack, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
            awaitChange(s);
        }
    }

    @Test
    void fastPathMinimumTileSize() throws IOException {
        Fixtures.FastPath fp = Fixtures.fastPath(dir.resolve("tiny.fastpath"), Fixtures.drawSource(64, 64), 8, 2,
                FastPathLayout.PACK_V2);
        Path meta = fp.dir().resolve("metadata.json");
        Failures.openFails(fp.dir(), meta, "tile size 8x8", "minimum of 16");
    }
}
