package org.tilescope.engine.slide.iiif;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.http.HttpFailure;
import org.tilescope.engine.slide.http.HttpFetcher;
import org.tilescope.engine.slide.http.RemoteReads;
import org.tilescope.engine.slide.http.RemoteStamp;

/**
 * An image served by an IIIF Image API service (version 2 or 3), opened by its
 * {@code …/info.json}. Tiles are the service's own tiles, fetched by their canonical URLs; the
 * listed {@code sizes} give the associated "thumbnail".
 */
public final class IiifSource implements SlideSource {
    /** The thumbnail is the largest listed size with neither side above this. */
    static final int THUMBNAIL_MAX_SIDE = 1024;

    private final SlideInfo info;
    private final IiifInfo iiif;
    private final List<IiifInfo.Level> levels;
    private final HttpFetcher fetcher;
    private final RemoteStamp stamp;

    private IiifSource(SlideInfo info, IiifInfo iiif, List<IiifInfo.Level> levels, HttpFetcher fetcher,
                       RemoteStamp stamp) {
        this.info = info;
        this.iiif = iiif;
        this.levels = List.copyOf(levels);
        this.fetcher = fetcher;
        this.stamp = stamp;
    }

    /**
     * Fetches and reads the info.json.
     *
     * @throws SlideException naming the URL when it is missing or not an image service this reads
     * @throws HttpFailure    when the server cannot be reached
     */
    public static IiifSource open(URI infoJson, HttpFetcher fetcher) throws IOException {
        HttpFetcher.Response r = RemoteReads.descriptor(fetcher, infoJson);
        IiifInfo iiif = IiifInfo.parse(infoJson, r.body());
        List<IiifInfo.Level> levels = iiif.levels(infoJson);
        List<LevelInfo> engineLevels = new ArrayList<>();
        IiifInfo.Level top = levels.getFirst();
        for (int i = 0; i < levels.size(); i++) {
            IiifInfo.Level l = levels.get(i);
            double downsample = l.wholeImage()
                    ? ((double) top.width() / l.width() + (double) top.height() / l.height()) / 2
                    : l.scale();
            engineLevels.add(LevelInfo.of(i, l.width(), l.height(), Math.max(1.0, downsample), l.tileWidth(),
                    l.tileHeight()));
        }
        SlideInfo info = new SlideInfo(infoJson, "iiif", top.tileWidth(), top.tileHeight(), 0, engineLevels,
                OptionalDouble.empty(), OptionalDouble.empty(), iiif.sizes().isEmpty() ? List.of() : List.of("thumbnail"));
        return new IiifSource(info, iiif, levels, fetcher, RemoteStamp.of(fetcher, infoJson, r));
    }

    @Override
    public SlideInfo info() {
        return info;
    }

    /** What the info.json said. */
    public IiifInfo iiif() {
        return iiif;
    }

    /** The image request for one tile. */
    public URI tileUri(int level, int col, int row) {
        return iiif.tileUri(levels.get(level), col, row);
    }

    @Override
    public byte[] readTile(int level, int col, int row) throws IOException {
        info.level(level).requireTile(col, row);
        return RemoteReads.tile(fetcher, info.location(), stamp.identity(), tileUri(level, col, row), level, col, row);
    }

    @Override
    public byte[] readAssociated(String name) throws IOException {
        if (!"thumbnail".equals(name) || iiif.sizes().isEmpty()) {
            throw new SlideException(info.location(), "no associated image named '" + name + "'");
        }
        IiifInfo.Size pick = iiif.sizes().getFirst();
        for (IiifInfo.Size s : iiif.sizes()) {
            if (Math.max(s.width(), s.height()) <= THUMBNAIL_MAX_SIDE) {
                pick = s;
            }
        }
        URI uri = iiif.sizeUri(pick.width(), pick.height());
        try {
            return RemoteReads.tile(fetcher, info.location(), uri, levels.size() - 1, 0, 0);
        } catch (org.tilescope.engine.slide.TileException e) {
            throw new SlideException(info.location(), "thumbnail " + uri + ": " + e.problem(), e);
        }
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
    public void close() {
        // the fetcher's connections are shared by every remote slide
    }
}
