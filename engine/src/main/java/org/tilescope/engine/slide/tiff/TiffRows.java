package org.tilescope.engine.slide.tiff;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.tilescope.engine.decode.Images;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.pyramid.ImageFileRows;
import org.tilescope.engine.pyramid.RowSource;
import org.tilescope.engine.slide.Limits;
import org.tilescope.engine.slide.SlideException;

/**
 * A plain TIFF or BigTIFF, in strips or tiles, read top to bottom for import one row of strips
 * (or tiles) at a time, each read only once: the first image of the file, through our own IFD
 * parser. JPEG strips get the shared JPEGTables spliced in and go to the standard JPEG decoder;
 * other compressions (LZW, Deflate, PackBits, none, any predictor) are copied into a one-strip
 * TIFF in memory that the JDK's TIFF reader decodes, as the slide reader does with tiles.
 *
 * <p>Why not an ImageIO reader with source regions: the JDK's cannot open BigTIFF, and
 * TwelveMonkeys' decompresses every LZW or Deflate strip above a region again for each region
 * read, so reading a tall image band by band costs the square of its height.
 */
public final class TiffRows implements RowSource {
    private static final System.Logger LOG = System.getLogger(TiffRows.class.getName());
    /** Bands are about this many rows (whole strips), as the other row sources read. */
    private static final int BAND_ROWS = 256;

    private final TiffFile in;
    private final TiffSource.Image image;
    private final int width;
    private final int height;
    private final int chunkWidth;
    private final int chunkHeight;
    private final int across;
    private final long[] offsets;
    private final long[] counts;
    private final byte[] jpegTables;
    private final List<TiffRewriter.Tag> decodingTags;
    private final int band;
    private final int[] chunkRow;
    private final int[] line;
    private int decodedChunkRow = -1;
    private ImageReader tiffReader;

    private TiffRows(TiffFile in, TiffSource.Image image, int chunkWidth, int chunkHeight, long[] offsets,
                     long[] counts, byte[] jpegTables, List<TiffRewriter.Tag> decodingTags, int band) {
        this.in = in;
        this.image = image;
        this.width = (int) image.width();
        this.height = (int) image.height();
        this.chunkWidth = chunkWidth;
        this.chunkHeight = chunkHeight;
        this.across = Math.ceilDiv(width, chunkWidth);
        this.offsets = offsets;
        this.counts = counts;
        this.jpegTables = jpegTables;
        this.decodingTags = decodingTags;
        this.band = band;
        this.chunkRow = new int[Math.multiplyExact(width, chunkHeight)];
        this.line = new int[chunkWidth];
    }

    /** True when the file starts like a TIFF or a BigTIFF, either byte order. */
    public static boolean isTiff(Path file) {
        byte[] head = new byte[4];
        try (InputStream s = Files.newInputStream(file)) {
            if (s.readNBytes(head, 0, 4) < 4) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        boolean ii = head[0] == 'I' && head[1] == 'I' && head[3] == 0 && (head[2] == 42 || head[2] == 43);
        boolean mm = head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43);
        return ii || mm;
    }

