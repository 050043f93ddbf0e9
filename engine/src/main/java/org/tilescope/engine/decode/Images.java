package org.tilescope.engine.decode;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
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
        return drawnOnto(dst, src);
    }

    private static BufferedImage drawnOnto(BufferedImage dst, BufferedImage src) {
        Graphics2D g = dst.createGraphics();
        try {
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        return dst;
    }

    /**
     * An int-RGB image with any transparency composited over white, the background of a slide (as
     * {@code vips flatten --background 255} does); an opaque image goes through {@link #toIntRgb}.
     */
    public static BufferedImage flattenOnWhite(BufferedImage src) {
        if (!src.getColorModel().hasAlpha()) {
            return toIntRgb(src);
        }
        return drawnOnto(white(src.getWidth(), src.getHeight()), src);
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

    /**
     * Box-filters a rectangle of an image down by an integer factor: each output pixel is the
     * rounded mean of a factor x factor block. Blocks cut short by the rectangle's right or bottom
     * edge average only the pixels they have, so an edge never fades towards what lies outside.
     *
     * @return a new int-RGB image of ceil(w / factor) x ceil(h / factor)
     */
    public static BufferedImage shrink(BufferedImage src, int x, int y, int w, int h, int factor) {
        if (factor < 1 || w <= 0 || h <= 0 || x < 0 || y < 0 || x + w > src.getWidth() || y + h > src.getHeight()) {
            throw new IllegalArgumentException("cannot shrink " + w + "x" + h + " at " + x + "," + y + " of a "
                    + src.getWidth() + "x" + src.getHeight() + " image by " + factor);
        }
        BufferedImage in = toIntRgb(src);
        int ow = Math.ceilDiv(w, factor);
        int oh = Math.ceilDiv(h, factor);
        BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        int[] r = new int[ow];
        int[] g = new int[ow];
        int[] b = new int[ow];
        int[] line = new int[ow];
        for (int oy = 0; oy < oh; oy++) {
            java.util.Arrays.fill(r, 0);
            java.util.Arrays.fill(g, 0);
            java.util.Arrays.fill(b, 0);
            int y0 = oy * factor;
            int y1 = Math.min(h, y0 + factor);
            for (int yy = y0; yy < y1; yy++) {
                in.getRaster().getDataElements(x, y + yy, w, 1, row);
                for (int xx = 0; xx < w; xx++) {
                    int p = row[xx];
                    int o = xx / factor;
                    r[o] += (p >> 16) & 0xFF;
                    g[o] += (p >> 8) & 0xFF;
                    b[o] += p & 0xFF;
                }
            }
            for (int ox = 0; ox < ow; ox++) {
                int n = (Math.min(w, (ox + 1) * factor) - ox * factor) * (y1 - y0);
                line[ox] = ((r[ox] + n / 2) / n) << 16 | ((g[ox] + n / 2) / n) << 8 | (b[ox] + n / 2) / n;
            }
            out.getRaster().setDataElements(0, oy, ow, 1, line);
        }
        return out;
    }

    /** A rectangle of an image copied into a new int-RGB image of its own. */
    public static BufferedImage copy(BufferedImage src, int x, int y, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        BufferedImage in = toIntRgb(src);
        for (int yy = 0; yy < h; yy++) {
            in.getRaster().getDataElements(x, y + yy, w, 1, row);
            out.getRaster().setDataElements(0, yy, w, 1, row);
        }
        return out;
    }

    /** Throws unless {@code pixels} holds the {@code width} x {@code height} pixels of a non-empty image. */
    static void checkRgb(int[] pixels, int width, int height) {
        if (width < 1 || height < 1 || (long) width * height > pixels.length) {
            throw new IllegalArgumentException("cannot encode " + width + "x" + height + " pixels from an array of "
                    + pixels.length);
        }
    }

    /**
     * An int-RGB image whose pixels are {@code pixels} itself (0xRRGGBB, {@code width} a row, the
     * top byte ignored): wrapped, not copied, so what the image is written from is the array.
     */
    static BufferedImage wrapRgb(int[] pixels, int width, int height) {
        checkRgb(pixels, width, height);
        DirectColorModel rgb = new DirectColorModel(24, 0xFF0000, 0x00FF00, 0x0000FF);
        DataBufferInt db = new DataBufferInt(pixels, width * height);
        WritableRaster raster = Raster.createWritableRaster(new SinglePixelPackedSampleModel(
                DataBuffer.TYPE_INT, width, height, rgb.getMasks()), db, null);
        return new BufferedImage(rgb, raster, false, null);
    }

    /**
     * The JDK's own JPEG writer rather than a plugin's (TwelveMonkeys registers one that only wraps
     * it): plain JFIF that every decoder reads, one layer less per tile. The other writers found
     * are disposed. Each caller owns the writer it gets (writers are not thread-safe).
     *
     * @throws IIOException when this runtime has no JPEG writer at all
     */
    public static javax.imageio.ImageWriter jdkJpegWriter() throws javax.imageio.IIOException {
        javax.imageio.ImageWriter fallback = null;
        for (java.util.Iterator<javax.imageio.ImageWriter> it = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg");
                it.hasNext(); ) {
            javax.imageio.ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.imageio.")) {
                if (fallback != null) {
                    fallback.dispose();
                }
                return w;
            }
            if (fallback == null) {
                fallback = w;
            } else {
                w.dispose();
            }
        }
        if (fallback == null) {
            throw new javax.imageio.IIOException("no JPEG writer in this Java runtime");
        }
        return fallback;
    }
}
