package org.tilescope.app.settings;

import org.tilescope.app.swing.Edt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    @TempDir
    Path dir;

    @Test
    void recentListsOnlySlidesThatExistNewestFirstAndSurvivesARestart() throws Exception {
        Path a = Files.createFile(dir.resolve("a.dzi"));
        Path b = Files.createFile(dir.resolve("b.dzi"));
        Settings s = new Settings(dir.resolve("config"));
        s.addRecent(a);
        s.addRecent(b);
        assertEquals(List.of(b, a), s.recent());
        Files.delete(a);
        assertEquals(List.of(b), s.recent());
        s.flush();
        assertEquals(List.of(b), new Settings(dir.resolve("config")).recent());
    }

    @Test
    void recentRefusesToAskTheDiskOnTheEdt() throws Exception {
        Settings s = new Settings(dir.resolve("config"));
        String[] thrown = new String[1];
        SwingUtilities.invokeAndWait(() -> {
            try {
                s.recent();
            } catch (IllegalStateException e) {
                thrown[0] = e.getMessage();
            }
        });
        assertEquals("blocking work on the EDT", thrown[0]);
        assertThrows(IllegalStateException.class, () -> Edt.call(() -> Theme.isDark(Theme.SYSTEM)),
                "the theme probe runs a process: never on the EDT");
        assertTrue(s.recent().isEmpty(), "off the EDT it answers");
    }
}
