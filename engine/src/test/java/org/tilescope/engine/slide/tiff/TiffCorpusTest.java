package org.tilescope.engine.slide.tiff;

import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.PixelRect;
import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.slide.TileException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.decode.Images;
import org.tilescope.engine.decode.TileDecoder;

/**
 * The reader on real files: the corpus TIFF written by libvips, and the 40000x30000 benchmark
 * TIFF when it has been built. Expected levels are what OpenSlide 4 reports for the same files
 * ({@code openslide.OpenSlide(path).level_dimensions} / {@code level_downsamples}).
 */
class TiffCorpusTest {
    @TempDir
    Path dir;

    static Path corpus() {
        String prop = System.getProperty("tilescope.corpus");
        if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop))) {
            return Path.of(prop);
        }
        for (Path p : List.of(Path.of("../shared/corpus"), Path.of("../../shared/corpus"))) {
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        return null;
    }

    private static Path corpusTiff() {
        Path c = corpus();
        Path f = c == null ? null : c.resolve("tiff/C24-0350_prostate_HE.tif");
        if (f == null || !Files.isRegularFile(f)) {
            String msg = "SKIPPED: corpus TIFF not found (set -Dtilescope.corpus or put it at ../shared/corpus)";
            System.err.println(msg);
            Assumptions.abort(msg);
        }
        return f;
    }

    /** OpenSlide on C24-0350_prostate_HE.tif: level_dimensions and level_downsamples. */
    private static final int[][] CORPUS_DIMS = {{6000, 4500}, {3000, 2250}, {1500, 1125}, {750, 562}, {375, 281}, {187, 140}};
    private static final double[] CORPUS_DOWNSAMPLES = {1.0, 2.0, 4.0, 8.00355871886121, 16.00711743772242, 32.114209320091675};

    /** OpenSlide on big.tif (make-big.sh). */
    private static final int[][] BIG_DIMS = {{40000, 30000}, {20000, 15000}, {10000, 7500}, {5000, 3750}, {2500, 1875},
        {1250, 937}, {625, 468}, {312, 234}, {156, 117}};
    private static final double[] BIG_DOWNSAMPLES = {1.0, 2.0, 4.0, 8.0, 16.0, 32.008537886873, 64.05128205128204,
        128.2051282051282, 256.4102564102564};

    private static void assertLevels(SlideInfo info, int[][] dims, double[] downsamples, int tile) {
        assertEquals(dims.length, info.levelCount(), "level count");
        for (int i = 0; i < dims.length; i++) {
            LevelInfo l = info.level(i);
            assertEquals(dims[i][0], l.width(), "level " + i + " width");
            assertEquals(dims[i][1], l.height(), "level " + i + " height");
            assertEquals(downsamples[i], l.downsample(), 1e-9, "level " + i + " downsample");
            assertEquals(tile, l.tileWidth());
            assertEquals(tile, l.tileHeight());
            assertEquals(Math.ceilDiv(dims[i][0], tile), l.cols());
            assertEquals(Math.ceilDiv(dims[i][1], tile), l.rows());
        }
    }

    private static ImageReader jdkTiffReader() {
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("tiff"); it.hasNext(); ) {
            ImageReader r = it.next();
            if (r.getClass().getName().startsWith("com.sun.imageio")) {
                return r;
            }
        }
        throw new IllegalStateException("no JDK TIFF reader");
    }

    @Test
    void corpusTiffLevelsMatchOpenSlide() throws IOException {
        Path f = corpusTiff();
        try (SlideSource s = Slides.open(f)) {
            SlideInfo info = s.info();
            assertEquals("tiff", info.format());
            assertEquals(6000, info.width());
            assertEquals(4500, info.height());
            assertEquals(256, info.tileWidth());
            assertEquals(0, info.overlap());
            // 72 dpi is a writer default, not a calibration: OpenSlide reports no mpp either.
            assertTrue(info.mpp().isEmpty());
            assertLevels(info, CORPUS_DIMS, CORPUS_DOWNSAMPLES, 256);
        }
    }

    /** Our tiles, decoded, against the JDK TIFF reader's own decode of the same region of the same IFD. */
    @Test
    void corpusTilesMatchTheJdkTiffReader() throws IOException {
        Path f = corpusTiff();
        ImageReader jdk = jdkTiffReader();
        try (SlideSource s = Slides.open(f); ImageInputStream iis = ImageIO.createImageInputStream(f.toFile())) {
            jdk.setInput(iis);
            int images = jdk.getNumImages(true);
            int compared = 0;
            for (LevelInfo l : s.info().levels()) {
                int ifd = -1;
                for (int i = 0; i < images; i++) {
                    if (jdk.getWidth(i) == l.width() && jdk.getHeight(i) == l.height()) {
                        ifd = i;
                    }
                }
                assertTrue(ifd >= 0, "the JDK reader sees no image of " + l.width() + "x" + l.height());
                // Corners, centre, and a spread of tiles; every tile of the small levels.
                int step = Math.max(1, (int) (l.tileCount() / 12));
                for (int t = 0; t < l.tileCount(); t += step) {
                    compareTile(s, jdk, ifd, l, t % l.cols(), t / l.cols());
                    compared++;
                }
                compareTile(s, jdk, ifd, l, l.cols() - 1, l.rows() - 1);
                compareTile(s, jdk, ifd, l, l.cols() / 2, l.rows() / 2);
                compared += 2;
            }
            assertTrue(compared > 50, "compared " + compared + " tiles");
        } finally {
            jdk.dispose();
        }
    }

    private static void compareTile(SlideSource s, ImageReader jdk, int ifd, LevelInfo l, int col, int row)
            throws IOException {
        PixelRect r = l.tileRect(col, row);
        BufferedImage ours = TileDecoder.standard().decode(s.readTile(l.index(), col, row));
        ImageReadParam p = jdk.getDefaultReadParam();
        p.setSourceRegion(new java.awt.Rectangle(r.x(), r.y(), r.width(), r.height()));
        BufferedImage theirs = Images.toIntRgb(jdk.read(ifd, p));
        double[] diff = channelDiff(ours, theirs, r.width(), r.height());
        for (int ch = 0; ch < 3; ch++) {
            assertTrue(diff[ch] < 2, "level " + l.index() + " tile " + col + "," + row + " channel " + ch
                    + ": mean abs diff " + diff[ch]);
        }
    }

    private static double[] channelDiff(BufferedImage a, BufferedImage b, int w, int h) {
        long[] sum = new long[3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int ch = 0; ch < 3; ch++) {
                    int shift = 16 - 8 * ch;
                    sum[ch] += Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF));
                }
            }
        }
        double n = (double) w * h;
        return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
    }

    @Test
    void corpusTiffCutInHalf() throws IOException {
        Path f = corpusTiff();
        Path half = dir.resolve("half.tif");
        try (InputStream in = Files.newInputStream(f)) {
            Files.write(half, in.readNBytes((int) (Files.size(f) / 2)));
        }
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (SlideSource s = Slides.open(half)) {
                // The directories survived: then every tile past the cut must fail on its own.
                int failed = 0;
                LevelInfo l = s.info().level(0);
                for (int t = 0; t < l.tileCount(); t++) {
                    try {
                        s.readTile(0, (int) (t % l.cols()), (int) (t / l.cols()));
                    } catch (TileException e) {
                        assertTrue(e.getMessage().contains("past the end of the file"), e.getMessage());
                        failed++;
                    }
                }
                assertTrue(failed > 0, "no tile noticed the cut");
            } catch (TileException e) {
                fail("a tile error escaped open: " + e.getMessage());
            } catch (SlideException e) {
                System.err.println("half corpus TIFF: " + e.getMessage());
                assertTrue(e.getMessage().startsWith(half.toString()), e.getMessage());
                assertTrue(e.getMessage().contains("truncated TIFF"), e.getMessage());
            }
        });
    }

    @Test
    void bigTiffLevelsMatchOpenSlide() throws IOException {
        String bigDir = System.getProperty("tilescope.big", "/tmp/tilescope-big");
        Path big = Path.of(bigDir.isBlank() ? "/tmp/tilescope-big" : bigDir, "big.tif");
        Path log = Path.of("/tmp/makebig.log");
        boolean complete = Files.isRegularFile(big) && Files.isRegularFile(log)
                && new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1).strip().endsWith("MAKEBIG DONE 0");
        if (!complete) {
            String msg = "SKIPPED: " + big + " absent or still being built (no 'MAKEBIG DONE 0' in " + log + ")";
            System.err.println(msg);
            Assumptions.abort(msg);
        }
        try (SlideSource s = Slides.open(big)) {
            assertLevels(s.info(), BIG_DIMS, BIG_DOWNSAMPLES, 256);
            for (LevelInfo l : s.info().levels()) {
                for (int[] t : new int[][] {{0, 0}, {l.cols() / 2, l.rows() / 2}, {l.cols() - 1, l.rows() - 1}}) {
                    BufferedImage img = TileDecoder.standard().decode(s.readTile(l.index(), t[0], t[1]));
                    assertEquals(256, img.getWidth());
                    assertEquals(256, img.getHeight());
                }
            }
        }
    }
}
