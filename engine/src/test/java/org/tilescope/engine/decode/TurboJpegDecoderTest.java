package org.tilescope.engine.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tilescope.engine.decode.TestJpegs.Layout;

/**
 * libjpeg-turbo must give ImageIO's pixels up to IDCT rounding, refuse what ImageIO refuses, and
 * hand over what it would colour differently. Skipped, with a message, where libturbojpeg is absent.
 */
class TurboJpegDecoderTest {
    /** Both decoders use the accurate integer IDCT, but upsampling and rounding differ slightly. */
    private static final int MAX_DIFF = 2;
    private static final double MAX_MEAN_DIFF = 0.5;

    private final TileDecoder imageIo = TileDecoder.imageIo();

    /** The libjpeg-turbo decoder; skips the calling test, with a message, where it is unavailable. */
    static TileDecoder turbo() {
        Optional<TileDecoder> turbo = TileDecoder.turbo();
        if (turbo.isEmpty()) {
            System.err.println("SKIPPED libjpeg-turbo test: " + DecoderSelection.turboStatus());
        }
        assumeTrue(turbo.isPresent(), () -> "libjpeg-turbo unavailable: " + DecoderSelection.turboStatus());
        return turbo.get();
    }

    @ParameterizedTest(name = "{0} {1}x{2}")
    @CsvSource({
            "YCC_444, 256, 256", "YCC_420, 256, 256", "YCC_444, 512, 512", "YCC_420, 512, 512",
            "YCC_420, 253, 17", "YCC_444, 253, 17", "YCC_420, 17, 253", "YCC_420, 1, 1",
            "YCC_444, 3, 5", "YCC_420, 255, 257", "ADOBE_RGB, 254, 256"})
    void samePixelsAsImageIo(Layout layout, int w, int h) throws IOException {
        TileDecoder turbo = turbo();
        byte[] jpeg = TestJpegs.jpeg(TestJpegs.picture(w, h, w * 31L + h), layout);
        assertSampling(layout, jpeg);
        BufferedImage fast = turbo.decode(jpeg);
        assertEquals(BufferedImage.TYPE_INT_RGB, fast.getType());
        assertClose(imageIo.decode(jpeg), fast, layout + " " + w + "x" + h);
    }

    /** Without the Adobe transform=0 rule, RGB samples would be read as YCbCr and come out purple. */
    @Test
    void adobeTransformZeroMeansRgb() throws IOException {
        TileDecoder turbo = turbo();
        BufferedImage source = TestJpegs.picture(64, 48, 7);
        byte[] jpeg = TestJpegs.jpeg(source, Layout.ADOBE_RGB, 0.98f);
        assertTrue(TestJpegs.hasSegment(jpeg, 0xEE, "Adobe"), "fixture has an APP14 Adobe marker");
        assertEquals(0, TestJpegs.adobeTransform(jpeg), "fixture's Adobe transform");
        assertFalse(TestJpegs.hasSegment(jpeg, 0xE0, "JFIF"), "fixture has no JFIF marker");
        BufferedImage fast = turbo.decode(jpeg);
        // Against the source pixels, not just ImageIO: both decoders could be wrong the same way.
        Diff d = Diff.of(source, fast);
        assertTrue(d.max() <= 24 && d.mean() <= 3, "decoded close to the RGB source: " + d);
        assertClose(imageIo.decode(jpeg), fast, "Adobe RGB");
    }

    @Test
    void grayComesOutWithEqualChannels() throws IOException {
        TileDecoder turbo = turbo();
        byte[] jpeg = TestJpegs.jpeg(TestJpegs.grayPicture(253, 17, 3), Layout.YCC_420);
        assertEquals(1, TestJpegs.samplingFactors(jpeg).length, "fixture is a one-component JPEG");
        BufferedImage fast = turbo.decode(jpeg);
        BufferedImage slow = imageIo.decode(jpeg);
        for (int y = 0; y < fast.getHeight(); y++) {
            for (int x = 0; x < fast.getWidth(); x++) {
                int p = fast.getRGB(x, y);
                int g = p & 0xFF;
                assertEquals(g, (p >> 8) & 0xFF, "G at " + x + "," + y);
                assertEquals(g, (p >> 16) & 0xFF, "R at " + x + "," + y);
            }
        }
        // Gray has no colour conversion or upsampling, so the only difference left is the IDCT.
        assertClose(slow, fast, "gray");
    }

