package org.tilescope.engine.library;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where Tilescope keeps its files, and the one place that knows the operating systems'
 * conventions for them.
 *
 * <ul>
 *   <li>data (the library store, the search index): system property {@code tilescope.data}, else
 *       {@code TILESCOPE_DATA}, else {@code $XDG_DATA_HOME/tilescope}, else
 *       {@code ~/.local/share/tilescope} ({@code ~/Library/Application Support/Tilescope} on macOS,
 *       {@code %APPDATA%\Tilescope} on Windows);</li>
 *   <li>cache (thumbnails, the demo slide): {@code tilescope.cache}, else {@code TILESCOPE_CACHE},
 *       else {@code $XDG_CACHE_HOME/tilescope}, else {@code ~/.cache/tilescope}
 *       ({@code ~/Library/Caches/Tilescope}, {@code %LOCALAPPDATA%\Tilescope\cache});</li>
 *   <li>config (settings, recent slides, window placement): {@code tilescope.config}, else
 *       {@code TILESCOPE_CONFIG}, else {@code $XDG_CONFIG_HOME/tilescope}, else
 *       {@code ~/.config/tilescope} ({@code ~/Library/Application Support/Tilescope/config} on
 *       macOS, {@code %APPDATA%\Tilescope\config} on Windows);</li>
 *   <li>trash: {@code tilescope.trash} or {@code TILESCOPE_TRASH} when set (tests and benchmarks
 *       never touch the user's trash), else empty: the desktop's own trash.</li>
 * </ul>
 * The system properties come first so that in-process tests need no environment.
 *
 * @param data          the data folder
 * @param cache         the cache folder
 * @param config        the settings folder
 * @param trashOverride a folder used as the trash (freedesktop.org layout) instead of the desktop's
 */
public record LibraryFolders(Path data, Path cache, Path config, Optional<Path> trashOverride) {

    public LibraryFolders {
        data = data.toAbsolutePath().normalize();
        cache = cache.toAbsolutePath().normalize();
        config = config.toAbsolutePath().normalize();
        trashOverride = trashOverride.map(p -> p.toAbsolutePath().normalize());
    }

    /** The folders for this process: system properties, then the environment, then the OS's defaults. */
    public static LibraryFolders fromEnvironment() {
        return resolve(System.getenv(), System.getProperties());
    }

    /** Everything under one folder ({@code base/data}, {@code base/cache}, ...): for tests and benchmarks. */
    public static LibraryFolders under(Path base) {
        return new LibraryFolders(base.resolve("data"), base.resolve("cache"), base.resolve("config"),
                Optional.of(base.resolve("trash")));
    }

    /** Cached thumbnails, {@code ab/cd/<fingerprint>.jpg} below. */
    public Path thumbnails() {
        return cache.resolve("thumbnails");
    }

    static LibraryFolders resolve(Map<String, String> env, Properties props) {
        String os = props.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        Path home = Path.of(props.getProperty("user.home", "."));
        Path data = explicit(props, "tilescope.data", env, "TILESCOPE_DATA")
                .orElseGet(() -> defaultData(os, home, env));
        Path cache = explicit(props, "tilescope.cache", env, "TILESCOPE_CACHE")
                .orElseGet(() -> defaultCache(os, home, env));
        Path config = explicit(props, "tilescope.config", env, "TILESCOPE_CONFIG")
                .orElseGet(() -> defaultConfig(os, home, env));
        return new LibraryFolders(data, cache, config, explicit(props, "tilescope.trash", env, "TILESCOPE_TRASH"));
    }

    private static Optional<Path> explicit(Properties props, String property, Map<String, String> env, String variable) {
        String v = props.getProperty(property);
        if (v == null || v.isBlank()) {
            v = env.get(variable);
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(Path.of(v));
    }

    private static Path defaultData(String os, Path home, Map<String, String> env) {
        if (os.startsWith("windows")) {
            String roaming = env.get("APPDATA");
            Path base = roaming != null && !roaming.isBlank() ? Path.of(roaming) : home.resolve("AppData").resolve("Roaming");
            return base.resolve("Tilescope");
        }
        if (os.startsWith("mac")) {
            return home.resolve("Library").resolve("Application Support").resolve("Tilescope");
        }
        return xdg(env, "XDG_DATA_HOME").orElse(home.resolve(".local").resolve("share")).resolve("tilescope");
    }

    /**
     * On Windows and macOS the settings sit in a folder of their own inside the data folder
     * (roaming on Windows, like the data), so the two never share a file name.
     */
    private static Path defaultConfig(String os, Path home, Map<String, String> env) {
        if (os.startsWith("windows") || os.startsWith("mac")) {
            return defaultData(os, home, env).resolve("config");
        }
        return xdg(env, "XDG_CONFIG_HOME").orElse(home.resolve(".config")).resolve("tilescope");
    }

    private static Path defaultCache(String os, Path home, Map<String, String> env) {
        if (os.startsWith("windows")) {
            String local = env.get("LOCALAPPDATA");
            Path base = local != null && !local.isBlank() ? Path.of(local) : home.resolve("AppData").resolve("Local");
            return base.resolve("Tilescope").resolve("cache");
        }
        if (os.startsWith("mac")) {
            return home.resolve("Library").resolve("Caches").resolve("Tilescope");
        }
        return xdg(env, "XDG_CACHE_HOME").orElse(home.resolve(".cache")).resolve("tilescope");
    }

    /** An XDG base directory variable; the spec says relative values are invalid and must be ignored. */
    private static Optional<Path> xdg(Map<String, String> env, String variable) {
        String v = env.get(variable);
        if (v == null || v.isBlank() || !Path.of(v).isAbsolute()) {
            return Optional.empty();
        }
        return Optional.of(Path.of(v));
    }

    /** The freedesktop.org home trash ({@code $XDG_DATA_HOME/Trash}), where Java's Desktop cannot trash. */
    public static Path freedesktopTrash() {
        Map<String, String> env = System.getenv();
        Path home = Path.of(System.getProperty("user.home", "."));
        return xdg(env, "XDG_DATA_HOME").orElse(home.resolve(".local").resolve("share")).resolve("Trash");
    }
}
