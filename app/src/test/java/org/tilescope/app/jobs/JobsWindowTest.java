package org.tilescope.app.jobs;

import org.tilescope.app.navigator.SlideNavigator;
import org.tilescope.app.settings.Settings;
import org.tilescope.app.settings.Theme;
import org.tilescope.app.swing.Edt;
import org.tilescope.app.swing.EdtWatchdog;
import org.tilescope.app.viewer.MainWindow;
import org.tilescope.app.viewer.ViewerWindowTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tilescope.app.viewer.ViewerWindowTest.waitFor;

import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.app.TestSlides;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.jobs.Job;
import org.tilescope.engine.jobs.JobContext;
import org.tilescope.engine.jobs.JobHandle;
import org.tilescope.engine.jobs.JobSnapshot;
import org.tilescope.engine.jobs.JobState;
import org.tilescope.app.render.SlideRenderer;
import org.tilescope.engine.cache.CacheSizes;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.metrics.PoolRegistry;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.cache.TilePipeline;

/** Background jobs in the real window (Xvfb): folder preload, progress panel, cancel, cached marks. */
class JobsWindowTest {
    @TempDir
    Path dir;
    TilePipeline pipeline;
    Settings settings;
    MainWindow window;
    EdtWatchdog watchdog;
    final List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();

    static javax.swing.LookAndFeel before;

    @BeforeAll
    static void needsDisplay() {
        ViewerWindowTest.needsDisplay(); // skips without a display; installs the off-EDT checker
        Edt.call(() -> {
            before = javax.swing.UIManager.getLookAndFeel();
            Theme.apply(Theme.LIGHT); // as the app starts: the screenshots show what a user sees
            return null;
        });
    }

    @AfterAll
    static void restoreLookAndFeel() throws Exception {
        if (before != null) {
            Edt.call(() -> {
                javax.swing.UIManager.setLookAndFeel(before);
                return null;
            });
        }
    }

