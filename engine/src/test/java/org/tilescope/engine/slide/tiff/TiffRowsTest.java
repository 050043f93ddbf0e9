package org.tilescope.engine.slide.tiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tilescope.engine.pyramid.PyramidWriter;
import org.tilescope.engine.pyramid.RowSource;
import org.tilescope.engine.region.RegionReader;
import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.testing.Pixels;

/** Plain TIFF and BigTIFF inputs of an import, written byte by byte, read back row for row. */
class TiffRowsTest {
    private static final int NONE = 1;
    private static final int JPEG = 7;
    private static final int DEFLATE = 8;
    private static final int PACKBITS = 32773;
    private static final int RGB = 2;
    private static final int YCBCR = 6;
    private static final long BAND_BYTES = 64L << 20;

    @TempDir
    Path dir;

    /**
     * Smooth colour waves with a sharp-edged square every 100 px: what a scan looks like to JPEG,
     * so the error of a JPEG-encoded pyramid is JPEG's at its quality (above 38 dB at 90), not
     * ringing around synthetic edges, while a misplaced row or tile still shows.
     */
    static BufferedImage scan(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = (int) (128 + 100 * Math.sin(x / 37.0) * Math.cos(y / 53.0));
                int g = (int) (128 + 90 * Math.sin((x + y) / 71.0));
                int b = (x % 100 < 12 && y % 100 < 12) ? 40 : (int) (160 + 60 * Math.cos(y / 29.0));
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    /** Strips of {@code rps} rows of {@code img}, as the compression stores them. */
    static List<byte[]> strips(BufferedImage img, int rps, int compression, boolean alpha) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (int y = 0; y < img.getHeight(); y += rps) {
            BufferedImage strip = img.getSubimage(0, y, img.getWidth(), Math.min(rps, img.getHeight() - y));
            out.add(compress(strip, compression, alpha));
        }
        return out;
    }

