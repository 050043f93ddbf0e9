package org.tilescope.app.render;

import java.util.Locale;

/** Round scale-bar lengths: 1, 2 or 5 times a power of ten, in µm or mm. */
public final class ScaleBar {
    private ScaleBar() {
    }

    /** A bar to draw: its length in screen pixels and its label. */
    public record Bar(double pixels, String label) {
    }

    /**
     * The longest round length whose bar is at most {@code maxPixels} long.
     *
     * @param micronsPerScreenPixel µm one screen pixel covers now
     */
    public static Bar choose(double micronsPerScreenPixel, double maxPixels) {
        double maxMicrons = micronsPerScreenPixel * maxPixels;
        double pow = Math.pow(10, Math.floor(Math.log10(maxMicrons)));
        double best = pow;
        for (double m : new double[] {5, 2, 1}) {
            if (m * pow <= maxMicrons) {
                best = m * pow;
                break;
            }
        }
        return new Bar(best / micronsPerScreenPixel, label(best));
    }

    /** A bar in slide pixels when the slide has no MPP. */
    public static Bar choosePixels(double slidePixelsPerScreenPixel, double maxPixels) {
        Bar b = choose(slidePixelsPerScreenPixel, maxPixels);
        double px = b.pixels() * slidePixelsPerScreenPixel;
        return new Bar(b.pixels(), String.format(Locale.ROOT, "%s px", trim(px)));
    }

    static String label(double microns) {
        if (microns >= 1000) {
            return trim(microns / 1000) + " mm";
        }
        if (microns >= 1) {
            return trim(microns) + " µm";
        }
        return trim(microns * 1000) + " nm";
    }

    private static String trim(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9) {
            return Long.toString(Math.round(v));
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
