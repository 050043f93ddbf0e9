package org.tilescope.engine.slide.fastpath;

import org.tilescope.engine.slide.local.FileStamp;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.local.LocalSlideSource;
import org.tilescope.engine.slide.Limits;
import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.TileException;
import org.tilescope.engine.slide.deepzoom.DeepZoomSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.tilescope.engine.decode.TileDecoder;

/**
 * FastPATH {@code .fastpath} folders. metadata.json numbers levels from the LOWEST resolution
 * (level 0) up; the engine's level 0 is the highest, so levels are sorted by downsample. Two tile
 * layouts: pack_v2 ({@code tiles/level_N.idx} + {@code .pack}) and per-tile
 * ({@code tiles_files/N/COL_ROW.jpg} + {@code tiles.dzi}, N the FastPATH level).
 */
public final class FastPathSource implements LocalSlideSource {
    private static final byte[] IDX_MAGIC = "FPLIDX1\0".getBytes(StandardCharsets.US_ASCII);
    private static final int IDX_HEADER = 16;
    private static final int IDX_ENTRY = 12;

    private final SlideInfo info;
    private final Path path;
    private final FileStamp stamp;
    private final Path thumbnail;
    private final PackLevel[] packs;

    private FastPathSource(SlideInfo info, FileStamp stamp, Path thumbnail, PackLevel[] packs) {
        this.info = info;
        this.path = info.file().orElseThrow();
        this.stamp = stamp;
        this.thumbnail = thumbnail;
        this.packs = packs;
    }

    /** One FastPATH level as metadata.json gives it. */
    record FpLevel(int fpLevel, double downsample, int cols, int rows) {
    }

    /**
     * What metadata.json says: the pyramid (engine order, full resolution first) and the FastPATH
     * level behind each engine level.
     *
     * @param fp         the FastPATH levels, sorted by downsample (the engine's order)
     * @param tileFormat lower-cased {@code tile_format}, empty when absent
     */
    record Metadata(long width, long height, int tileSize, List<FpLevel> fp, List<LevelInfo> levels,
                    OptionalDouble mpp, OptionalDouble magnification, String tileFormat) {
    }

    /**
     * Parses metadata.json; {@code metaFile} (a file or a URL) names it in errors.
     *
     * @throws SlideException naming it and what is wrong
     */
    static Metadata parseMetadata(URI metaFile, byte[] metaBytes) throws SlideException {
        JsonNode meta;
        try {
            meta = new ObjectMapper().readTree(metaBytes);
        } catch (IOException e) {
            throw new SlideException(metaFile, "malformed JSON: " + firstLine(e.getMessage()));
        }
        if (meta == null || !meta.isObject()) {
            throw new SlideException(metaFile, "not a JSON object");
        }
        JsonNode dims = meta.path("dimensions");
        if (!dims.isArray() || dims.size() != 2 || !dims.get(0).canConvertToLong() || !dims.get(1).canConvertToLong()) {
            throw new SlideException(metaFile, "missing or invalid \"dimensions\" [width, height]");
        }
        long width = dims.get(0).asLong();
        long height = dims.get(1).asLong();
        Limits.checkDimensions(metaFile, width, height);
        JsonNode ts = meta.path("tile_size");
        if (!ts.canConvertToInt()) {
            throw new SlideException(metaFile, "missing or invalid \"tile_size\"");
        }
        int tileSize = ts.asInt();
        Limits.checkTileSize(metaFile, tileSize, tileSize);
        JsonNode levelsNode = meta.path("levels");
        if (!levelsNode.isArray() || levelsNode.isEmpty() || levelsNode.size() > Limits.MAX_LEVELS) {
            throw new SlideException(metaFile, "missing or invalid \"levels\"");
        }
        List<FpLevel> fp = new ArrayList<>();
        for (JsonNode l : levelsNode) {
            if (!l.path("level").canConvertToInt() || !l.path("downsample").isNumber()
                    || !l.path("cols").canConvertToInt() || !l.path("rows").canConvertToInt()) {
                throw new SlideException(metaFile, "level entry needs level, downsample, cols, rows: " + l);
            }
            FpLevel f = new FpLevel(l.get("level").asInt(), l.get("downsample").asDouble(),
                    l.get("cols").asInt(), l.get("rows").asInt());
            if (!(f.downsample() >= 1) || f.downsample() > Limits.MAX_DIMENSION || f.cols() <= 0 || f.rows() <= 0
                    || f.fpLevel() < 0 || f.fpLevel() >= 1024) {
                throw new SlideException(metaFile, "invalid level entry " + l);
            }
            fp.add(f);
        }
        fp.sort(Comparator.comparingDouble(FpLevel::downsample));
        if (fp.getFirst().downsample() != 1.0) {
            throw new SlideException(metaFile, "no full-resolution level (downsample 1)");
        }
        List<LevelInfo> levels = new ArrayList<>();
        for (int i = 0; i < fp.size(); i++) {
            FpLevel f = fp.get(i);
            if (i > 0 && f.downsample() == fp.get(i - 1).downsample()) {
                throw new SlideException(metaFile, "two levels with downsample " + f.downsample());
            }
            int w = (int) Math.max(1, Math.ceil(width / f.downsample()));
            int h = (int) Math.max(1, Math.ceil(height / f.downsample()));
            long expectCols = Math.ceilDiv(w, tileSize);
            long expectRows = Math.ceilDiv(h, tileSize);
            if (f.cols() != expectCols || f.rows() != expectRows) {
                throw new SlideException(metaFile, "level " + f.fpLevel() + " grid " + f.cols() + "x" + f.rows()
                        + " does not match its size " + w + "x" + h + " in " + tileSize + " px tiles");
            }
            levels.add(new LevelInfo(i, w, h, f.downsample(), tileSize, tileSize, f.cols(), f.rows()));
        }
        return new Metadata(width, height, tileSize, fp, levels, positive(meta.path("target_mpp")),
                positive(meta.path("target_magnification")),
                meta.path("tile_format").asText("").toLowerCase(Locale.ROOT));
    }

