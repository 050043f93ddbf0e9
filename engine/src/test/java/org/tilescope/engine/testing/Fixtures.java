package org.tilescope.engine.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Tiny slides made in code: a procedurally drawn picture, its pyramid (each level the 2x2 box
 * average of the one above, like vips), written as Deep Zoom or as a FastPATH folder.
 */
public final class Fixtures {
    private Fixtures() {
    }

    /**
     * A smooth picture with no pure white anywhere: red ramps across, green ramps down, blue is a
     * low-frequency wave. Every pixel differs from its neighbours, so a one-pixel shift shows.
     */
    public static BufferedImage drawSource(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = 20 + (int) (200.0 * x / Math.max(1, w - 1));
                int g = 30 + (int) (190.0 * y / Math.max(1, h - 1));
                int b = 120 + (int) (80 * Math.sin(x / 13.0) * Math.cos(y / 17.0));
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    /** Half size (rounded up), each pixel the mean of its 2x2 block; an odd edge repeats itself. */
    public static BufferedImage halve(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        int hw = (w + 1) / 2;
        int hh = (h + 1) / 2;
        BufferedImage out = new BufferedImage(hw, hh, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < hh; y++) {
            for (int x = 0; x < hw; x++) {
                int x0 = 2 * x;
                int y0 = 2 * y;
                int x1 = Math.min(x0 + 1, w - 1);
                int y1 = Math.min(y0 + 1, h - 1);
                int[] p = {src.getRGB(x0, y0), src.getRGB(x1, y0), src.getRGB(x0, y1), src.getRGB(x1, y1)};
                int rgb = 0;
                for (int shift = 16; shift >= 0; shift -= 8) {
                    int sum = 0;
                    for (int v : p) {
                        sum += (v >> shift) & 0xFF;
                    }
                    rgb |= ((sum + 2) / 4) << shift;
                }
                out.setRGB(x, y, rgb);
            }
        }
        return out;
    }

    /** The pyramid: index 0 the source, each next one halved, down to 1x1. */
    public static List<BufferedImage> pyramid(BufferedImage src) {
        List<BufferedImage> levels = new ArrayList<>();
        BufferedImage cur = src;
        levels.add(cur);
        while (cur.getWidth() > 1 || cur.getHeight() > 1) {
            cur = halve(cur);
            levels.add(cur);
        }
        return levels;
    }

    /** A sub-image copied into its own int-RGB image. */
    public static BufferedImage crop(BufferedImage src, int x, int y, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) {
                out.setRGB(i, j, src.getRGB(x + i, y + j));
            }
        }
        return out;
    }

    /** PNG ("png") or JPEG quality 0.92 ("jpg"/"jpeg") bytes of an image. */
    public static byte[] encode(BufferedImage img, String format) {
        String f = format.toLowerCase(Locale.ROOT);
        try {
            if (f.equals("png")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                if (!ImageIO.write(img, "png", out)) {
                    throw new IllegalStateException("no PNG writer");
                }
                return out.toByteArray();
            }
            if (f.equals("jpg") || f.equals("jpeg")) {
                return jpeg(new IIOImage(img, null, null), 0.92f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("format " + format);
    }

    /** JPEG bytes of an image or raster through the JDK's writer. */
    public static byte[] jpeg(IIOImage image, float quality) throws IOException {
        ImageWriter writer = jdkJpegWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            writer.write(null, image, p);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static ImageWriter jdkJpegWriter() {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter fallback = null;
        while (it.hasNext()) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.imageio.")) {
                return w;
            }
            if (fallback == null) {
                fallback = w;
            }
        }
        if (fallback == null) {
            throw new IllegalStateException("no JPEG writer");
        }
        return fallback;
    }

    /**
     * A tiled TIFF with a single level, as many scanners and stitchers write one: little-endian,
     * classic, JPEG tiles (each a complete YCbCr JFIF, quality 0.92), edge tiles padded with black
     * to the full tile size as TIFF requires (black so that a reader using the padding shows it).
     */
    public static Path singleLevelTiff(Path file, BufferedImage img, int tile) throws IOException {
        int w = img.getWidth();
        int h = img.getHeight();
        int cols = Math.ceilDiv(w, tile);
        int rows = Math.ceilDiv(h, tile);
        List<byte[]> tiles = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                BufferedImage t = new BufferedImage(tile, tile, BufferedImage.TYPE_INT_RGB);
                int tw = Math.min(tile, w - c * tile);
                int th = Math.min(tile, h - r * tile);
                int[] px = img.getRGB(c * tile, r * tile, tw, th, null, 0, tw);
                t.setRGB(0, 0, tw, th, px, 0, tw);
                tiles.add(jpeg(new IIOImage(t, null, null), 0.92f));
            }
        }
        int entries = 11;
        long dataStart = 8;
        long dataBytes = tiles.stream().mapToLong(b -> b.length).sum();
        long ifd = dataStart + dataBytes + (dataStart + dataBytes) % 2;
        long extra = ifd + 2 + entries * 12L + 4;  // arrays that do not fit in an entry
        long offsetsAt = extra;
        long countsAt = offsetsAt + 4L * tiles.size();
        long bpsAt = countsAt + 4L * tiles.size();
        ByteBuffer b = ByteBuffer.allocate((int) (bpsAt + 6)).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt((int) ifd);
        for (byte[] t : tiles) {
            b.put(t);
        }
        b.position((int) ifd);
        b.putShort((short) entries);
        entry(b, 256, 4, 1, w);                        // ImageWidth
        entry(b, 257, 4, 1, h);                        // ImageLength
        entry(b, 258, 3, 3, bpsAt);                    // BitsPerSample 8,8,8
        entry(b, 259, 3, 1, 7);                        // Compression: JPEG
        entry(b, 262, 3, 1, 6);                        // Photometric: YCbCr
        entry(b, 277, 3, 1, 3);                        // SamplesPerPixel
        entry(b, 284, 3, 1, 1);                        // PlanarConfiguration: chunky
        entry(b, 322, 3, 1, tile);                     // TileWidth
        entry(b, 323, 3, 1, tile);                     // TileLength
        entry(b, 324, 4, tiles.size(), tiles.size() == 1 ? dataStart : offsetsAt);  // TileOffsets
        entry(b, 325, 4, tiles.size(), tiles.size() == 1 ? tiles.getFirst().length : countsAt); // TileByteCounts
        b.putInt(0);
        long at = dataStart;
        b.position((int) offsetsAt);
        for (byte[] t : tiles) {
            b.putInt((int) at);
            at += t.length;
        }
        for (byte[] t : tiles) {
            b.putInt(t.length);
        }
        b.putShort((short) 8).putShort((short) 8).putShort((short) 8);
        Files.write(file, b.array());
        return file;
    }

    /** One IFD entry; a SHORT value sits in the first two bytes of the value field. */
    private static void entry(ByteBuffer b, int tag, int type, int count, long value) {
        b.putShort((short) tag).putShort((short) type).putInt(count);
        if (type == 3 && count == 1) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt((int) value);
        }
    }

    /**
     * A copy of a JPEG whose frame header (SOFn) declares {@code width} x {@code height} pixels:
     * what a damaged or hostile tile looks like to a decoder that believes its header.
     */
    public static byte[] withDeclaredSize(byte[] jpeg, int width, int height) {
        byte[] b = jpeg.clone();
        int i = 2;
        while (i + 9 <= b.length) {
            int marker = b[i + 1] & 0xFF;
            int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                b[i + 5] = (byte) (height >> 8);
                b[i + 6] = (byte) height;
                b[i + 7] = (byte) (width >> 8);
                b[i + 8] = (byte) width;
                return b;
            }
            i += 2 + length;
        }
        throw new IllegalArgumentException("no frame header");
    }

    /** The .dzi text for a slide. */
    public static String dziXml(String format, int tileSize, int overlap, long width, long height) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <Image xmlns="http://schemas.microsoft.com/deepzoom/2008"
                  Format="%s"
                  Overlap="%d"
                  TileSize="%d"
                  >
                  <Size
                    Height="%d"
                    Width="%d"
                  />
                </Image>
                """.formatted(format, overlap, tileSize, height, width);
    }

    /** A Deep Zoom slide written by {@link #deepZoom}. */
    public record DeepZoom(Path dzi, Path filesDir, String format, int tileSize, int overlap,
                           List<BufferedImage> levels) {
        /** Deep Zoom folder number of the highest one: full resolution. */
        public int maxFolder() {
            return levels.size() - 1;
        }

        /** The tile file of an engine level (0 = full resolution). */
        public Path tile(int engineLevel, int col, int row) {
            return filesDir.resolve(Integer.toString(maxFolder() - engineLevel)).resolve(col + "_" + row + "." + format);
        }

        public BufferedImage level(int engineLevel) {
            return levels.get(engineLevel);
        }

        public int cols(int engineLevel) {
            return Math.ceilDiv(level(engineLevel).getWidth(), tileSize);
        }

        public int rows(int engineLevel) {
            return Math.ceilDiv(level(engineLevel).getHeight(), tileSize);
        }
    }

    /**
     * Writes {@code dir/name.dzi} and {@code dir/name_files/} the way vips dzsave does: folders 0
     * (1x1) to max (full size), tile (c, r) covering [c*ts - (c>0 ? ov : 0), min((c+1)*ts + ov, w)).
     */
    public static DeepZoom deepZoom(Path dir, String name, BufferedImage src, int tileSize, int overlap,
                                    String format) throws IOException {
        List<BufferedImage> levels = pyramid(src);
        Path dzi = dir.resolve(name + ".dzi");
        Path filesDir = dir.resolve(name + "_files");
        Files.writeString(dzi, dziXml(format, tileSize, overlap, src.getWidth(), src.getHeight()));
        int max = levels.size() - 1;
        for (int engineLevel = 0; engineLevel <= max; engineLevel++) {
            Path folder = Files.createDirectories(filesDir.resolve(Integer.toString(max - engineLevel)));
            writeTiles(levels.get(engineLevel), tileSize, overlap, format, (c, r, bytes) ->
                    Files.write(folder.resolve(c + "_" + r + "." + format), bytes));
        }
        return new DeepZoom(dzi, filesDir, format, tileSize, overlap, levels);
    }

    /** Where one tile's bytes go. */
    @FunctionalInterface
    public interface TileSink {
        void accept(int col, int row, byte[] bytes) throws IOException;
    }

    /** Cuts one level into tiles (row-major order) with overlap and hands each one's bytes on. */
    public static void writeTiles(BufferedImage level, int tileSize, int overlap, String format, TileSink sink)
            throws IOException {
        int w = level.getWidth();
        int h = level.getHeight();
        int cols = Math.ceilDiv(w, tileSize);
        int rows = Math.ceilDiv(h, tileSize);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int x0 = c * tileSize - (c > 0 ? overlap : 0);
                int y0 = r * tileSize - (r > 0 ? overlap : 0);
                int x1 = Math.min((c + 1) * tileSize + overlap, w);
                int y1 = Math.min((r + 1) * tileSize + overlap, h);
                sink.accept(c, r, encode(crop(level, x0, y0, x1 - x0, y1 - y0), format));
            }
        }
    }

    /** A FastPATH folder written by {@link #fastPath}. */
    public record FastPath(Path dir, int tileSize, List<BufferedImage> levels, int fpLevels) {
        /** FastPATH level number (0 = lowest resolution) of an engine level. */
        public int fpLevel(int engineLevel) {
            return fpLevels - 1 - engineLevel;
        }

        public BufferedImage level(int engineLevel) {
            return levels.get(engineLevel);
        }
    }

    /** The two FastPATH tile layouts. */
    public enum FastPathLayout { PACK_V2, PER_TILE }

    public static final byte[] IDX_MAGIC = "FPLIDX1\0".getBytes(StandardCharsets.US_ASCII);

    /**
     * Writes a FastPATH folder with {@code fpLevels} levels of downsample 1, 2, 4... (FastPATH level
     * 0 the lowest resolution), JPEG tiles without overlap, metadata.json, and a thumbnail.jpg.
     */
    public static FastPath fastPath(Path dir, BufferedImage src, int tileSize, int fpLevels, FastPathLayout layout)
            throws IOException {
        List<BufferedImage> all = pyramid(src);
        List<BufferedImage> levels = List.copyOf(all.subList(0, fpLevels));
        Files.createDirectories(dir);
        StringBuilder levelJson = new StringBuilder();
        for (int fp = 0; fp < fpLevels; fp++) {
            BufferedImage l = levels.get(fpLevels - 1 - fp);
            if (fp > 0) {
                levelJson.append(",\n");
            }
            levelJson.append("    {\"level\": %d, \"downsample\": %d, \"cols\": %d, \"rows\": %d}".formatted(
                    fp, 1 << (fpLevels - 1 - fp), Math.ceilDiv(l.getWidth(), tileSize),
                    Math.ceilDiv(l.getHeight(), tileSize)));
        }
        String meta = """
                {
                  "version": "1.0",
                  "source_file": "fixture.svs",
                  "source_mpp": 0.25,
                  "target_mpp": 0.5,
                  "target_magnification": 20.0,
                  "tile_size": %d,
                  "dimensions": [%d, %d],
                  "levels": [
                %s
                  ],
                  "background_color": [255, 255, 255],
                  "tile_format": "%s"
                }
                """.formatted(tileSize, src.getWidth(), src.getHeight(), levelJson,
                layout == FastPathLayout.PACK_V2 ? "pack_v2" : "dzsave");
        Files.writeString(dir.resolve("metadata.json"), meta);
        Files.write(dir.resolve("thumbnail.jpg"), encode(levels.getLast(), "jpg"));
        for (int fp = 0; fp < fpLevels; fp++) {
            BufferedImage l = levels.get(fpLevels - 1 - fp);
            if (layout == FastPathLayout.PER_TILE) {
                Path folder = Files.createDirectories(dir.resolve("tiles_files").resolve(Integer.toString(fp)));
                writeTiles(l, tileSize, 0, "jpg", (c, r, bytes) ->
                        Files.write(folder.resolve(c + "_" + r + ".jpg"), bytes));
            } else {
                Path tiles = Files.createDirectories(dir.resolve("tiles"));
                List<byte[]> blobs = new ArrayList<>();
                writeTiles(l, tileSize, 0, "jpg", (c, r, bytes) -> blobs.add(bytes));
                int cols = Math.ceilDiv(l.getWidth(), tileSize);
                int rows = Math.ceilDiv(l.getHeight(), tileSize);
                Files.write(tiles.resolve("level_" + fp + ".idx"), index(cols, rows, blobs));
                ByteArrayOutputStream pack = new ByteArrayOutputStream();
                for (byte[] b : blobs) {
                    pack.write(b);
                }
                Files.write(tiles.resolve("level_" + fp + ".pack"), pack.toByteArray());
            }
        }
        if (layout == FastPathLayout.PER_TILE) {
            Files.writeString(dir.resolve("tiles.dzi"), dziXml("jpg", tileSize, 0, src.getWidth(), src.getHeight()));
        }
        return new FastPath(dir, tileSize, levels, fpLevels);
    }

    /** A level_N.idx for tiles stored back to back in row-major order. */
    public static byte[] index(int cols, int rows, List<byte[]> blobs) {
        ByteBuffer b = ByteBuffer.allocate(16 + 12 * cols * rows).order(ByteOrder.LITTLE_ENDIAN);
        b.put(IDX_MAGIC).putInt(1).putShort((short) cols).putShort((short) rows);
        long offset = 0;
        for (byte[] blob : blobs) {
            b.putLong(offset).putInt(blob.length);
            offset += blob.length;
        }
        return b.array();
    }

    /** Overwrites one (offset, length) entry of a level_N.idx file. */
    public static void patchIndexEntry(Path idx, int entry, long offset, int length) throws IOException {
        byte[] raw = Files.readAllBytes(idx);
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).putLong(16 + 12 * entry, offset).putInt(16 + 12 * entry + 8, length);
        Files.write(idx, raw);
    }
}
