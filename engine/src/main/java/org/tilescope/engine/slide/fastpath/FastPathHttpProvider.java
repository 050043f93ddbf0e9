package org.tilescope.engine.slide.fastpath;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import org.tilescope.engine.slide.SlideProbe;
import org.tilescope.engine.slide.SlideProvider;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.http.HttpFetcher;

/**
 * FastPATH folders over HTTP(S): {@code …/NAME.fastpath}, with or without the trailing slash, or
 * the folder's {@code …/metadata.json}. Told by the URL alone.
 */
public final class FastPathHttpProvider implements SlideProvider {

    @Override
    public String name() {
        return "fastpath-http";
    }

    @Override
    public double support(SlideProbe probe) {
        URI u = probe.location();
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return 0;
        }
        String path = u.getPath() == null ? "" : u.getPath().toLowerCase(Locale.ROOT);
        return path.endsWith(".fastpath") || path.endsWith(".fastpath/") || path.endsWith("/metadata.json") ? 1 : 0;
    }

    @Override
    public SlideSource open(SlideProbe probe) throws IOException {
        return FastPathHttpSource.open(probe.location(), HttpFetcher.shared());
    }
}
