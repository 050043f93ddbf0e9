package org.tilescope.engine.slide.tiff;

import org.tilescope.engine.slide.local.FileStamp;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.local.LocalSlideSource;
import org.tilescope.engine.slide.Limits;
import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.TileException;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import javax.imageio.ImageIO;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tilescope.engine.decode.TileDecoder;

/**
 * Pyramidal tiled TIFF, classic and BigTIFF, including Aperio SVS. Tiles are served as stored:
 * JPEG tiles get the shared JPEGTables spliced in (and an Adobe marker when the data is RGB, not
 * YCbCr), other compressions are wrapped in a one-tile TIFF.
 */
public final class TiffSource implements LocalSlideSource {
    private static final System.Logger LOG = System.getLogger(TiffSource.class.getName());

    /** Associated images are decoded whole; larger ones are refused before any pixel is allocated. */
    static final long MAX_ASSOCIATED_PIXELS = 1L << 28;
    /** Compressed bytes of an associated image read at most. */
    static final long MAX_ASSOCIATED_BYTES = 256L << 20;
    /**
     * Decoded bytes an associated image may have per byte stored for it, past
     * {@link #FREE_ASSOCIATED_DECODED_BYTES}: more than any of its compressions reaches (LZW tops
     * out near 1400:1, Deflate near 1030:1, baseline JPEG near 260:1), so only a lie is refused.
     * Decoders allocate the whole image the tags declare before reading a byte of it.
     */
    static final long DECODED_BYTES_PER_STORED_BYTE = 4096;
    static final long FREE_ASSOCIATED_DECODED_BYTES = 4L << 20;
    /** Tiles per level read into the index at open; a real slide has under a million. */
    static final int MAX_TILES_PER_LEVEL = 1 << 24;
    static final int MAX_JPEG_TABLES_BYTES = 1 << 20;
    private static final int MAX_DESCRIPTION = 1 << 20;

    static final int COMPRESSION_NONE = 1;
    static final int COMPRESSION_OJPEG = 6;
    static final int COMPRESSION_JPEG = 7;
    static final int PHOTOMETRIC_RGB = 2;
    static final int PHOTOMETRIC_YCBCR = 6;

    private static final Pattern APERIO_MPP = Pattern.compile("(?:^|\\|)\\s*MPP\\s*=\\s*([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)");
    private static final Pattern APERIO_MAG = Pattern.compile("(?:^|\\|)\\s*AppMag\\s*=\\s*([0-9]*\\.?[0-9]+)");

    /** What one directory holds, as far as choosing levels and associated images goes. */
    record Image(TiffParser.Directory dir, long width, long height, boolean tiled, long tileWidth, long tileHeight,
                 int samplesPerPixel, int photometric, int compression, int planar, long subfileType,
                 String description) {

        boolean reduced() {
            return (subfileType & 1) != 0;
        }

        boolean mask() {
            return (subfileType & 4) != 0;
        }

        String lowerDescription() {
            return description == null ? "" : description.toLowerCase(Locale.ROOT);
        }

        /** RGB and YCbCr are the same picture; so are the two grays. */
        int colourFamily() {
            return switch (photometric) {
                case 0, 1 -> 1;
                case PHOTOMETRIC_RGB, PHOTOMETRIC_YCBCR -> 2;
                default -> photometric + 100;
            };
        }

        String where() {
            return "IFD at offset " + dir.offset();
        }
    }

    /** One pyramid level: its image and tile index. */
    record TiffLevel(Image image, long[] offsets, long[] byteCounts, int cols, int rows, byte[] jpegTables,
                     List<TiffRewriter.Tag> decodingTags) {
    }

    private final TiffFile in;
    private final FileStamp stamp;
    private final SlideInfo info;
    private final List<TiffLevel> levels;
    private final Map<String, Image> associated;

    private TiffSource(TiffFile in, FileStamp stamp, SlideInfo info, List<TiffLevel> levels,
                       Map<String, Image> associated) {
        this.in = in;
        this.stamp = stamp;
        this.info = info;
        this.levels = List.copyOf(levels);
        this.associated = associated;
    }

