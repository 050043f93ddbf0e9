package org.tilescope.engine.slide.fastpath;

import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.slide.TileException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.region.Region;
import org.tilescope.engine.region.RegionReader;
import org.tilescope.engine.testing.Failures;
import org.tilescope.engine.testing.Fixtures;
import org.tilescope.engine.testing.Fixtures.FastPathLayout;

/**
 * Damaged FastPATH folders. The fixture is 300x200 in 64 px tiles with 4 levels: FastPATH level 3
 * is full resolution (5x4 tiles), level 2 is 150x100 (3x2 tiles).
 */
class FastPathBadInputTest {
    @TempDir
    Path dir;

    private Fixtures.FastPath packed() throws IOException {
        return Fixtures.fastPath(dir.resolve("s.fastpath"), Fixtures.drawSource(300, 200), 64, 4, FastPathLayout.PACK_V2);
    }

    private Path idx(Fixtures.FastPath fp, int fpLevel) {
        return fp.dir().resolve("tiles").resolve("level_" + fpLevel + ".idx");
    }

    @Test
    void badIndexMagic() throws IOException {
        Fixtures.FastPath fp = packed();
        Path idx = idx(fp, 2);
        byte[] raw = Files.readAllBytes(idx);
        raw[0] = 'X';
        Files.write(idx, raw);
        Failures.openFails(fp.dir(), idx, "magic");
    }

    @Test
    void unsupportedIndexVersion() throws IOException {
        Fixtures.FastPath fp = packed();
        Path idx = idx(fp, 2);
        byte[] raw = Files.readAllBytes(idx);
        raw[8] = 2;
        Files.write(idx, raw);
        Failures.openFails(fp.dir(), idx, "version");
    }

    @Test
    void truncatedIndex() throws IOException {
        Fixtures.FastPath fp = packed();
        Path idx = idx(fp, 3);
        byte[] raw = Files.readAllBytes(idx);
        Files.write(idx, Arrays.copyOf(raw, raw.length - 5));
        Failures.openFails(fp.dir(), idx, "truncated");
    }

    @Test
    void indexGridDisagreesWithMetadata() throws IOException {
        Fixtures.FastPath fp = packed();
        Path idx = idx(fp, 3);
        byte[] raw = Files.readAllBytes(idx);
        raw[12] = 4; // cols 5 -> 4
        Files.write(idx, raw);
        Failures.openFails(fp.dir(), idx, "disagrees");
    }

    @Test
    void missingPackFile() throws IOException {
        Fixtures.FastPath fp = packed();
        Path pack = fp.dir().resolve("tiles").resolve("level_1.pack");
        Files.delete(pack);
        Failures.openFails(fp.dir(), pack, "missing");
    }

    @Test
    void entryPastTheEndOfThePackFailsOnlyThatTile() throws IOException {
        Fixtures.FastPath fp = packed();
        Path idx = idx(fp, 3);
        long packSize = Files.size(fp.dir().resolve("tiles").resolve("level_3.pack"));
        Fixtures.patchIndexEntry(idx, 7, packSize - 10, 100); // col 2, row 1
        try (SlideSource s = Slides.open(fp.dir())) {
            TileException e = assertTimeoutPreemptively(Failures.HANG_GUARD,
                    () -> assertThrows(TileException.class, () -> s.readTile(0, 2, 1)));
            Failures.assertMessage(e, fp.dir(), "past the end", "level_3.pack");
            assertEquals(0, e.level());
            assertEquals(2, e.col());
            assertEquals(1, e.row());
            readsEverythingBut(s, 0, 2, 1);
        }
    }

    @Test
    void hugeOffsetFailsOnlyThatTile() throws IOException {
        Fixtures.FastPath fp = packed();
        // offset + length overflows a long: the bounds check must still see it is past the end
        Fixtures.patchIndexEntry(idx(fp, 3), 0, Long.MAX_VALUE - 4, 1000);
        try (SlideSource s = Slides.open(fp.dir())) {
            TileException e = assertTimeoutPreemptively(Failures.HANG_GUARD,
                    () -> assertThrows(TileException.class, () -> s.readTile(0, 0, 0)));
            Failures.assertMessage(e, fp.dir(), "level_3.pack");
            readsEverythingBut(s, 0, 0, 0);
        }
    }

    @Test
    void zeroLengthEntryFailsOnlyThatTile() throws IOException {
        Fixtures.FastPath fp = packed();
        Fixtures.patchIndexEntry(idx(fp, 2), 4, 0, 0); // level 1 (150x100, 3x2 tiles): col 1, row 1
        try (SlideSource s = Slides.open(fp.dir())) {
            TileException e = assertThrows(TileException.class, () -> s.readTile(1, 1, 1));
            Failures.assertMessage(e, fp.dir(), "level_2.pack", "empty");
            readsEverythingBut(s, 1, 1, 1);
            Region r = new RegionReader(s).read(1, 0, 0, 150, 100);
            assertEquals(1, r.failures().size());
            assertEquals(1, r.failures().getFirst().col());
            assertEquals(1, r.failures().getFirst().row());
        }
    }

    private static void readsEverythingBut(SlideSource s, int level, int badCol, int badRow) throws IOException {
        LevelInfo l = s.info().level(level);
        for (int r = 0; r < l.rows(); r++) {
            for (int c = 0; c < l.cols(); c++) {
                if (c != badCol || r != badRow) {
                    TileDecoder.standard().decode(s.readTile(level, c, r));
                }
            }
        }
    }

