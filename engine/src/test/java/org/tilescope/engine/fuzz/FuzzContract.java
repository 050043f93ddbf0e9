package org.tilescope.engine.fuzz;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;

/**
 * What every fuzz target checks, whatever the format: an input opens and reads, or fails with an
 * {@link IOException} (a SlideException / TileException naming the file); out-of-grid calls fail
 * with {@link IllegalArgumentException}. Any other RuntimeException, and any Error (out of memory,
 * stack overflow), propagates and is a finding. So is a crash that a reader's safety net turned
 * into an IOException (a SlideException whose cause is a RuntimeException thrown by engine code),
 * and so is allocating more than the input's size and the level's tile size justify.
 */
final class FuzzContract {
    /** Fixed cost of one parse: XML and JSON parser set-up, ImageIO readers, exception messages. */
    static final long BASE_BYTES = 32L << 20;
    /** Allocation allowed per input byte (DOM trees, index arrays, copies of tile data). */
    static final long BYTES_PER_INPUT_BYTE = 64;
    /** Allocation allowed per decoded pixel: the decoder's own raster, the int-RGB copy, slack. */
    static final long BYTES_PER_PIXEL = 16;
    /**
     * An image stored in compressed form is allowed this many pixels per stored byte, past a floor
     * of {@link #FREE_PIXELS}: more than any real compression reaches (Deflate tops out near 350
     * RGB pixels a byte, baseline JPEG near 256).
     */
    static final long PIXELS_PER_STORED_BYTE = 1024;
    static final long FREE_PIXELS = 1L << 20;
    /** Tiles are decoded only up to this many times their level's nominal size, per edge. */
    static final int TILE_SLACK = 2;
    /** At most this many levels and tiles per level are read, so one input stays fast. */
    static final int MAX_LEVELS_READ = 8;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private FuzzContract() {
    }

    private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();

    /** Where the allocation counters stood: this thread's bytes, and the classes loaded so far. */
    record Mark(long bytes, long classes) {
    }

    /** Bytes this thread has allocated so far (garbage included), and the classes loaded. */
    static Mark allocated() {
        return new Mark(THREADS.getCurrentThreadAllocatedBytes(), CLASSES.getTotalLoadedClassCount());
    }

    /**
     * Fails when this thread allocated more than {@code limit} bytes since {@code start}. Not
     * judged when classes were loaded meanwhile: loading (and, while fuzzing, instrumenting) them
     * allocates on this thread too, once per class, and is no fault of the input.
     */
    static void checkAllocation(String what, Mark start, long limit) {
        Mark now = allocated();
        long used = now.bytes() - start.bytes();
        if (used > limit && now.classes() == start.classes()) {
            throw new AssertionError(what + " allocated " + used + " bytes, more than the " + limit
                    + " its input justifies");
        }
    }

    /** The allocation allowed for parsing {@code inputBytes} bytes of descriptors and indexes. */
    static long parseBudget(long inputBytes) {
        return BASE_BYTES + BYTES_PER_INPUT_BYTE * inputBytes;
    }

