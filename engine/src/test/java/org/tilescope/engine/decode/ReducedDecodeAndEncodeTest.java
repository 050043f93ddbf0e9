package org.tilescope.engine.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tilescope.engine.decode.TestJpegs.Layout;
import org.tilescope.engine.testing.Fixtures;
import org.tilescope.engine.testing.Pixels;

/** Reduced decoding (libjpeg-turbo's DCT scaling, or decode and box filter) and the tile encoders. */
class ReducedDecodeAndEncodeTest {

    private static List<TileDecoder> decoders() {
        List<TileDecoder> d = new ArrayList<>(List.of(TileDecoder.imageIo()));
        TileDecoder.turbo().ifPresent(d::add);
        return d;
    }

    /** Sizes round up; pixels are the box filter of the full decode, within what DCT scaling changes. */
    @ParameterizedTest(name = "{0} {1}x{2} at 1/{3}")
    @CsvSource({"YCC_420, 256, 256, 2", "YCC_420, 256, 256, 4", "YCC_420, 256, 256, 8", "YCC_444, 256, 256, 8",
            "YCC_420, 253, 17, 2", "YCC_420, 253, 17, 8", "YCC_444, 3, 5, 4", "YCC_420, 512, 240, 8"})
    void reducedIsTheBoxFilterOfTheFullDecode(Layout layout, int w, int h, int denominator) throws IOException {
        byte[] jpeg = TestJpegs.jpeg(Fixtures.drawSource(w, h), layout);
        for (TileDecoder d : decoders()) {
            BufferedImage full = d.decode(jpeg);
            BufferedImage boxed = Images.shrink(full, 0, 0, w, h, denominator);
            BufferedImage reduced = d.decodeReduced(jpeg, denominator);
            assertEquals(Math.ceilDiv(w, denominator), reduced.getWidth(), d.name());
            assertEquals(Math.ceilDiv(h, denominator), reduced.getHeight(), d.name());
            assertEquals(BufferedImage.TYPE_INT_RGB, reduced.getType(), d.name());
            // an image cut mid-block is scaled as if its last block were whole: compare whole blocks
            int cw = w / 8 * 8 / denominator;
            int ch = h / 8 * 8 / denominator;
            if (cw > 0 && ch > 0) {
                BufferedImage a = Images.copy(boxed, 0, 0, cw, ch);
                BufferedImage b = Images.copy(reduced, 0, 0, cw, ch);
                assertTrue(Pixels.meanDiff(a, b) < 2.5, d.name() + " mean " + Pixels.meanDiff(a, b));
                assertTrue(Pixels.maxDiff(a, b) <= 24, d.name() + " max " + Pixels.maxDiff(a, b));
            }
        }
    }

    @Test
    void turboReducesInTheDecoder() throws IOException {
        TileDecoder turbo = TileDecoder.turbo().orElse(null);
        assumeTrue(turbo != null, "libjpeg-turbo unavailable");
        byte[] jpeg = TestJpegs.jpeg(Fixtures.drawSource(256, 256), Layout.YCC_420);
        // a full decode box-filtered by 8 differs from DCT scaling somewhere: this is not the default path
        BufferedImage full = turbo.decode(jpeg);
        BufferedImage boxed = Images.shrink(full, 0, 0, 256, 256, 8);
        assertTrue(Pixels.maxDiff(boxed, turbo.decodeReduced(jpeg, 8)) > 0);
    }

    @Test
    void onlyDecoderScalings() {
        byte[] jpeg = TestJpegs.jpeg(Fixtures.drawSource(16, 16), Layout.YCC_420);
        for (TileDecoder d : decoders()) {
            assertThrows(IllegalArgumentException.class, () -> d.decodeReduced(jpeg, 3));
            assertThrows(IllegalArgumentException.class, () -> d.decodeReduced(jpeg, 16));
        }
    }

    @Test
    void shrinkAveragesWhatAnEdgeBlockHas() {
        BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                img.setRGB(x, y, (x * 40) << 16 | (y * 60) << 8 | 7);
            }
        }
        BufferedImage s = Images.shrink(img, 1, 0, 4, 3, 2); // columns 1..4, rows 0..2
        assertEquals(2, s.getWidth());
        assertEquals(2, s.getHeight());
        assertEquals((60 << 16) | (30 << 8) | 7, s.getRGB(0, 0) & 0xFFFFFF);   // x 40,80 y 0,60
        assertEquals((140 << 16) | (120 << 8) | 7, s.getRGB(1, 1) & 0xFFFFFF); // one row: x 120,160 y 120
    }

    @Test
    void encodedTilesDecodeBackCloseToThePixels() throws IOException {
        BufferedImage tile = Fixtures.drawSource(256, 200);
        List<TileEncoder> encoders = new ArrayList<>(List.of(TileEncoder.imageIo(), TileEncoder.standard()));
        for (TileEncoder e : encoders) {
            byte[] jpeg = e.encode(tile);
            assertEquals(ImageCodec.JPEG, ImageCodec.sniff(jpeg), e.name());
            for (TileDecoder d : decoders()) {
                BufferedImage back = d.decode(jpeg);
                assertEquals(256, back.getWidth());
                assertEquals(200, back.getHeight());
                assertTrue(Pixels.meanDiff(tile, back) < 1.5, e.name() + " -> " + d.name() + " mean " + Pixels.meanDiff(tile, back));
            }
            // 4:4:4: colour at full resolution
            int[] sampling = TestJpegs.samplingFactors(jpeg);
            for (int f : sampling) {
                assertEquals(0x11, f, e.name() + " sampling " + java.util.Arrays.toString(sampling));
            }
        }
    }

    @Test
    void turboEncoderIsTheStandardOneWhenTurboDecodes() {
        assumeTrue(TileDecoder.standard().name().equals("libjpeg-turbo"), "libjpeg-turbo is not the decoder here");
        assertEquals("libjpeg-turbo", TileEncoder.standard().name());
    }
}
