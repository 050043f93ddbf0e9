package org.tilescope.engine.slide.deepzoom;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import org.tilescope.engine.slide.SlideProbe;
import org.tilescope.engine.slide.SlideProvider;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.http.HttpFetcher;

/**
 * Deep Zoom over HTTP(S): a URL whose path ends in {@code .dzi}, or a server endpoint whose query
 * names one ({@code ?DeepZoom=/path/slide.tif.dzi}, as iipsrv serves). Told by the URL alone: a
 * remote slide is not read before it is opened.
 */
public final class DeepZoomHttpProvider implements SlideProvider {

    @Override
    public String name() {
        return "deepzoom-http";
    }

    @Override
    public double support(SlideProbe probe) {
        return isDeepZoomUrl(probe.location()) ? 1 : 0;
    }

    static boolean isDeepZoomUrl(URI u) {
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return false;
        }
        String path = u.getPath() == null ? "" : u.getPath().toLowerCase(Locale.ROOT);
        String query = u.getQuery() == null ? "" : u.getQuery().toLowerCase(Locale.ROOT);
        return path.endsWith(".dzi") || query.contains("deepzoom=") && query.contains(".dzi");
    }

    @Override
    public SlideSource open(SlideProbe probe) throws IOException {
        return DeepZoomHttpSource.open(probe.location(), HttpFetcher.shared());
    }
}
