package org.tilescope.engine.folders;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where Tilescope keeps its files, per user, by each operating system's convention. The one
 * place in the code that knows these paths.
 *
 * <table>
 *   <caption>Folders by system</caption>
 *   <tr><th></th><th>Linux (XDG)</th><th>Windows</th><th>macOS</th></tr>
 *   <tr><td>{@link #settings()}</td><td>{@code $XDG_CONFIG_HOME/tilescope}, else {@code ~/.config/tilescope}</td>
 *       <td>{@code %APPDATA%\Tilescope}</td><td>{@code ~/Library/Application Support/Tilescope}</td></tr>
 *   <tr><td>{@link #data()}</td><td>{@code $XDG_DATA_HOME/tilescope}, else {@code ~/.local/share/tilescope}</td>
 *       <td>{@code %LOCALAPPDATA%\Tilescope\data}</td><td>{@code ~/Library/Application Support/Tilescope/data}</td></tr>
 *   <tr><td>{@link #cache()}</td><td>{@code $XDG_CACHE_HOME/tilescope}, else {@code ~/.cache/tilescope}</td>
 *       <td>{@code %LOCALAPPDATA%\Tilescope\cache}</td><td>{@code ~/Library/Caches/Tilescope}</td></tr>
 * </table>
 *
 * <p>Data (an index of the user's slides, say) is kept per machine on Windows, not in the
 * roaming profile, because it describes files on this machine's disks. Each folder can be moved
 * with a system property or an environment variable, the property winning:
 * {@code tilescope.settings} / {@code TILESCOPE_SETTINGS}, {@code tilescope.data} /
 * {@code TILESCOPE_DATA}, {@code tilescope.cache} / {@code TILESCOPE_CACHE}. Nothing here creates
 * a folder; whoever writes first does.
 */
public final class AppFolders {

    /** The three kinds of folder, with the names of their overrides. */
    enum Kind {
        SETTINGS("tilescope.settings", "TILESCOPE_SETTINGS"),
        DATA("tilescope.data", "TILESCOPE_DATA"),
        CACHE("tilescope.cache", "TILESCOPE_CACHE");

        final String property;
        final String variable;

        Kind(String property, String variable) {
            this.property = property;
            this.variable = variable;
        }
    }

    private AppFolders() {
    }

    /** The user's settings (preferences, recent slides). */
    public static Path settings() {
        return current(Kind.SETTINGS);
    }

    /** Data worth keeping that Tilescope made (indexes, annotations): not to be deleted lightly. */
    public static Path data() {
        return current(Kind.DATA);
    }

    /** Files that can be remade at any time (the demo slide, thumbnails): safe to delete. */
    public static Path cache() {
        return current(Kind.CACHE);
    }

    private static Path current(Kind kind) {
        return resolve(kind, System.getProperty("os.name", ""), System.getenv(), System.getProperties(),
                Path.of(System.getProperty("user.home", ".")));
    }

    /** The folder for {@code kind} on the system {@code osName}, with this environment; no I/O. */
    static Path resolve(Kind kind, String osName, Map<String, String> env, Properties props, Path home) {
        String override = props.getProperty(kind.property);
        if (isBlank(override)) {
            override = env.get(kind.variable);
        }
        if (!isBlank(override)) {
            return Path.of(override.trim()).toAbsolutePath().normalize();
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            Path roaming = envFolder(env, "APPDATA", home.resolve("AppData").resolve("Roaming"));
            Path local = envFolder(env, "LOCALAPPDATA", home.resolve("AppData").resolve("Local"));
            return switch (kind) {
                case SETTINGS -> roaming.resolve("Tilescope");
                case DATA -> local.resolve("Tilescope").resolve("data");
                case CACHE -> local.resolve("Tilescope").resolve("cache");
            };
        }
        if (os.startsWith("mac")) {
            Path support = home.resolve("Library").resolve("Application Support").resolve("Tilescope");
            return switch (kind) {
                case SETTINGS -> support;
                case DATA -> support.resolve("data");
                case CACHE -> home.resolve("Library").resolve("Caches").resolve("Tilescope");
            };
        }
        // Linux and other Unix: the XDG base directory specification.
        return switch (kind) {
            case SETTINGS -> envFolder(env, "XDG_CONFIG_HOME", home.resolve(".config")).resolve("tilescope");
            case DATA -> envFolder(env, "XDG_DATA_HOME", home.resolve(".local").resolve("share")).resolve("tilescope");
            case CACHE -> envFolder(env, "XDG_CACHE_HOME", home.resolve(".cache")).resolve("tilescope");
        };
    }

    /** The folder named by {@code variable}, or {@code fallback} when it is unset or not absolute. */
    private static Path envFolder(Map<String, String> env, String variable, Path fallback) {
        String value = env.get(variable);
        if (isBlank(value)) {
            return fallback;
        }
        try {
            Path p = Path.of(value.trim());
            // XDG: "If ... a relative path, ... the path is invalid and should be ignored." Same for
            // a Windows variable that is somehow relative: better the default than the working folder.
            return p.isAbsolute() ? p : fallback;
        } catch (java.nio.file.InvalidPathException e) {
            return fallback;
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