    /**
     * Opens the first image of a TIFF for band reads. A classic TIFF this reader cannot take
     * (separate colour planes, old-style JPEG, more than 16 bits a sample) goes to the JDK's TIFF
     * reader through {@link ImageFileRows} instead; a BigTIFF like that fails, saying why.
     *
     * @param bandBytes how many bytes of decoded pixels one band may take (4 a pixel)
     * @throws SlideException naming the file and the problem: damaged, truncated, absurd, unsupported
     */
    public static RowSource open(Path file, long bandBytes) throws IOException {
        TiffFile in = TiffFile.open(file);
        try {
            TiffParser.Structure s = TiffParser.parse(in);
            TiffParser.Directory d = s.directories().stream().filter(x -> x.chainIndex() == 0).findFirst()
                    .orElseThrow(() -> new SlideException(file, "TIFF without an image directory"));
            TiffSource.Image im = TiffSource.describe(in, d);
            if (im == null) {
                throw new SlideException(file, "TIFF whose first directory has no image size");
            }
            if (im.width() <= 0 || im.height() <= 0 || im.width() * im.height() > ImageFileRows.MAX_PIXELS) {
                throw new SlideException(file, "image size " + im.width() + "x" + im.height() + " is not plausible");
            }
            Limits.checkDimensions(file, im.width(), im.height());
            try {
                TiffSource.checkCompression(in, im);
                if (im.compression() != TiffSource.COMPRESSION_JPEG) {
                    TiffSource.checkBitsPerSample(in, im);
                }
                if (im.planar() != 1) {
                    throw new SlideException(file, "PlanarConfiguration " + im.planar()
                            + " (separate colour planes) is not supported, in " + im.where());
                }
            } catch (SlideException e) {
                if (s.bigTiff()) {
                    throw e;
                }
                LOG.log(Level.DEBUG, "{0}: {1}; read through the JDK's TIFF reader", file, e.getMessage());
                in.close();
                return ImageFileRows.open(file, bandBytes);
            }
            return layout(in, im, bandBytes);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static TiffRows layout(TiffFile in, TiffSource.Image im, long bandBytes) throws IOException {
        Path file = in.path();
        TiffParser.Directory d = im.dir();
        int w = (int) im.width();
        int h = (int) im.height();
        int cw;
        int ch;
        TiffParser.Entry offE;
        TiffParser.Entry cntE;
        if (im.tiled()) {
            Limits.checkTileSize(file, im.tileWidth(), im.tileHeight());
            cw = (int) im.tileWidth();
            ch = (int) im.tileHeight();
            offE = d.entry(TiffParser.TAG_TILE_OFFSETS);
            cntE = d.entry(TiffParser.TAG_TILE_BYTE_COUNTS);
        } else {
            long rps = TiffParser.first(in, d, TiffParser.TAG_ROWS_PER_STRIP, h);
            cw = w;
            ch = (int) (rps <= 0 || rps > h ? h : rps);
            offE = d.entry(TiffParser.TAG_STRIP_OFFSETS);
            cntE = d.entry(TiffParser.TAG_STRIP_BYTE_COUNTS);
        }
        String unit = im.tiled() ? "tile" : "strip";
        // one row of strips (or tiles) is decoded at once: it must fit the band budget
        long chunkRowBytes = 4L * w * ch;
        if (chunkRowBytes > bandBytes) {
            throw new SlideException(file, unit + "s of " + ch + " rows of " + w + " pixels need "
                    + (chunkRowBytes >> 20) + " MB each, more than the " + (bandBytes >> 20)
                    + " MB a band may take (rewrite it with smaller strips or tiles, or give Java more memory)");
        }
        long expected = (long) Math.ceilDiv(w, cw) * Math.ceilDiv(h, ch);
        if (offE == null || cntE == null) {
            throw new SlideException(file, "no " + unit + " offsets or byte counts in " + im.where());
        }
        if (offE.count() < expected || cntE.count() < expected || expected > Integer.MAX_VALUE) {
            throw new SlideException(file, "has " + Math.min(offE.count(), cntE.count()) + " " + unit + "s where "
                    + expected + " are needed for " + w + "x" + h + " pixels in " + cw + "x" + ch + " " + unit
                    + "s, in " + im.where());
        }
        long[] offsets = TiffParser.longs(in, d, offE, (int) offE.count());
        long[] counts = TiffParser.longs(in, d, cntE, (int) cntE.count());
        byte[] tables = null;
        List<TiffRewriter.Tag> tags = List.of();
        if (im.compression() == TiffSource.COMPRESSION_JPEG) {
            TiffParser.Entry t = d.entry(TiffParser.TAG_JPEG_TABLES);
            if (t != null) {
                tables = TiffSource.jpegTablesBody(in, im, TiffParser.raw(in, d, t, 1 << 20));
            }
        } else {
            tags = TiffRewriter.decodingTags(in, d);
        }
        long rowsByBudget = bandBytes / (4L * w);
        int chunksPerBand = (int) Math.max(1, Math.min(Math.ceilDiv(BAND_ROWS, ch), rowsByBudget / ch));
        int band = (int) Math.min(h, (long) chunksPerBand * ch);
        return new TiffRows(in, im, cw, ch, offsets, counts, tables, tags, band);
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    /** Whole rows of strips (or tiles), about 256 rows. */
    @Override
    public int preferredBand() {
        return band;
    }

    @Override
    public void read(int y, int rows, int[] out) throws IOException {
        for (int r = y / chunkHeight, last = (y + rows - 1) / chunkHeight; r <= last; r++) {
            if (r != decodedChunkRow) {
                decodeChunkRow(r);
                decodedChunkRow = r;
            }
            int from = Math.max(y, r * chunkHeight);
            int to = Math.min(y + rows, Math.min(height, (r + 1) * chunkHeight));
            System.arraycopy(chunkRow, (from - r * chunkHeight) * width, out, (from - y) * width, (to - from) * width);
        }
    }

    private void decodeChunkRow(int r) throws IOException {
        int rowsHere = Math.min(chunkHeight, height - r * chunkHeight);
        for (int c = 0; c < across; c++) {
            int i = r * across + c;
            int colsHere = Math.min(chunkWidth, width - c * chunkWidth);
            BufferedImage img = decodeChunk(i, rowsHere);
            if (img.getWidth() < colsHere || img.getHeight() < rowsHere) {
                throw new SlideException(in.path(), what(i) + " decoded as " + img.getWidth() + "x" + img.getHeight()
                        + " pixels where " + colsHere + "x" + rowsHere + " are needed");
            }
            // int-RGB data elements are the 0xRRGGBB values: row copies, no per-pixel colour model
            java.awt.image.Raster raster = img.getRaster();
            for (int y = 0; y < rowsHere; y++) {
                raster.getDataElements(0, y, colsHere, 1, line);
                System.arraycopy(line, 0, chunkRow, y * width + c * chunkWidth, colsHere);
            }
        }
    }

    private BufferedImage decodeChunk(int i, int rowsHere) throws IOException {
        long off = offsets[i];
        long n = counts[i];
        if (n <= 0 || n > Integer.MAX_VALUE - 16) {
            throw new SlideException(in.path(), what(i) + " has " + n + " bytes (damaged byte counts)");
        }
        if (off < 0 || off > in.size() - n) {
            throw new SlideException(in.path(), "truncated TIFF: " + what(i) + " at offset " + Long.toUnsignedString(off)
                    + " (+" + n + " bytes) is past the end of the file (" + in.size() + " bytes)");
        }
        byte[] raw = in.read(off, (int) n);
        int decodedWidth = image.tiled() ? chunkWidth : width;
        try {
            if (image.compression() == TiffSource.COMPRESSION_JPEG) {
                byte[] jpeg = TiffSource.standaloneJpeg(jpegTables, raw, image.photometric() == TiffSource.PHOTOMETRIC_RGB);
                if (jpeg == null) {
                    throw new SlideException(in.path(), what(i) + " is not a JPEG stream (damaged file)");
                }
                return TileDecoder.standard().decode(jpeg, decodedWidth, chunkHeight);
            }
            byte[] tiff = image.tiled()
                    ? TiffRewriter.oneTile(in.order(), decodingTags, chunkWidth, chunkHeight, raw)
                    : TiffRewriter.stripped(in.order(), decodingTags, width, rowsHere, rowsHere, List.of(raw));
            return Images.flattenOnWhite(readWithJdk(tiff));
        } catch (SlideException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SlideException(in.path(), "cannot decode " + what(i) + ": " + e.getMessage(), e);
        }
    }

    /** The JDK's TIFF reader, named: a plugin's reader may be registered for TIFF too. */
    private BufferedImage readWithJdk(byte[] tiff) throws IOException {
        if (tiffReader == null) {
            for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("tiff"); it.hasNext(); ) {
                ImageReader r = it.next();
                if (tiffReader == null && r.getClass().getName().startsWith("com.sun.imageio.")) {
                    tiffReader = r;
                } else {
                    r.dispose();
                }
            }
            if (tiffReader == null) {
                throw new SlideException(in.path(), "this Java runtime has no TIFF reader");
            }
        }
        List<String> warnings = new ArrayList<>(1);
        try (ImageInputStream s = new MemoryCacheImageInputStream(new ByteArrayInputStream(tiff))) {
            tiffReader.setInput(s, true, true);
            tiffReader.addIIOReadWarningListener((r, w) -> warnings.add(w));
            BufferedImage img = tiffReader.read(0, tiffReader.getDefaultReadParam());
            if (!warnings.isEmpty()) {
                throw new IOException("damaged data: " + warnings.getFirst());
            }
            return img;
        } finally {
            tiffReader.removeAllIIOReadWarningListeners();
            tiffReader.setInput(null);
        }
    }

    private String what(int i) {
        if (image.tiled()) {
            return "tile " + i;
        }
        return "strip " + i + " (rows " + (i * chunkHeight) + "-" + (Math.min(height, (i + 1) * chunkHeight) - 1) + ")";
    }

    @Override
    public void close() throws IOException {
        if (tiffReader != null) {
            tiffReader.dispose();
        }
        in.close();
    }
}