    public static SlideSource open(Path dir) throws IOException {
        Path metaFile = dir.resolve("metadata.json");
        FileStamp metaStamp = FileStamp.of(metaFile); // before the parse, so a change during it shows
        byte[] metaBytes = Limits.readDescriptor(metaFile);
        Metadata m = parseMetadata(metaFile.toAbsolutePath().toUri(), metaBytes);
        long width = m.width();
        long height = m.height();
        int tileSize = m.tileSize();
        List<FpLevel> fp = m.fp();
        List<LevelInfo> levels = m.levels();
        Path thumb = dir.resolve("thumbnail.jpg");
        boolean hasThumb = Files.isRegularFile(thumb);
        OptionalDouble mpp = m.mpp();
        OptionalDouble mag = m.magnification();
        String tileFormat = m.tileFormat();
        boolean packed = Files.isDirectory(dir.resolve("tiles")) && !tileFormat.equals("dzsave");
        if (tileFormat.equals("pack_v2") || (tileFormat.isEmpty() && packed)) {
            SlideInfo info = new SlideInfo(dir.toUri(), "fastpath", tileSize, tileSize, 0, levels, mpp, mag,
                    hasThumb ? List.of("thumbnail") : List.of());
            List<Path> stamped = new ArrayList<>();
            stamped.add(metaFile); // first: it names the slide (its identity)
            for (FpLevel f : fp) {
                stamped.add(dir.resolve("tiles").resolve("level_" + f.fpLevel() + ".idx"));
                stamped.add(dir.resolve("tiles").resolve("level_" + f.fpLevel() + ".pack"));
            }
            // taken before the indexes are read, so a rewrite while they are read shows at the first look
            FileStamp early;
            try {
                early = FileStamp.of(stamped);
            } catch (SlideException e) {
                early = null; // a missing file: PackLevel.open below says which, in its own words
            }
            PackLevel[] packs = new PackLevel[fp.size()];
            try {
                for (int i = 0; i < fp.size(); i++) {
                    packs[i] = PackLevel.open(dir.resolve("tiles"), fp.get(i));
                }
            } catch (IOException | RuntimeException e) {
                for (PackLevel p : packs) {
                    if (p != null) {
                        p.close();
                    }
                }
                throw e;
            }
            FileStamp stamp = early != null ? early : FileStamp.of(stamped);
            return new FastPathSource(info, stamp, hasThumb ? thumb : null, packs);
        }
        if (tileFormat.equals("dzsave") || tileFormat.isEmpty() || tileFormat.equals("dz")) {
            Path dzi = dir.resolve("tiles.dzi");
            Path filesDir = dir.resolve("tiles_files");
            if (!Files.isDirectory(filesDir)) {
                throw new SlideException(dir, "missing tile folder tiles_files (and no tiles/ pack)");
            }
            String ext = "jpg";
            int overlap = 0;
            if (Files.isRegularFile(dzi)) {
                DeepZoomSource.Descriptor d = DeepZoomSource.parseDescriptor(dzi);
                if (d.tileSize() != tileSize || d.width() != width || d.height() != height) {
                    throw new SlideException(dzi, "disagrees with metadata.json (" + d.width() + "x" + d.height()
                            + " tile " + d.tileSize() + ")");
                }
                ext = d.format();
                overlap = d.overlap();
            }
            SlideInfo info = new SlideInfo(dir.toUri(), "fastpath", tileSize, tileSize, overlap, levels, mpp, mag,
                    hasThumb ? List.of("thumbnail") : List.of());
            int[] folders = fp.stream().mapToInt(FpLevel::fpLevel).toArray();
            for (int folder : folders) {
                if (!Files.isDirectory(filesDir.resolve(Integer.toString(folder)))) {
                    throw new SlideException(dir, "missing level folder tiles_files/" + folder);
                }
            }
            return new DeepZoomSource(info, metaStamp, filesDir, ext, folders, hasThumb ? thumb : null);
        }
        throw new SlideException(metaFile, "unsupported tile_format '" + tileFormat + "' (pack_v2 or dzsave)");
    }

