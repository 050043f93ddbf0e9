package org.tilescope.engine.slide;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a slide is: its format, size, tiling and pyramid. Levels are ordered from full
 * resolution (index 0) to the coarsest.
 *
 * @param location      where the slide was opened from: a {@code file:} URI of its file or folder, or a URL
 * @param format        short format name: "deepzoom", "fastpath", "tiff", "svs"
 * @param tileWidth     tile width of level 0, without overlap
 * @param tileHeight    tile height of level 0, without overlap
 * @param overlap       pixels each tile repeats of its neighbours on every inner side (Deep Zoom)
 * @param levels        the pyramid, level 0 first
 * @param mpp           microns per level-0 pixel, when known
 * @param magnification objective magnification of level 0, when known
 * @param associated    names of associated images (thumbnail, label, macro), readable by name
 */
public record SlideInfo(URI location, String format, int tileWidth, int tileHeight, int overlap,
                        List<LevelInfo> levels, OptionalDouble mpp, OptionalDouble magnification,
                        List<String> associated) {

    public SlideInfo {
        levels = List.copyOf(levels);
        associated = List.copyOf(associated);
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("a slide has at least one level");
        }
        for (int i = 0; i < levels.size(); i++) {
            if (levels.get(i).index() != i) {
                throw new IllegalArgumentException("level " + i + " has index " + levels.get(i).index());
            }
        }
    }

    /** The local file or folder, when the slide is one. */
    public Optional<Path> file() {
        return "file".equalsIgnoreCase(location.getScheme()) ? Optional.of(Path.of(location)) : Optional.empty();
    }

    /** The last part of the location ("case.svs"), for titles and lists. */
    public String name() {
        String p = file().map(f -> f.getFileName() == null ? f.toString() : f.getFileName().toString())
                .orElseGet(() -> location.getPath() == null ? location.toString() : location.getPath());
        int slash = p.endsWith("/") ? p.lastIndexOf('/', p.length() - 2) : p.lastIndexOf('/');
        return slash >= 0 && !p.equals("/") ? p.substring(slash + 1) : p;
    }

    /** The location as a user reads it: a path for a local slide, else the URL. */
    public String where() {
        return SlideException.display(location);
    }

    public int width() {
        return levels.getFirst().width();
    }

    public int height() {
        return levels.getFirst().height();
    }

    public LevelInfo level(int index) {
        if (index < 0 || index >= levels.size()) {
            throw new IllegalArgumentException("level " + index + " out of range 0.." + (levels.size() - 1));
        }
        return levels.get(index);
    }

    public int levelCount() {
        return levels.size();
    }

    /**
     * The widest a decoded tile of a level can be: twice its nominal width with the overlap on
     * both sides. Decoders refuse larger ones before allocating (see TileDecoder#decode(byte[],
     * int, int)); the slack leaves room for writers that pad tiles beyond what they declare.
     */
    public int maxTileWidth(int level) {
        return maxTileEdge(level(level).tileWidth());
    }

    /** The tallest a decoded tile of a level can be; see {@link #maxTileWidth}. */
    public int maxTileHeight(int level) {
        return maxTileEdge(level(level).tileHeight());
    }

    private int maxTileEdge(int nominal) {
        return (int) Math.min(Integer.MAX_VALUE, 2L * (nominal + 2L * overlap));
    }

    /** The level with the largest downsample that is <= the given one (level 0 when none is). */
    public int bestLevelForDownsample(double downsample) {
        int best = 0;
        for (LevelInfo l : levels) {
            if (l.downsample() <= downsample * (1 + 1e-9) && l.downsample() >= levels.get(best).downsample()) {
                best = l.index();
            }
        }
        return best;
    }
}
