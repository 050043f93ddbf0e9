package org.tilescope.engine.slide.tiff;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Pixels and encoded tiles for the TIFF tests, all made in code. */
final class TiffFixtures {
    static final String JPEG_NATIVE = "javax_imageio_jpeg_image_1.0";

    private TiffFixtures() {
    }

    /** Smooth gradients with a few sharp edges: JPEG-friendly, and any misplaced tile shows. */
    static BufferedImage pattern(int w, int h, int seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = (x * 255 / Math.max(1, w - 1) + seed * 31) & 0xFF;
                int g = (y * 255 / Math.max(1, h - 1) + seed * 17) & 0xFF;
                int b = ((x / 40 + y / 40) % 2 == 0) ? 200 : 60;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    static BufferedImage scaled(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /**
     * A tile cut from an image, padded past the image's edges by repeating the edge pixels (as
     * libvips does), so that JPEG ringing against the padding does not blur the real pixels.
     */
    static BufferedImage tile(BufferedImage src, int col, int row, int tw, int th) {
        BufferedImage out = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
        int x0 = col * tw;
        int y0 = row * th;
        for (int y = 0; y < th; y++) {
            for (int x = 0; x < tw; x++) {
                out.setRGB(x, y, src.getRGB(Math.min(x0 + x, src.getWidth() - 1), Math.min(y0 + y, src.getHeight() - 1)));
            }
        }
        return out;
    }

    static List<BufferedImage> tiles(BufferedImage src, int tw, int th) {
        List<BufferedImage> out = new ArrayList<>();
        for (int r = 0; r < Math.ceilDiv(src.getHeight(), th); r++) {
            for (int c = 0; c < Math.ceilDiv(src.getWidth(), tw); c++) {
                out.add(tile(src, c, r, tw, th));
            }
        }
        return out;
    }

    /** Interleaved 8-bit RGB samples, as an uncompressed TIFF tile holds them. */
    static byte[] rawRgb(BufferedImage img) {
        byte[] out = new byte[img.getWidth() * img.getHeight() * 3];
        int i = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                out[i++] = (byte) (p >> 16);
                out[i++] = (byte) (p >> 8);
                out[i++] = (byte) p;
            }
        }
        return out;
    }

