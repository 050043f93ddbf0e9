package org.tilescope.engine.library;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LibraryFoldersTest {
    static Properties linux(String... pairs) {
        Properties p = new Properties();
        p.setProperty("os.name", "Linux");
        p.setProperty("user.home", "/home/ana");
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return p;
    }

    @Test
    void linuxDefaultsFollowXdg() {
        LibraryFolders f = LibraryFolders.resolve(Map.of(), linux());
        assertEquals(Path.of("/home/ana/.local/share/tilescope"), f.data());
        assertEquals(Path.of("/home/ana/.cache/tilescope"), f.cache());
        assertEquals(Path.of("/home/ana/.config/tilescope"), f.config());
        assertEquals(Optional.empty(), f.trashOverride());
        assertEquals(Path.of("/home/ana/.cache/tilescope/thumbnails"), f.thumbnails());
        LibraryFolders x = LibraryFolders.resolve(Map.of("XDG_DATA_HOME", "/xdg/data", "XDG_CACHE_HOME", "/xdg/cache",
                "XDG_CONFIG_HOME", "/xdg/config"), linux());
        assertEquals(Path.of("/xdg/data/tilescope"), x.data());
        assertEquals(Path.of("/xdg/cache/tilescope"), x.cache());
        assertEquals(Path.of("/xdg/config/tilescope"), x.config());
    }

    @Test
    void relativeXdgValuesAreIgnored() {
        LibraryFolders f = LibraryFolders.resolve(Map.of("XDG_DATA_HOME", "relative/data"), linux());
        assertEquals(Path.of("/home/ana/.local/share/tilescope"), f.data());
    }

    @Test
    void environmentOverridesAndPropertiesOverrideTheEnvironment() {
        Map<String, String> env = Map.of("TILESCOPE_DATA", "/env/data", "TILESCOPE_CACHE", "/env/cache",
                "XDG_DATA_HOME", "/xdg/data", "TILESCOPE_TRASH", "/env/trash");
        LibraryFolders f = LibraryFolders.resolve(env, linux());
        assertEquals(Path.of("/env/data"), f.data());
        assertEquals(Path.of("/env/cache"), f.cache());
        assertEquals(Optional.of(Path.of("/env/trash")), f.trashOverride());
        LibraryFolders p = LibraryFolders.resolve(env, linux("tilescope.data", "/prop/data", "tilescope.cache", "/prop/cache"));
        assertEquals(Path.of("/prop/data"), p.data());
        assertEquals(Path.of("/prop/cache"), p.cache());
    }

    @Test
    void macAndWindowsHaveTheirOwnPlaces() {
        Properties mac = linux("os.name", "Mac OS X", "user.home", "/Users/ana");
        LibraryFolders m = LibraryFolders.resolve(Map.of(), mac);
        assertEquals(Path.of("/Users/ana/Library/Application Support/Tilescope"), m.data());
        assertEquals(Path.of("/Users/ana/Library/Caches/Tilescope"), m.cache());
    }
}