    public static SlideSource open(Path file) throws IOException {
        TiffFile in = TiffFile.open(file);
        try {
            return open(in);
        } catch (IOException | RuntimeException e) {
            try {
                in.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof SlideException se) {
                throw se;
            }
            throw new SlideException(file, "cannot read TIFF: " + e, e);
        }
    }

    private static SlideSource open(TiffFile in) throws IOException {
        Path file = in.path();
        FileStamp stamp = FileStamp.of(file);
        TiffParser.Structure s = TiffParser.parse(in);
        List<Image> images = new ArrayList<>();
        for (TiffParser.Directory d : s.directories()) {
            Image im = describe(in, d);
            if (im != null) {
                images.add(im);
            }
        }
        if (images.isEmpty()) {
            throw new SlideException(file, "TIFF without any image (no directory has ImageWidth and ImageLength)");
        }
        Image firstImage = images.getFirst();
        boolean aperio = firstImage.description() != null && firstImage.description().startsWith("Aperio");

        List<Image> tiled = images.stream()
                .filter(Image::tiled)
                .filter(im -> !im.mask())
                .filter(im -> !(aperio && isLabelOrMacro(im)))
                .toList();
        if (tiled.isEmpty()) {
            Image big = images.stream().max(Comparator.comparingLong(im -> im.width() * im.height())).orElseThrow();
            throw new SlideException(file, "no tiled image: a stripped TIFF (" + big.width() + "x" + big.height()
                    + ") is not a pyramid");
        }
        Comparator<Image> byArea = Comparator.comparingLong(im -> im.width() * im.height());
        Image base = tiled.stream().filter(im -> !im.reduced()).max(byArea)
                .orElseGet(() -> tiled.stream().max(byArea).orElseThrow());
        TiffLevel level0 = buildLevel(in, base);

        List<Image> smaller = tiled.stream()
                .filter(im -> im != base)
                .filter(im -> im.samplesPerPixel() == base.samplesPerPixel()
                        && im.colourFamily() == base.colourFamily())
                .filter(im -> im.width() <= base.width() && im.height() <= base.height()
                        && (im.width() < base.width() || im.height() < base.height()))
                .sorted(Comparator.comparingLong(Image::width).thenComparingLong(Image::height).reversed())
                .toList();
        List<TiffLevel> levels = new ArrayList<>();
        List<LevelInfo> infos = new ArrayList<>();
        levels.add(level0);
        infos.add(LevelInfo.of(0, (int) base.width(), (int) base.height(), 1.0,
                (int) base.tileWidth(), (int) base.tileHeight()));
        double lastDownsample = 1.0;
        for (Image im : smaller) {
            if (levels.size() >= Limits.MAX_LEVELS) {
                LOG.log(Level.WARNING, "{0}: more than {1} levels; the smallest are left out", file, Limits.MAX_LEVELS);
                break;
            }
            double ds = ((double) base.width() / im.width() + (double) base.height() / im.height()) / 2;
            if (!(ds > lastDownsample)) {
                LOG.log(Level.DEBUG, "{0}: {1} ({2}x{3}) skipped: downsample {4} is not above the previous level's",
                        file, im.where(), im.width(), im.height(), ds);
                continue;
            }
            TiffLevel l;
            try {
                l = buildLevel(in, im);
            } catch (TiffParser.TruncatedException e) {
                throw e;
            } catch (SlideException e) {
                // A damaged reduced level costs a level, not the slide: level 0 and the others still serve.
                LOG.log(Level.WARNING, "{0}: reduced level left out: {1}", file, e.problem());
                continue;
            }
            infos.add(LevelInfo.of(levels.size(), (int) im.width(), (int) im.height(), ds,
                    (int) im.tileWidth(), (int) im.tileHeight()));
            levels.add(l);
            lastDownsample = ds;
        }

        Map<String, Image> associated = findAssociated(in, images, base, aperio);
        OptionalDouble mpp = OptionalDouble.empty();
        OptionalDouble mag = OptionalDouble.empty();
        if (aperio) {
            mpp = number(APERIO_MPP, firstImage.description(), 1e-4, 1e4);
            mag = number(APERIO_MAG, firstImage.description(), 0.01, 1000);
        } else {
            mpp = resolutionMpp(in, base);
        }
        SlideInfo info = new SlideInfo(file.toUri(), aperio ? "svs" : "tiff", (int) base.tileWidth(), (int) base.tileHeight(),
                0, infos, mpp, mag, List.copyOf(associated.keySet()));
        return new TiffSource(in, stamp, info, levels, associated);
    }