    /** Larger than the per-thread buffer kept between tiles: decoded through a one-off buffer. */
    @Test
    void largeImageUsesTemporaryBuffer() throws IOException {
        TileDecoder turbo = turbo();
        byte[] big = TestJpegs.jpeg(TestJpegs.picture(2100, 2050, 11), Layout.YCC_420);
        byte[] small = TestJpegs.jpeg(TestJpegs.picture(40, 30, 12), Layout.YCC_420);
        assertClose(imageIo.decode(big), turbo.decode(big), "big");
        assertClose(imageIo.decode(small), turbo.decode(small), "small after big");
        assertClose(imageIo.decode(big), turbo.decode(big), "big again");
    }

    @Test
    void truncatedJpegIsAnErrorNotAGrayTile() throws IOException {
        TileDecoder turbo = turbo();
        byte[] jpeg = TestJpegs.jpeg(TestJpegs.picture(256, 256, 5), Layout.YCC_420);
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);
        IOException noEnd = assertThrows(IOException.class, () -> turbo.decode(cut));
        assertTrue(noEnd.getMessage().contains("truncated"), noEnd.getMessage());

        // Cut in the middle of the scan but given an end marker: only the decoder can tell.
        byte[] patched = Arrays.copyOf(cut, cut.length + 2);
        patched[cut.length] = (byte) 0xFF;
        patched[cut.length + 1] = (byte) 0xD9;
        IOException damaged = assertThrows(IOException.class, () -> turbo.decode(patched));
        assertTrue(damaged.getMessage().startsWith("damaged JPEG: "), damaged.getMessage());
    }

    @Test
    void garbageIsAnError() throws IOException {
        TileDecoder turbo = turbo();
        Random rnd = new Random(42);
        byte[] noise = new byte[5000];
        rnd.nextBytes(noise);
        assertThrows(IOException.class, () -> turbo.decode(noise));
        assertThrows(IOException.class, () -> turbo.decode(new byte[0]));

        // Looks like a JPEG at both ends, noise in between.
        byte[] fake = noise.clone();
        fake[0] = (byte) 0xFF;
        fake[1] = (byte) 0xD8;
        fake[2] = (byte) 0xFF;
        fake[fake.length - 2] = (byte) 0xFF;
        fake[fake.length - 1] = (byte) 0xD9;
        IOException e = assertThrows(IOException.class, () -> turbo.decode(fake));
        assertTrue(e.getMessage().contains("JPEG"), e.getMessage());

        // A valid header with a scrambled scan.
        byte[] jpeg = TestJpegs.jpeg(TestJpegs.picture(128, 128, 6), Layout.YCC_420);
        byte[] scrambled = jpeg.clone();
        for (int i = jpeg.length / 2; i < jpeg.length - 2; i++) {
            scrambled[i] = (byte) rnd.nextInt(256);
        }
        assertThrows(IOException.class, () -> turbo.decode(scrambled));

        // Still right afterwards on the same thread: a failed header read must not poison the handle.
        assertClose(imageIo.decode(jpeg), turbo.decode(jpeg), "after errors");
    }

    @Test
    void pngAndIccTaggedJpegGoToImageIo() throws IOException {
        TileDecoder turbo = turbo();
        BufferedImage src = TestJpegs.picture(30, 20, 8);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(src, "png", png);
        assertPixelsEqual(imageIo.decode(png.toByteArray()), turbo.decode(png.toByteArray()));

        byte[] jpeg = TestJpegs.jpeg(src, Layout.YCC_420);
        byte[] tagged = withIccSegment(jpeg, ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
        assertFalse(JpegMarkers.needsColourManagement(jpeg));
        assertTrue(JpegMarkers.needsColourManagement(tagged));
        assertPixelsEqual(imageIo.decode(tagged), turbo.decode(tagged));
    }

    @Test
    void cmykJpegGoesToImageIo() throws IOException {
        TileDecoder turbo = turbo();
        byte[] cmyk = cmykJpeg();
        BufferedImage slow = imageIo.decode(cmyk);
        assertPixelsEqual(slow, turbo.decode(cmyk));
    }

    /** Each thread has its own TurboJPEG handle; sharing one would mix up tiles. */
    @Test
    void fourThreadsDecodeDifferentTilesCorrectly() throws Exception {
        TileDecoder turbo = turbo();
        List<byte[]> tiles = new ArrayList<>();
        List<BufferedImage> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int size = i % 2 == 0 ? 256 : 200 + i;
            byte[] jpeg = TestJpegs.jpeg(TestJpegs.picture(size, size, 100 + i), i % 3 == 0 ? Layout.YCC_444 : Layout.YCC_420);
            tiles.add(jpeg);
            expected.add(turbo.decode(jpeg));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                results.add(pool.submit(() -> {
                    int done = 0;
                    for (int round = 0; round < 25; round++) {
                        int i = (first + round * 3) % tiles.size();
                        assertPixelsEqual(expected.get(i), turbo.decode(tiles.get(i)));
                        done++;
                    }
                    return done;
                }));
            }
            for (Future<Integer> f : results) {
                assertEquals(25, f.get());
            }
        }
    }

    /** Real Deep Zoom (256 px, overlap 1) and FastPATH (512 px) tiles written by libvips. */
    @Test
    void corpusTilesMatchImageIo() throws IOException {
        TileDecoder turbo = turbo();
        Path corpus = Path.of(System.getProperty("tilescope.corpus", "../../shared/corpus"));
        if (!Files.isDirectory(corpus)) {
            System.err.println("SKIPPED corpus decode test: " + corpus.toAbsolutePath() + " not found");
        }
        assumeTrue(Files.isDirectory(corpus), "corpus not found at " + corpus);
        List<Path> tiles = new ArrayList<>();
        try (Stream<Path> slides = Files.list(corpus.resolve("library"))) {
            for (Path dir : slides.filter(p -> p.getFileName().toString().endsWith("_files")).sorted().toList()) {
                tiles.addAll(everyNth(dir.resolve("12"), 8));
            }
        }
        tiles.addAll(everyNth(corpus.resolve("fastpath/C24-0402_stomach_HE_tiles.fastpath/tiles_files/4"), 2));
        assertTrue(tiles.size() > 100, "found " + tiles.size() + " corpus tiles");
        for (Path tile : tiles) {
            byte[] jpeg = Files.readAllBytes(tile);
            assertClose(imageIo.decode(jpeg), turbo.decode(jpeg), tile.toString());
        }
    }

    @Test
    void corpusBrokenTilesAreErrors() throws IOException {
        TileDecoder turbo = turbo();
        Path broken = Path.of(System.getProperty("tilescope.corpus", "../../shared/corpus")).resolve("broken");
        if (!Files.isDirectory(broken)) {
            System.err.println("SKIPPED corpus broken-tile test: " + broken.toAbsolutePath() + " not found");
        }
        assumeTrue(Files.isDirectory(broken), "corpus not found at " + broken);
        for (String name : List.of("truncated_tile_files/11/3_2.jpg", "random_tile_files/11/3_2.jpg")) {
            byte[] bytes = Files.readAllBytes(broken.resolve(name));
            assertThrows(IOException.class, () -> turbo.decode(bytes), name);
        }
    }

    private static List<Path> everyNth(Path dir, int n) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> all = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
            List<Path> picked = new ArrayList<>();
            for (int i = 0; i < all.size(); i += n) {
                picked.add(all.get(i));
            }
            return picked;
        }
    }

    private static void assertSampling(Layout layout, byte[] jpeg) {
        int[] f = TestJpegs.samplingFactors(jpeg);
        int luma = layout == Layout.YCC_420 ? 0x22 : 0x11;
        assertArrayEquals(new int[] {luma, 0x11, 0x11}, f, "fixture sampling factors for " + layout);
    }

    static void assertClose(BufferedImage expected, BufferedImage actual, String what) {
        Diff d = Diff.of(expected, actual);
        assertTrue(d.max() <= MAX_DIFF && d.mean() <= MAX_MEAN_DIFF, what + ": " + d);
    }

    static void assertPixelsEqual(BufferedImage expected, BufferedImage actual) {
        assertEquals(expected.getWidth(), actual.getWidth());
        assertEquals(expected.getHeight(), actual.getHeight());
        assertArrayEquals(pixels(expected), pixels(actual));
    }

    private static int[] pixels(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) {
            int[] data = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
            return Arrays.stream(data).map(p -> p & 0xFFFFFF).toArray();
        }
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    /** Worst channel's largest and mean absolute difference. */
    record Diff(int max, double mean) {
        static Diff of(BufferedImage a, BufferedImage b) {
            assertEquals(a.getWidth(), b.getWidth(), "width");
            assertEquals(a.getHeight(), b.getHeight(), "height");
            int max = 0;
            long[] sum = new long[3];
            for (int y = 0; y < a.getHeight(); y++) {
                for (int x = 0; x < a.getWidth(); x++) {
                    int p = a.getRGB(x, y);
                    int q = b.getRGB(x, y);
                    for (int c = 0; c < 3; c++) {
                        int d = Math.abs(((p >> (8 * c)) & 0xFF) - ((q >> (8 * c)) & 0xFF));
                        max = Math.max(max, d);
                        sum[c] += d;
                    }
                }
            }
            long n = (long) a.getWidth() * a.getHeight();
            double mean = Arrays.stream(sum).max().orElse(0) / (double) n;
            return new Diff(max, mean);
        }
    }

    /** Inserts the profile as a single APP2 ICC_PROFILE segment right after SOI. */
    private static byte[] withIccSegment(byte[] jpeg, byte[] profile) {
        byte[] tag = "ICC_PROFILE\0\1\1".getBytes(StandardCharsets.ISO_8859_1);
        byte[] payload = Arrays.copyOf(tag, tag.length + profile.length);
        System.arraycopy(profile, 0, payload, tag.length, profile.length);
        byte[] out = new byte[jpeg.length + 4 + payload.length];
        out[0] = (byte) 0xFF;
        out[1] = (byte) 0xD8;
        out[2] = (byte) 0xFF;
        out[3] = (byte) 0xE2;
        out[4] = (byte) ((payload.length + 2) >> 8);
        out[5] = (byte) (payload.length + 2);
        System.arraycopy(payload, 0, out, 6, payload.length);
        System.arraycopy(jpeg, 2, out, 6 + payload.length, jpeg.length - 2);
        return out;
    }

    /** A four-component JPEG written from a raw raster: what libjpeg reads as CMYK. */
    private static byte[] cmykJpeg() throws IOException {
        java.awt.image.WritableRaster raster = java.awt.image.Raster.createInterleavedRaster(
                java.awt.image.DataBuffer.TYPE_BYTE, 48, 32, 4, null);
        Random rnd = new Random(9);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 48; x++) {
                raster.setPixel(x, y, new int[] {x * 5, y * 7, 60 + rnd.nextInt(20), 30});
            }
        }
        javax.imageio.ImageWriter writer = null;
        for (var it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
            javax.imageio.ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.imageio.")) {
                writer = w;
            }
        }
        assertTrue(writer != null && writer.canWriteRasters());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new javax.imageio.IIOImage(raster, null, null), null);
        } finally {
            writer.dispose();
        }
        assertEquals(4, TestJpegs.samplingFactors(bytes.toByteArray()).length, "fixture has four components");
        return bytes.toByteArray();
    }
}