    @Override
    public SlideInfo info() {
        return info;
    }

    @Override
    public byte[] readTile(int level, int col, int row) throws IOException {
        LevelInfo l = info.level(level);
        l.requireTile(col, row);
        try {
            return packs[level].read(path, level, col, row);
        } catch (IOException e) {
            stamp.suspect(); // a pack or index rewritten under us reads as garbage first
            throw e;
        }
    }

    @Override
    public FileStamp stamp() {
        return stamp;
    }

    @Override
    public byte[] readAssociated(String name) throws IOException {
        if (thumbnail != null && name.equals("thumbnail")) {
            return DeepZoomSource.readImageFile(thumbnail);
        }
        throw new SlideException(path, "no associated image named '" + name + "'");
    }

    @Override
    public void close() throws IOException {
        for (PackLevel p : packs) {
            p.close();
        }
    }

    @Override
    public void releaseHandles() {
        for (PackLevel p : packs) {
            p.close();
        }
    }

    /** One level's index in memory and its pack file, opened on demand for positional reads. */
    private static final class PackLevel {
        private final Path packFile;
        private final long[] offsets;
        private final int[] lengths;
        private final int cols;
        private FileChannel channel;

        private PackLevel(Path packFile, long[] offsets, int[] lengths, int cols) {
            this.packFile = packFile;
            this.offsets = offsets;
            this.lengths = lengths;
            this.cols = cols;
        }

        public static PackLevel open(Path tilesDir, FpLevel f) throws IOException {
            Path idx = tilesDir.resolve("level_" + f.fpLevel() + ".idx");
            Path packFile = tilesDir.resolve("level_" + f.fpLevel() + ".pack");
            if (!Files.isRegularFile(idx)) {
                throw new SlideException(idx, "missing index file");
            }
            if (!Files.isRegularFile(packFile)) {
                throw new SlideException(packFile, "missing pack file");
            }
            long idxSize = Files.size(idx);
            if (idxSize > indexBytes(f) + Limits.MAX_DESCRIPTOR_BYTES) {
                throw new SlideException(idx, "index far larger than its " + (long) f.cols() * f.rows()
                        + " tiles need (" + idxSize + " bytes)");
            }
            PackIndex index = parseIndex(idx.toAbsolutePath().toUri(), Files.readAllBytes(idx), f,
                    Files.size(packFile));
            return new PackLevel(packFile, index.offsets(), index.lengths(), index.cols());
        }