    private static boolean isLabelOrMacro(Image im) {
        String d = im.lowerDescription();
        return d.contains("label") || d.contains("macro");
    }

    /** The directory as an image, or null when it lacks a size (then it is not one). */
    static Image describe(TiffFile in, TiffParser.Directory d) throws IOException {
        long w = TiffParser.first(in, d, TiffParser.TAG_IMAGE_WIDTH, -1);
        long h = TiffParser.first(in, d, TiffParser.TAG_IMAGE_LENGTH, -1);
        if (w < 0 || h < 0) {
            return null;
        }
        boolean tiled = d.has(TiffParser.TAG_TILE_WIDTH) || d.has(TiffParser.TAG_TILE_LENGTH)
                || d.has(TiffParser.TAG_TILE_OFFSETS);
        long tw = TiffParser.first(in, d, TiffParser.TAG_TILE_WIDTH, 0);
        long th = TiffParser.first(in, d, TiffParser.TAG_TILE_LENGTH, 0);
        int spp = (int) Math.min(TiffParser.first(in, d, TiffParser.TAG_SAMPLES_PER_PIXEL, 1), Integer.MAX_VALUE);
        int photometric = (int) TiffParser.first(in, d, TiffParser.TAG_PHOTOMETRIC, -1);
        int compression = (int) TiffParser.first(in, d, TiffParser.TAG_COMPRESSION, COMPRESSION_NONE);
        int planar = (int) TiffParser.first(in, d, TiffParser.TAG_PLANAR_CONFIGURATION, 1);
        long subfile = TiffParser.first(in, d, TiffParser.TAG_NEW_SUBFILE_TYPE, 0);
        String desc = TiffParser.ascii(in, d, TiffParser.TAG_IMAGE_DESCRIPTION, MAX_DESCRIPTION);
        return new Image(d, w, h, tiled, tw, th, spp, photometric, compression, planar, subfile, desc);
    }

    private static TiffLevel buildLevel(TiffFile in, Image im) throws IOException {
        Path file = in.path();
        Limits.checkDimensions(file, im.width(), im.height());
        Limits.checkTileSize(file, im.tileWidth(), im.tileHeight());
        checkCompression(in, im);
        if (im.planar() != 1) {
            throw new SlideException(file, "PlanarConfiguration " + im.planar()
                    + " (separate colour planes) is not supported, in " + im.where());
        }
        long cols = Math.ceilDiv(im.width(), im.tileWidth());
        long rows = Math.ceilDiv(im.height(), im.tileHeight());
        long expected = cols * rows;
        if (expected > MAX_TILES_PER_LEVEL) {
            throw new SlideException(file, "absurd tile grid " + cols + "x" + rows + " (" + im.width() + "x"
                    + im.height() + " in " + im.tileWidth() + "x" + im.tileHeight() + " tiles) in " + im.where());
        }
        TiffParser.Directory d = im.dir();
        TiffParser.Entry offE = d.entry(TiffParser.TAG_TILE_OFFSETS);
        TiffParser.Entry cntE = d.entry(TiffParser.TAG_TILE_BYTE_COUNTS);
        if (offE == null || cntE == null) {
            throw new SlideException(file, "tiled image without " + (offE == null ? "TileOffsets" : "TileByteCounts")
                    + " in " + im.where());
        }
        for (TiffParser.Entry e : List.of(offE, cntE)) {
            if (e.count() != expected) {
                throw new SlideException(file, (e == offE ? "TileOffsets" : "TileByteCounts") + " has " + e.count()
                        + " entries but a " + cols + "x" + rows + " tile grid needs " + expected + ", in " + im.where());
            }
        }
        long[] offsets = TiffParser.longs(in, d, offE, (int) expected);
        long[] counts = TiffParser.longs(in, d, cntE, (int) expected);
        byte[] tables = null;
        List<TiffRewriter.Tag> decodingTags = List.of();
        if (im.compression() == COMPRESSION_JPEG) {
            TiffParser.Entry t = d.entry(TiffParser.TAG_JPEG_TABLES);
            if (t != null) {
                tables = jpegTablesBody(in, im, TiffParser.raw(in, d, t, MAX_JPEG_TABLES_BYTES));
            }
        } else {
            checkBitsPerSample(in, im);
            decodingTags = TiffRewriter.decodingTags(in, d);
        }
        return new TiffLevel(im, offsets, counts, (int) cols, (int) rows, tables, decodingTags);
    }

