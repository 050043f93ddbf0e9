package org.tilescope.app.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.app.TestSlides;
import org.tilescope.app.swing.Edt;
import org.tilescope.app.swing.SlideFileFilter;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;

class InfoPanelTest {
    @TempDir
    Path dir;

    @Test
    void downsamplesReadAsNumbersNotExponents() {
        assertEquals("1", InfoPanel.downsample(1));
        assertEquals("1,024", InfoPanel.downsample(1024));
        assertEquals("1,638.4", InfoPanel.downsample(1638.4));
        assertEquals("32.1", InfoPanel.downsample(32.08));
    }

    @Test
    void copiedTextHoldsEveryLevelInFull() throws Exception {
        Path dzi = TestSlides.writeDzi(dir, "wide", 24000, 300, 256, 0);
        try (SlideSource s = Slides.open(dzi)) {
            InfoPanel panel = Edt.call(InfoPanel::new);
            String text = Edt.call(() -> {
                panel.show(s.info());
                return panel.fullText();
            });
            assertTrue(text.contains("0\t24,000 × 300\t1\t94 × 2\n"), text);
            assertEquals(s.info().levelCount() + 1, text.lines().filter(l -> l.contains("\t")).count(), text);
        }
    }

    @Test
    void theOpenDialogFilterKeepsSlidesAndFolders() {
        SlideFileFilter f = new SlideFileFilter();
        assertTrue(f.accept(new File("a.DZI")));
        assertTrue(f.accept(new File("b.svs")));
        assertTrue(f.accept(new File("c.tiff")));
        assertTrue(f.accept(dir.toFile()), "folders stay visible");
        assertFalse(f.accept(new File("notes.txt")));
        assertFalse(f.accept(new File("tif")));
    }
}