    private static byte[] compress(BufferedImage img, int compression, boolean alpha) {
        if (compression == JPEG) {
            return TiffFixtures.jpeg(img, false);
        }
        int spp = alpha ? 4 : 3;
        int w = img.getWidth();
        byte[] raw = new byte[w * img.getHeight() * spp];
        for (int y = 0, i = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < w; x++) {
                int p = img.getRGB(x, y);
                raw[i++] = (byte) (p >> 16);
                raw[i++] = (byte) (p >> 8);
                raw[i++] = (byte) p;
                if (alpha) {
                    raw[i++] = (byte) (p >>> 24);
                }
            }
        }
        return switch (compression) {
            case NONE -> raw;
            case DEFLATE -> deflateWithPredictor(raw, w, spp);
            case PACKBITS -> packBits(raw);
            default -> throw new IllegalArgumentException("compression " + compression);
        };
    }

    /** Horizontal differencing (Predictor 2), then zlib, as libtiff writes Deflate with a predictor. */
    private static byte[] deflateWithPredictor(byte[] raw, int w, int spp) {
        byte[] d = raw.clone();
        int row = w * spp;
        for (int start = 0; start < d.length; start += row) {
            for (int i = start + row - 1; i >= start + spp; i--) {
                d[i] = (byte) (d[i] - d[i - spp]);
            }
        }
        Deflater z = new Deflater();
        z.setInput(d);
        z.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (!z.finished()) {
            out.write(buf, 0, z.deflate(buf));
        }
        z.end();
        return out.toByteArray();
    }

    /** PackBits with literal runs only: valid, if no smaller. */
    private static byte[] packBits(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length; i += 128) {
            int n = Math.min(128, raw.length - i);
            out.write(n - 1);
            out.write(raw, i, n);
        }
        return out.toByteArray();
    }

    private Path stripTiff(String name, BufferedImage img, int rps, int compression, boolean big, ByteOrder order)
            throws IOException {
        TiffTestWriter w = new TiffTestWriter(order, big);
        TiffTestWriter.Img im = w.add();
        im.image(img.getWidth(), img.getHeight(), 3, 8, compression, compression == JPEG ? YCBCR : RGB);
        if (compression == DEFLATE) {
            im.tag(TiffParser.TAG_PREDICTOR, TiffTestWriter.SHORT, 2);
        }
        im.strips(rps, strips(img, rps, compression, false));
        Path p = dir.resolve(name);
        Files.write(p, w.toBytes());
        return p;
    }

    /** Every row through {@link RowSource#read} in the source's own bands, as the pyramid writer reads. */
    static BufferedImage readAll(RowSource rows) throws IOException {
        BufferedImage out = new BufferedImage(rows.width(), rows.height(), BufferedImage.TYPE_INT_RGB);
        int band = rows.preferredBand();
        int[] buf = new int[band * rows.width()];
        for (int y = 0; y < rows.height(); y += band) {
            int n = Math.min(band, rows.height() - y);
            rows.read(y, n, buf);
            out.setRGB(0, y, rows.width(), n, buf, 0, rows.width());
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({
        "1, true, II", "1, false, MM", "8, true, MM", "8, false, II", "32773, true, II", "7, true, II", "7, false, MM",
    })
    void stripsOfEveryCompressionReadBackRowForRow(int compression, boolean big, String byteOrder) throws IOException {
        ByteOrder order = byteOrder.equals("II") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        BufferedImage src = scan(301, 611);
        // 13 rows a strip: bands (whole strips) never fall on the 256 rows other sources use
        Path f = stripTiff("s.tif", src, 13, compression, big, order);
        try (RowSource rows = TiffRows.open(f, BAND_BYTES)) {
            assertTrue(rows instanceof TiffRows, "read by strips, not through ImageIO: " + rows);
            assertEquals(301, rows.width());
            assertEquals(611, rows.height());
            assertEquals(0, rows.preferredBand() % 13, "bands are whole strips");
            BufferedImage back = readAll(rows);
            if (compression == JPEG) {
                assertTrue(Pixels.psnr(src, back) > 35, "JPEG strips at quality 92: " + Pixels.psnr(src, back));
            } else {
                Pixels.assertSame(src, back, "lossless strips");
            }
        }
    }

    @Test
    void jpegStripsWithSharedTablesAndTiledBigTiffRead() throws IOException {
        BufferedImage src = scan(200, 150);
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, true);
        TiffTestWriter.Img im = w.add();
        im.image(200, 150, 3, 8, JPEG, YCBCR);
        List<byte[]> abbreviated = new ArrayList<>();
        byte[] tables = null;
        for (byte[] s : strips(src, 32, JPEG, false)) {
            TiffFixtures.Split split = TiffFixtures.split(s);
            tables = split.tables();
            abbreviated.add(split.abbreviated());
        }
        im.undefined(TiffParser.TAG_JPEG_TABLES, tables);
        im.strips(32, abbreviated);
        Path jpegStrips = dir.resolve("tables.tif");
        Files.write(jpegStrips, w.toBytes());
        try (RowSource rows = TiffRows.open(jpegStrips, BAND_BYTES)) {
            double psnr = Pixels.psnr(src, readAll(rows));
            assertTrue(psnr > 35, "JPEG strips at quality 92 with shared tables: " + psnr + " dB");
        }

        TiffTestWriter t = new TiffTestWriter(ByteOrder.BIG_ENDIAN, true);
        TiffSourceTest.rawLevel(t.add(), src, 64);
        Path tiled = dir.resolve("tiled.tif");
        Files.write(tiled, t.toBytes());
        try (RowSource rows = TiffRows.open(tiled, BAND_BYTES)) {
            assertEquals(150, rows.preferredBand(), "bands are whole rows of tiles: here the whole image");
            Pixels.assertSame(src, readAll(rows), "tiles 64x64, edge tiles cut");
        }
    }

    /** LZW strips from an encoder not ours (the JDK's writer) decode exactly; gray too. */
    @Test
    void lzwStripsFromTheJdkWriterDecodeExactly() throws IOException {
        BufferedImage rgb = scan(1201, 333);
        BufferedImage gray = new BufferedImage(1201, 333, BufferedImage.TYPE_BYTE_GRAY);
        gray.getGraphics().drawImage(rgb, 0, 0, null);
        for (BufferedImage src : List.of(rgb, gray)) {
            Path f = dir.resolve("lzw" + src.getType() + ".tif");
            javax.imageio.ImageWriter w = null;
            for (var it = javax.imageio.ImageIO.getImageWritersByFormatName("tiff"); it.hasNext(); ) {
                var c = it.next();
                if (c.getClass().getName().startsWith("com.sun.imageio.")) {
                    w = c;
                }
            }
            try (var out = javax.imageio.ImageIO.createImageOutputStream(f.toFile())) {
                w.setOutput(out);
                javax.imageio.ImageWriteParam p = w.getDefaultWriteParam();
                p.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionType("LZW");
                w.write(null, new javax.imageio.IIOImage(src, null, null), p);
            } finally {
                w.dispose();
            }
            // a gray sample is shown as that value (Java's getRGB of a gray image would re-gamma it)
            BufferedImage expected = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < src.getHeight(); y++) {
                for (int x = 0; x < src.getWidth(); x++) {
                    int g = src.getRaster().getSample(x, y, 0);
                    expected.setRGB(x, y, src == gray ? g << 16 | g << 8 | g : src.getRGB(x, y));
                }
            }
            try (RowSource rows = TiffRows.open(f, BAND_BYTES)) {
                Pixels.assertSame(expected, readAll(rows), "LZW strips of image type " + src.getType());
            }
        }
    }

    /** Unassociated alpha is composited over white, as a slide's background (vips flatten --background 255). */
    @Test
    void transparentPixelsBecomeWhite() throws IOException {
        BufferedImage src = Pixels.alphaThirds(45, 30, 0x204080);
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, true);
        TiffTestWriter.Img im = w.add();
        im.image(45, 30, 4, 8, DEFLATE, RGB);
        im.tag(TiffParser.TAG_PREDICTOR, TiffTestWriter.SHORT, 2);
        im.tag(TiffParser.TAG_EXTRA_SAMPLES, TiffTestWriter.SHORT, 2);
        im.strips(8, strips(src, 8, DEFLATE, true));
        Path f = dir.resolve("alpha.tif");
        Files.write(f, w.toBytes());
        try (RowSource rows = TiffRows.open(f, BAND_BYTES)) {
            BufferedImage back = readAll(rows);
            assertEquals(0xFFFFFF, back.getRGB(3, 3) & 0xFFFFFF, "transparent: white");
            assertEquals(0x204080, back.getRGB(30, 20) & 0xFFFFFF, "opaque: as stored");
            int half = back.getRGB(15, 15);
            // 0x20 over white at alpha 128/255: 32 * 0.502 + 255 * 0.498 = 143
            assertEquals(143, (half >> 16) & 0xFF, 2, "half transparent: halfway to white");
        }
    }

    /** A BigTIFF in strips becomes a Deep Zoom pyramid that the engine opens, equal to the source. */
    @Test
    void bigTiffBecomesAPyramidThatMatchesTheSource() throws IOException {
        BufferedImage src = scan(1500, 1100);
        Path f = stripTiff("big.tif", src, 16, DEFLATE, true, ByteOrder.BIG_ENDIAN);
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        try (RowSource rows = TiffRows.open(f, BAND_BYTES)) {
            new PyramidWriter(new PyramidWriter.Options(PyramidWriter.Format.DEEPZOOM, 254, 1, 90, 2))
                    .write(rows, out, "big", new PyramidWriter.Stats(), () -> false);
        }
        try (SlideSource s = Slides.open(out.resolve("big.dzi"))) {
            assertEquals(1500, s.info().width());
            assertEquals(1100, s.info().height());
            RegionReader reader = new RegionReader(s);
            // JPEG at quality 90 alone gives 42.3 dB on this region and 33.9 dB on the twice-halved
            // image (more detail a pixel); tiles cut at 254k-1 shift the 4:2:0 chroma grid against
            // the sharp squares, measured 39.4 and 33.9 dB. A row or tile out of place is under 25.
            BufferedImage part = src.getSubimage(400, 300, 700, 600);
            double psnr0 = Pixels.psnr(part, reader.read(0, 400, 300, 700, 600).image());
            assertTrue(psnr0 > 38, "level 0 against the source: " + psnr0 + " dB");
            assertTrue(psnr0 > Pixels.jpegPsnr(part, 90) - 4, "level 0 within 4 dB of JPEG alone: " + psnr0 + " dB");
            // level 2 against a reference 2x box reduction, twice
            BufferedImage quarter = Pixels.halve(Pixels.halve(src));
            BufferedImage level2 = reader.read(2, 0, 0, quarter.getWidth(), quarter.getHeight()).image();
            double psnr2 = Pixels.psnr(quarter, level2);
            assertTrue(psnr2 > 32 && psnr2 > Pixels.jpegPsnr(quarter, 90) - 1,
                    "level 2 against the box-reduced source: " + psnr2 + " dB");
        }
    }

    /** A header that claims 10^6 x 10^6 pixels is refused from the header, before any pixel buffer. */
    @Test
    void absurdSizeFailsFromTheHeader() throws IOException {
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, true);
        TiffTestWriter.Img im = w.add();
        im.image(1_000_000, 1_000_000, 3, 8, NONE, RGB);
        im.strips(1, List.of(new byte[16]));
        Path f = dir.resolve("absurd.tif");
        Files.write(f, w.toBytes());
        SlideException e = assertThrows(SlideException.class, () -> TiffRows.open(f, BAND_BYTES).close());
        assertTrue(e.getMessage().contains("absurd.tif") && e.getMessage().contains("1000000x1000000 is not plausible"),
                e.getMessage());
    }

    /** A file cut short reads up to the cut, then fails naming the strip and the file's size. */
    @Test
    void cutFileFailsAtTheMissingStrip() throws IOException {
        BufferedImage src = TiffFixtures.pattern(120, 600, 2);
        TiffTestWriter w = new TiffTestWriter(ByteOrder.LITTLE_ENDIAN, true);
        TiffTestWriter.Img im = w.add();
        im.image(120, 600, 3, 8, NONE, RGB);
        im.strips(10, strips(src, 10, NONE, false));
        byte[] bytes = w.toBytes();
        // the last strip now points past the end, as in a copy cut short (the directory survives)
        long array = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
                .getLong((int) w.valueFieldOffset(im, TiffParser.TAG_STRIP_OFFSETS));
        bytes = TiffFixtures.patchLong(bytes, ByteOrder.LITTLE_ENDIAN, array + 8 * 59, true, bytes.length + 1000L);
        Path f = dir.resolve("cut.tif");
        Files.write(f, bytes);
        try (RowSource rows = TiffRows.open(f, BAND_BYTES)) {
            int[] buf = new int[rows.preferredBand() * 120];
            rows.read(0, rows.preferredBand(), buf);
            SlideException e = assertThrows(SlideException.class, () -> {
                for (int y = rows.preferredBand(); y < 600; y += rows.preferredBand()) {
                    rows.read(y, Math.min(rows.preferredBand(), 600 - y), buf);
                }
            });
            assertTrue(e.getMessage().contains("truncated TIFF: strip 59 (rows 590-599)"), e.getMessage());
        }
    }
}