    /** The JPEGTables stream without its EOI, so tile data can follow; null when unusable. */
    static byte[] jpegTablesBody(TiffFile in, Image im, byte[] t) {
        if (t.length < 4 || (t[0] & 0xFF) != 0xFF || (t[1] & 0xFF) != 0xD8) {
            LOG.log(Level.WARNING, "{0}: JPEGTables in {1} do not start with SOI; ignored", in.path(), im.where());
            return null;
        }
        int end = t.length;
        while (end > 2 && t[end - 1] == 0) {
            end--; // some writers pad the tag
        }
        if (end >= 4 && (t[end - 2] & 0xFF) == 0xFF && (t[end - 1] & 0xFF) == 0xD9) {
            end -= 2;
        }
        return Arrays.copyOf(t, end);
    }

    /**
     * Tiles other than JPEG are decoded by the JDK's TIFF reader, which builds a lookup table of
     * 2^BitsPerSample entries to rescale samples that are not 8 bits: 24 bits a sample is a
     * 64 MB table for a 16 px tile, 32 bits overflows. Slides use 1 to 16.
     */
    static void checkBitsPerSample(TiffFile in, Image im) throws IOException {
        TiffParser.Entry e = im.dir().entry(TiffParser.TAG_BITS_PER_SAMPLE);
        if (e == null) {
            return; // 1 bit, the default
        }
        for (long bits : TiffParser.longs(in, im.dir(), e, 64)) {
            if (bits < 1 || bits > 16) {
                throw new SlideException(in.path(), "BitsPerSample " + bits + " is not supported (1 to 16 are), in "
                        + im.where());
            }
        }
    }

    static void checkCompression(TiffFile in, Image im) throws SlideException {
        int c = im.compression();
        if (c == COMPRESSION_JPEG || isRewritable(c)) {
            return;
        }
        String name = switch (c) {
            case COMPRESSION_OJPEG -> "old-style JPEG (compression 6), which is not supported";
            case 33003, 33005 -> "Aperio JPEG 2000 (compression " + c + "), which is not supported yet";
            case 34712 -> "JPEG 2000 (compression 34712), which is not supported yet";
            case 50000 -> "Zstandard (compression 50000), which is not supported";
            case 50001 -> "WebP (compression 50001), which is not supported";
            default -> "unknown compression " + c;
        };
        throw new SlideException(in.path(), "tiles use " + name + ", in " + im.where());
    }

    /** Compressions the JDK TIFF reader decodes from a one-tile TIFF. */
    private static boolean isRewritable(int c) {
        return switch (c) {
            case 1, 2, 3, 4, 5, 8, 32773, 32946 -> true;
            default -> false;
        };
    }

