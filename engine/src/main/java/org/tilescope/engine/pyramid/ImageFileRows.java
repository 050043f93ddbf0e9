package org.tilescope.engine.pyramid;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.tilescope.engine.decode.Images;
import org.tilescope.engine.slide.SlideException;

/**
 * A plain image file (JPEG, PNG, TIFF or BigTIFF in strips or tiles) read band by band through
 * ImageIO source regions, so only one band of pixels is ever decoded into memory. TIFF readers
 * read just the strips a band needs; JPEG and PNG readers decode from the top again for each
 * band, so their bands are made as tall as the memory budget allows.
 */
public final class ImageFileRows implements RowSource {
    /** The most pixels one file may declare: beyond this it is refused as absurd before decoding. */
    public static final long MAX_PIXELS = 1L << 34;

    private final Path file;
    private final ImageInputStream in;
    private final ImageReader reader;
    private final int width;
    private final int height;
    private final int band;
    private final java.util.List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();

    private ImageFileRows(Path file, ImageInputStream in, ImageReader reader, int width, int height, int band) {
        this.file = file;
        this.in = in;
        this.reader = reader;
        this.width = width;
        this.height = height;
        this.band = band;
        // a truncated or corrupt JPEG decodes with gray filler and only a warning: that is damage
        reader.addIIOReadWarningListener((r, w) -> warnings.add(w));
    }

    /**
     * Opens an image file for reading top to bottom: a JPEG decoded once in a single streamed pass,
     * anything else (TIFF strips and tiles, PNG) by source regions.
     */
    public static RowSource openStreaming(Path file, long bandBytes) throws IOException {
        ImageFileRows rows = open(file, bandBytes);
        String f = rows.format();
        if (!f.equals("jpeg") && !f.equals("jpg")) {
            return rows;
        }
        int bands;
        try {
            var raw = rows.reader.getRawImageType(0);
            bands = raw == null ? 3 : raw.getNumBands();
        } catch (IOException | RuntimeException e) {
            bands = 3;
        }
        if ((bands != 1 && bands != 3) || rows.hasAlpha() || isProgressiveJpeg(file)) {
            return rows;
        }
        return new StreamedImageRows(rows, bands);
    }

