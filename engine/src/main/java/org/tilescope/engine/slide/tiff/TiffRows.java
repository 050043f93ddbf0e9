package org.tilescope.engine.slide.tiff;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * parser. 8-bit RGB and gray strips in the lossless compressions scans use (none, LZW, Deflate,
 * PackBits, with or without the horizontal predictor) are decoded here ({@link StripCodecs});
 * JPEG strips get the shared JPEGTables spliced in and go to the standard JPEG decoder; anything
 * else is copied into a one-strip TIFF in memory for the JDK's TIFF reader, as the slide reader
 * does with tiles. The strips of a band are decoded on a few threads, the next band while the
 * caller takes this one, so two bands are in memory.
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
    /** Samples a pixel when 8-bit RGB or gray strips are decoded here (StripCodecs), else 0. */
    private final int plainSamples;
    private final int predictor;
    private final ThreadLocal<byte[]> samples;
    /** Band b is decoded into buffers[b % 2]: the next band fills while the writer takes this one. */
    private final int[][] buffers = new int[2][];
    private final ExecutorService decoders;
    /** One JDK TIFF reader per decoding thread (readers are not thread-safe); all disposed on close. */
    private final List<ImageReader> readers = new CopyOnWriteArrayList<>();
    private final ThreadLocal<ImageReader> tiffReader = new ThreadLocal<>();
    private final ThreadLocal<int[]> line;
    private List<Future<?>> pending;
    private int pendingBand = -1;

    private TiffRows(TiffFile in, TiffSource.Image image, int chunkWidth, int chunkHeight, long[] offsets,
                     long[] counts, byte[] jpegTables, List<TiffRewriter.Tag> decodingTags, int band,
                     int plainSamples, int predictor) {
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
        this.plainSamples = plainSamples;
        this.predictor = predictor;
        this.samples = ThreadLocal.withInitial(() -> new byte[chunkWidth * chunkHeight * Math.max(1, plainSamples)]);
        this.buffers[0] = new int[Math.multiplyExact(width, band)];
        this.buffers[1] = new int[width * band];
        this.line = ThreadLocal.withInitial(() -> new int[chunkWidth]);
        AtomicInteger n = new AtomicInteger();
        int threads = Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 4);
        this.decoders = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tilescope-import-tiff-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
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
            // sides first (a BigTIFF's may be 64-bit): their product cannot overflow after
            Limits.checkDimensions(file, im.width(), im.height());
            if (im.width() * im.height() > ImageFileRows.MAX_PIXELS) {
                throw new SlideException(file, "image size " + im.width() + "x" + im.height() + " is not plausible");
            }
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
        long chunkRowBytes = 2 * 4L * w * ch;
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
        long rowsByBudget = bandBytes / (2 * 4L * w); // two bands: one decoding, one being read
        int chunksPerBand = (int) Math.max(1, Math.min(Math.ceilDiv(BAND_ROWS, ch), rowsByBudget / ch));
        int band = (int) Math.min(h, (long) chunksPerBand * ch);
        return new TiffRows(in, im, cw, ch, offsets, counts, tables, tags, band, plainSamples(in, im),
                (int) TiffParser.first(in, d, TiffParser.TAG_PREDICTOR, 1));
    }

    /**
     * 3 for 8-bit RGB, 1 for 8-bit gray (black is zero), stored chunky in one of {@link
     * StripCodecs}' compressions with no predictor or the horizontal one: decoded here. 0 for
     * anything else (alpha, palette, 16 bits, YCbCr, bit order reversed...): the JDK's reader.
     */
    private static int plainSamples(TiffFile in, TiffSource.Image im) throws IOException {
        TiffParser.Directory d = im.dir();
        int spp = im.samplesPerPixel();
        boolean rgb = spp == 3 && im.photometric() == TiffSource.PHOTOMETRIC_RGB;
        boolean gray = spp == 1 && im.photometric() == 1;
        TiffParser.Entry bits = d.entry(TiffParser.TAG_BITS_PER_SAMPLE);
        boolean eightBits = bits != null && bits.count() == spp;
        if (eightBits) {
            for (long b : TiffParser.longs(in, d, bits, spp)) {
                eightBits &= b == 8;
            }
        }
        long predictor = TiffParser.first(in, d, TiffParser.TAG_PREDICTOR, 1);
        boolean plain = (rgb || gray) && eightBits && StripCodecs.handles(im.compression())
                && (predictor == 1 || predictor == 2)
                && TiffParser.first(in, d, TiffParser.TAG_FILL_ORDER, 1) == 1
                && TiffParser.first(in, d, TiffParser.TAG_SAMPLE_FORMAT, 1) == 1;
        return plain ? spp : 0;
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

    /** The band the writer takes and the next one, decoded meanwhile (the two buffers). */
    @Override
    public int bandsHeld() {
        return 2;
    }

    /**
     * Reads band {@code y / preferredBand()}: called for each band in turn, as the pyramid writer
     * reads. The rows (strips) of a band are decoded on several threads, and the next band is
     * decoded while the caller works on this one.
     */
    @Override
    public void read(int y, int rows, int[] out) throws IOException {
        if (y % band != 0 || rows != Math.min(band, height - y)) {
            throw new IllegalArgumentException("read in bands of " + band + " rows (got " + rows + " at " + y + ")");
        }
        int b = y / band;
        if (pendingBand != b) {
            cancelPending();
            pending = submit(b);
        }
        List<Future<?>> parts = pending;
        await(parts);
        pendingBand = b + 1;
        pending = (long) (b + 1) * band < height ? submit(b + 1) : null;
        System.arraycopy(buffers[b % 2], 0, out, 0, rows * width);
    }

    private List<Future<?>> submit(int b) {
        int[] dst = buffers[b % 2];
        int first = b * band / chunkHeight;
        int last = (Math.min(height, (b + 1) * band) - 1) / chunkHeight;
        List<Future<?>> parts = new ArrayList<>(last - first + 1);
        for (int r = first; r <= last; r++) {
            int chunkRow = r;
            parts.add(decoders.submit(() -> {
                decodeChunkRow(chunkRow, dst, (chunkRow * chunkHeight - b * band) * width);
                return null;
            }));
        }
        return parts;
    }

    private void await(List<Future<?>> parts) throws IOException {
        try {
            for (Future<?> f : parts) {
                f.get();
            }
        } catch (InterruptedException e) {
            cancelPending();
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            cancelPending();
            Throwable t = e.getCause();
            if (t instanceof IOException io) {
                throw io;
            }
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error err) {
                throw err;
            }
            throw new SlideException(in.path(), "cannot decode: " + t, t);
        }
    }

    private void cancelPending() {
        if (pending != null) {
            pending.forEach(f -> f.cancel(false));
            // a decode still running writes into its buffer: let it end before the buffer is reused
            for (Future<?> f : pending) {
                try {
                    if (!f.isCancelled()) {
                        f.get();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (ExecutionException | CancellationException ignored) {
                    // reported by the read that wanted it, or not wanted any more
                }
            }
            pending = null;
            pendingBand = -1;
        }
    }

    /** Decodes row {@code r} of strips (or tiles) into {@code dst} from {@code offset}, {@code width} a row. */
    private void decodeChunkRow(int r, int[] dst, int offset) throws IOException {
        int rowsHere = Math.min(chunkHeight, height - r * chunkHeight);
        for (int c = 0; c < across; c++) {
            int i = r * across + c;
            int colsHere = Math.min(chunkWidth, width - c * chunkWidth);
            if (plainSamples > 0) {
                decodePlain(i, rowsHere, colsHere, dst, offset + c * chunkWidth);
                continue;
            }
            BufferedImage img = decodeChunk(i, rowsHere);
            if (img.getWidth() < colsHere || img.getHeight() < rowsHere) {
                throw new SlideException(in.path(), what(i) + " decoded as " + img.getWidth() + "x" + img.getHeight()
                        + " pixels where " + colsHere + "x" + rowsHere + " are needed");
            }
            copyRgb(img, colsHere, rowsHere, dst, offset + c * chunkWidth);
        }
    }

    /**
     * Copies pixels as 0xRRGGBB, {@code width} a row: 8-bit RGB or gray straight from the
     * decoder's bytes, int RGB by rows, anything else (alpha, palette, 16 bits) through
     * {@link Images#flattenOnWhite}.
     */
    private void copyRgb(BufferedImage img, int cols, int rows, int[] dst, int offset) {
        WritableRaster raster = img.getRaster();
        if (img.getColorModel() instanceof ComponentColorModel cm && !cm.hasAlpha()
                && raster.getDataBuffer() instanceof DataBufferByte db
                && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
                && ((sm.getNumBands() == 3 && cm.getColorSpace().isCS_sRGB())
                    || (sm.getNumBands() == 1 && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY))) {
            byte[] data = db.getData();
            int[] bo = sm.getBandOffsets();
            int ps = sm.getPixelStride();
            int ss = sm.getScanlineStride();
            boolean gray = sm.getNumBands() == 1;
            for (int y = 0; y < rows; y++) {
                int o = offset + y * width;
                int p = db.getOffset() + y * ss;
                for (int x = 0; x < cols; x++, p += ps) {
                    int r = data[p + bo[0]] & 0xFF;
                    dst[o + x] = gray ? r << 16 | r << 8 | r
                            : r << 16 | (data[p + bo[1]] & 0xFF) << 8 | (data[p + bo[2]] & 0xFF);
                }
            }
            return;
        }
        Raster rgb = Images.flattenOnWhite(img).getRaster(); // int RGB: data elements are 0xRRGGBB
        int[] row = line.get();
        for (int y = 0; y < rows; y++) {
            rgb.getDataElements(0, y, cols, 1, row);
            System.arraycopy(row, 0, dst, offset + y * width, cols);
        }
    }

    /** An 8-bit RGB or gray strip (or tile) decoded by {@link StripCodecs} and packed straight into {@code dst}. */
    private void decodePlain(int i, int rowsHere, int colsHere, int[] dst, int offset) throws IOException {
        byte[] raw = chunkBytes(i);
        int stored = image.tiled() ? chunkWidth : width;
        int rowBytes = stored * plainSamples;
        byte[] b = samples.get();
        byte[] px = b.length == rowBytes * (image.tiled() ? chunkHeight : rowsHere) ? b
                : new byte[rowBytes * (image.tiled() ? chunkHeight : rowsHere)];
        try {
            StripCodecs.decode(image.compression(), raw, px);
        } catch (IOException e) {
            throw new SlideException(in.path(), "cannot decode " + what(i) + ": " + e.getMessage(), e);
        }
        if (predictor == 2) {
            StripCodecs.undoHorizontalPredictor(px, rowBytes, plainSamples);
        }
        for (int y = 0; y < rowsHere; y++) {
            int o = offset + y * width;
            int p = y * rowBytes;
            if (plainSamples == 3) {
                for (int x = 0; x < colsHere; x++, p += 3) {
                    dst[o + x] = (px[p] & 0xFF) << 16 | (px[p + 1] & 0xFF) << 8 | (px[p + 2] & 0xFF);
                }
            } else {
                for (int x = 0; x < colsHere; x++, p++) {
                    int g = px[p] & 0xFF;
                    dst[o + x] = g << 16 | g << 8 | g;
                }
            }
        }
    }

    /** The stored bytes of strip (or tile) {@code i}, checked against the file's size first. */
    private byte[] chunkBytes(int i) throws IOException {
        long off = offsets[i];
        long n = counts[i];
        if (n <= 0 || n > Integer.MAX_VALUE - 16) {
            throw new SlideException(in.path(), what(i) + " has " + n + " bytes (damaged byte counts)");
        }
        if (off < 0 || off > in.size() - n) {
            throw new SlideException(in.path(), "truncated TIFF: " + what(i) + " at offset " + Long.toUnsignedString(off)
                    + " (+" + n + " bytes) is past the end of the file (" + in.size() + " bytes)");
        }
        return in.read(off, (int) n);
    }

    private BufferedImage decodeChunk(int i, int rowsHere) throws IOException {
        byte[] raw = chunkBytes(i);
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
            return readWithJdk(tiff);
        } catch (SlideException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SlideException(in.path(), "cannot decode " + what(i) + ": " + e.getMessage(), e);
        }
    }

    /** The JDK's TIFF reader, named: a plugin's reader may be registered for TIFF too. One per thread. */
    private BufferedImage readWithJdk(byte[] tiff) throws IOException {
        ImageReader reader = tiffReader.get();
        if (reader == null) {
            for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("tiff"); it.hasNext(); ) {
                ImageReader r = it.next();
                if (reader == null && r.getClass().getName().startsWith("com.sun.imageio.")) {
                    reader = r;
                } else {
                    r.dispose();
                }
            }
            if (reader == null) {
                throw new SlideException(in.path(), "this Java runtime has no TIFF reader");
            }
            tiffReader.set(reader);
            readers.add(reader);
        }
        List<String> warnings = new ArrayList<>(1);
        try (ImageInputStream s = new MemoryCacheImageInputStream(new ByteArrayInputStream(tiff))) {
            reader.setInput(s, true, true);
            reader.addIIOReadWarningListener((r, w) -> warnings.add(w));
            BufferedImage img = reader.read(0, reader.getDefaultReadParam());
            if (!warnings.isEmpty()) {
                throw new IOException("damaged data: " + warnings.getFirst());
            }
            return img;
        } finally {
            reader.removeAllIIOReadWarningListeners();
            reader.setInput(null);
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
        cancelPending();
        decoders.shutdownNow();
        try {
            if (!decoders.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "{0}: a strip decoder did not stop within 10 s", in.path());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        readers.forEach(ImageReader::dispose);
        in.close();
    }
}