    private static Map<String, Image> findAssociated(TiffFile in, List<Image> images, Image base, boolean aperio) {
        Map<String, Image> out = new LinkedHashMap<>();
        for (Image im : images) {
            if (im.tiled() || im.dir().chainIndex() < 0 || im == base) {
                continue;
            }
            String name;
            if (aperio) {
                String d = im.lowerDescription();
                if (d.contains("label")) {
                    name = "label";
                } else if (d.contains("macro")) {
                    name = "macro";
                } else if (im.dir().chainIndex() > base.dir().chainIndex()) {
                    name = "thumbnail";
                } else {
                    continue;
                }
            } else if (looksLikeThumbnail(im, base)) {
                name = "thumbnail";
            } else {
                continue;
            }
            if (out.containsKey(name)) {
                continue;
            }
            if (im.width() <= 0 || im.height() <= 0 || im.width() > Limits.MAX_DIMENSION
                    || im.height() > Limits.MAX_DIMENSION || im.width() * im.height() > MAX_ASSOCIATED_PIXELS) {
                LOG.log(Level.WARNING, "{0}: associated image ''{1}'' ({2}x{3}) left out: too large or empty",
                        in.path(), name, im.width(), im.height());
                continue;
            }
            if (im.compression() != COMPRESSION_JPEG && !isRewritable(im.compression())) {
                LOG.log(Level.WARNING, "{0}: associated image ''{1}'' left out: compression {2} is not supported",
                        in.path(), name, im.compression());
                continue;
            }
            out.put(name, im);
        }
        return out;
    }

    /** A generic TIFF's stripped image is a thumbnail only when it plainly is: small, same shape. */
    private static boolean looksLikeThumbnail(Image im, Image base) {
        if (im.width() >= base.width() || im.height() >= base.height() || im.width() > 4096 || im.height() > 4096) {
            return false;
        }
        double a = (double) im.width() / im.height();
        double b = (double) base.width() / base.height();
        return Math.abs(a / b - 1) < 0.05;
    }

