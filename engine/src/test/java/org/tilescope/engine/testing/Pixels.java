package org.tilescope.engine.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;

/** Pixel comparisons that say where images differ. */
public final class Pixels {
    private Pixels() {
    }

    /** Largest difference of any channel of any pixel. */
    public static int maxDiff(BufferedImage a, BufferedImage b) {
        assertEquals(a.getWidth(), b.getWidth(), "width");
        assertEquals(a.getHeight(), b.getHeight(), "height");
        int max = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                max = Math.max(max, diff(a.getRGB(x, y), b.getRGB(x, y)));
            }
        }
        return max;
    }

    /** Peak signal-to-noise ratio over the three channels, in dB (infinite for equal images). */
    public static double psnr(BufferedImage a, BufferedImage b) {
        assertEquals(a.getWidth(), b.getWidth(), "width");
        assertEquals(a.getHeight(), b.getHeight(), "height");
        double sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int s = 0; s <= 16; s += 8) {
                    int d = ((p >> s) & 0xFF) - ((q >> s) & 0xFF);
                    sum += d * d;
                }
            }
        }
        double mse = sum / (3.0 * a.getWidth() * a.getHeight());
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    /**
     * The PSNR JPEG alone reaches on an image at a quality (1-100), through the JDK's encoder and
     * decoder: the bound a JPEG-tiled copy of it can approach, whatever wrote the tiles.
     */
    public static double jpegPsnr(BufferedImage img, int quality) throws java.io.IOException {
        javax.imageio.ImageWriter w = org.tilescope.engine.decode.Images.jdkJpegWriter();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream out = javax.imageio.ImageIO.createImageOutputStream(bytes)) {
            w.setOutput(out);
            javax.imageio.ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality / 100f);
            w.write(null, new javax.imageio.IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
        return psnr(img, javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes.toByteArray())));
    }

    /**
     * The reference 2x box reduction, written from its definition rather than from the pyramid
     * writer's code: each pixel the rounded mean of a 2x2 block, an odd last column or row
     * averaged with itself (so the result is ceil(w / 2) x ceil(h / 2), as vips halves).
     */
    public static BufferedImage halve(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage out = new BufferedImage((w + 1) / 2, (h + 1) / 2, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                int[] block = {
                    src.getRGB(2 * x, 2 * y), src.getRGB(Math.min(2 * x + 1, w - 1), 2 * y),
                    src.getRGB(2 * x, Math.min(2 * y + 1, h - 1)),
                    src.getRGB(Math.min(2 * x + 1, w - 1), Math.min(2 * y + 1, h - 1)),
                };
                int rgb = 0;
                for (int s = 16; s >= 0; s -= 8) {
                    int sum = 0;
                    for (int p : block) {
                        sum += (p >> s) & 0xFF;
                    }
                    rgb |= ((sum + 2) / 4) << s;
                }
                out.setRGB(x, y, rgb);
            }
        }
        return out;
    }

    /** An ARGB image of one colour in three upright thirds: alpha 0, 128 and 255, left to right. */
    public static BufferedImage alphaThirds(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int alpha = x < w / 3 ? 0 : x < 2 * w / 3 ? 128 : 255;
                img.setRGB(x, y, alpha << 24 | rgb);
            }
        }
        return img;
    }

    /** Largest channel difference of two RGB values. */
    public static int diff(int p, int q) {
        int d = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            d = Math.max(d, Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF)));
        }
        return d;
    }

    /** Mean over the pixels of the largest channel difference. */
    public static double meanDiff(BufferedImage a, BufferedImage b) {
        assertEquals(a.getWidth(), b.getWidth(), "width");
        assertEquals(a.getHeight(), b.getHeight(), "height");
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                sum += diff(a.getRGB(x, y), b.getRGB(x, y));
            }
        }
        return (double) sum / ((long) a.getWidth() * a.getHeight());
    }

    /** Fails, naming the first differing pixel and how many differ, unless both are identical. */
    public static void assertSame(BufferedImage expected, BufferedImage actual, String what) {
        assertSameExcept(expected, actual, null, what);
    }

    /** Like {@link #assertSame} but ignoring the pixels inside {@code skip} (may be null). */
    public static void assertSameExcept(BufferedImage expected, BufferedImage actual, Rectangle skip, String what) {
        assertEquals(expected.getWidth(), actual.getWidth(), what + ": width");
        assertEquals(expected.getHeight(), actual.getHeight(), what + ": height");
        long differing = 0;
        String first = null;
        int worst = 0;
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                if (skip != null && skip.contains(x, y)) {
                    continue;
                }
                int e = expected.getRGB(x, y) & 0xFFFFFF;
                int a = actual.getRGB(x, y) & 0xFFFFFF;
                if (e != a) {
                    differing++;
                    worst = Math.max(worst, diff(e, a));
                    if (first == null) {
                        first = "(%d,%d) expected %06x but was %06x".formatted(x, y, e, a);
                    }
                }
            }
        }
        if (differing > 0) {
            fail(what + ": " + differing + " pixels differ (max channel diff " + worst + "), first at " + first);
        }
    }

    /** Number of pure white pixels inside a rectangle. */
    public static int whiteCount(BufferedImage img, Rectangle r) {
        int n = 0;
        for (int y = r.y; y < r.y + r.height; y++) {
            for (int x = r.x; x < r.x + r.width; x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == 0xFFFFFF) {
                    n++;
                }
            }
        }
        return n;
    }

    /** True when every pixel in the rectangle is pure white. */
    public static boolean allWhite(BufferedImage img, Rectangle r) {
        return whiteCount(img, r) == r.width * r.height;
    }

    /** A sub-image copy. */
    public static BufferedImage sub(BufferedImage img, Rectangle r) {
        return Fixtures.crop(img, r.x, r.y, r.width, r.height);
    }
}
