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
