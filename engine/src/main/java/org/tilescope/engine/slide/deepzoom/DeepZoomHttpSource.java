package org.tilescope.engine.slide.deepzoom;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.Limits;
import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.http.HttpFailure;
import org.tilescope.engine.slide.http.HttpFetcher;
import org.tilescope.engine.slide.http.RemoteReads;
import org.tilescope.engine.slide.http.RemoteStamp;

/**
 * Deep Zoom over HTTP: {@code …/NAME.dzi} with its tiles at {@code …/NAME_files/L/C_R.EXT}, or a
 * server's Deep Zoom endpoint such as iipsrv's {@code …?DeepZoom=/path/slide.tif.dzi} (tiles at
 * {@code …?DeepZoom=/path/slide.tif_files/L/C_R.jpg}). Whatever follows the {@code .dzi} in the
 * URL (a token in the query) follows every tile name too.
 */
public final class DeepZoomHttpSource implements SlideSource {
    private final SlideInfo info;
    private final HttpFetcher fetcher;
    private final RemoteStamp stamp;
    /** The URL up to and including {@code NAME_files/}. */
    private final String tilesPrefix;
    /** What followed {@code .dzi} in the URL. */
    private final String suffix;
    private final String ext;
    private final int maxFolder;

    private DeepZoomHttpSource(SlideInfo info, HttpFetcher fetcher, RemoteStamp stamp, String tilesPrefix,
                               String suffix, String ext, int maxFolder) {
        this.info = info;
        this.fetcher = fetcher;
        this.stamp = stamp;
        this.tilesPrefix = tilesPrefix;
        this.suffix = suffix;
        this.ext = ext;
        this.maxFolder = maxFolder;
    }

    /**
     * Fetches and parses the descriptor.
     *
     * @throws SlideException naming the URL when it is not a Deep Zoom descriptor or is missing
     * @throws HttpFailure    when the server cannot be reached
     */
    public static DeepZoomHttpSource open(URI dzi, HttpFetcher fetcher) throws IOException {
        String url = dzi.toString();
        int at = url.toLowerCase(Locale.ROOT).lastIndexOf(".dzi");
        if (at < 0) {
            throw new SlideException(dzi, "not a Deep Zoom URL (no .dzi in it)");
        }
        HttpFetcher.Response r = RemoteReads.descriptor(fetcher, dzi);
        DeepZoomSource.Descriptor d = DeepZoomSource.parseDescriptor(dzi, r.body());
        String prefix = url.substring(0, at) + "_files/";
        String suffix = url.substring(at + ".dzi".length());
        int maxFolder = 0;
        while ((1L << maxFolder) < Math.max(d.width(), d.height())) {
            maxFolder++;
        }
        // a server cannot be asked which level folders exist: Deep Zoom has them all down to 1x1
        // (a writer that stopped early gives 404 tiles there, which are drawn from finer levels)
        List<LevelInfo> levels = new ArrayList<>();
        for (int i = 0; i <= maxFolder && i < Limits.MAX_LEVELS; i++) {
            long scale = 1L << i;
            levels.add(LevelInfo.of(i, (int) Math.ceilDiv(d.width(), scale), (int) Math.ceilDiv(d.height(), scale),
                    scale, d.tileSize(), d.tileSize()));
        }
        VipsProperties props = properties(fetcher, dzi, prefix, suffix);
        SlideInfo info = new SlideInfo(dzi, "deepzoom", d.tileSize(), d.tileSize(), d.overlap(), levels,
                props.mpp(), props.magnification(), List.of());
        return new DeepZoomHttpSource(info, fetcher, RemoteStamp.of(fetcher, dzi, r), prefix, suffix, d.format(),
                maxFolder);
    }

    /**
     * libvips' {@code vips-properties.xml} beside the tiles, for MPP and magnification: one
     * attempt, and anything but a parseable file means "unknown". Not asked of a server endpoint
     * (a query URL), which has no such file.
     */
    private static VipsProperties properties(HttpFetcher fetcher, URI dzi, String prefix, String suffix) {
        if (dzi.getRawQuery() != null) {
            return new VipsProperties(java.util.Map.of());
        }
        URI props = URI.create(prefix + "vips-properties.xml" + suffix);
        try {
            HttpFetcher.Response r = fetcher.get(HttpFetcher.Request.get(props, Limits.MAX_DESCRIPTOR_BYTES)
                    .withAttempts(1));
            return VipsProperties.parse(props, r.body());
        } catch (IOException e) {
            return new VipsProperties(java.util.Map.of());
        }
    }

    @Override
    public SlideInfo info() {
        return info;
    }

    /** The URL of one tile. */
    public URI tileUri(int level, int col, int row) {
        return URI.create(tilesPrefix + (maxFolder - level) + "/" + col + "_" + row + "." + ext + suffix);
    }

    @Override
    public byte[] readTile(int level, int col, int row) throws IOException {
        info.level(level).requireTile(col, row);
        return RemoteReads.tile(fetcher, info.location(), stamp.identity(), tileUri(level, col, row), level, col, row);
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
