package org.tilescope.engine.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.tilescope.engine.testing.Failures;
import org.tilescope.engine.testing.Fixtures;
import org.tilescope.engine.testing.Pixels;

class ImageIoTileDecoderTest {
    private final TileDecoder decoder = TileDecoder.imageIo();

    @Test
    void imageIoDecoderIsNamedImageio() {
        assertEquals("imageio", decoder.name());
        assertSame(decoder, TileDecoder.imageIo());
    }

    @Test
    void rgbJpegDecodesToIntRgbCloseToTheSource() throws IOException {
        BufferedImage src = Fixtures.drawSource(97, 61);
        BufferedImage out = decoder.decode(Fixtures.encode(src, "jpg"));
        assertEquals(BufferedImage.TYPE_INT_RGB, out.getType());
        assertEquals(97, out.getWidth());
        assertEquals(61, out.getHeight());
        assertTrue(Pixels.meanDiff(src, out) < 4, "mean diff " + Pixels.meanDiff(src, out));
    }

    @Test
    void pngIsLossless() throws IOException {
        BufferedImage src = Fixtures.drawSource(50, 40);
        BufferedImage out = decoder.decode(Fixtures.encode(src, "png"));
        assertEquals(BufferedImage.TYPE_INT_RGB, out.getType());
        Pixels.assertSame(src, out, "png");
    }

