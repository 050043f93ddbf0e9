package org.tilescope.app.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.nio.file.Path;
import javax.swing.JSplitPane;
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

/** The first minutes in a real window (Xvfb in CI): the welcome card, placement, the sharp-frame probe. */
class FirstRunWindowTest {
    @TempDir
    Path dir;
    TilePipeline pipeline;
    MainWindow window;

    @BeforeAll
    static void needsDisplay() {
        if (GraphicsEnvironment.isHeadless()) {
            System.err.println("SKIPPED first-run window tests: no display (run under xvfb-run, as ./tilescope test does)");
        }
        Assumptions.assumeFalse(GraphicsEnvironment.isHeadless(), "no display");
    }

    Settings settings;

    @AfterEach
    void close() {
        closeWindow();
    }

    /** Closes the window and waits for what closing writes (placement, recent slides). */
    private void closeWindow() {
        if (window != null) {
            Edt.call(() -> {
                window.dispose();
                return null;
            });
            // windowClosed is an event queued by dispose(): this call runs after it
            Edt.call(() -> null);
            settings.flush();
            window = null;
        }
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
    }

    private MainWindow show(Settings settings) {
        this.settings = settings;
        pipeline = new TilePipeline(new CacheSizes(64L << 20, 64L << 20), TileDecoder.standard(), 2, 4, 16);
        return Edt.call(() -> {
            MainWindow w = new MainWindow(pipeline, settings);
            w.setErrorDialog((title, msg) -> { });
            WindowPlacement.apply(w, settings);
            WelcomeCard.install(w);
            w.setVisible(true);
            return w;
        });
    }

    @Test
    void theCardShowsUntilASlideOpensAndTellsTheDemoBuild() throws Exception {
        window = show(new Settings(dir.resolve("config")));
        WelcomeCard card = Edt.call(() -> (WelcomeCard) window.getGlassPane());
        assertTrue(Edt.call(card::isVisible), "card shown while nothing is open");
        assertTrue(Edt.call(card::title).contains("Drop a slide"));
        Edt.call(() -> {
            card.showDemoBuild("/cache/demo", 450, 900);
            return null;
        });
        assertTrue(Edt.call(card::title).contains("demo"), Edt.call(card::title));
        assertTrue(Edt.call(() -> String.join("\n", card.lines())).contains("50%"), Edt.call(() -> card.lines().toString()));
        assertFalse(Edt.call(() -> card.contains(10, 10)), "never takes mouse events from the window");
        Path slide = TestSlides.writeDzi(dir, "a", 1200, 900, 256, 0);
        Edt.call(() -> window.open(slide));
        ViewerWindowTest.waitFor(() -> window.pane().slide() != null, "the slide to open");
        assertFalse(Edt.call(card::isVisible), "card hidden once a slide shows");
    }

    @Test
    void placementAndSplitsAreRememberedForThisScreen() {
        Settings settings = new Settings(dir.resolve("config"));
        window = show(settings);
        ViewerWindowTest.waitFor(() -> WindowPlacement.splits(window).size() == 2
                && WindowPlacement.splits(window).get(1).getWidth() > 0, "the window to be laid out");
        java.awt.Rectangle usable = GraphicsEnvironment.getLocalGraphicsEnvironment().getMaximumWindowBounds();
        java.awt.Rectangle bounds = Edt.call(window::getBounds);
        assertTrue(usable.contains(bounds), bounds + " inside the usable screen area " + usable);
        Edt.call(() -> {
            window.setBounds(usable.x + 20, usable.y + 30, 1000, 700);
            window.validate();
            WindowPlacement.splits(window).getFirst().setDividerLocation(310);
            return null;
        });
        closeWindow();
        Settings reread = new Settings(dir.resolve("config"));
        window = show(reread);
        ViewerWindowTest.waitFor(() -> WindowPlacement.splits(window).size() == 2
                && WindowPlacement.splits(window).get(1).getWidth() > 0, "the window to be laid out again");
        ViewerWindowTest.waitFor(() -> WindowPlacement.splits(window).getFirst().getDividerLocation() == 310,
                "the navigator's width to come back");
        assertEquals(1000, Edt.call(() -> window.getWidth()).intValue());
        JSplitPane main = Edt.call(() -> WindowPlacement.splits(window).getFirst());
        assertEquals(310, Edt.call(main::getDividerLocation).intValue());
    }

    @Test
    void theSharpFrameProbeSeesTheFirstSharpFrame() throws Exception {
        window = show(new Settings(dir.resolve("config")));
        Path slide = TestSlides.writeDzi(dir, "b", 1500, 1000, 256, 0);
        System.setProperty(FirstSharpFrame.EXIT_PROPERTY, "true");
        try {
            Edt.call(() -> {
                FirstSharpFrame.watch(window);
                return window.open(slide);
            });
        } finally {
            System.clearProperty(FirstSharpFrame.EXIT_PROPERTY);
        }
        // With the exit property the probe closes the window at the first sharp frame.
        ViewerWindowTest.waitFor(() -> !window.isDisplayable(), "the probe to see a sharp frame and close the window");
        assertTrue(Edt.call(() -> window.pane().lastPlan() != null && window.pane().lastPlan().complete()));
    }
}
