package org.tilescope.engine.importing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.pyramid.PyramidWriter;
import org.tilescope.engine.region.RegionReader;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.testing.Pixels;

/**
 * The inputs of an import, made in code: a 3000x2000 strip TIFF, a progressive JPEG, a PNG with
 * alpha, odd sizes against vips' level geometry, and damaged or absurd files in a batch.
 */
class ImportInputsTest {
    @TempDir
    Path dir;

    /** The JDK's own writer for a format, by class: a plugin may register another for TIFF. */
    static ImageWriter jdkWriter(String format) {
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName(format); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.imageio.")) {
                return w;
            }
        }
        throw new IllegalStateException("no JDK " + format + " writer");
    }

    static void write(BufferedImage img, Path file, String format, ImageWriteParam p, ImageWriter w) throws IOException {
        try (ImageOutputStream o = ImageIO.createImageOutputStream(file.toFile())) {
            w.setOutput(o);
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
    }

    /** A TIFF in LZW strips (the JDK writer's default strip height), as scanners write them. */
    static void stripTiff(BufferedImage img, Path file) throws IOException {
        ImageWriter w = jdkWriter("tiff");
        ImageWriteParam p = w.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionType("LZW");
        write(img, file, "tiff", p, w);
    }

    private static ImportReport run(List<Path> src, Path out, int quality) throws IOException {
        return ImportJob.runNow(new ImportRequest(src, out,
                new PyramidWriter.Options(PyramidWriter.Format.DEEPZOOM, 254, 1, quality, 2), false,
                java.time.Duration.ofSeconds(60)), ImportJobTest.context(new AtomicBoolean()));
    }

    /** Level 0 of the imported pyramid against the source it was made from, by PSNR. */
    private static void assertLevel0Matches(Path dzi, BufferedImage src, int quality) throws IOException {
        try (SlideSource s = Slides.open(dzi)) {
            assertEquals(src.getWidth(), s.info().width());
            assertEquals(src.getHeight(), s.info().height());
            int x = 1100;
            int y = 700;
            BufferedImage region = new RegionReader(s).read(0, x, y, 800, 600).image();
            BufferedImage part = src.getSubimage(x, y, 800, 600);
            double psnr = Pixels.psnr(part, region);
            double jpegAlone = Pixels.jpegPsnr(part, quality);
            // the fixture's bars have sharp edges, hard on JPEG (about 28 dB alone at 90); tiles
            // may shift JPEG's chroma grid against them: a little under JPEG alone, never far
            assertTrue(psnr > 25 && psnr > jpegAlone - 3, dzi.getFileName() + ": level 0 at " + psnr
                    + " dB, JPEG alone " + jpegAlone + " dB");
        }
    }

    @Test
    void stripTiffAndProgressiveJpegImportAndMatchTheirSource() throws IOException {
        BufferedImage src = ImportJobTest.picture(3000, 2000, false);
        Path tif = dir.resolve("strips.tif");
        stripTiff(src, tif);
        Path jpg = dir.resolve("progressive.jpg");
        ImageWriter w = jdkWriter("jpeg");
        ImageWriteParam p = w.getDefaultWriteParam();
        p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(0.95f);
        write(src, jpg, "jpeg", p, w);
        BufferedImage decodedJpeg = ImageIO.read(jpg.toFile());
        Path out = dir.resolve("out");
        ImportReport r = run(List.of(tif, jpg), out, 90);
        assertEquals(2, r.count(ImportReport.Outcome.IMPORTED), r.toString());
        assertLevel0Matches(out.resolve("strips.dzi"), src, 90);
        assertLevel0Matches(out.resolve("progressive.dzi"), decodedJpeg, 90);
    }

    /**
     * Alpha is composited over white, a slide's background, as {@code vips flatten --background
     * 255} does. (vips dzsave itself flattens over black, its default background: a transparent
     * pixel of a PNG comes out 0,0,0 there, 255,255,255 here.)
     */
    @Test
    void pngAlphaIsCompositedOverWhite() throws IOException {
        BufferedImage src = Pixels.alphaThirds(600, 300, 0x204080);
        Path png = dir.resolve("alpha.png");
        ImageIO.write(src, "png", png.toFile());
        Path out = dir.resolve("out");
        assertEquals(1, run(List.of(png), out, 95).count(ImportReport.Outcome.IMPORTED));
        try (SlideSource s = Slides.open(out.resolve("alpha.dzi"))) {
            BufferedImage region = new RegionReader(s).read(0, 0, 0, 600, 300).image();
            assertRgb(0xFFFFFF, region.getRGB(100, 150), "transparent");
            // 0x20, 0x40, 0x80 at alpha 128/255 over 255: c * 0.502 + 255 * 0.498
            assertRgb((143 << 16) | (159 << 8) | 191, region.getRGB(300, 150), "half transparent");
            assertRgb(0x204080, region.getRGB(500, 150), "opaque");
        }
    }

    private static void assertRgb(int expected, int actual, String what) {
        assertTrue(Pixels.diff(expected, actual) <= 4, what + ": expected " + Integer.toHexString(expected)
                + ", got " + Integer.toHexString(actual & 0xFFFFFF));
    }

    /**
     * Level sizes, top to 1x1, as libvips 8.14.1 writes them, recorded from real runs here:
     * {@code vips black b.v W H --bands 3; vips dzsave b.v g --tile-size 4096 --overlap 0
     * --suffix .png}, then {@code vipsheader} of each level's single tile. Each level is the one
     * before halved, rounding up, down to 1x1.
     */
    private static final int[][][] VIPS_LEVELS = {
        {{1001, 777}, {501, 389}, {251, 195}, {126, 98}, {63, 49}, {32, 25}, {16, 13}, {8, 7}, {4, 4}, {2, 2}, {1, 1}},
        {{3, 5}, {2, 3}, {1, 2}, {1, 1}},
        {{255, 257}, {128, 129}, {64, 65}, {32, 33}, {16, 17}, {8, 9}, {4, 5}, {2, 3}, {1, 2}, {1, 1}},
    };

    @Test
    void levelGeometryEqualsVipsDzsaveForOddSizes() throws IOException {
        Path out = dir.resolve("out");
        for (int[][] levels : VIPS_LEVELS) {
            int w = levels[0][0];
            int h = levels[0][1];
            String name = "odd" + w + "x" + h;
            Path png = dir.resolve(name + ".png");
            ImageIO.write(ImportJobTest.picture(w, h, false), "png", png.toFile());
            assertEquals(1, run(List.of(png), out, 80).count(ImportReport.Outcome.IMPORTED));
            Path files = out.resolve(name + "_files");
            try (Stream<Path> s = Files.list(files)) {
                assertEquals(levels.length, s.count(), name + ": folders 0 to " + (levels.length - 1));
            }
            for (int i = 0; i < levels.length; i++) {
                int folder = levels.length - 1 - i;
                assertArrayEquals(levels[i], levelSize(files.resolve(Integer.toString(folder))),
                        name + " level folder " + folder);
            }
        }
        // the tiles themselves, 254 px with 1 px overlap: vips' 1001x777 top level has 4x4 tiles,
        // 0_0 255x255, 1_1 256x256, 3_0 240x255 and 3_3 240x16 (vipsheader of a default dzsave)
        Path top = out.resolve("odd1001x777_files/10");
        assertArrayEquals(new int[] {255, 255}, size(top.resolve("0_0.jpeg")));
        assertArrayEquals(new int[] {256, 256}, size(top.resolve("1_1.jpeg")));
        assertArrayEquals(new int[] {240, 255}, size(top.resolve("3_0.jpeg")));
        assertArrayEquals(new int[] {240, 16}, size(top.resolve("3_3.jpeg")));
        assertFalse(Files.exists(top.resolve("4_0.jpeg")));
    }

    /** A level's size from its tiles: the last column's start plus its width (254 px tiles, 1 px overlap). */
    private static int[] levelSize(Path folder) throws IOException {
        int cols = 0;
        int rows = 0;
        while (Files.exists(folder.resolve(cols + "_0.jpeg"))) {
            cols++;
        }
        while (Files.exists(folder.resolve("0_" + rows + ".jpeg"))) {
            rows++;
        }
        int[] last = size(folder.resolve((cols - 1) + "_" + (rows - 1) + ".jpeg"));
        int x0 = cols == 1 ? 0 : (cols - 1) * 254 - 1;
        int y0 = rows == 1 ? 0 : (rows - 1) * 254 - 1;
        return new int[] {x0 + last[0], y0 + last[1]};
    }

    private static int[] size(Path image) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
            ImageReader r = ImageIO.getImageReaders(in).next();
            try {
                r.setInput(in);
                return new int[] {r.getWidth(0), r.getHeight(0)};
            } finally {
                r.dispose();
            }
        }
    }

    /** A PNG that is only a signature and a header claiming {@code w} x {@code h} pixels. */
    static byte[] pngHeaderOnly(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        out.writeBytes(ByteBuffer.allocate(4).putInt(13).array());
        out.writeBytes(ihdr.array());
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        return out.toByteArray();
    }

    @Test
    void truncatedTiffAndAbsurdPngFailAloneAndTheBatchGoesOn() throws IOException {
        Path src = dir.resolve("in");
        Files.createDirectories(src);
        stripTiff(ImportJobTest.picture(700, 500, false), src.resolve("a.tif"));
        Path whole = dir.resolve("whole.tif");
        stripTiff(ImportJobTest.picture(900, 800, false), whole);
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(src.resolve("b.tif"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Files.write(src.resolve("c.png"), pngHeaderOnly(1_000_000, 1_000_000));
        ImageIO.write(ImportJobTest.picture(500, 400, false), "jpeg", src.resolve("d.jpg").toFile());
        Path out = dir.resolve("out");
        ImportReport r = run(List.of(src), out, 80);
        List<ImportReport.Outcome> outcomes = r.files().stream().map(ImportReport.FileResult::outcome).toList();
        assertEquals(List.of(ImportReport.Outcome.IMPORTED, ImportReport.Outcome.FAILED, ImportReport.Outcome.FAILED,
                ImportReport.Outcome.IMPORTED), outcomes, r.toString());
        String truncated = r.files().get(1).reason();
        assertTrue(truncated.contains("b.tif") && truncated.contains("truncated"), truncated);
        String absurd = r.files().get(2).reason();
        // refused from the header: an attempt to allocate the pixels would have failed as out of memory
        assertTrue(absurd.contains("c.png") && absurd.contains("1000000x1000000 is not plausible"), absurd);
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of("a.dzi", "a.import", "a_files", "d.dzi", "d.import", "d_files"),
                    s.map(p -> p.getFileName().toString()).sorted().toList(), "nothing of b or c, no temporary folder");
        }
    }
}
