package org.tilescope.engine.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tilescope.engine.decode.TileEncoder.Subsampling;
import org.tilescope.engine.testing.Fixtures;
import org.tilescope.engine.testing.Pixels;
import org.tilescope.engine.testing.ChildJvm;

/** Encoders of a set quality and subsampling, fed int RGB arrays: what the pyramid writer uses. */
class JpegEncoderOptionsTest {

    /** Both implementations, libjpeg-turbo first when it loads here. */
    private static List<TileEncoder> encoders(int quality, Subsampling s) {
        List<TileEncoder> out = new ArrayList<>();
        TileEncoder standard = TileEncoder.jpeg(quality, s);
        out.add(standard);
        if (!standard.name().equals("imageio")) {
            out.add(TileEncoder.imageIo(quality, s));
        }
        return out;
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @Test
    void the420EncodersWriteLumaTwoByTwoAndDecodeBackCloseToTheArray() throws IOException {
        BufferedImage picture = Fixtures.drawSource(254, 190);
        int[] px = pixels(picture);
        int[] before = px.clone();
        for (TileEncoder e : encoders(80, Subsampling.YCC_420)) {
            assertEquals(80, e.quality());
            assertEquals(Subsampling.YCC_420, e.subsampling());
            byte[] jpeg = e.encodeRgb(px, 254, 190);
            assertArrayEquals(before, px, e.name() + " leaves the array as it was");
            assertArrayEquals(new int[] {0x22, 0x11, 0x11}, TestJpegs.samplingFactors(jpeg), e.name() + " writes 4:2:0");
            BufferedImage back = TileDecoder.imageIo().decode(jpeg);
            assertEquals(254, back.getWidth());
            assertEquals(190, back.getHeight());
            double mean = Pixels.meanDiff(picture, back);
            assertTrue(mean < 2, e.name() + " mean error " + mean);
        }
    }

    @Test
    void the444EncodersSampleEveryComponentOneByOne() throws IOException {
        int[] px = pixels(TestJpegs.picture(64, 48, 4));
        for (TileEncoder e : encoders(80, Subsampling.YCC_444)) {
            assertArrayEquals(new int[] {0x11, 0x11, 0x11}, TestJpegs.samplingFactors(e.encodeRgb(px, 64, 48)), e.name());
        }
    }

    @Test
    void higherQualityMeansMoreBytesAndLessError() throws IOException {
        BufferedImage picture = TestJpegs.picture(256, 256, 5);
        int[] px = pixels(picture);
        for (Subsampling s : Subsampling.values()) {
            for (int i = 0; i < encoders(30, s).size(); i++) {
                TileEncoder low = encoders(30, s).get(i);
                TileEncoder mid = encoders(70, s).get(i);
                TileEncoder high = encoders(95, s).get(i);
                byte[] a = low.encodeRgb(px, 256, 256);
                byte[] b = mid.encodeRgb(px, 256, 256);
                byte[] c = high.encodeRgb(px, 256, 256);
                String what = low.name() + " " + s + ": " + a.length + " < " + b.length + " < " + c.length;
                assertTrue(a.length < b.length && b.length < c.length, what);
                double errLow = Pixels.meanDiff(picture, TileDecoder.imageIo().decode(a));
                double errHigh = Pixels.meanDiff(picture, TileDecoder.imageIo().decode(c));
                assertTrue(errHigh < errLow, what + ", error " + errLow + " -> " + errHigh);
            }
        }
    }

    @Test
    void libjpegTurboAndTheJdkWriterAgreeAtTheSameSettings() throws IOException {
        TileEncoder turbo = TileEncoder.jpeg(80, Subsampling.YCC_420);
        assumeTrue(turbo.name().equals("libjpeg-turbo"), "libjpeg-turbo is not loaded here");
        assertEquals(TileEncoder.standard().name(), turbo.name(), "the same library as made levels");
        int[] px = pixels(TestJpegs.picture(200, 120, 6));
        BufferedImage a = TileDecoder.imageIo().decode(turbo.encodeRgb(px, 200, 120));
        BufferedImage b = TileDecoder.imageIo().decode(TileEncoder.imageIo(80, Subsampling.YCC_420).encodeRgb(px, 200, 120));
        // both IJG's quantisation, colour conversion, downsampling and accurate integer DCT (what
        // libvips writes too): the same pixels whichever encoder wrote the pyramid
        assertEquals(0, Pixels.maxDiff(a, b), "mean difference " + Pixels.meanDiff(a, b));
    }

    @Test
    void anArrayTooSmallForTheSizeIsRefused() {
        for (TileEncoder e : encoders(80, Subsampling.YCC_420)) {
            assertThrows(IllegalArgumentException.class, () -> e.encodeRgb(new int[99], 10, 10), e.name());
            assertThrows(IllegalArgumentException.class, () -> e.encodeRgb(new int[10], 0, 10), e.name());
        }
        assertThrows(IllegalArgumentException.class, () -> TileEncoder.jpeg(0, Subsampling.YCC_420));
        assertThrows(IllegalArgumentException.class, () -> TileEncoder.imageIo(101, Subsampling.YCC_420));
    }

    /** Child JVM: prints the encoder chosen for a written pyramid and checks one tile it makes. */
    public static void main(String[] args) throws IOException {
        TileEncoder e = TileEncoder.jpeg(75, Subsampling.YCC_420);
        int[] px = pixels(TestJpegs.picture(48, 32, 7));
        byte[] jpeg = e.encodeRgb(px, 48, 32);
        int[] f = TestJpegs.samplingFactors(jpeg);
        BufferedImage back = TileDecoder.imageIo().decode(jpeg);
        System.out.println("encoder=" + e.name() + " sampling=" + Integer.toHexString(f[0]) + " size="
                + back.getWidth() + "x" + back.getHeight());
    }

    @Test
    void forcingImageIoDecodingForcesTheJdkEncoderAtTheSameSettings() throws Exception {
        ChildJvm.Result r = ChildJvm.run(JpegEncoderOptionsTest.class, "-Dtilescope.decoder=imageio",
                "--enable-native-access=ALL-UNNAMED");
        String out = r.output();
        assertEquals(0, r.code(), out);
        assertTrue(out.contains("encoder=imageio sampling=22 size=48x32"), out);
    }
}
