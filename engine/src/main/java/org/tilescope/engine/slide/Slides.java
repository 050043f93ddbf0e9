package org.tilescope.engine.slide;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Opens any slide Tilescope reads. The formats are {@link SlideProvider}s found through
 * {@link ServiceLoader}; each tells by content whether a location is its own, the best one opens it.
 */
public final class Slides {
    private static final List<SlideProvider> PROVIDERS = load();

    private Slides() {
    }

    private static List<SlideProvider> load() {
        List<SlideProvider> all = new ArrayList<>();
        ServiceLoader.load(SlideProvider.class, Slides.class.getClassLoader()).forEach(all::add);
        return List.copyOf(all);
    }

    /** The providers found, in ServiceLoader order (ties go to the first). */
    public static List<SlideProvider> providers() {
        return PROVIDERS;
    }

    /**
     * Opens a slide: a {@code .dzi} file, a FastPATH {@code .fastpath} folder, a pyramidal TIFF
     * / SVS file, or whatever another provider reads. The {@code _files} folder of a Deep Zoom
     * slide may be given instead of the .dzi.
     *
     * @throws SlideException naming the file and what is wrong with it
     */
    public static SlideSource open(Path path) throws IOException {
        SlideProbe probe = SlideProbe.of(path);
        return providerFor(probe).open(probe);
    }

    /** Opens a slide by location: a {@code file:} URI, or a URL a provider supports. */
    public static SlideSource open(URI location) throws IOException {
        SlideProbe probe = SlideProbe.of(location);
        return providerFor(probe).open(probe);
    }

    /**
     * The provider that reads a path.
     *
     * @throws SlideException when it is missing, empty, or not a slide
     */
    public static SlideProvider providerFor(Path path) throws IOException {
        return providerFor(SlideProbe.of(path));
    }

    /**
     * The provider with the best support for the probed location.
     *
     * @throws SlideException when none supports it: the first provider's diagnosis when one
     *                        recognised a broken slide of its format, else a general message
     */
    public static SlideProvider providerFor(SlideProbe probe) throws IOException {
        SlideProvider best = null;
        double bestScore = 0;
        SlideException diagnosis = null;
        for (SlideProvider p : PROVIDERS) {
            double score;
            try {
                score = p.support(probe);
            } catch (SlideException e) {
                if (diagnosis == null) {
                    diagnosis = e;
                }
                continue;
            }
            if (score > bestScore) {
                best = p;
                bestScore = score;
            }
        }
        if (best != null) {
            return best;
        }
        if (diagnosis != null) {
            throw diagnosis;
        }
        if (probe.isDirectory()) {
            throw new SlideException(probe.location(), "a folder, not a slide (open a .dzi, .fastpath, .tif or .svs)");
        }
        probe.head(); // an empty or unreadable file says so
        throw new SlideException(probe.location(), "not a slide Tilescope can read (formats: "
                + String.join(", ", PROVIDERS.stream().map(SlideProvider::name).toList()) + ")");
    }

    /** True for names the navigator should offer: cheap, by name only; {@link #open} checks content. */
    public static boolean looksLikeSlide(Path p) {
        String name = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isDirectory(p)) {
            return name.endsWith(".fastpath") || Files.isRegularFile(p.resolve("metadata.json"))
                    && Files.isDirectory(p.resolve("tiles")) || Files.isDirectory(p.resolve("tiles_files"));
        }
        return name.endsWith(".dzi") || name.endsWith(".tif") || name.endsWith(".tiff")
                || name.endsWith(".svs") || name.endsWith(".btf") || name.endsWith(".tf8");
    }
}
