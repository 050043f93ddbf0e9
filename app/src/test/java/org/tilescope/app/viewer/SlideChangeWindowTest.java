package org.tilescope.app.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tilescope.app.viewer.ViewerWindowTest.waitFor;

import java.awt.GraphicsEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.app.TestSlides;
import org.tilescope.app.settings.Settings;
import org.tilescope.app.swing.Edt;
import org.tilescope.engine.cache.CacheSizes;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.decode.TileDecoder;

/** A slide rewritten on disk while in view: the window moves to the reopened slide and says so. */
class SlideChangeWindowTest {
    @TempDir
    Path dir;
    TilePipeline pipeline;
    MainWindow window;
    Settings settings;

    @BeforeAll
    static void needsDisplay() {
        if (GraphicsEnvironment.isHeadless()) {
            System.err.println("SKIPPED slide change window test: no display (run under xvfb-run, as ./tilescope test does)");
        }
        Assumptions.assumeFalse(GraphicsEnvironment.isHeadless(), "no display");
    }

    @AfterEach
    void close() {
        if (window != null) {
            Edt.call(() -> {
                window.dispose();
                return null;
            });
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (settings != null) {
            settings.flush();
        }
    }

    @Test
    void aRewrittenSlideIsReopenedInPlaceWithANotice() throws Exception {
        Path dzi = TestSlides.writeDzi(dir, "s", 3000, 2000, 256, 1);
        pipeline = new TilePipeline(new CacheSizes(256L << 20, 256L << 20), TileDecoder.standard(), 2, 4, 16);
        settings = new Settings(dir.resolve("config"));
        window = Edt.call(() -> {
            MainWindow w = new MainWindow(pipeline, settings);
            w.setSize(1000, 700);
            w.setVisible(true);
            return w;
        });
        Edt.call(() -> window.open(dzi)).get(60, TimeUnit.SECONDS);
        long before = Edt.call(() -> window.pane().slide().id());
        assertEquals(3000, Edt.call(() -> window.pane().slide().info().width()));

        // the same name, another slide: a rewrite by a writer that replaces the whole pyramid
        Path other = Files.createDirectories(dir.resolve("other"));
        Path replacement = TestSlides.writeDzi(other, "s", 2400, 1800, 256, 1);
        Files.move(dir.resolve("s_files"), dir.resolve("old_files"));
        Files.move(other.resolve("s_files"), dir.resolve("s_files"));
        Files.copy(replacement, dzi, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(dzi, FileTime.from(Instant.now().plusSeconds(5)));

        // reads after the change notice it (the source looks at most once a second)
        int[] step = {0};
        waitFor(() -> { // runs on the EDT
            if (window.pane().slide().id() != before) {
                return true;
            }
            if (step[0]++ % 20 == 0) {
                // 1:1, a new place each time: tiles not in the caches, so the slide is read
                int k = step[0] / 20;
                pipeline.clearAll(); // every frame reads, as a view over a big slide does
                window.pane().setView(window.pane().view().withDownsample(1)
                        .withCentre(200 + (k * 377) % 2600, 200 + (k * 211) % 1600));
            }
            return false;
        }, "the view moves to the reopened slide");
        assertNotEquals(before, (long) Edt.call(() -> window.pane().slide().id()));
        assertEquals(2400, Edt.call(() -> window.pane().slide().info().width()), "the new file's size");
        String notice = Edt.call(window::notice);
        assertTrue(notice.contains("s.dzi changed on disk, reloaded"), notice);
    }
}
