package org.tilescope.engine.fuzz;

import static java.util.concurrent.TimeUnit.SECONDS;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.testing.Fixtures;

/**
 * Fuzzes the FastPATH reader: metadata.json, the pack_v2 tile index ({@code tiles/level_N.idx})
 * and, for the per-tile layout, tiles.dzi. An input is sections separated by the four bytes
 * {@link #SEPARATOR}: metadata.json first, then level_0.idx, level_1.idx, ... (a missing section
 * means a missing file); a last section starting with {@code <} is tiles.dzi instead.
 *
 * <p>Everything else in the folder is fixed and valid: every {@code tiles/level_N.pack} (N up to
 * 15) holds the same {@value #PACKED_TILES} small JPEG tiles back to back, {@code tiles_files/N/}
 * holds tiles 0_0, 1_0, 0_1 and 1_1, and thumbnail.jpg is a small JPEG. Tiles read are decoded
 * within their level's tile size.
 *
 * <p>Seeds ({@code FastPathFuzzTestInputs/folder/}): metadata and indexes like
 * {@link Fixtures#fastPath} writes them (both layouts), the shared corpus's metadata.json with its
 * real level indexes, and the regression inputs of the campaigns.
 */
@Timeout(value = 20, unit = SECONDS)
class FastPathFuzzTest {
    static final byte[] SEPARATOR = {0, 'F', 'P', 0};
    static final int PACKED_TILES = 4;
    private static final int LEVEL_FILES = 16;
    private static final Path DIR = FuzzContract.tempDir("fastpath-fuzz").resolve("slide.fastpath");
    /** Where each packed tile starts, and the pack's size. */
    static final long[] TILE_OFFSETS = new long[PACKED_TILES + 1];
    private static final long FIXED_BYTES;

    static {
        try {
            Path tiles = Files.createDirectories(DIR.resolve("tiles"));
            ByteArrayOutputStream pack = new ByteArrayOutputStream();
            List<byte[]> blobs = new ArrayList<>();
            for (int i = 0; i < PACKED_TILES; i++) {
                BufferedImage img = Fixtures.drawSource(16 + 4 * i, 16);
                byte[] jpg = Fixtures.encode(img, "jpg");
                TILE_OFFSETS[i] = pack.size();
                pack.write(jpg);
                blobs.add(jpg);
            }
            TILE_OFFSETS[PACKED_TILES] = pack.size();
            for (int n = 0; n < LEVEL_FILES; n++) {
                Files.write(tiles.resolve("level_" + n + ".pack"), pack.toByteArray());
                Path folder = Files.createDirectories(DIR.resolve("tiles_files").resolve(Integer.toString(n)));
                String[] names = {"0_0", "1_0", "0_1", "1_1"};
                for (int i = 0; i < names.length; i++) {
                    Files.write(folder.resolve(names[i] + ".jpg"), blobs.get(i));
                }
            }
            Files.write(DIR.resolve("thumbnail.jpg"), blobs.getFirst());
            FIXED_BYTES = pack.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void folder(byte[] data) {
        List<byte[]> sections = split(data);
        byte[] dzi = null;
        if (sections.size() > 1 && sections.getLast().length > 0 && sections.getLast()[0] == '<') {
            dzi = sections.removeLast();
        }
        FuzzContract.put(DIR.resolve("metadata.json"), sections.getFirst());
        for (int n = 0; n < LEVEL_FILES; n++) {
            FuzzContract.put(DIR.resolve("tiles").resolve("level_" + n + ".idx"),
                    n + 1 < sections.size() ? sections.get(n + 1) : null);
        }
        FuzzContract.put(DIR.resolve("tiles.dzi"), dzi);
        FuzzContract.Mark start = FuzzContract.allocated();
        try (SlideSource s = Slides.open(DIR)) {
            FuzzContract.checkAllocation("open", start, FuzzContract.parseBudget(data.length));
            FuzzContract.exercise(s, FIXED_BYTES, TileDecoder.imageIo());
        } catch (IOException e) {
            FuzzContract.expected(e);
            FuzzContract.checkAllocation("failed open", start, FuzzContract.parseBudget(data.length));
        }
    }

    /** The input cut at each {@link #SEPARATOR}; always at least one (maybe empty) section. */
    static List<byte[]> split(byte[] data) {
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i + SEPARATOR.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + SEPARATOR.length, SEPARATOR, 0, SEPARATOR.length)) {
                out.add(Arrays.copyOfRange(data, from, i));
                from = i + SEPARATOR.length;
                i = from - 1;
            }
        }
        out.add(Arrays.copyOfRange(data, from, data.length));
        return out;
    }
}
