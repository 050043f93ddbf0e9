package org.tilescope.engine.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Each OS's places for all three folders, and the settings folder's override. */
class LibraryFoldersConventionsTest {
    private static Properties os(String name, String home, String... pairs) {
        Properties p = new Properties();
        p.setProperty("os.name", name);
        p.setProperty("user.home", home);
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return p;
    }

    @Test
    void windowsUsesAppDataForDataAndSettingsAndLocalAppDataForTheCache() {
        Map<String, String> env = Map.of("APPDATA", "/w/Roaming", "LOCALAPPDATA", "/w/Local");
        LibraryFolders f = LibraryFolders.resolve(env, os("Windows 11", "/w/home"));
        assertEquals(Path.of("/w/Roaming/Tilescope"), f.data());
        assertEquals(Path.of("/w/Roaming/Tilescope/config"), f.config());
        assertEquals(Path.of("/w/Local/Tilescope/cache"), f.cache());
        // without the variables: the profile's usual places
        LibraryFolders bare = LibraryFolders.resolve(Map.of(), os("Windows 10", "/w/home"));
        assertEquals(Path.of("/w/home/AppData/Roaming/Tilescope/config"), bare.config());
        assertEquals(Path.of("/w/home/AppData/Local/Tilescope/cache"), bare.cache());
    }

    @Test
    void macKeepsSettingsInApplicationSupportNotInXdgFolders() {
        LibraryFolders m = LibraryFolders.resolve(Map.of("XDG_CONFIG_HOME", "/xdg/config"), os("Mac OS X", "/Users/ana"));
        assertEquals(Path.of("/Users/ana/Library/Application Support/Tilescope/config"), m.config());
    }

    @Test
    void theSettingsFolderCanBeMovedLikeTheOthers() {
        Map<String, String> env = Map.of("TILESCOPE_CONFIG", "/env/config", "XDG_CONFIG_HOME", "/xdg/config");
        assertEquals(Path.of("/env/config"), LibraryFolders.resolve(env, os("Linux", "/home/ana")).config());
        assertEquals(Path.of("/prop/config"), LibraryFolders.resolve(env,
                os("Linux", "/home/ana", "tilescope.config", "/prop/config")).config());
        assertEquals(Path.of("/env/config"), LibraryFolders.resolve(env, os("Windows 11", "/w/home")).config());
    }

    @Test
    void theThreeFoldersDifferOnEverySystem() {
        for (String name : new String[] {"Linux", "Windows 11", "Mac OS X"}) {
            LibraryFolders f = LibraryFolders.resolve(Map.of(), os(name, "/home/ana"));
            assertNotEquals(f.data(), f.cache(), name);
            assertNotEquals(f.data(), f.config(), name);
            assertNotEquals(f.cache(), f.config(), name);
        }
    }
}
