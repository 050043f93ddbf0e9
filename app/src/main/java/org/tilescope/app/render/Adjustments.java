package org.tilescope.app.render;

/**
 * Brightness, contrast and gamma for the view, as one 256-entry look-up table applied per
 * channel at paint time: the tiles and caches stay untouched, so panning costs nothing extra
 * beyond one table pass over the frame, and only while an adjustment is on.
 *
 * @param brightness -1..1 (added, as a fraction of full scale)
 * @param contrast   0..3 (1 = unchanged; scales around mid-gray)
 * @param gamma      0.2..5 (1 = unchanged)
 */
public record Adjustments(double brightness, double contrast, double gamma) {
    public static final Adjustments NONE = new Adjustments(0, 1, 1);

    public Adjustments {
        brightness = Math.clamp(brightness, -1, 1);
        contrast = Math.clamp(contrast, 0, 3);
        gamma = Math.clamp(gamma, 0.2, 5);
    }

    public boolean isIdentity() {
        return brightness == 0 && contrast == 1 && gamma == 1;
    }

    /** The table: out = ((in/255)^(1/gamma) - 0.5) * contrast + 0.5 + brightness, clamped. */
    public int[] table() {
        int[] lut = new int[256];
        for (int i = 0; i < 256; i++) {
            double v = Math.pow(i / 255.0, 1 / gamma);
            v = (v - 0.5) * contrast + 0.5 + brightness;
            lut[i] = (int) Math.round(Math.clamp(v, 0, 1) * 255);
        }
        return lut;
    }

    /** Applies the table to packed int-RGB pixels in place. */
    public static void apply(int[] lut, int[] pixels, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            int p = pixels[i];
            pixels[i] = (lut[(p >> 16) & 0xFF] << 16) | (lut[(p >> 8) & 0xFF] << 8) | lut[p & 0xFF];
        }
    }
}