    /**
     * True for a progressive JPEG (SOF2, SOF6, SOF10, SOF14): the JDK's reader hands such a file's
     * rows over once an output pass, each pass better than the last, and which pass is the last
     * is known only at the end, so it cannot be streamed; source regions decode every scan for
     * each band instead (slower, and libjpeg buffers the whole image's coefficients either way).
     */
    static boolean isProgressiveJpeg(Path file) throws IOException {
        try (var in = new java.io.DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readUnsignedShort() != 0xFFD8) {
                return false;
            }
            while (true) {
                int marker = in.readUnsignedShort();
                while (marker == 0xFFFF) {
                    marker = 0xFF00 | in.readUnsignedByte(); // fill bytes
                }
                if ((marker & 0xFF00) != 0xFF00 || marker == 0xFFDA || marker == 0xFFD9) {
                    return false;
                }
                if (marker == 0xFFC2 || marker == 0xFFC6 || marker == 0xFFCA || marker == 0xFFCE) {
                    return true;
                }
                in.skipNBytes(in.readUnsignedShort() - 2L);
            }
        } catch (java.io.EOFException e) {
            return false;
        }
    }

    private boolean hasAlpha() {
        try {
            var t = reader.getRawImageType(0);
            return t != null && t.getColorModel().hasAlpha();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Opens an image file for band reads.
     *
     * @param bandBytes how many bytes of decoded pixels one band may take (4 a pixel)
     * @throws SlideException naming the file when it is not an image ImageIO reads, or is absurd
     */
    public static ImageFileRows open(Path file, long bandBytes) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new SlideException(file, "no such file");
        }
        ImageInputStream in = ImageIO.createImageInputStream(file.toFile());
        if (in == null) {
            throw new SlideException(file, "cannot read");
        }
        try {
            Iterator<ImageReader> it = ImageIO.getImageReaders(in);
            if (!it.hasNext()) {
                throw new SlideException(file, "not an image this Java runtime reads (JPEG, PNG, TIFF)");
            }
            ImageReader reader = preferJdkForTiff(it);
            reader.setInput(in, false, true);
            int w;
            int h;
            try {
                w = reader.getWidth(0);
                h = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                reader.dispose();
                throw new SlideException(file, "unreadable image header: " + e.getMessage(), e);
            }
            if (w <= 0 || h <= 0 || (long) w * h > MAX_PIXELS) {
                reader.dispose();
                throw new SlideException(file, "image size " + w + "x" + h + " is not plausible");
            }
            int strip = 16;
            try {
                if (reader.isImageTiled(0)) {
                    strip = Math.max(1, reader.getTileHeight(0));
                }
            } catch (IOException | RuntimeException ignored) {
                // a reader that cannot say reads in 16-row multiples, the JPEG MCU height
            }
            long rowsByBudget = Math.max(1, bandBytes / (4L * w));
            int band = (int) Math.min(h, Math.max(strip, rowsByBudget / strip * strip));
            return new ImageFileRows(file, in, reader, w, h, band);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * The first reader found, except for TIFF, where the JDK's is taken when present: a plugin's
     * (TwelveMonkeys') decompresses every LZW or Deflate strip above a source region again for
     * each region read.
     */
    private static ImageReader preferJdkForTiff(Iterator<ImageReader> it) {
        ImageReader first = it.next();
        var spi = first.getOriginatingProvider();
        if (first.getClass().getName().startsWith("com.sun.imageio.") || spi == null
                || !java.util.Arrays.asList(spi.getFormatNames()).contains("tiff")) {
            return first;
        }
        while (it.hasNext()) {
            ImageReader r = it.next();
            if (r.getClass().getName().startsWith("com.sun.imageio.")) {
                first.dispose();
                return r;
            }
            r.dispose();
        }
        return first;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int preferredBand() {
        return band;
    }

    /** The reader's format name ("jpeg", "png", "tif"), for reports. */
    public String format() {
        try {
            return reader.getFormatName().toLowerCase(java.util.Locale.ROOT);
        } catch (IOException e) {
            return "image";
        }
    }

    @Override
    public void read(int y, int rows, int[] out) throws IOException {
        ImageReadParam p = reader.getDefaultReadParam();
        p.setSourceRegion(new Rectangle(0, y, width, rows));
        BufferedImage img;
        try {
            img = reader.read(0, p);
        } catch (IOException | RuntimeException e) {
            throw new SlideException(file, "cannot decode rows " + y + "-" + (y + rows - 1) + ": " + e.getMessage(), e);
        }
        checkWarnings(y, rows);
        if (img.getWidth() != width || img.getHeight() != rows) {
            throw new SlideException(file, "rows " + y + "-" + (y + rows - 1) + " decoded as "
                    + img.getWidth() + "x" + img.getHeight() + " (truncated file?)");
        }
        // transparent pixels become white, as a slide's background is
        BufferedImage rgb = Images.flattenOnWhite(img);
        rgb.getRGB(0, 0, width, rows, out, 0, width);
        for (int i = 0, n = width * rows; i < n; i++) {
            out[i] &= 0xFFFFFF;
        }
    }

    /** A truncated or corrupt image decodes with filler and only a warning: that is damage. */
    void checkWarnings(int y, int rows) throws SlideException {
        for (String w : warnings) {
            String lw = w.toLowerCase(java.util.Locale.ROOT);
            if (!lw.contains("icc") && !lw.contains("color profile") && !lw.contains("colour profile")) {
                throw new SlideException(file, "damaged image at rows " + y + "-" + (y + rows - 1) + ": " + w);
            }
        }
    }

    ImageReader reader() {
        return reader;
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        reader.dispose();
        in.close();
    }
}
