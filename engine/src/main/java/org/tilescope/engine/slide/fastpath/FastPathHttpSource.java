package org.tilescope.engine.slide.fastpath;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.tilescope.engine.slide.Limits;
import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.TileException;
import org.tilescope.engine.slide.deepzoom.DeepZoomSource;
import org.tilescope.engine.slide.http.DiskTileCache;
import org.tilescope.engine.slide.http.HttpFailure;
import org.tilescope.engine.slide.http.HttpFetcher;
import org.tilescope.engine.slide.http.RemoteReads;
import org.tilescope.engine.slide.http.RemoteStamp;

/**
 * A FastPATH {@code .fastpath} folder served as plain static files, read as FastPATH's own web
 * viewer reads it: {@code metadata.json}, then each level's {@code tiles/level_N.idx}, then every
 * tile by an HTTP Range request into {@code tiles/level_N.pack}. The per-tile layout
 * ({@code tiles_files/N/C_R.jpg}) is read by plain GETs. A server that ignores Range requests is
 * refused when the slide opens, with a message that says so.
 */
public final class FastPathHttpSource implements SlideSource {
    private final SlideInfo info;
    private final HttpFetcher fetcher;
    private final RemoteStamp stamp;
    /** The folder's URL, ending in a slash. */
    private final String base;
    private final List<FastPathSource.FpLevel> fp;
    /** Per engine level, for the pack layout; null for the per-tile layout. */
    private final FastPathSource.PackIndex[] packs;
    private final String ext;

    private FastPathHttpSource(SlideInfo info, HttpFetcher fetcher, RemoteStamp stamp, String base,
                               List<FastPathSource.FpLevel> fp, FastPathSource.PackIndex[] packs, String ext) {
        this.info = info;
        this.fetcher = fetcher;
        this.stamp = stamp;
        this.base = base;
        this.fp = List.copyOf(fp);
        this.packs = packs;
        this.ext = ext;
    }

    /** The folder URL of a {@code …/NAME.fastpath}, {@code …/NAME.fastpath/} or {@code …/metadata.json} URL. */
    static String folderOf(URI url) {
        String s = url.toString();
        int q = s.indexOf('?');
        if (q >= 0) {
            s = s.substring(0, q);
        }
        if (s.endsWith("/metadata.json")) {
            return s.substring(0, s.length() - "metadata.json".length());
        }
        return s.endsWith("/") ? s : s + "/";
    }

    /**
     * Fetches metadata.json and the level indexes, and checks that the server answers Range requests.
     *
     * @throws SlideException naming the URL when the folder is not a FastPATH slide, or the server
     *                        cannot serve it (no Range support)
     * @throws HttpFailure    when the server cannot be reached
     */
    public static FastPathHttpSource open(URI url, HttpFetcher fetcher) throws IOException {
        String base = folderOf(url);
        URI metaUri = URI.create(base + "metadata.json");
        HttpFetcher.Response r = RemoteReads.descriptor(fetcher, metaUri);
        FastPathSource.Metadata m = FastPathSource.parseMetadata(metaUri, r.body());
        URI location = URI.create(base);
        RemoteStamp stamp = RemoteStamp.of(fetcher, metaUri, r);
        if (m.tileFormat().equals("dzsave") || m.tileFormat().equals("dz")) {
            URI dziUri = URI.create(base + "tiles.dzi");
            DeepZoomSource.Descriptor d = DeepZoomSource.parseDescriptor(dziUri,
                    RemoteReads.descriptor(fetcher, dziUri).body());
            if (d.tileSize() != m.tileSize() || d.width() != m.width() || d.height() != m.height()) {
                throw new SlideException(dziUri, "disagrees with metadata.json (" + d.width() + "x" + d.height()
                        + " tile " + d.tileSize() + ")");
            }
            SlideInfo info = new SlideInfo(location, "fastpath", m.tileSize(), m.tileSize(), d.overlap(), m.levels(),
                    m.mpp(), m.magnification(), List.of());
            return new FastPathHttpSource(info, fetcher, stamp, base, m.fp(), null, d.format());
        }
        if (!m.tileFormat().isEmpty() && !m.tileFormat().equals("pack_v2")) {
            throw new SlideException(metaUri, "unsupported tile_format '" + m.tileFormat() + "' (pack_v2 or dzsave)");
        }
        FastPathSource.PackIndex[] packs = new FastPathSource.PackIndex[m.fp().size()];
        for (int i = 0; i < packs.length; i++) {
            FastPathSource.FpLevel f = m.fp().get(i);
            URI idx = URI.create(base + "tiles/level_" + f.fpLevel() + ".idx");
            byte[] raw;
            try {
                raw = fetcher.get(idx, (int) Math.min(Integer.MAX_VALUE,
                        FastPathSource.indexBytes(f) + Limits.MAX_DESCRIPTOR_BYTES)).body();
            } catch (HttpFailure e) {
                if (!e.permanent()) {
                    throw e;
                }
                throw new SlideException(idx, e.kind() == HttpFailure.Kind.NOT_FOUND ? "missing index file"
                        : "cannot read the index: " + e.getMessage(), e);
            }
            packs[i] = FastPathSource.parseIndex(idx, raw, f, Long.MAX_VALUE);
        }
        SlideInfo info = new SlideInfo(location, "fastpath", m.tileSize(), m.tileSize(), 0, m.levels(), m.mpp(),
                m.magnification(), List.of());
        FastPathHttpSource src = new FastPathHttpSource(info, fetcher, stamp, base, m.fp(), packs, "jpg");
        src.checkRangeSupport();
        return src;
    }

