package org.tilescope.app.help;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tilescope.app.AppVersion;

class HelpMenuTest {

    /** The "### Keys" table of README.md as key/does pairs. */
    private static List<String> readmeKeys() throws IOException {
        Path readme = Path.of("..", "README.md");
        List<String> rows = new ArrayList<>();
        boolean inKeys = false;
        for (String line : Files.readAllLines(readme)) {
            if (line.startsWith("### Keys")) {
                inKeys = true;
            } else if (inKeys && line.startsWith("#")) {
                break;
            } else if (inKeys && line.startsWith("| ") && !line.startsWith("| key ")) {
                String[] cells = line.split("\\|");
                rows.add(cells[1].trim().replace("\\|", "|") + " = " + cells[2].trim());
            }
        }
        return rows;
    }

    @Test
    void theShortcutsDialogShowsTheReadmesTable() throws IOException {
        List<String> inApp = new ArrayList<>();
        for (String[] row : HelpMenu.SHORTCUTS) {
            inApp.add(row[0] + " = " + row[1]);
        }
        List<String> readme = readmeKeys();
        assertTrue(readme.size() >= 10, "README key table found: " + readme);
        assertEquals(readme, inApp, "Help > Keyboard Shortcuts and the README's table differ");
    }

    @Test
    void copiedErrorDetailsCarryTheMessageAndTheSetup() {
        String d = ErrorDialog.details("Cannot open a.svs", "a.svs: truncated TIFF");
        assertTrue(d.startsWith("Cannot open a.svs\na.svs: truncated TIFF\n"), d);
        assertTrue(d.contains("Tilescope:    " + AppVersion.current()), d);
        assertTrue(d.contains("JPEG decoder:"), d);
        assertTrue(d.contains("L2 cache:"), d);
    }
}