    private static ImageWriter jdkWriter(String format) {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName(format);
        while (it.hasNext()) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.imageio")) {
                return w;
            }
        }
        throw new IllegalStateException("no JDK " + format + " writer");
    }

    /**
     * A complete JPEG. With {@code rgb} the samples are stored as RGB, without the YCbCr transform
     * (as Aperio writes them), and the stream says so only through an Adobe marker, which
     * {@link #split} drops, as a TIFF tile carries none.
     */
    static byte[] jpeg(BufferedImage img, boolean rgb) {
        ImageWriter w = jdkWriter("jpeg");
        try {
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.92f);
            BufferedImage bgr = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = bgr.createGraphics();
            g.drawImage(img, 0, 0, null);
            g.dispose();
            IIOMetadata md = w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(bgr), p);
            if (rgb) {
                Element root = (Element) md.getAsTree(JPEG_NATIVE);
                Node variety = root.getElementsByTagName("JPEGvariety").item(0);
                while (variety.hasChildNodes()) {
                    variety.removeChild(variety.getFirstChild());
                }
                Node seq = root.getElementsByTagName("markerSequence").item(0);
                IIOMetadataNode adobe = new IIOMetadataNode("app14Adobe");
                adobe.setAttribute("version", "100");
                adobe.setAttribute("flags0", "0");
                adobe.setAttribute("flags1", "0");
                adobe.setAttribute("transform", "0");
                seq.insertBefore(adobe, seq.getFirstChild());
                // RGB data is never subsampled (libtiff refuses RGB JPEG that is).
                NodeList specs = root.getElementsByTagName("componentSpec");
                for (int i = 0; i < specs.getLength(); i++) {
                    ((Element) specs.item(i)).setAttribute("HsamplingFactor", "1");
                    ((Element) specs.item(i)).setAttribute("VsamplingFactor", "1");
                }
                md.setFromTree(JPEG_NATIVE, root);
            }
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (ImageOutputStream os = ImageIO.createImageOutputStream(bos)) {
                w.setOutput(os);
                w.write(null, new IIOImage(bgr, null, md), p);
            }
            byte[] b = bos.toByteArray();
            return rgb ? renumberComponents(b) : b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            w.dispose();
        }
    }

    /**
     * Gives the components ids 1, 2, 3, which decoders read as YCbCr when no marker says otherwise;
     * the JDK writes 'R','G','B' for RGB data, which some decoders would take as a hint.
     */
    static byte[] renumberComponents(byte[] jpeg) {
        byte[] b = jpeg.clone();
        int p = 2;
        while (p + 4 <= b.length) {
            int marker = b[p + 1] & 0xFF;
            int len = ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
            if (marker == 0xC0 || marker == 0xC1 || marker == 0xC2) {
                int nc = b[p + 9] & 0xFF;
                for (int i = 0; i < nc; i++) {
                    b[p + 10 + i * 3] = (byte) (i + 1);
                }
            } else if (marker == 0xDA) {
                int ns = b[p + 4] & 0xFF;
                for (int i = 0; i < ns; i++) {
                    b[p + 5 + i * 2] = (byte) (i + 1);
                }
                break;
            }
            p += 2 + len;
        }
        return b;
    }

    /** A JPEG split as TIFF stores it: shared tables, and a stream without tables or APPn markers. */
    record Split(byte[] tables, byte[] abbreviated) {
    }

    static Split split(byte[] jpeg) {
        ByteArrayOutputStream tables = new ByteArrayOutputStream();
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        tables.write(0xFF);
        tables.write(0xD8);
        rest.write(0xFF);
        rest.write(0xD8);
        int p = 2;
        while (p + 4 <= jpeg.length) {
            int marker = jpeg[p + 1] & 0xFF;
            if (marker == 0xDA) {
                rest.write(jpeg, p, jpeg.length - p);
                break;
            }
            int len = ((jpeg[p + 2] & 0xFF) << 8) | (jpeg[p + 3] & 0xFF);
            if (marker == 0xDB || marker == 0xC4) {
                tables.write(jpeg, p, 2 + len);
            } else if (marker < 0xE0 || marker > 0xEF) {
                rest.write(jpeg, p, 2 + len);
            }
            p += 2 + len;
        }
        tables.write(0xFF);
        tables.write(0xD9);
        return new Split(tables.toByteArray(), rest.toByteArray());
    }

    /** Mean absolute difference per channel over the overlapping top-left w x h area. */
    static double meanAbsDiff(BufferedImage a, int ax, int ay, BufferedImage b, int bx, int by, int w, int h) {
        long sum = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = a.getRGB(ax + x, ay + y);
                int q = b.getRGB(bx + x, by + y);
                sum += Math.abs(((p >> 16) & 0xFF) - ((q >> 16) & 0xFF))
                        + Math.abs(((p >> 8) & 0xFF) - ((q >> 8) & 0xFF))
                        + Math.abs((p & 0xFF) - (q & 0xFF));
            }
        }
        return sum / (3.0 * w * h);
    }

    /** True when every pixel of the area is the same. */
    static boolean samePixels(BufferedImage a, int ax, int ay, BufferedImage b, int bx, int by, int w, int h) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if ((a.getRGB(ax + x, ay + y) & 0xFFFFFF) != (b.getRGB(bx + x, by + y) & 0xFFFFFF)) {
                    return false;
                }
            }
        }
        return true;
    }

    static byte[] patchLong(byte[] file, ByteOrder order, long pos, boolean big, long value) {
        byte[] out = file.clone();
        ByteBuffer b = ByteBuffer.wrap(out).order(order);
        if (big) {
            b.putLong((int) pos, value);
        } else {
            b.putInt((int) pos, (int) value);
        }
        return out;
    }
}