    /**
     * Accepts an expected failure: any IOException, unless it only wraps a crash of the engine's
     * own code (a RuntimeException thrown from an org.tilescope class, caught by a safety net).
     * Decoders wrapping the exceptions of third-party image readers stay acceptable.
     */
    static void expected(IOException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof Error err) {
                throw err;
            }
            if (t instanceof RuntimeException r && thrownByEngine(r)) {
                throw new AssertionError("engine crash hidden in an IOException: " + e.getMessage(), r);
            }
        }
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            throw new AssertionError("IOException without a message", e);
        }
    }

    private static boolean thrownByEngine(RuntimeException r) {
        StackTraceElement[] st = r.getStackTrace();
        return st.length > 0 && st[0].getClassName().startsWith("org.tilescope.engine.");
    }

    /**
     * Reads the slide the way a viewer would, within the contract: the info is consistent, the
     * corner and middle tiles of the first levels read (and, with a decoder, decode within the
     * tile-size bound) or fail with an IOException, tiles outside the grid are refused with
     * IllegalArgumentException, and associated images read or fail with an IOException.
     *
     * @param fileBytes what the slide's files add up to: a tile's bytes cannot exceed it by much
     */
    static void exercise(SlideSource s, long fileBytes, TileDecoder decoder) {
        SlideInfo info = s.info();
        if (info.levelCount() < 1 || info.width() <= 0 || info.height() <= 0 || info.level(0).downsample() != 1.0) {
            throw new AssertionError("inconsistent info: " + info);
        }
        for (int i = 1; i < info.levelCount(); i++) {
            if (!(info.level(i).downsample() > info.level(i - 1).downsample())) {
                throw new AssertionError("downsamples not increasing: " + info.levels());
            }
        }
        // A scale bar divides by these: present means finite and positive.
        info.mpp().ifPresent(v -> requireFinitePositive("mpp", v, info));
        info.magnification().ifPresent(v -> requireFinitePositive("magnification", v, info));
        for (LevelInfo l : info.levels().subList(0, Math.min(MAX_LEVELS_READ, info.levelCount()))) {
            if ((long) l.cols() * l.tileWidth() < l.width() || (long) l.rows() * l.tileHeight() < l.height()) {
                throw new AssertionError("level " + l.index() + " grid does not cover it: " + l);
            }
            int[][] tiles = {{0, 0}, {l.cols() - 1, l.rows() - 1}, {l.cols() / 2, l.rows() / 2}};
            for (int[] t : tiles) {
                readOne(s, l, t[0], t[1], fileBytes, decoder);
            }
            assertThrows(IllegalArgumentException.class, () -> s.readTile(l.index(), l.cols(), 0));
            assertThrows(IllegalArgumentException.class, () -> s.readTile(l.index(), 0, -1));
        }
        assertThrows(IllegalArgumentException.class, () -> s.readTile(info.levelCount(), 0, 0));
        for (String name : info.associated()) {
            Mark start = allocated();
            try {
                BufferedImage img = (decoder != null ? decoder : TileDecoder.standard()).decode(s.readAssociated(name));
                if (img.getType() != BufferedImage.TYPE_INT_RGB) {
                    throw new AssertionError("associated image '" + name + "' is not int-RGB");
                }
            } catch (IOException e) {
                expected(e);
            }
            checkAllocation("associated image '" + name + "'", start, parseBudget(fileBytes)
                    + BYTES_PER_PIXEL * (FREE_PIXELS + PIXELS_PER_STORED_BYTE * fileBytes));
        }
        try {
            s.readAssociated("no such image");
            throw new AssertionError("an unknown associated image name read");
        } catch (IOException e) {
            expected(e);
        }
    }

    private static void requireFinitePositive(String what, double v, SlideInfo info) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new AssertionError(what + " " + v + " in " + info);
        }
    }

    private static void readOne(SlideSource s, LevelInfo l, int col, int row, long fileBytes, TileDecoder decoder) {
        Mark start = allocated();
        byte[] tile;
        try {
            tile = s.readTile(l.index(), col, row);
        } catch (IOException e) {
            expected(e);
            return;
        }
        if (tile == null || tile.length == 0) {
            throw new AssertionError("readTile returned no bytes for level " + l.index() + " " + col + "," + row);
        }
        // The tile as stored, plus at most the shared tables and a small header around it.
        if (tile.length > fileBytes + 64 * 1024) {
            throw new AssertionError("tile of " + tile.length + " bytes from " + fileBytes + " bytes of files");
        }
        checkAllocation("readTile", start, parseBudget(tile.length));
        int[] origin = s.tileOrigin(l.index(), col, row);
        if (origin[0] < -s.info().overlap() || origin[1] < -s.info().overlap()) {
            throw new AssertionError("tile origin " + origin[0] + "," + origin[1]);
        }
        if (decoder == null) {
            return;
        }
        int maxW = TILE_SLACK * (l.tileWidth() + 2 * s.info().overlap());
        int maxH = TILE_SLACK * (l.tileHeight() + 2 * s.info().overlap());
        decodeBounded(decoder, tile, maxW, maxH);
    }

    /** Decodes within a size bound: an int-RGB image no larger than it, or an IOException. */
    static void decodeBounded(TileDecoder decoder, byte[] encoded, int maxW, int maxH) {
        Mark start = allocated();
        try {
            BufferedImage img = decoder.decode(encoded, maxW, maxH);
            if (img.getType() != BufferedImage.TYPE_INT_RGB || img.getWidth() > maxW || img.getHeight() > maxH) {
                throw new AssertionError(decoder.name() + " decoded a " + img.getWidth() + "x" + img.getHeight()
                        + " image of type " + img.getType() + " within a bound of " + maxW + "x" + maxH);
            }
        } catch (IOException e) {
            expected(e);
        }
        checkAllocation(decoder.name() + " decode", start,
                parseBudget(encoded.length) + BYTES_PER_PIXEL * maxW * maxH);
    }

    /** A fresh temporary folder for one fuzz test class, deleted when the JVM exits. */
    static Path tempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temp file left behind is not worth failing a test
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }

    /** Writes a file, or deletes it when {@code bytes} is null. */
    static void put(Path file, byte[] bytes) {
        try {
            if (bytes == null) {
                Files.deleteIfExists(file);
            } else {
                Files.write(file, bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
