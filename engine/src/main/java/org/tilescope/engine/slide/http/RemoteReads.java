package org.tilescope.engine.slide.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import org.tilescope.engine.slide.Limits;
import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.TileException;

/**
 * What a remote slide's reads mean for the slide: a descriptor that cannot be had is a
 * {@link SlideException}; a tile that is missing (404), refused, too large, cut short or not an
 * image is a {@link TileException} (drawn from a coarser level). A failure that may go away
 * (timeouts, 5xx, 429, dropped connections, after the retries) is passed on as the
 * {@link HttpFailure} itself, a plain {@link IOException}, so it is not mistaken for a bad tile.
 */
public final class RemoteReads {
    private RemoteReads() {
    }

    /**
     * GETs a slide's descriptor (a .dzi, an info.json), at most {@link Limits#MAX_DESCRIPTOR_BYTES}.
     *
     * @throws SlideException naming the URL when it is missing, refused, too large or empty
     * @throws HttpFailure    when the server could not be reached or kept failing
     */
    public static HttpFetcher.Response descriptor(HttpFetcher fetcher, URI uri) throws IOException {
        HttpFetcher.Response r;
        try {
            r = fetcher.get(uri, Limits.MAX_DESCRIPTOR_BYTES);
        } catch (HttpFailure f) {
            if (!f.permanent()) {
                throw f;
            }
            throw new SlideException(uri, problem(f), f);
        }
        if (r.body().length == 0) {
            throw new SlideException(uri, "empty response (HTTP " + r.status() + ")");
        }
        return r;
    }

    /**
     * GETs one tile of {@code slide} from {@code tileUri}, at most {@link Limits#MAX_TILE_BYTES}.
     *
     * @throws TileException          when the tile is missing or damaged
     * @throws HttpFailure            a transient failure, after the retries
     * @throws InterruptedIOException when the reading thread was interrupted (the request is cancelled)
     */
    public static byte[] tile(HttpFetcher fetcher, URI slide, URI tileUri, int level, int col, int row)
            throws IOException {
        return tile(fetcher, slide, null, tileUri, level, col, row);
    }

    /**
     * {@link #tile(HttpFetcher, URI, URI, int, int, int)} through the on-disk L3 when it is on:
     * a tile stored under the slide's {@code identity} is not asked for again, and one fetched is
     * stored. {@code identity} null skips L3.
     */
    public static byte[] tile(HttpFetcher fetcher, URI slide, String identity, URI tileUri, int level, int col, int row)
            throws IOException {
        DiskTileCache l3 = identity == null ? null : DiskTileCache.shared().orElse(null);
        if (l3 != null) {
            byte[] stored = l3.get(identity, tileUri.toString());
            if (stored != null) {
                return stored;
            }
        }
        byte[] fetched = fetchTile(fetcher, slide, tileUri, level, col, row);
        if (l3 != null) {
            l3.put(identity, tileUri.toString(), fetched);
        }
        return fetched;
    }

    private static byte[] fetchTile(HttpFetcher fetcher, URI slide, URI tileUri, int level, int col, int row)
            throws IOException {
        HttpFetcher.Response r;
        try {
            r = fetcher.get(tileUri, Limits.MAX_TILE_BYTES);
        } catch (HttpFailure f) {
            if (!f.permanent()) {
                throw f;
            }
            throw new TileException(slide, level, col, row, problem(f) + ": " + tileUri, f);
        }
        Optional<String> type = r.contentType();
        if (type.isPresent() && !isImageType(type.get())) {
            throw new TileException(slide, level, col, row, "not an image (Content-Type " + type.get() + "): "
                    + tileUri, null);
        }
        if (r.body().length == 0) {
            throw new TileException(slide, level, col, row, "empty tile: " + tileUri, null);
        }
        return r.body();
    }

    /** Image types, and the generic binary type some static servers give every file. */
    static boolean isImageType(String mediaType) {
        String t = mediaType.toLowerCase(Locale.ROOT);
        return t.startsWith("image/") || t.equals("application/octet-stream");
    }

    /** A permanent failure in words, without the URL (the caller places it). */
    static String problem(HttpFailure f) {
        return switch (f.kind()) {
            case NOT_FOUND -> "missing on the server (HTTP " + f.status() + ")";
            case REFUSED -> f.status() == 401 || f.status() == 403
                    ? "access denied (HTTP " + f.status() + ")" : "refused by the server (HTTP " + f.status() + ")";
            case TOO_LARGE -> "too large: " + causeText(f);
            case TRUNCATED -> "damaged in transfer: " + causeText(f);
            case TRANSIENT -> "unreachable: " + causeText(f);
        };
    }

    private static String causeText(HttpFailure f) {
        String m = f.getMessage();
        String prefix = f.uri() + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}
