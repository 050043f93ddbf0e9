package org.tilescope.engine.folders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.tilescope.engine.folders.AppFolders.Kind;

class AppFoldersTest {
    private static final Path HOME = Path.of("/home/ada");

    private static Path linux(Kind kind, Map<String, String> env) {
        return AppFolders.resolve(kind, "Linux", env, new Properties(), HOME);
    }

    @Test
    void linuxDefaultsFollowXdgFallbacks() {
        assertEquals(Path.of("/home/ada/.config/tilescope"), linux(Kind.SETTINGS, Map.of()));
        assertEquals(Path.of("/home/ada/.local/share/tilescope"), linux(Kind.DATA, Map.of()));
        assertEquals(Path.of("/home/ada/.cache/tilescope"), linux(Kind.CACHE, Map.of()));
    }

    @Test
    void linuxHonoursAbsoluteXdgVariablesAndIgnoresRelativeOnes() {
        Map<String, String> env = Map.of("XDG_CONFIG_HOME", "/cfg", "XDG_DATA_HOME", "/data", "XDG_CACHE_HOME", "rel/cache");
        assertEquals(Path.of("/cfg/tilescope"), linux(Kind.SETTINGS, env));
        assertEquals(Path.of("/data/tilescope"), linux(Kind.DATA, env));
        assertEquals(Path.of("/home/ada/.cache/tilescope"), linux(Kind.CACHE, env), "relative XDG value is invalid");
    }

    @Test
    void windowsKeepsSettingsRoamingAndDataAndCacheLocal() {
        Map<String, String> env = Map.of("APPDATA", "/w/Roaming", "LOCALAPPDATA", "/w/Local");
        Properties none = new Properties();
        assertEquals(Path.of("/w/Roaming/Tilescope"), AppFolders.resolve(Kind.SETTINGS, "Windows 11", env, none, HOME));
        assertEquals(Path.of("/w/Local/Tilescope/data"), AppFolders.resolve(Kind.DATA, "Windows 11", env, none, HOME));
        assertEquals(Path.of("/w/Local/Tilescope/cache"), AppFolders.resolve(Kind.CACHE, "Windows 11", env, none, HOME));
        // Without the variables: the profile's usual places.
        assertEquals(HOME.resolve("AppData/Local/Tilescope/cache"),
                AppFolders.resolve(Kind.CACHE, "Windows 10", Map.of(), none, HOME));
    }

    @Test
    void macUsesLibraryFolders() {
        Properties none = new Properties();
        assertEquals(HOME.resolve("Library/Application Support/Tilescope"),
                AppFolders.resolve(Kind.SETTINGS, "Mac OS X", Map.of(), none, HOME));
        assertEquals(HOME.resolve("Library/Application Support/Tilescope/data"),
                AppFolders.resolve(Kind.DATA, "Mac OS X", Map.of(), none, HOME));
        assertEquals(HOME.resolve("Library/Caches/Tilescope"),
                AppFolders.resolve(Kind.CACHE, "Mac OS X", Map.of("XDG_CACHE_HOME", "/x"), none, HOME));
    }

    @Test
    void overridesWinOverConventionAndPropertyWinsOverVariable() {
        Map<String, String> env = Map.of("TILESCOPE_DATA", "/env/data", "TILESCOPE_CACHE", "/env/cache",
                "XDG_CACHE_HOME", "/xdg");
        Properties props = new Properties();
        props.setProperty("tilescope.cache", "/prop/cache");
        assertEquals(Path.of("/env/data"), AppFolders.resolve(Kind.DATA, "Linux", env, props, HOME));
        assertEquals(Path.of("/prop/cache"), AppFolders.resolve(Kind.CACHE, "Linux", env, props, HOME));
        assertEquals(Path.of("/env/cache"), AppFolders.resolve(Kind.CACHE, "Windows 11", env, new Properties(), HOME));
        Path relative = AppFolders.resolve(Kind.SETTINGS, "Linux", Map.of("TILESCOPE_SETTINGS", "cfg/here"),
                new Properties(), HOME);
        assertTrue(relative.isAbsolute(), relative.toString());
        assertTrue(relative.endsWith("cfg/here"), relative.toString());
    }

    @Test
    void theThreeFoldersDifferOnEverySystem() {
        for (String os : new String[] {"Linux", "Windows 11", "Mac OS X"}) {
            Path s = AppFolders.resolve(Kind.SETTINGS, os, Map.of(), new Properties(), HOME);
            Path d = AppFolders.resolve(Kind.DATA, os, Map.of(), new Properties(), HOME);
            Path c = AppFolders.resolve(Kind.CACHE, os, Map.of(), new Properties(), HOME);
            assertNotEquals(s, d, os);
            assertNotEquals(d, c, os);
            assertNotEquals(s, c, os);
        }
    }
}