        private synchronized FileChannel channel() throws IOException {
            if (channel == null || !channel.isOpen()) {
                channel = FileChannel.open(packFile, StandardOpenOption.READ);
            }
            return channel;
        }

        byte[] read(Path slide, int level, int col, int row) throws IOException {
            int i = row * cols + col;
            int len = lengths[i];
            String where = packFile.getFileName() + " (col " + col + ", row " + row + ")";
            if (len == 0) {
                throw TileException.missing(slide, level, col, row, "missing tile: empty entry in index for " + where);
            }
            if (len < 0) {
                throw new TileException(slide, level, col, row, "index entry points past the end of " + where);
            }
            try {
                return readAt(offsets[i], len, slide, level, col, row, where);
            } catch (java.nio.channels.ClosedChannelException e) {
                // handles were released under us; reopen once
                return readAt(offsets[i], len, slide, level, col, row, where);
            } catch (TileException e) {
                throw e;
            } catch (IOException e) {
                throw TileException.transientFailure(slide, level, col, row,
                        "cannot read " + where + ": " + e.getMessage(), e);
            }
        }

        private byte[] readAt(long pos, int len, Path slide, int level, int col, int row, String where)
                throws IOException {
            FileChannel ch = channel();
            ByteBuffer buf = ByteBuffer.allocate(len);
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos + buf.position());
                if (r < 0) {
                    throw new TileException(slide, level, col, row, "pack file ends inside tile " + where);
                }
            }
            return buf.array();
        }

        synchronized void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing a read-only channel loses nothing
                }
                channel = null;
            }
        }
    }

    /**
     * One level's tile index: where each tile lies in its pack, row by row; a length of 0 is a
     * tile the writer left out, -1 one whose entry points outside the pack.
     */
    record PackIndex(int cols, long[] offsets, int[] lengths) {
    }

    /** Total bytes of the index of a level of {@code f}'s grid. */
    static long indexBytes(FpLevel f) {
        return IDX_HEADER + (long) f.cols() * f.rows() * IDX_ENTRY;
    }

    /**
     * Parses a {@code level_N.idx}; {@code idx} (a file or a URL) names it in errors.
     *
     * @param packSize the pack's size, or {@link Long#MAX_VALUE} when not known (a remote pack:
     *                 the server refuses a range past its end)
     */
    static PackIndex parseIndex(URI idx, byte[] raw, FpLevel f, long packSize) throws SlideException {
        long n = (long) f.cols() * f.rows();
        if (raw.length < indexBytes(f)) {
            throw new SlideException(idx, "truncated index: " + raw.length + " bytes, need " + indexBytes(f)
                    + " for " + f.cols() + "x" + f.rows() + " tiles");
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[8];
        b.get(magic);
        if (!java.util.Arrays.equals(magic, IDX_MAGIC)) {
            throw new SlideException(idx, "not a FastPATH tile index (bad magic)");
        }
        int version = b.getInt();
        if (version != 1) {
            throw new SlideException(idx, "unsupported index version " + Integer.toUnsignedString(version));
        }
        int cols = Short.toUnsignedInt(b.getShort());
        int rows = Short.toUnsignedInt(b.getShort());
        if (cols != f.cols() || rows != f.rows()) {
            throw new SlideException(idx, "grid " + cols + "x" + rows + " disagrees with metadata.json "
                    + f.cols() + "x" + f.rows());
        }
        long[] offsets = new long[(int) n];
        int[] lengths = new int[(int) n];
        for (int i = 0; i < n; i++) {
            offsets[i] = b.getLong();
            lengths[i] = b.getInt();
        }
        for (int i = 0; i < n; i++) {
            long len = Integer.toUnsignedLong(lengths[i]);
            if (offsets[i] < 0 || len > Limits.MAX_TILE_BYTES || offsets[i] > packSize - len) {
                // only this tile is bad; it fails when read
                lengths[i] = -1;
            }
        }
        return new PackIndex(cols, offsets, lengths);
    }

    private static OptionalDouble positive(JsonNode n) {
        double v = n.isNumber() ? n.asDouble() : Double.NaN;
        return v > 0 && Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "parse error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