    @BeforeEach
    void open() {
        ViewerWindowTest.VIOLATIONS.clear();
        pipeline = new TilePipeline(new CacheSizes(256L << 20, 256L << 20), TileDecoder.standard(), 2, 4, 16);
        settings = new Settings(dir.resolve("config"));
        window = Edt.call(() -> {
            MainWindow w = new MainWindow(pipeline, settings);
            w.setErrorDialog((title, msg) -> errors.add(title + ": " + msg));
            w.progressPanel().setLinger(TimeUnit.MINUTES.toMillis(5)); // rows stay while the test looks
            w.setSize(1300, 820);
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
        settings.flush(); // its writer thread must be done with the temp folder before JUnit deletes it
        if (watchdog != null) {
            watchdog.close();
            assertTrue(watchdog.stalls().isEmpty(), watchdog.report());
        }
        assertTrue(ViewerWindowTest.VIOLATIONS.isEmpty(), "Swing touched off the EDT: " + ViewerWindowTest.VIOLATIONS);
    }

    Path folder() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        TestSlides.writeDzi(lib, "a", 1500, 1000, 256, 1);
        TestSlides.writeDzi(lib, "b", 1200, 900, 256, 0);
        TestSlides.writeDzi(lib, "c", 900, 700, 256, 1);
        return lib;
    }

    void openAndWait(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Edt.call(() -> window.open(p));
        waitFor(() -> window.pane().slide() != null && window.pane().slide().path().equals(abs)
                && window.pane().slide().thumbnail() != null, "slide " + p.getFileName() + " to open");
    }

    /** The first row of this kind in the progress panel, or null. */
    ProgressPanel.Row row(String kind) {
        ProgressPanel panel = window.progressPanel();
        for (JobSnapshot s : panel.shown()) {
            if (s.kind().equals(kind)) {
                return panel.row(s.id());
            }
        }
        return null;
    }

    boolean sharp() {
        var plan = window.pane().lastPlan();
        return plan != null && plan.complete() && window.pane().slide() != null;
    }

    @Test
    void openingAFolderPreloadsItShowsProgressAndMarksTheSlidesCached() throws Exception {
        Path lib = folder();
        openAndWait(lib.resolve("a.dzi"));
        waitFor(() -> row("preload") != null, "the preload job in the progress panel");
        assertTrue(Edt.call(() -> window.progressPanel().isShowing()), "the progress panel shows");
        assertTrue(Edt.call(() -> row("preload").bar.isShowing()), "with a progress bar on screen");
        assertTrue(Edt.call(() -> window.progressPanel().indicator().isShowing()), "and the status bar indicator");
        waitFor(() -> row("preload").last.state() == JobState.DONE, "the preload to finish");
        JobSnapshot done = Edt.call(() -> row("preload").last);
        assertEquals(0, done.failures(), done.firstFailures().toString());
        assertTrue(done.itemsTotal() > 0 && done.itemsDone() == done.itemsTotal(), done.toString());
        assertEquals("100%", Edt.call(() -> row("preload").bar.getString()));
        String numbers = Edt.call(() -> row("preload").numbers.getText());
        assertTrue(numbers.startsWith("3 / 3 slides · "), "the preload counts slides: " + numbers);
        waitFor(() -> window.navigator().entries().stream().allMatch(SlideNavigator.Entry::cached),
                "every slide marked as fully cached");
        for (String name : List.of("a.dzi", "b.dzi", "c.dzi")) {
            assertTrue(window.preloader().isFullyCached(lib.resolve(name)), name);
        }
        assertTrue(Edt.call(() -> window.progressPanel().indicator().getText().contains("jobs")),
                "the indicator says the jobs are done");

        // a switch after the preload reads nothing from the slide files
        waitFor(this::sharp, "a sharp view of a.dzi");
        long reads = pipeline.stats().sourceReads();
        Edt.call(() -> {
            window.step(1);
            return null;
        });
        waitFor(() -> window.pane().slide().path().getFileName().toString().equals("b.dzi") && sharp(),
                "a sharp view of b.dzi");
        openAndWait(lib.resolve("c.dzi"));
        waitFor(this::sharp, "a sharp view of c.dzi");
        assertEquals(reads, pipeline.stats().sourceReads(), "switching slides after the preload read from disk");
        assertTrue(errors.isEmpty(), errors.toString());

        // L2 loses the tiles (cleared here; evicted for room works the same way): the marks go
        pipeline.clearAll();
        waitFor(() -> window.navigator().entries().stream().noneMatch(SlideNavigator.Entry::cached),
                "the 'in cache' marks to be cleared");
    }

    @Test
    void theSettingTurnsThePreloadOff() throws Exception {
        settings.put(MainWindow.PRELOAD_SETTING, "false");
        Path lib = folder();
        openAndWait(lib.resolve("a.dzi"));
        waitFor(() -> window.navigator().entries().size() == 3, "the folder listing");
        assertTrue(Edt.call(() -> window.progressPanel().shown().isEmpty()), "no job without the setting");
        assertFalse(Edt.call(() -> window.progressPanel().isVisible()), "the panel stays hidden when idle");
        assertTrue(window.jobs().active().isEmpty());
    }

    @Test
    void cancelAndPauseFromThePanel() throws Exception {
        JobHandle h = window.jobs().submit(new EndlessJob("Scan slides in /data/archive"));
        waitFor(() -> window.progressPanel().row(h.id()) != null
                && window.progressPanel().row(h.id()).last.state() == JobState.RUNNING, "the job's row");
        ProgressPanel.Row r = Edt.call(() -> window.progressPanel().row(h.id()));
        assertTrue(Edt.call(() -> r.pause.isShowing()), "pause is offered: the job supports it");
        Edt.call(() -> {
            r.pause.doClick();
            return null;
        });
        waitFor(() -> r.last.state() == JobState.PAUSED && r.pause.getText().equals("Resume"), "paused");
        Edt.call(() -> {
            r.pause.doClick();
            return null;
        });
        waitFor(() -> r.last.state() == JobState.RUNNING, "resumed");
        Edt.call(() -> {
            r.cancel.doClick();
            return null;
        });
        JobSnapshot end = h.done().get(30, TimeUnit.SECONDS); // hang guard, not a timing claim
        assertEquals(JobState.CANCELLED, end.state());
        waitFor(() -> r.last.state() == JobState.CANCELLED && !r.cancel.isVisible() && r.dismiss.isVisible(),
                "the row to say cancelled");
        Edt.call(() -> {
            r.dismiss.doClick();
            return null;
        });
        waitFor(() -> window.progressPanel().shown().isEmpty(), "the row to go");
        assertFalse(Edt.call(() -> window.progressPanel().isVisible()), "the panel hides when idle");
        assertFalse(Edt.call(() -> window.progressPanel().indicator().isVisible()), "and so does the indicator");
    }

    @Test
    void theProgressPanelRendersARunningAFailedAndACancelledJob() throws Exception {
        settings.put(MainWindow.PRELOAD_SETTING, "false");
        Path corpus = Path.of(System.getProperty("tilescope.corpus", "../../shared/corpus"));
        Path slide = Files.isDirectory(corpus.resolve("library"))
                ? corpus.resolve("library/C24-0203_breast_HE.dzi").toAbsolutePath().normalize()
                : folder().resolve("a.dzi");
        openAndWait(slide);

        CountDownLatch release = new CountDownLatch(1);
        JobHandle running = window.jobs().submit(new BlockingJob("Preload 40 slides in C24-liver", release));
        JobHandle failed = window.jobs().submit(new FailingJob("Tokenize notes in /data/slides"));
        JobHandle cancelled = window.jobs().submit(new EndlessJob("Import 12 slides from /mnt/scanner", 60));
        JobHandle unknown = window.jobs().submit(new EndlessJob("Scan folder /data/archive", -1));
        waitFor(() -> cancelled.snapshot().itemsDone() > 3, "the job to be cancelled to make some progress");
        cancelled.cancel();
        failed.done().get(30, TimeUnit.SECONDS);
        cancelled.done().get(30, TimeUnit.SECONDS);
        ProgressPanel panel = Edt.call(() -> window.progressPanel());
        waitFor(() -> panel.row(running.id()) != null && panel.row(running.id()).last.itemsDone() >= 40
                        && panel.row(running.id()).last.etaMillis().isPresent()
                        && panel.row(failed.id()) != null && panel.row(failed.id()).last.state() == JobState.FAILED
                        && panel.row(cancelled.id()) != null
                        && panel.row(cancelled.id()).last.state() == JobState.CANCELLED
                        && panel.row(unknown.id()) != null && panel.row(unknown.id()).last.state() == JobState.RUNNING,
                "four rows: running, failed, cancelled, running with an unknown total");
        Edt.call(() -> {
            panel.row(failed.id()).failures.doClick(); // expand the failures
            return null;
        });
        waitFor(() -> panel.row(failed.id()).failureList.isShowing(), "the failure list to show");

        Edt.call(() -> {
            ProgressPanel.Row run = panel.row(running.id());
            assertTrue(run.bar.isShowing() && !run.bar.isIndeterminate(), "a determinate bar while the total is known");
            long n = run.last.itemsDone();
            assertEquals(n * 10, run.bar.getValue(), n + " of 100");
            assertTrue(run.numbers.getText().startsWith(n + " / 100 items · "), run.numbers.getText());
            assertTrue(run.numbers.getText().contains(" / 10.0 MB"), run.numbers.getText());
            assertTrue(run.numbers.getText().contains("ETA"), run.numbers.getText());
            assertTrue(run.cancel.isShowing() && !run.pause.isVisible(), "cancel; no pause for a job without it");
            ProgressPanel.Row fail = panel.row(failed.id());
            assertEquals("failed", fail.state.getText());
            assertTrue(fail.detail.getText().contains("index slot 2 is corrupt"), fail.detail.getText());
            assertTrue(fail.failures.getText().contains("2 failures"), fail.failures.getText());
            assertTrue(fail.failureList.getText().contains("C24-0112_liver_HE.txt: not UTF-8"), fail.failureList.getText());
            assertTrue(fail.dismiss.isShowing() && !fail.cancel.isVisible());
            ProgressPanel.Row can = panel.row(cancelled.id());
            assertEquals("cancelled", can.state.getText());
            assertTrue(panel.row(unknown.id()).bar.isIndeterminate(), "indeterminate while the total is unknown");
            assertTrue(panel.row(unknown.id()).pause.isShowing(), "pause where the job supports it");
            assertTrue(window.progressPanel().indicator().getText().contains("2 jobs"),
                    window.progressPanel().indicator().getText());
            return null;
        });
        // paint now rather than Robot.waitForIdle: the indeterminate bar's animation keeps the EDT busy
        Rectangle bounds = Edt.call(() -> {
            window.validate();
            window.getRootPane().paintImmediately(0, 0, window.getRootPane().getWidth(), window.getRootPane().getHeight());
            return window.getBounds();
        });
        BufferedImage shot = new Robot().createScreenCapture(bounds);
        Path out = Path.of("target", "screenshots");
        Files.createDirectories(out);
        ImageIO.write(shot, "png", out.resolve("progress-panel.png").toFile());
        Rectangle panelBounds = Edt.call(() -> {
            var p = window.progressPanel();
            var at = javax.swing.SwingUtilities.convertPoint(p, 0, 0, window);
            return new Rectangle(at.x, at.y, p.getWidth(), p.getHeight());
        });
        ImageIO.write(shot.getSubimage(0, panelBounds.y, bounds.width,
                Math.min(bounds.height - panelBounds.y, panelBounds.height + 40)), "png",
                out.resolve("progress-panel-only.png").toFile());

        release.countDown();
        assertEquals(JobState.DONE, running.done().get(30, TimeUnit.SECONDS).state());
        unknown.cancel();
        assertEquals(JobState.CANCELLED, unknown.done().get(30, TimeUnit.SECONDS).state());
    }

    @Test
    void theMetricsViewShowsMemoryAndPoolsLive() throws Exception {
        Path lib = folder();
        openAndWait(lib.resolve("a.dzi"));
        Edt.call(() -> {
            window.metricsView().show(window);
            return null;
        });
        waitFor(() -> window.metricsView().isShowing() && window.metricsView().last() != null
                && window.metricsView().last().heapUsed() > 0, "a live sample");
        var s = Edt.call(() -> window.metricsView().last());
        List<String> pools = s.pools().stream().map(p -> p.pool()).toList();
        assertTrue(pools.containsAll(List.of("reads", "decode", "preload")), pools.toString());
        assertFalse(pools.contains("tokenize"), "no tokenize pool exists, so none is shown: " + pools);
        assertEquals(pools, Edt.call(() -> window.metricsView().poolsShown()));
        assertTrue(s.heapPeak() >= s.heapUsed() && s.heapMax() >= s.heapCommitted());
        Rectangle b = Edt.call(() -> {
            var d = window.metricsView().dialog();
            d.getRootPane().paintImmediately(0, 0, d.getRootPane().getWidth(), d.getRootPane().getHeight());
            return d.getBounds();
        });
        Robot robot = new Robot();
        Path out = Path.of("target", "screenshots");
        Files.createDirectories(out);
        ImageIO.write(robot.createScreenCapture(b), "png", out.resolve("metrics.png").toFile());
        assertNotNull(s.pipeline());
    }

    @Test
    void aPoolShowsInTheMetricsViewWithItsRealLoadWhileItExists() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        var tokenize = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>());
        try (var registration = PoolRegistry.shared().register("tokenize", tokenize)) {
            CountDownLatch started = new CountDownLatch(1);
            tokenize.execute(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            tokenize.execute(() -> { });
            tokenize.execute(() -> { });
            started.await(30, TimeUnit.SECONDS);
            Edt.call(() -> {
                window.metricsView().show(window);
                return null;
            });
            waitFor(() -> window.metricsView().poolsShown().contains("tokenize"), "the tokenize row");
            var s = Edt.call(() -> window.metricsView().last());
            var load = s.pools().stream().filter(p -> p.pool().equals("tokenize")).findFirst().orElseThrow();
            assertEquals(1, load.active());
            assertEquals(2, load.queued());
            release.countDown();
            tokenize.shutdown();
            assertTrue(tokenize.awaitTermination(30, TimeUnit.SECONDS));
            waitFor(() -> !window.metricsView().poolsShown().contains("tokenize"), "the row to go with the pool");
        } finally {
            release.countDown();
            tokenize.shutdownNow();
        }
    }

