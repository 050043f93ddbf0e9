package org.tilescope.app.viewer;

import org.tilescope.app.navigator.SlideNavigator;
import org.tilescope.app.render.SlideRenderer;
import org.tilescope.app.render.ViewState;
import org.tilescope.app.settings.Settings;
import org.tilescope.app.swing.Edt;
import org.tilescope.app.swing.EdtWatchdog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Component;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.awt.event.MouseEvent;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import javax.swing.JComponent;
import javax.swing.RepaintManager;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.app.TestSlides;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.cache.CacheSizes;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.region.RegionReader;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;

/** The viewer in a real window (Xvfb in CI), driven on the EDT. */
public class ViewerWindowTest {
    /** Off-EDT Swing access seen while a test ran. */
    public static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;
    TilePipeline pipeline;
    MainWindow window;
    Settings settings;
    EdtWatchdog watchdog;
    final List<String> errors = new CopyOnWriteArrayList<>();

    @BeforeAll
    public static void needsDisplay() {
        if (GraphicsEnvironment.isHeadless()) {
            System.err.println("SKIPPED viewer window tests: no display (run under xvfb-run, as ./tilescope test does)");
        }
        Assumptions.assumeFalse(GraphicsEnvironment.isHeadless(), "no display");
        warmUpToolkit();
        Edt.call(() -> {
            RepaintManager.setCurrentManager(new RepaintManager() {
                @Override
                public synchronized void addInvalidComponent(JComponent c) {
                    check(c);
                    super.addInvalidComponent(c);
                }

                @Override
                public void addDirtyRegion(JComponent c, int x, int y, int w, int h) {
                    check(c);
                    super.addDirtyRegion(c, x, y, w, h);
                }

                private void check(JComponent c) {
                    // repaint() is thread-safe by contract; only state changes off the EDT are bugs
                    if (!SwingUtilities.isEventDispatchThread() && c.isShowing()) {
                        boolean repaintOnly = false;
                        for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
                            if (e.getMethodName().equals("repaint")) {
                                repaintOnly = true;
                                break;
                            }
                        }
                        if (!repaintOnly) {
                            VIOLATIONS.add(Thread.currentThread().getName() + " touched " + c.getClass().getSimpleName());
                        }
                    }
                }
            });
            return null;
        });
    }

    private static boolean warm;

    /**
     * Pays the toolkit's one-time costs before any watchdog looks: the X input method opened on
     * the first mouse event (~0.4 s), the first text and table painting. They are the JDK's, once
     * per process, not the viewer's.
     */
    static synchronized void warmUpToolkit() {
        if (warm) {
            return;
        }
        warm = true;
        try {
            java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
            javax.swing.JFrame f = Edt.call(() -> {
                javax.swing.JFrame frame = new javax.swing.JFrame("warm-up");
                javax.swing.JTable table = new javax.swing.JTable(new Object[][] {{"1", "2"}}, new Object[] {"a", "b"});
                frame.add(new javax.swing.JScrollPane(table));
                frame.add(new javax.swing.JLabel("warm-up 0123456789 µm ×"), java.awt.BorderLayout.SOUTH);
                table.addMouseListener(new java.awt.event.MouseAdapter() {
                    @Override
                    public void mouseEntered(MouseEvent e) {
                        entered.countDown();
                    }
                });
                frame.setBounds(0, 0, 2000, 1200); // under wherever the pointer is
                frame.setVisible(true);
                return frame;
            });
            Robot robot = new Robot();
            for (int i = 0; i < 50 && entered.getCount() > 0; i++) {
                robot.mouseMove(300 + i, 300 + i);
                entered.await(100, TimeUnit.MILLISECONDS);
            }
            Edt.call(() -> {
                f.getRootPane().paintImmediately(0, 0, f.getWidth(), f.getHeight());
                f.dispose();
                return null;
            });
        } catch (Exception e) {
            throw new IllegalStateException("toolkit warm-up failed", e);
        }
    }

    @BeforeEach
    void open() throws Exception {
        VIOLATIONS.clear();
        // windows and dialogs other test classes left in this JVM would hold the keyboard focus
        Edt.call(() -> {
            for (java.awt.Window w : java.awt.Window.getWindows()) {
                w.dispose();
            }
            return null;
        });
        pipeline = new TilePipeline(new CacheSizes(256L << 20, 256L << 20), TileDecoder.standard(), 2, 4, 16);
        settings = new Settings(dir.resolve("config"));
        window = Edt.call(() -> {
            MainWindow w = new MainWindow(pipeline, settings);
            w.setErrorDialog((title, msg) -> errors.add(title + ": " + msg));
            w.setSize(1200, 800);
            w.setVisible(true);
            return w;
        });
        watchdog = EdtWatchdog.install(); // every event from here on must leave the EDT within 250 ms
    }

    @AfterEach
    void close() {
        if (window != null) {
            Edt.call(() -> {
                window.dispose();
                return null;
            });
        }
        pipeline.close();
        // the last slide opened writes the recent list in the background; let it land before
        // the temporary folder is deleted
        settings.flush();
        if (watchdog != null) {
            watchdog.close();
            assertTrue(watchdog.stalls().isEmpty(), watchdog.report());
        }
        assertTrue(VIOLATIONS.isEmpty(), "Swing touched off the EDT: " + VIOLATIONS);
    }

    public static void waitFor(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Edt.call(condition::getAsBoolean)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L); // poll the UI state
        }
    }

    Path slideFolder() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        TestSlides.writeDzi(lib, "a", 3000, 2000, 256, 1);
        TestSlides.writeDzi(lib, "b", 1200, 900, 256, 0);
        Files.writeString(lib.resolve("a-notes.txt"), "notes are not slides");
        Files.createFile(lib.resolve("broken.dzi"));
        return lib;
    }

    void openAndWait(Path p) {
        Edt.call(() -> window.open(p));
        waitFor(() -> window.pane().slide() != null && window.pane().slide().path().equals(p.toAbsolutePath().normalize())
                && window.pane().slide().thumbnail() != null, "slide " + p.getFileName() + " to open");
    }

    void key(int code, int modifiers, char ch) {
        Edt.call(() -> {
            Component target = window.pane();
            target.dispatchEvent(new KeyEvent(target, KeyEvent.KEY_PRESSED, System.currentTimeMillis(), modifiers, code, ch));
            if (ch != KeyEvent.CHAR_UNDEFINED) {
                target.dispatchEvent(new KeyEvent(target, KeyEvent.KEY_TYPED, System.currentTimeMillis(), modifiers,
                        KeyEvent.VK_UNDEFINED, ch));
            }
            target.dispatchEvent(new KeyEvent(target, KeyEvent.KEY_RELEASED, System.currentTimeMillis(), modifiers, code, ch));
            return null;
        });
    }

    ViewState view() {
        return Edt.call(() -> window.pane().view());
    }

    @Test
    void pannedFramesOnTheScreenShowTheBackBuffersPixels() throws Exception {
        Path lib = slideFolder();
        openAndWait(lib.resolve("a.dzi"));
        TilePane pane = window.pane();
        Edt.call(() -> {
            pane.setShowOverview(false);
            pane.setShowHud(false);
            pane.setView(new ViewState(1500, 1000, 1.3, 0, false));
            pane.paintImmediately(0, 0, pane.getWidth(), pane.getHeight());
            return null;
        });
        Robot robot = new Robot();
        double[][] pans = {{31.4, 0}, {0, -17.2}, {-40.5, 22.7}, {5, 5}, {-12.3, -8.9}, {0.4, 0.4}};
        int moved = 0;
        for (double[] p : pans) {
            // painted and captured in one EDT event: no other frame can reach the screen in between
            int[] result = Edt.call(() -> {
                pane.panByScreen(p[0], p[1]);
                pane.paintImmediately(0, 0, pane.getWidth(), pane.getHeight());
                BufferedImage buffer = pane.frameImage();
                java.awt.Point at = pane.getLocationOnScreen();
                int w = pane.getWidth();
                int h = pane.getHeight();
                BufferedImage screen = robot.createScreenCapture(new Rectangle(at.x, at.y, w, h));
                int differing = 0;
                // the middle half: the scale bar and the other layers sit at the edges
                for (int y = h / 4; y < 3 * h / 4; y++) {
                    for (int x = w / 4; x < 3 * w / 4; x++) {
                        differing += (screen.getRGB(x, y) & 0xFFFFFF) != (buffer.getRGB(x, y) & 0xFFFFFF) ? 1 : 0;
                    }
                }
                return new int[] {differing, pane.frameBuffer().lastShifted() ? 1 : 0};
            });
            assertEquals(0, result[0], "screen pixels that are not the frame's after a pan by " + p[0] + ", " + p[1]);
            moved += result[1];
        }
        assertTrue(moved >= 3, "pans moved the buffer's pixels: " + moved);
    }

    @Test
    void keyBindingsDoWhatTheKeyListSays() throws Exception {
        Path lib = slideFolder();
        openAndWait(lib.resolve("a.dzi"));
        Edt.call(() -> {
            window.toFront();
            window.pane().requestFocus();
            window.pane().setView(new ViewState(1500, 1000, 1, 0, false));
            return null;
        });
        waitFor(() -> { // asked again until it holds: a window another test left behind may take it first
            if (!window.pane().isFocusOwner()) {
                window.toFront();
                window.pane().requestFocus();
            }
            return window.pane().isFocusOwner();
        }, "the tile pane to have the keyboard focus");
        key(KeyEvent.VK_RIGHT, 0, KeyEvent.CHAR_UNDEFINED);
        double step = view().centreX() - 1500;
        assertTrue(step > 0, "right arrow pans right");
        key(KeyEvent.VK_LEFT, 0, KeyEvent.CHAR_UNDEFINED);
        assertEquals(1500, view().centreX(), 1e-6);
        key(KeyEvent.VK_D, 0, 'd');
        assertEquals(1500 + step, view().centreX(), 1e-6, "D pans like the right arrow");
        key(KeyEvent.VK_A, 0, 'a');
        key(KeyEvent.VK_S, 0, 's');
        assertTrue(view().centreY() > 1000, "S pans down");
        key(KeyEvent.VK_W, 0, 'w');
        assertEquals(1000, view().centreY(), 1e-6);
        key(KeyEvent.VK_RIGHT, InputEvent.SHIFT_DOWN_MASK, KeyEvent.CHAR_UNDEFINED);
        assertEquals(step * KeyBindings.FAST, view().centreX() - 1500, 1e-6, "shift pans faster");
        Edt.call(() -> {
            window.pane().setView(new ViewState(1500, 1000, 1, 0, false));
            return null;
        });
        key(KeyEvent.VK_PLUS, 0, '+');
        assertEquals(1 / KeyBindings.ZOOM_STEP, view().downsample(), 1e-9, "+ zooms in");
        key(KeyEvent.VK_MINUS, 0, '-');
        assertEquals(1, view().downsample(), 1e-9, "- zooms out");
        key(KeyEvent.VK_0, 0, '0');
        ViewState fit = view();
        assertTrue(fit.downsample() > 2, "0 fits the slide");
        assertEquals(1500, fit.centreX(), 1e-6);
        key(KeyEvent.VK_1, 0, '1');
        assertEquals(1, view().downsample(), 1e-9, "1 is 1:1");
        key(KeyEvent.VK_HOME, 0, KeyEvent.CHAR_UNDEFINED);
        assertEquals(fit.downsample(), view().downsample(), 1e-9, "Home fits");
        key(KeyEvent.VK_R, 0, 'r');
        assertEquals(1, view().quarterTurns(), "r rotates clockwise");
        key(KeyEvent.VK_R, InputEvent.SHIFT_DOWN_MASK, 'R');
        assertEquals(0, view().quarterTurns(), "R rotates back");
        key(KeyEvent.VK_F, 0, 'f');
        assertTrue(view().flipped(), "f flips");
        key(KeyEvent.VK_H, 0, 'h');
        assertTrue(Edt.call(() -> window.pane().showHud()), "h shows the HUD");
        // next / previous slide
        key(KeyEvent.VK_PAGE_DOWN, 0, KeyEvent.CHAR_UNDEFINED);
        waitFor(() -> window.pane().slide().path().getFileName().toString().equals("b.dzi"), "PgDn to open b.dzi");
        key(KeyEvent.VK_PAGE_UP, 0, KeyEvent.CHAR_UNDEFINED);
        waitFor(() -> window.pane().slide().path().getFileName().toString().equals("a.dzi"), "PgUp to go back");
        key(KeyEvent.VK_RIGHT, InputEvent.CTRL_DOWN_MASK, KeyEvent.CHAR_UNDEFINED);
        waitFor(() -> window.pane().slide().path().getFileName().toString().equals("b.dzi"), "Ctrl+Right");
        key(KeyEvent.VK_LEFT, InputEvent.CTRL_DOWN_MASK, KeyEvent.CHAR_UNDEFINED);
        waitFor(() -> window.pane().slide().path().getFileName().toString().equals("a.dzi"), "Ctrl+Left");
        assertTrue(view().flipped(), "switching back restores the slide's view");
    }

    @Test
    void theNavigatorListsExactlyTheSlidesOfTheFolderWithThumbnailsAndErrors() throws Exception {
        Path lib = slideFolder();
        openAndWait(lib.resolve("b.dzi"));
        waitFor(() -> window.navigator().entries().stream().allMatch(SlideNavigator.Entry::loaded), "thumbnails");
        List<SlideNavigator.Entry> entries = Edt.call(() -> window.navigator().entries());
        assertEquals(List.of("a.dzi", "b.dzi", "broken.dzi"),
                entries.stream().map(e -> e.path().getFileName().toString()).toList());
        assertNotNull(SlideNavigator.iconImage(entries.get(0)));
        assertNotNull(entries.get(2).error(), "the broken slide shows why");
        assertTrue(entries.get(2).error().contains("empty"), entries.get(2).error());
        assertEquals(1, (int) Edt.call(() -> window.navigator().slideList().getSelectedIndex()), "current slide highlighted");
    }

    /** A single-level TIFF: the window makes its coarse levels, shows how far, then draws it whole. */
    @Test
    void aSlideWithoutAPyramidGetsItsOverviewMade() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("single"));
        Path tif = TestSlides.writeSingleLevelTiff(lib.resolve("single.tif"), 2000, 1500, 128);
        openAndWait(tif);
        SlideHandle h = Edt.call(() -> window.pane().slide());
        assertEquals(5, h.info().levelCount(), "2000x1500 in 128 px tiles, then 1000x750 ... 125x94 (one tile)");
        assertTrue(h.info().level(4).generated());
        waitFor(() -> h.pyramidProgress().orElseThrow().complete() && window.statusProgress() == null,
                "the overview to be made and its progress to end");
        waitFor(() -> window.navigator().entries().stream().allMatch(SlideNavigator.Entry::loaded), "thumbnails");
        SlideNavigator.Entry e = Edt.call(() -> window.navigator().entries().getFirst());
        assertEquals(null, e.error(), "the navigator thumbnail is made from generated levels too");
        assertNotNull(SlideNavigator.iconImage(e));
    }

    @Test
    void aFolderThatCannotBeListedShowsTheFolderAndTheReason() throws Exception {
        Path gone = dir.resolve("gone");
        Edt.call(() -> {
            window.navigator().showFolderOf(gone.resolve("x.dzi"));
            return null;
        });
        waitFor(() -> window.navigator().listingError() != null, "the listing error");
        String shown = Edt.call(() -> window.navigator().listingError());
        assertTrue(shown.startsWith(gone.toString()) && shown.contains("not a folder"), shown);
        assertTrue(Edt.call(() -> window.navigator().entries().isEmpty()));
        // a folder that lists clears it
        Path lib = slideFolder();
        openAndWait(lib.resolve("a.dzi"));
        waitFor(() -> window.navigator().entries().size() == 3, "the folder listing");
        assertEquals(null, Edt.call(() -> window.navigator().listingError()));
    }

    @Test
    void theRecentMenuListsTheSlidesThatStillExist() throws Exception {
        Path lib = slideFolder();
        openAndWait(lib.resolve("a.dzi"));
        openAndWait(lib.resolve("b.dzi"));
        waitFor(() -> window.recentMenu().getItemCount() == 2, "two recent slides");
        Files.delete(lib.resolve("a.dzi"));
        TestSlides.writeDzi(lib, "c", 600, 400, 256, 0);
        openAndWait(lib.resolve("c.dzi"));
        waitFor(() -> window.recentMenu().getItemCount() == 2
                && window.recentMenu().getItem(0).getText().startsWith("c.dzi")
                && window.recentMenu().getItem(1).getText().startsWith("b.dzi"), "c and b, not the deleted a");
    }

    @Test
    void anOutOfMemoryErrorOnTheEdtEmptiesTheCachesSaysSoAndTheWindowGoesOn() throws Exception {
        Path lib = slideFolder();
        openAndWait(lib.resolve("a.dzi"));
        waitFor(() -> window.pane().lastPlan() != null && window.pane().lastPlan().complete(), "a sharp view");
        // the decoded tiles on screen, as L1 holds them now
        java.util.Map<org.tilescope.engine.cache.TileKey, Object> before = Edt.call(() -> {
            java.util.Map<org.tilescope.engine.cache.TileKey, Object> m = new java.util.HashMap<>();
            for (var t : window.pane().lastPlan().tiles()) {
                var cached = pipeline.cached(t.key());
                if (cached != null) {
                    m.put(t.key(), cached);
                }
            }
            return m;
        });
        assertFalse(before.isEmpty());
        long readsBefore = pipeline.stats().sourceReads();
        OutOfMemoryGuard guard = new OutOfMemoryGuard(pipeline::clearAll, window::showNotice);
        Thread.UncaughtExceptionHandler previous = guard.install();
        try {
            SwingUtilities.invokeLater(() -> {
                throw new OutOfMemoryError("Java heap space (thrown by the test)");
            });
            waitFor(() -> window.notice().startsWith("Out of memory in AWT-EventQueue"), "the status line");
            assertEquals(1, guard.outOfMemoryCount());
            // the window goes on: the view comes back sharp, every tile decoded anew and read from the
            // file again (L1 and L2 were both emptied)
            waitFor(() -> {
                window.pane().repaint();
                return window.pane().lastPlan().complete() && before.entrySet().stream()
                        .allMatch(e -> pipeline.cached(e.getKey()) != null && pipeline.cached(e.getKey()) != e.getValue());
            }, "the same view sharp again, from new tiles");
            assertTrue(pipeline.stats().sourceReads() >= readsBefore + before.size(),
                    "read again: " + (pipeline.stats().sourceReads() - readsBefore) + " of " + before.size());
        } finally {
            guard.stopWatching();
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }

    @Test
    void aBadSlideShowsAnErrorAndKeepsThePreviousOne() throws Exception {
        Path lib = slideFolder();
        openAndWait(lib.resolve("a.dzi"));
        Edt.call(() -> window.open(lib.resolve("broken.dzi")));
        waitFor(() -> !errors.isEmpty(), "the error dialog");
        assertTrue(errors.getFirst().contains("broken.dzi") && errors.getFirst().contains("empty"), errors.toString());
        assertEquals("a.dzi", Edt.call(() -> window.pane().slide().path().getFileName().toString()));
    }

    @Test
    void anOverviewClickMovesTheView() throws Exception {
        Path lib = slideFolder();
        openAndWait(lib.resolve("a.dzi"));
        Edt.call(() -> {
            window.pane().setView(new ViewState(300, 300, 1, 0, false));
            return null;
        });
        Rectangle r = Edt.call(() -> window.pane().overviewBounds(window.pane().getWidth()));
        assertNotNull(r);
        int x = r.x + r.width * 3 / 4;
        int y = r.y + r.height / 2;
        Edt.call(() -> {
            TilePane p = window.pane();
            p.dispatchEvent(new MouseEvent(p, MouseEvent.MOUSE_PRESSED, System.currentTimeMillis(), 0, x, y, 1, false,
                    MouseEvent.BUTTON1));
            p.dispatchEvent(new MouseEvent(p, MouseEvent.MOUSE_RELEASED, System.currentTimeMillis(), 0, x, y, 1, false,
                    MouseEvent.BUTTON1));
            return null;
        });
        assertEquals(3000 * 0.75, view().centreX(), 3000.0 / r.width * 1.5);
        assertEquals(1000, view().centreY(), 2000.0 / r.height * 1.5);
    }

    @Test
    void exportingAViewGivesTheSamePixelsAsPaintingItAndAsARegion() throws Exception {
        Path lib = slideFolder();
        openAndWait(lib.resolve("a.dzi"));
        ViewState v = SlideRenderer.viewAt(1234, 987, 1, 640, 480);
        Edt.call(() -> {
            window.pane().setShowOverview(false);
            window.pane().setSize(640, 480);
            window.pane().setView(v);
            return null;
        });
        // painting: wait until the pane's plan is all sharp, then paint it offscreen
        waitFor(() -> {
            BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
            var g = img.createGraphics();
            window.pane().paintSlide(g, 640, 480, 1);
            g.dispose();
            return window.pane().lastPlan().complete();
        }, "a sharp view");
        BufferedImage painted = Edt.call(() -> {
            BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
            var g = img.createGraphics();
            window.pane().paintSlide(g, 640, 480, 1);
            g.dispose();
            return img;
        });
        BufferedImage exported = SlideRenderer.export(pipeline, window.pane().slide(), v, 640, 480);
        BufferedImage region;
        try (SlideSource src = Slides.open(lib.resolve("a.dzi"))) {
            region = new RegionReader(src).read(0, 1234 - 320, 987 - 240, 640, 480).image();
        }
        int diffPaint = 0;
        int diffRegion = 0;
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                int e = exported.getRGB(x, y);
                diffPaint += e != painted.getRGB(x, y) ? 1 : 0;
                diffRegion += e != region.getRGB(x, y) ? 1 : 0;
            }
        }
        assertEquals(0, diffPaint, "export equals the painted view");
        assertEquals(0, diffRegion, "export at zoom 1 equals region at level 0");
        assertEquals(TestSlides.pixel(1234, 987), exported.getRGB(320, 240) & 0xFFFFFF);
    }

    @Test
    void brokenTilesAreDrawnFromTheCoarserLevel() throws Exception {
        Path corpus = Path.of(System.getProperty("tilescope.corpus", "../../shared/corpus"));
        Assumptions.assumeTrue(Files.isDirectory(corpus.resolve("broken")), "corpus not found at " + corpus);
        for (String name : List.of("missing_tile.dzi", "truncated_tile.dzi", "random_tile.dzi")) {
            Path slide = corpus.resolve("broken").resolve(name).toAbsolutePath().normalize();
            openAndWait(slide);
            // the damaged tile is level 0 (3, 2): its area is x 762..1016, y 508..762
            Edt.call(() -> {
                window.pane().setShowOverview(false);
                window.pane().setView(new ViewState(889, 635, 0.5, 0, false));
                return null;
            });
            waitFor(() -> {
                BufferedImage img = new BufferedImage(window.pane().getWidth(), window.pane().getHeight(),
                        BufferedImage.TYPE_INT_RGB);
                var g = img.createGraphics();
                window.pane().paintSlide(g, img.getWidth(), img.getHeight(), 1);
                g.dispose();
                return pipeline.stats().failedTiles() > 0 && pipeline.stats().readsInFlight() == 0
                        && pipeline.stats().decodesInFlight() == 0;
            }, name + " to settle");
            var plan = Edt.call(() -> window.pane().lastPlan());
            assertEquals(0, plan.uncovered(), name + ": every tile has cover");
            assertTrue(plan.sharp() < plan.wanted(), name + ": the broken tile is not sharp");
        }
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void screenshotOfTheWindow() throws Exception {
        Path corpus = Path.of(System.getProperty("tilescope.corpus", "../../shared/corpus"));
        Path slide = Files.isDirectory(corpus.resolve("library"))
                ? corpus.resolve("library/C24-0203_breast_HE.dzi").toAbsolutePath().normalize()
                : slideFolder().resolve("a.dzi");
        openAndWait(slide);
        waitFor(() -> window.navigator().entries().stream().allMatch(SlideNavigator.Entry::loaded), "thumbnails");
        waitFor(() -> window.pane().lastPlan() != null && window.pane().lastPlan().complete(), "a sharp view");
        Robot robot = new Robot();
        robot.waitForIdle();
        Rectangle bounds = Edt.call(() -> window.getBounds());
        BufferedImage shot = robot.createScreenCapture(bounds);
        Path out = Path.of("target", "screenshots");
        Files.createDirectories(out);
        ImageIO.write(shot, "png", out.resolve("viewer.png").toFile());
        assertFalse(shot.getRGB(bounds.width / 2, bounds.height / 2) == 0, "something was painted");
    }
}
