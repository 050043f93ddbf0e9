package org.tilescope.engine.decode;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/** Pixel conversions that keep exact values (no colour management surprises). */
public final class Images {
    private Images() {
    }

    /**
     * The image as {@link BufferedImage#TYPE_INT_RGB}. Gray images are replicated into R, G and B
     * sample for sample: going through Java2D would apply the linear-gray colour space and
     * brighten them.
     */
    public static BufferedImage toIntRgb(BufferedImage src) {
        if (src.getType() == BufferedImage.TYPE_INT_RGB) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Raster in = src.getRaster();
        int bands = in.getNumBands();
        boolean plain8bit = src.getColorModel() instanceof ComponentColorModel
                && in.getDataBuffer().getDataType() == DataBuffer.TYPE_BYTE;
        if (plain8bit && (bands == 1 || bands == 2) ) {
            int[] out = new int[w];
            int[] row = new int[w * bands];
            WritableRaster o = dst.getRaster();
            for (int y = 0; y < h; y++) {
                in.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    int g = row[x * bands];
                    out[x] = (g << 16) | (g << 8) | g;
                }
                o.setDataElements(0, y, w, 1, out);
            }
            return dst;
        }
        if (plain8bit && (bands == 3 || bands == 4) && src.getColorModel().getColorSpace().isCS_sRGB()) {
            int[] out = new int[w];
            int[] row = new int[w * bands];
            WritableRaster o = dst.getRaster();
            for (int y = 0; y < h; y++) {
                in.getPixels(0, y, w, 1, row);
                for (int x = 0, i = 0; x < w; x++, i += bands) {
                    out[x] = (row[i] << 16) | (row[i + 1] << 8) | row[i + 2];
                }
                o.setDataElements(0, y, w, 1, out);
            }
            return dst;
        }
        Graphics2D g = dst.createGraphics();
        try {
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        return dst;
    }

    /** The message for an image refused for its size, with the bound when there is one. */
    static String tooLarge(long w, long h, int maxWidth, int maxHeight) {
        return "image too large: " + w + "x" + h + (maxWidth == Integer.MAX_VALUE && maxHeight == Integer.MAX_VALUE ? ""
                : " where a tile is at most " + maxWidth + "x" + maxHeight);
    }

    /** A white int-RGB image. */
    public static BufferedImage white(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] data = ((java.awt.image.DataBufferInt) img.getRaster().getDataBuffer()).getData();
        java.util.Arrays.fill(data, 0xFFFFFF);
        return img;
    }
}