    @Test
    void anExportIsACancellableJobAndNeverHoldsUpOpeningASlide() throws Exception {
        settings.put(MainWindow.PRELOAD_SETTING, "false");
        Path lib = folder();
        // level 0 has 96 tiles: not a coarse level, so opening reads none of it
        Path big = TestSlides.writeDzi(Files.createDirectories(dir.resolve("slow")), "big", 3000, 2000, 256, 0);
        CountDownLatch release = new CountDownLatch(1);
        SlideSource real = Slides.open(big);
        // level 0 reads wait until released: an export at 1:1 waits on them, as on a slow share
        SlideSource slow = new SlideSource() {
            @Override
            public SlideInfo info() {
                return real.info();
            }

            @Override
            public byte[] readTile(int level, int col, int row) throws java.io.IOException {
                if (level == 0) {
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException("interrupted");
                    }
                }
                return real.readTile(level, col, row);
            }

            @Override
            public byte[] readAssociated(String name) throws java.io.IOException {
                return real.readAssociated(name);
            }

            @Override
            public void close() throws java.io.IOException {
                real.close();
            }
        };
        SlideHandle h = pipeline.open(4242L, big, slow);
        h.ready().get(60, TimeUnit.SECONDS);
        Path out = dir.resolve("slow-view.png");
        try {
            JobHandle export = Edt.call(() -> window.export(h, SlideRenderer.viewAt(1500, 1000, 1, 640, 480), 640, 480, out));
            waitFor(() -> window.progressPanel().row(export.id()) != null
                    && window.progressPanel().row(export.id()).last.state() == JobState.RUNNING
                    && window.progressPanel().row(export.id()).last.itemsTotal() > 1, "the export's row with its tiles");
            assertTrue(Edt.call(() -> window.notice().startsWith("Exporting slow-view.png")), window.notice());
            // the export waits for its tiles; a slide opens meanwhile
            openAndWait(lib.resolve("b.dzi"));
            assertFalse(export.done().isDone(), "the export was still waiting while b.dzi opened");
            ProgressPanel.Row r = Edt.call(() -> window.progressPanel().row(export.id()));
            assertTrue(Edt.call(() -> r.cancel.isShowing()), "the export can be cancelled from the panel");
            Edt.call(() -> {
                r.cancel.doClick();
                return null;
            });
            assertEquals(JobState.CANCELLED, export.done().get(30, TimeUnit.SECONDS).state());
            waitFor(() -> window.notice().contains("cancelled"), "the status bar to say cancelled");
            assertFalse(Files.exists(out), "a cancelled export writes nothing");
        } finally {
            release.countDown();
        }
    }

    @Test
    void anExportWritesTheViewAndSaysSo() throws Exception {
        settings.put(MainWindow.PRELOAD_SETTING, "false");
        Path lib = folder();
        openAndWait(lib.resolve("a.dzi"));
        Path out = dir.resolve("a-view.png");
        var view = SlideRenderer.viewAt(700, 500, 1, 320, 200);
        JobHandle export = Edt.call(() -> window.export(window.pane().slide(), view, 320, 200, out));
        JobSnapshot end = export.done().get(60, TimeUnit.SECONDS);
        assertEquals(JobState.DONE, end.state(), end.reason());
        assertEquals(end.itemsTotal(), end.itemsDone());
        BufferedImage img = ImageIO.read(out.toFile());
        assertEquals(320, img.getWidth());
        assertEquals(200, img.getHeight());
        assertEquals(TestSlides.pixel(700, 500), img.getRGB(160, 100) & 0xFFFFFF, "the view's centre pixel");
        waitFor(() -> window.notice().equals("Exported " + out), "the status bar to say where");
    }

    // ---------------------------------------------------------------- test jobs

    /** Reports 40 of 100 items and 4 of 10 MB at once, then one more item every half second until released. */
    static final class BlockingJob extends Job {
        final CountDownLatch release;

        BlockingJob(String name, CountDownLatch release) {
            super(name, "test-blocking", 5);
            this.release = release;
        }

        @Override
        protected void run(JobContext ctx) throws Exception {
            ctx.progress().setTotal(100, 10L << 20);
            for (int i = 0; i < 40; i++) {
                ctx.checkCancelled();
                ctx.progress().addDone(1, 100L << 10);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(25));
            }
            for (int i = 40; !release.await(500, TimeUnit.MILLISECONDS); i++) {
                ctx.checkCancelled();
                if (i < 99) {
                    ctx.progress().addDone(1, 100L << 10);
                }
            }
        }
    }

    /** Two item failures, then the whole job fails. */
    static final class FailingJob extends Job {
        FailingJob(String name) {
            super(name, "test-failing", 5);
        }

        @Override
        protected void run(JobContext ctx) throws Exception {
            ctx.progress().setTotal(30, -1);
            ctx.progress().addDone(11, 0);
            ctx.progress().addFailure("C24-0112_liver_HE.txt: not UTF-8 (byte 0xC3 at offset 812)");
            ctx.progress().addFailure("C24-0299_skin_HE.md: empty file (0 bytes)");
            throw new java.io.IOException("library.idx: index slot 2 is corrupt (checksum mismatch); slot 1 kept");
        }
    }

    /** Works through items until cancelled; pausable. */
    static final class EndlessJob extends Job {
        final long total;

        EndlessJob(String name) {
            this(name, 1_000_000);
        }

        /** @param total items announced, or -1 for an unknown total (an indeterminate bar) */
        EndlessJob(String name, long total) {
            super(name, "test-endless-" + name, 5);
            this.total = total;
        }

        @Override
        public boolean supportsPause() {
            return true;
        }

        @Override
        protected void run(JobContext ctx) throws Exception {
            if (total >= 0) {
                ctx.progress().setTotal(total, -1);
            }
            while (true) {
                ctx.checkCancelled();
                ctx.awaitIfPaused();
                ctx.progress().addDone(1, 48L << 10);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }
}