    private static OptionalDouble number(Pattern p, String text, double min, double max) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            return OptionalDouble.empty();
        }
        try {
            double v = Double.parseDouble(m.group(1));
            return v >= min && v <= max ? OptionalDouble.of(v) : OptionalDouble.empty();
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    /**
     * Microns per pixel from XResolution and ResolutionUnit, as OpenSlide derives it. Inch values are
     * taken only when fine enough to be a microscope's (at least 2540 dpi): 72 or 300 dpi is a
     * writer's default, and would claim pixels hundreds of microns wide.
     */
    private static OptionalDouble resolutionMpp(TiffFile in, Image base) {
        try {
            TiffParser.Directory d = base.dir();
            double xres = TiffParser.real(in, d, TiffParser.TAG_X_RESOLUTION);
            long unit = TiffParser.first(in, d, TiffParser.TAG_RESOLUTION_UNIT, 2);
            if (!(xres > 0) || Double.isInfinite(xres)) {
                return OptionalDouble.empty();
            }
            double mpp;
            double maxMpp;
            if (unit == 3) {
                mpp = 10000 / xres;
                maxMpp = 100;
            } else if (unit == 2) {
                mpp = 25400 / xres;
                maxMpp = 10;
            } else {
                return OptionalDouble.empty();
            }
            return mpp >= 0.01 && mpp <= maxMpp ? OptionalDouble.of(mpp) : OptionalDouble.empty();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "{0}: resolution tags unreadable: {1}", in.path(), e.getMessage());
            return OptionalDouble.empty();
        }
    }

    @Override
    public SlideInfo info() {
        return info;
    }

    @Override
    public byte[] readTile(int level, int col, int row) throws IOException {
        LevelInfo li = info.level(level);
        li.requireTile(col, row);
        TiffLevel l = levels.get(level);
        int i = row * l.cols() + col;
        long off = l.offsets()[i];
        long n = l.byteCounts()[i];
        Path file = in.path();
        if (n == 0) {
            throw TileException.missing(file, level, col, row, "missing tile (TileByteCount is 0)");
        }
        if (n < 0 || n > Limits.MAX_TILE_BYTES) {
            throw new TileException(file, level, col, row, "tile too large (" + Long.toUnsignedString(n) + " bytes)");
        }
        if (off < 0 || off > in.size() - n) {
            stamp.suspect();
            throw new TileException(file, level, col, row, "truncated TIFF: tile data at offset "
                    + Long.toUnsignedString(off) + " (+" + n + " bytes) is past the end of the file ("
                    + in.size() + " bytes)");
        }
        byte[] raw;
        try {
            raw = in.read(off, (int) n);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            // an I/O hiccup, or the file shrank because it is being rewritten: may pass
            stamp.suspect();
            throw TileException.transientFailure(file, level, col, row, "cannot read tile data: " + e.getMessage(), e);
        }
        Image im = l.image();
        if (im.compression() == COMPRESSION_JPEG) {
            byte[] jpeg = standaloneJpeg(l.jpegTables(), raw, im.photometric() == PHOTOMETRIC_RGB);
            if (jpeg == null) {
                throw new TileException(file, level, col, row, "damaged tile: not a JPEG stream (no SOI marker)");
            }
            return jpeg;
        }
        return TiffRewriter.oneTile(in.order(), l.decodingTags(), (int) im.tileWidth(), (int) im.tileHeight(), raw);
    }

    /**
     * A JPEG that decodes on its own: the shared tables (without EOI) followed by the tile's stream
     * (without SOI). For RGB data an Adobe marker with transform 0 goes right after SOI: without it
     * decoders assume YCbCr for three components and convert, shifting every colour.
     *
     * @param tablesBody the JPEGTables stream without its EOI, or null
     * @return the stream, or null when the tile is not a JPEG stream
     */
    static byte[] standaloneJpeg(byte[] tablesBody, byte[] tile, boolean rgb) {
        if (tile.length < 4 || (tile[0] & 0xFF) != 0xFF || (tile[1] & 0xFF) != 0xD8) {
            return null;
        }
        boolean addAdobe = rgb && !hasAdobeMarker(tile) && (tablesBody == null || !hasAdobeMarker(tablesBody));
        if (tablesBody == null && !addAdobe) {
            return tile;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(tile.length + (tablesBody == null ? 0 : tablesBody.length) + 16);
        out.write(0xFF);
        out.write(0xD8);
        if (addAdobe) {
            out.writeBytes(ADOBE_RGB);
        }
        if (tablesBody != null) {
            out.write(tablesBody, 2, tablesBody.length - 2);
        }
        out.write(tile, 2, tile.length - 2);
        return out.toByteArray();
    }

    /** APP14 "Adobe", version 100, no flags, transform 0: the components are RGB, not YCbCr. */
    private static final byte[] ADOBE_RGB = {
        (byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0,
    };

    /** True when the marker segments before the first scan include an Adobe APP14. */
    static boolean hasAdobeMarker(byte[] b) {
        int p = 2;
        while (p + 4 <= b.length && (b[p] & 0xFF) == 0xFF) {
            int marker = b[p + 1] & 0xFF;
            if (marker == 0xDA || marker == 0xD9) {
                return false;
            }
            if (marker == 0xFF) {
                p++; // fill byte
                continue;
            }
            int len = ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
            if (marker == 0xEE && len >= 7 && p + 9 <= b.length
                    && b[p + 4] == 'A' && b[p + 5] == 'd' && b[p + 6] == 'o' && b[p + 7] == 'b' && b[p + 8] == 'e') {
                return true;
            }
            if (len < 2) {
                return false;
            }
            p += 2 + len;
        }
        return false;
    }

    @Override
    public FileStamp stamp() {
        return stamp;
    }

    @Override
    public byte[] readAssociated(String name) throws IOException {
        Image im = associated.get(name);
        Path file = in.path();
        if (im == null) {
            throw new SlideException(file, "no associated image named '" + name + "'"
                    + (associated.isEmpty() ? "" : " (has " + String.join(", ", associated.keySet()) + ")"));
        }
        String what = "associated image '" + name + "' (" + im.where() + "): ";
        if (im.planar() != 1) {
            throw new SlideException(file, what + "PlanarConfiguration " + im.planar() + " is not supported");
        }
        TiffParser.Directory d = im.dir();
        int w = (int) im.width();
        int h = (int) im.height();
        long rps = TiffParser.first(in, d, TiffParser.TAG_ROWS_PER_STRIP, h);
        if (rps <= 0 || rps > h) {
            rps = h;
        }
        long strips = Math.ceilDiv(h, rps);
        TiffParser.Entry offE = d.entry(TiffParser.TAG_STRIP_OFFSETS);
        TiffParser.Entry cntE = d.entry(TiffParser.TAG_STRIP_BYTE_COUNTS);
        if (offE == null || cntE == null) {
            throw new SlideException(file, what + "no StripOffsets or StripByteCounts");
        }
        if (offE.count() < strips || cntE.count() < strips) {
            throw new SlideException(file, what + "has " + Math.min(offE.count(), cntE.count()) + " strips, "
                    + strips + " needed for " + h + " rows at " + rps + " rows a strip");
        }
        long[] offsets = TiffParser.longs(in, d, offE, (int) strips);
        long[] counts = TiffParser.longs(in, d, cntE, (int) strips);
        long total = 0;
        for (int i = 0; i < strips; i++) {
            total += counts[i];
            if (counts[i] < 0 || total > MAX_ASSOCIATED_BYTES) {
                throw new SlideException(file, what + "too large (more than " + MAX_ASSOCIATED_BYTES + " bytes)");
            }
        }
        long samples = Math.max(1, im.samplesPerPixel());
        long sampleBytes = Math.ceilDiv(Math.clamp(TiffParser.first(in, d, TiffParser.TAG_BITS_PER_SAMPLE, 8), 1, 64), 8);
        long decoded = (long) w * h * samples * sampleBytes;
        if (decoded > FREE_ASSOCIATED_DECODED_BYTES + DECODED_BYTES_PER_STORED_BYTE * total) {
            throw new SlideException(file, what + w + "x" + h + " pixels of " + samples + " samples cannot come from the "
                    + total + " bytes stored for it (damaged tags?)");
        }
        List<byte[]> data = new ArrayList<>();
        for (int i = 0; i < strips; i++) {
            if (offsets[i] < 0 || offsets[i] > in.size() - counts[i]) {
                throw new SlideException(file, what + "truncated TIFF: strip " + i + " at offset "
                        + Long.toUnsignedString(offsets[i]) + " (+" + counts[i] + " bytes) is past the end of the file ("
                        + in.size() + " bytes)");
            }
            data.add(in.read(offsets[i], (int) counts[i]));
        }
        try {
            if (im.compression() == COMPRESSION_JPEG) {
                return jpegStrips(in, im, data, w, h, (int) rps);
            }
            return TiffRewriter.stripped(in.order(), TiffRewriter.decodingTags(in, d), w, h, (int) rps, data);
        } catch (SlideException e) {
            throw e;
        } catch (IOException e) {
            throw new SlideException(file, what + e.getMessage(), e);
        }
    }

    /**
     * Each JPEG strip is its own stream. One strip is returned as a standalone JPEG; several have
     * no single-stream form, so they are decoded one by one onto the whole image and returned as
     * PNG (label and macro images are small; a thumbnail in strips is rare).
     */
    private static byte[] jpegStrips(TiffFile in, Image im, List<byte[]> strips, int w, int h, int rps)
            throws IOException {
        byte[] tables = null;
        TiffParser.Entry t = im.dir().entry(TiffParser.TAG_JPEG_TABLES);
        if (t != null) {
            tables = jpegTablesBody(in, im, TiffParser.raw(in, im.dir(), t, MAX_JPEG_TABLES_BYTES));
        }
        if (strips.size() == 1) {
            byte[] jpeg = standaloneJpeg(tables, strips.getFirst(), im.photometric() == PHOTOMETRIC_RGB);
            if (jpeg == null) {
                throw new IOException("strip 0 is not a JPEG stream");
            }
            return jpeg;
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            for (int i = 0; i < strips.size(); i++) {
                byte[] jpeg = standaloneJpeg(tables, strips.get(i), im.photometric() == PHOTOMETRIC_RGB);
                if (jpeg == null) {
                    throw new IOException("strip " + i + " is not a JPEG stream");
                }
                // A strip is w x rps pixels (the last one maybe fewer); a larger one is damaged.
                g.drawImage(TileDecoder.standard().decode(jpeg, w, rps), 0, i * rps, null);
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(out, "png", png);
        return png.toByteArray();
    }

    @Override
    public void releaseHandles() {
        in.release();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