    /**
     * Reads one tile the way every tile will be read: a tile not at the start of its pack, from
     * the coarsest level that has one (a small read), so a server that ignores the range shows.
     * A slide whose every pack holds a single tile needs no ranges.
     */
    private void checkRangeSupport() throws IOException {
        for (int level = packs.length - 1; level >= 0; level--) {
            FastPathSource.PackIndex p = packs[level];
            for (int i = 0; i < p.lengths().length; i++) {
                if (p.lengths()[i] > 0 && p.offsets()[i] > 0) {
                    URI pack = packUri(level);
                    String problem;
                    try {
                        problem = rangeProblem(fetchRange(pack, p.offsets()[i], p.lengths()[i]), p.offsets()[i],
                                p.lengths()[i]);
                    } catch (HttpFailure e) {
                        if (!e.permanent()) {
                            throw e;
                        }
                        problem = e.kind() == HttpFailure.Kind.TOO_LARGE ? NO_RANGES : null;
                    }
                    if (NO_RANGES.equals(problem)) {
                        throw new SlideException(pack, NO_RANGES);
                    }
                    return; // another problem is that tile's own, reported when it is read
                }
            }
        }
    }

    private static final String NO_RANGES = "the server ignores HTTP Range requests (it sends the whole file); "
            + "FastPATH over HTTP needs them";

    private URI packUri(int level) {
        return URI.create(base + "tiles/level_" + fp.get(level).fpLevel() + ".pack");
    }

    /** A GET of bytes [from, from + len) of a pack; a whole pack sent instead is refused by its length. */
    private HttpFetcher.Response fetchRange(URI pack, long from, int len) throws IOException {
        return fetcher.get(HttpFetcher.Request.get(pack, len).withHeader("Range", "bytes=" + from + "-" + (from + len - 1)));
    }

    /** What is wrong with a range response, or null when it is the bytes asked for. */
    private static String rangeProblem(HttpFetcher.Response r, long from, int len) {
        boolean wholeFileIsTheRange = r.status() == 200 && from == 0 && r.body().length == len;
        if (r.status() != 206 && !wholeFileIsTheRange) {
            return NO_RANGES;
        }
        Optional<String> range = r.headers().firstValue("Content-Range");
        String expected = "bytes " + from + "-" + (from + len - 1) + "/";
        if (r.status() == 206 && (range.isEmpty() || !range.get().toLowerCase(Locale.ROOT).startsWith(expected))) {
            return "the server sent another range (" + range.orElse("no Content-Range") + ")";
        }
        if (r.body().length != len) {
            return "got " + r.body().length + " of " + len + " bytes";
        }
        return null;
    }

    @Override
    public SlideInfo info() {
        return info;
    }

    @Override
    public byte[] readTile(int level, int col, int row) throws IOException {
        info.level(level).requireTile(col, row);
        FastPathSource.FpLevel f = fp.get(level);
        if (packs == null) {
            URI tile = URI.create(base + "tiles_files/" + f.fpLevel() + "/" + col + "_" + row + "." + ext);
            return RemoteReads.tile(fetcher, info.location(), stamp.identity(), tile, level, col, row);
        }
        FastPathSource.PackIndex p = packs[level];
        int i = row * p.cols() + col;
        int len = p.lengths()[i];
        String where = "level_" + f.fpLevel() + ".pack (col " + col + ", row " + row + ")";
        if (len == 0) {
            throw new TileException(info.location(), level, col, row, "missing tile: empty entry in index for " + where, null);
        }
        if (len < 0) {
            throw new TileException(info.location(), level, col, row, "index entry out of range for " + where, null);
        }
        long from = p.offsets()[i];
        DiskTileCache l3 = DiskTileCache.shared().orElse(null);
        String l3Key = packUri(level) + "#" + from + "+" + len;
        if (l3 != null) {
            byte[] stored = l3.get(stamp.identity(), l3Key);
            if (stored != null) {
                return stored;
            }
        }
        HttpFetcher.Response r;
        try {
            r = fetchRange(packUri(level), from, len);
        } catch (HttpFailure e) {
            if (!e.permanent()) {
                throw e;
            }
            String problem = e.kind() == HttpFailure.Kind.TOO_LARGE ? NO_RANGES : e.getMessage();
            throw new TileException(info.location(), level, col, row, problem + ": " + where, e);
        }
        String problem = rangeProblem(r, from, len);
        if (problem != null) {
            throw new TileException(info.location(), level, col, row, problem + ": " + where, null);
        }
        if (l3 != null) {
            l3.put(stamp.identity(), l3Key, r.body());
        }
        return r.body();
    }

    @Override
    public String identity() {
        return stamp.identity();
    }

    @Override
    public boolean changedOnDisk() {
        return stamp.changed();
    }

    @Override
    public byte[] readAssociated(String name) throws IOException {
        throw new SlideException(info.location(), "no associated image named '" + name + "'");
    }

    @Override
    public void close() {
        // the fetcher's connections are shared by every remote slide
    }
}