    @Test
    void grayJpegKeepsItsValuesInEveryChannel() throws IOException {
        BufferedImage gray = new BufferedImage(40, 24, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = gray.getRaster();
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 40; x++) {
                r.setSample(x, y, 0, x < 20 ? 60 : 180);
            }
        }
        byte[] jpeg = Fixtures.jpeg(new IIOImage(gray, null, null), 0.95f);
        Raster raw = ImageIO.read(new ByteArrayInputStream(jpeg)).getRaster();
        assertEquals(1, raw.getNumBands(), "the fixture is a one-channel JPEG");
        BufferedImage out = decoder.decode(jpeg);
        assertEquals(BufferedImage.TYPE_INT_RGB, out.getType());
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 40; x++) {
                int g = raw.getSample(x, y, 0);
                assertEquals((g << 16) | (g << 8) | g, out.getRGB(x, y) & 0xFFFFFF, "pixel " + x + "," + y);
            }
        }
        assertTrue(Math.abs((out.getRGB(5, 5) & 0xFF) - 60) <= 2, "dark gray stays dark, not gamma-brightened");
    }

    @Test
    void grayPngKeepsItsValues() throws IOException {
        BufferedImage gray = new BufferedImage(16, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int x = 0; x < 16; x++) {
            for (int y = 0; y < 8; y++) {
                gray.getRaster().setSample(x, y, 0, x * 16);
            }
        }
        BufferedImage out = decoder.decode(png(gray));
        for (int x = 0; x < 16; x++) {
            int g = x * 16;
            assertEquals((g << 16) | (g << 8) | g, out.getRGB(x, 3) & 0xFFFFFF, "x " + x);
        }
    }

    @Test
    void sixteenBitGrayPngKeepsItsValues() throws IOException {
        BufferedImage gray = new BufferedImage(16, 8, BufferedImage.TYPE_USHORT_GRAY);
        for (int x = 0; x < 16; x++) {
            for (int y = 0; y < 8; y++) {
                gray.getRaster().setSample(x, y, 0, x * 16 * 257);
            }
        }
        BufferedImage out = decoder.decode(png(gray));
        for (int x = 0; x < 16; x++) {
            int g = x * 16;
            int actual = out.getRGB(x, 3) & 0xFF;
            assertTrue(Math.abs(actual - g) <= 1, "x " + x + ": gray " + g + " came out as " + actual);
        }
    }

    @Test
    void pngWithAlphaDecodesItsColours() throws IOException {
        BufferedImage argb = new BufferedImage(20, 10, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 20; x++) {
                argb.setRGB(x, y, x < 10 ? 0xFF336699 : 0x80CC4411);
            }
        }
        BufferedImage out = decoder.decode(png(argb));
        assertEquals(BufferedImage.TYPE_INT_RGB, out.getType());
        assertEquals(20, out.getWidth());
        assertEquals(0x336699, out.getRGB(3, 3) & 0xFFFFFF, "opaque pixels exact");
    }

    @Test
    void palettePngDecodes() throws IOException {
        BufferedImage indexed = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED);
        indexed.setRGB(1, 1, 0xFF0000);
        BufferedImage out = decoder.decode(png(indexed));
        assertEquals(BufferedImage.TYPE_INT_RGB, out.getType());
        assertEquals(0xFF0000, out.getRGB(1, 1) & 0xFFFFFF);
    }

    @Test
    void adobeCmykJpegDecodes() throws IOException {
        WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 48, 16, 4, null);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 48; x++) {
                // Adobe CMYK stores ink inverted: 255 = no ink
                int[] ink = x < 16 ? new int[] {0, 0, 0, 0} : x < 32 ? new int[] {0, 0, 0, 255} : new int[] {255, 0, 0, 0};
                cmyk.setPixel(x, y, new int[] {255 - ink[0], 255 - ink[1], 255 - ink[2], 255 - ink[3]});
            }
        }
        byte[] plain = Fixtures.jpeg(new IIOImage(cmyk, null, null), 0.95f);
        // APP14 "Adobe", version 100, flags 0, transform 0 (CMYK), right after SOI
        byte[] app14 = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        byte[] jpeg = new byte[plain.length + app14.length];
        System.arraycopy(plain, 0, jpeg, 0, 2);
        System.arraycopy(app14, 0, jpeg, 2, app14.length);
        System.arraycopy(plain, 2, jpeg, 2 + app14.length, plain.length - 2);

        BufferedImage out = decoder.decode(jpeg);
        assertEquals(BufferedImage.TYPE_INT_RGB, out.getType());
        assertEquals(48, out.getWidth());
        assertEquals(16, out.getHeight());
        int paper = out.getRGB(8, 8);
        int black = out.getRGB(24, 8);
        int cyan = out.getRGB(40, 8);
        assertTrue(min(paper) > 230, "no ink is near white: " + Integer.toHexString(paper));
        assertTrue(max(black) < 90, "full K is dark: " + Integer.toHexString(black));
        int r = (cyan >> 16) & 0xFF;
        int g = (cyan >> 8) & 0xFF;
        int b = cyan & 0xFF;
        assertTrue(r < g - 60 && r < b - 60, "cyan ink has little red: " + Integer.toHexString(cyan));
    }

    @Test
    void truncatedJpegSaysTruncated() {
        byte[] jpeg = Fixtures.encode(Fixtures.drawSource(64, 64), "jpg");
        byte[] half = Arrays.copyOf(jpeg, jpeg.length / 2);
        IOException e = assertTimeoutPreemptively(Failures.HANG_GUARD,
                () -> assertThrows(IOException.class, () -> decoder.decode(half)));
        assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedPngFails() {
        byte[] png = Fixtures.encode(Fixtures.drawSource(64, 64), "png");
        byte[] half = Arrays.copyOf(png, png.length / 2);
        assertTimeoutPreemptively(Failures.HANG_GUARD, () -> assertThrows(IOException.class, () -> decoder.decode(half)));
    }

    @Test
    void garbageIsNotAnImage() {
        byte[] junk = new byte[2000];
        new Random(1).nextBytes(junk);
        junk[0] = 0x11;
        IOException e = assertThrows(IOException.class, () -> decoder.decode(junk));
        assertTrue(e.getMessage().contains("not a JPEG, PNG or TIFF"), e.getMessage());
    }

    @Test
    void garbageAfterAJpegHeaderFailsCleanly() {
        byte[] junk = new byte[3000];
        new Random(2).nextBytes(junk);
        junk[0] = (byte) 0xFF;
        junk[1] = (byte) 0xD8;
        junk[2] = (byte) 0xFF;
        junk[junk.length - 2] = (byte) 0xFF;
        junk[junk.length - 1] = (byte) 0xD9;
        IOException e = assertTimeoutPreemptively(Failures.HANG_GUARD,
                () -> assertThrows(IOException.class, () -> decoder.decode(junk)));
        assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a message says what is wrong");
    }

    @Test
    void emptyInputIsRefused() {
        assertThrows(IOException.class, () -> decoder.decode(new byte[0]));
    }

    @Test
    void sniffTellsCodecsApart() {
        assertEquals(ImageCodec.JPEG, ImageCodec.sniff(Fixtures.encode(Fixtures.drawSource(4, 4), "jpg")));
        assertEquals(ImageCodec.PNG, ImageCodec.sniff(Fixtures.encode(Fixtures.drawSource(4, 4), "png")));
        assertEquals(ImageCodec.TIFF, ImageCodec.sniff(new byte[] {'I', 'I', 42, 0}));
        assertEquals(ImageCodec.TIFF, ImageCodec.sniff(new byte[] {'M', 'M', 0, 42}));
        assertEquals(ImageCodec.UNKNOWN, ImageCodec.sniff(new byte[] {1, 2}));
    }

    @Test
    void jpegEndMarkerAllowsPaddingButNotAHalfFile() {
        byte[] jpeg = Fixtures.encode(Fixtures.drawSource(32, 32), "jpg");
        assertTrue(ImageCodec.jpegHasEndMarker(jpeg));
        assertTrue(ImageCodec.jpegHasEndMarker(Arrays.copyOf(jpeg, jpeg.length + 16)), "zero padding");
        assertFalse(ImageCodec.jpegHasEndMarker(Arrays.copyOf(jpeg, jpeg.length / 2)));
    }

    @Test
    void grayConversionIsSampleForSample() {
        BufferedImage gray = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 100, 255});
        BufferedImage rgb = Images.toIntRgb(gray);
        assertEquals(0x000000, rgb.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x646464, rgb.getRGB(1, 0) & 0xFFFFFF);
        assertEquals(0xFFFFFF, rgb.getRGB(2, 0) & 0xFFFFFF);
    }

    private static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "png", out));
        return out.toByteArray();
    }

    private static int min(int rgb) {
        return Math.min((rgb >> 16) & 0xFF, Math.min((rgb >> 8) & 0xFF, rgb & 0xFF));
    }

    private static int max(int rgb) {
        return Math.max((rgb >> 16) & 0xFF, Math.max((rgb >> 8) & 0xFF, rgb & 0xFF));
    }
}