    @Test
    void malformedMetadata() throws IOException {
        Fixtures.FastPath fp = packed();
        Path meta = fp.dir().resolve("metadata.json");
        Files.writeString(meta, "{\"dimensions\": [300, 200], \"tile_size\": 64, \"levels\": [");
        Failures.openFails(fp.dir(), meta, "malformed JSON");
    }

    @Test
    void metadataNotAnObject() throws IOException {
        Fixtures.FastPath fp = packed();
        Path meta = fp.dir().resolve("metadata.json");
        Files.writeString(meta, "[1, 2, 3]");
        Failures.openFails(fp.dir(), meta, "object");
    }

    @Test
    void emptyMetadata() throws IOException {
        Fixtures.FastPath fp = packed();
        Path meta = fp.dir().resolve("metadata.json");
        Files.write(meta, new byte[0]);
        Failures.openFails(fp.dir(), meta, "empty");
    }

    @Test
    void metadataWithoutDimensions() throws IOException {
        Fixtures.FastPath fp = packed();
        Path meta = fp.dir().resolve("metadata.json");
        Files.writeString(meta, Files.readString(meta).replace("\"dimensions\"", "\"dims\""));
        Failures.openFails(fp.dir(), meta, "dimensions");
    }

    @Test
    void metadataWithoutTileSize() throws IOException {
        Fixtures.FastPath fp = packed();
        Path meta = fp.dir().resolve("metadata.json");
        Files.writeString(meta, Files.readString(meta).replace("\"tile_size\"", "\"tilesize\""));
        Failures.openFails(fp.dir(), meta, "tile_size");
    }

    @Test
    void metadataWithoutLevels() throws IOException {
        Fixtures.FastPath fp = packed();
        Path meta = fp.dir().resolve("metadata.json");
        Files.writeString(meta, Files.readString(meta).replace("\"levels\"", "\"lvls\""));
        Failures.openFails(fp.dir(), meta, "levels");
    }

    @Test
    void levelEntryWithoutDownsample() throws IOException {
        Fixtures.FastPath fp = packed();
        Path meta = fp.dir().resolve("metadata.json");
        Files.writeString(meta, Files.readString(meta).replace("\"downsample\": 4", "\"ds\": 4"));
        Failures.openFails(fp.dir(), meta, "downsample");
    }

    @Test
    void gridDisagreeingWithSize() throws IOException {
        Fixtures.FastPath fp = packed();
        Path meta = fp.dir().resolve("metadata.json");
        Files.writeString(meta, Files.readString(meta).replace("\"cols\": 5", "\"cols\": 6"));
        Failures.openFails(fp.dir(), meta, "does not match");
    }

    @Test
    void noFullResolutionLevel() throws IOException {
        Fixtures.FastPath fp = packed();
        Path meta = fp.dir().resolve("metadata.json");
        Files.writeString(meta, Files.readString(meta).replace("\"downsample\": 1,", "\"downsample\": 1.5,"));
        Failures.openFails(fp.dir(), meta, "full-resolution");
    }

    @Test
    void absurdDimensions() throws IOException {
        Fixtures.FastPath fp = packed();
        Path meta = fp.dir().resolve("metadata.json");
        Files.writeString(meta, Files.readString(meta).replace("[300, 200]", "[4000000000, 200]"));
        Failures.openFails(fp.dir(), meta, "4000000000");
    }

    @Test
    void unknownTileFormat() throws IOException {
        Fixtures.FastPath fp = packed();
        Path meta = fp.dir().resolve("metadata.json");
        Files.writeString(meta, Files.readString(meta).replace("pack_v2", "pack_v9"));
        Failures.openFails(fp.dir(), meta, "pack_v9");
    }

    @Test
    void perTileDescriptorDisagreeingWithMetadata() throws IOException {
        Fixtures.FastPath fp = Fixtures.fastPath(dir.resolve("t.fastpath"), Fixtures.drawSource(300, 200), 64, 4,
                FastPathLayout.PER_TILE);
        Path dzi = fp.dir().resolve("tiles.dzi");
        Files.writeString(dzi, Fixtures.dziXml("jpg", 64, 0, 301, 200));
        Failures.openFails(fp.dir(), dzi, "disagrees");
    }

    @Test
    void perTileMissingLevelFolder() throws IOException {
        Fixtures.FastPath fp = Fixtures.fastPath(dir.resolve("t.fastpath"), Fixtures.drawSource(300, 200), 64, 4,
                FastPathLayout.PER_TILE);
        Path level0 = fp.dir().resolve("tiles_files").resolve("0");
        Files.delete(level0.resolve("0_0.jpg"));
        Files.delete(level0);
        Failures.openFails(fp.dir(), fp.dir(), "tiles_files/0");
    }

    @Test
    void perTileMissingTileIsATileException() throws IOException {
        Fixtures.FastPath fp = Fixtures.fastPath(dir.resolve("t.fastpath"), Fixtures.drawSource(300, 200), 64, 4,
                FastPathLayout.PER_TILE);
        Files.delete(fp.dir().resolve("tiles_files").resolve("3").resolve("1_2.jpg"));
        try (SlideSource s = Slides.open(fp.dir())) {
            TileException e = assertThrows(TileException.class, () -> s.readTile(0, 1, 2));
            Failures.assertMessage(e, fp.dir(), "missing", "tiles_files/3/1_2.jpg");
            readsEverythingBut(s, 0, 1, 2);
        }
    }
}
