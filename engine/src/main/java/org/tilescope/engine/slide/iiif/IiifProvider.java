package org.tilescope.engine.slide.iiif;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import org.tilescope.engine.slide.SlideProbe;
import org.tilescope.engine.slide.SlideProvider;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.http.HttpFetcher;

/**
 * IIIF Image API services: an HTTP(S) URL of an {@code info.json}, in the path or at the end of
 * a server's query ({@code …/iipsrv.fcgi?IIIF=/path/slide.tif/info.json}). Told by the URL alone.
 */
public final class IiifProvider implements SlideProvider {

    @Override
    public String name() {
        return "iiif";
    }

    @Override
    public double support(SlideProbe probe) {
        return isInfoJsonUrl(probe.location()) ? 1 : 0;
    }

    static boolean isInfoJsonUrl(URI u) {
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return false;
        }
        String path = u.getPath() == null ? "" : u.getPath();
        String query = u.getQuery() == null ? "" : u.getQuery();
        return path.endsWith("info.json") || query.endsWith("/info.json");
    }

    @Override
    public SlideSource open(SlideProbe probe) throws IOException {
        return IiifSource.open(probe.location(), HttpFetcher.shared());
    }
}
