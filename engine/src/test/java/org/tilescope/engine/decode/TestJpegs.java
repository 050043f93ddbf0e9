package org.tilescope.engine.decode;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** JPEG fixtures made in code with the JDK's own writer, so tests need no files. */
final class TestJpegs {
    private static final String NATIVE_FORMAT = "javax_imageio_jpeg_image_1.0";

    enum Layout {
        /** YCbCr, chroma at full resolution. */
        YCC_444,
        /** YCbCr, chroma halved both ways: the JDK writer's default and what slide tiles use. */
        YCC_420,
        /** RGB components stored as they are, flagged by an Adobe APP14 marker with transform 0. */
        ADOBE_RGB
    }

    private TestJpegs() {
    }

    /** Texture a real tile has: smooth gradients, hard edges and noise, reproducible by seed. */
    static BufferedImage picture(int w, int h, long seed) {
        Random rnd = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean block = ((x / 13) + (y / 7)) % 3 == 0;
                int r = clamp((x * 255) / Math.max(1, w - 1) + rnd.nextInt(24) - 12);
                int g = clamp(block ? 200 + rnd.nextInt(40) : (y * 255) / Math.max(1, h - 1));
                int b = clamp(((x + y) * 4) % 256 + rnd.nextInt(16) - 8);
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    static BufferedImage grayPicture(int w, int h, long seed) {
        BufferedImage rgb = picture(w, h, seed);
        BufferedImage gray = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                gray.getRaster().setSample(x, y, 0, (rgb.getRGB(x, y) >> 8) & 0xFF);
            }
        }
        return gray;
    }

    static byte[] jpeg(BufferedImage img, Layout layout) {
        return jpeg(img, layout, 0.8f);
    }

    static byte[] jpeg(BufferedImage img, Layout layout, float quality) {
        ImageWriter writer = jdkWriter();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            IIOMetadata meta = writer.getDefaultImageMetadata(new ImageTypeSpecifier(img), param);
            if (img.getRaster().getNumBands() == 3 && layout != Layout.YCC_420) {
                IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(NATIVE_FORMAT);
                NodeList specs = root.getElementsByTagName("componentSpec");
                for (int i = 0; i < specs.getLength(); i++) {
                    IIOMetadataNode spec = (IIOMetadataNode) specs.item(i);
                    spec.setAttribute("HsamplingFactor", "1");
                    spec.setAttribute("VsamplingFactor", "1");
                }
                if (layout == Layout.ADOBE_RGB) {
                    // No JFIF (which implies YCbCr) and an Adobe marker saying "no transform".
                    Node variety = root.getElementsByTagName("JPEGvariety").item(0);
                    while (variety.hasChildNodes()) {
                        variety.removeChild(variety.getFirstChild());
                    }
                    IIOMetadataNode adobe = new IIOMetadataNode("app14Adobe");
                    adobe.setAttribute("version", "100");
                    adobe.setAttribute("flags0", "0");
                    adobe.setAttribute("flags1", "0");
                    adobe.setAttribute("transform", "0");
                    Node markers = root.getElementsByTagName("markerSequence").item(0);
                    markers.insertBefore(adobe, markers.getFirstChild());
                }
                meta.setFromTree(NATIVE_FORMAT, root);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(img, null, meta), param);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /** The JDK's writer, not TwelveMonkeys' wrapper, so the metadata tree means what its spec says. */
    private static ImageWriter jdkWriter() {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg");
        while (it.hasNext()) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.imageio.")) {
                return w;
            }
        }
        throw new IllegalStateException("no JDK JPEG writer");
    }

    /** True when a segment with this marker whose payload starts with the prefix comes before the scan. */
    static boolean hasSegment(byte[] jpeg, int marker, String payloadPrefix) {
        int i = 2;
        while (i + 4 <= jpeg.length && (jpeg[i] & 0xFF) == 0xFF) {
            int m = jpeg[i + 1] & 0xFF;
            int len = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
            if (m == marker && new String(jpeg, i + 4, Math.min(payloadPrefix.length(), len - 2),
                    StandardCharsets.ISO_8859_1).equals(payloadPrefix)) {
                return true;
            }
            if (m == 0xDA) {
                return false;
            }
            i += 2 + len;
        }
        return false;
    }

    /** The transform byte of the APP14 Adobe segment (0 = RGB as is, 1 = YCbCr), or -1 if none. */
    static int adobeTransform(byte[] jpeg) {
        int i = 2;
        while (i + 4 <= jpeg.length && (jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) != 0xDA) {
            int len = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
            if ((jpeg[i + 1] & 0xFF) == 0xEE && len >= 14 && jpeg[i + 4] == 'A' && jpeg[i + 5] == 'd') {
                return jpeg[i + 4 + 11] & 0xFF;
            }
            i += 2 + len;
        }
        return -1;
    }

    /** The sampling factors byte (H<<4|V) of each component in the SOF0 segment. */
    static int[] samplingFactors(byte[] jpeg) {
        int i = 2;
        while (i + 4 <= jpeg.length) {
            int m = jpeg[i + 1] & 0xFF;
            int len = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
            if (m == 0xC0 || m == 0xC1 || m == 0xC2) {
                int n = jpeg[i + 9] & 0xFF;
                int[] f = new int[n];
                for (int c = 0; c < n; c++) {
                    f[c] = jpeg[i + 11 + 3 * c] & 0xFF;
                }
                return f;
            }
            i += 2 + len;
        }
        throw new IllegalArgumentException("no SOF");
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
