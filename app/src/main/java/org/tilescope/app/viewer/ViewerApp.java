package org.tilescope.app.viewer;

import org.tilescope.app.settings.Settings;
import org.tilescope.app.settings.Theme;
import org.tilescope.app.swing.Edt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tilescope.app.help.ErrorDialog;
import org.tilescope.engine.demo.DemoSlide;
import org.tilescope.engine.jobs.JobManager;
import org.tilescope.engine.cache.TilePipeline;

/** Starts the viewer: theme, pipeline, main window, then the slide to show first. */
public final class ViewerApp {
    private static final System.Logger LOG = System.getLogger(ViewerApp.class.getName());

    private ViewerApp() {
    }

    /**
     * Opens the viewer on {@code path}; with none, the most recent slide, or else the built-in demo
     * slide (made on first run in the background, with a progress bar).
     *
     * @return the window, once shown
     */
    public static MainWindow launch(Path path, Settings settings, Path cacheDir) {
        TilePipeline pipeline = TilePipeline.createDefault();
        MainWindow w = Edt.call(() -> {
            Theme.apply(Theme.parse(settings.get("theme", Theme.SYSTEM.name())));
            // preload and other long work; the window closes it when it closes
            MainWindow win = new MainWindow(pipeline, settings, new JobManager(2));
            // The first minutes: a card saying what is happening while there is no slide, the
            // window fitted to this screen, errors with details to copy.
            WindowPlacement.apply(win, settings);
            WelcomeCard.install(win);
            win.setErrorDialog((title, message) -> ErrorDialog.show(win, title, message));
            win.addWindowListener(new java.awt.event.WindowAdapter() {
                @Override
                public void windowClosed(java.awt.event.WindowEvent e) {
                    pipeline.close();
                }
            });
            win.setVisible(true);
            FirstSharpFrame.watch(win);
            return win;
        });
        if (path != null) {
            Edt.run(() -> w.open(path));
        } else {
            List<Path> recent = settings.recent();
            if (!recent.isEmpty()) {
                Edt.run(() -> w.open(recent.getFirst()));
            } else {
                openDemo(w, cacheDir);
            }
        }
        return w;
    }

    /** Builds the demo slide if needed (off the EDT, progress in the status bar), then opens it. */
    public static CompletableFuture<Path> openDemo(MainWindow w, Path cacheDir) {
        AtomicBoolean closed = new AtomicBoolean();
        w.addWindowListener(new java.awt.event.WindowAdapter() {
            @Override
            public void windowClosed(java.awt.event.WindowEvent e) {
                closed.set(true);
            }
        });
        CompletableFuture<Path> result = new CompletableFuture<>();
        Thread.ofPlatform().name("tilescope-demo").daemon(true).start(() -> {
            try {
                Path dzi = DemoSlide.ensure(cacheDir,
                        (done, total) -> Edt.run(() -> {
                            w.showProgress("Making the demo slide", done, total);
                            if (w.getGlassPane() instanceof WelcomeCard card) {
                                card.showDemoBuild(DemoSlide.location(cacheDir).getParent().toString(), done, total);
                            }
                        }),
                        closed::get);
                Edt.run(() -> {
                    w.showProgress("", 1, 1);
                    if (Files.exists(dzi)) {
                        w.open(dzi);
                    }
                });
                result.complete(dzi);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "demo slide: " + e.getMessage());
                Edt.run(() -> {
                    w.showProgress("", 1, 1);
                    if (w.getGlassPane() instanceof WelcomeCard card) {
                        card.showEmpty("The demo slide could not be made: " + e.getMessage());
                    }
                    if (!closed.get()) {
                        ErrorDialog.show(w, "Demo slide", "Could not make the demo slide: " + e.getMessage()
                                + "\nOpen a slide with File > Open.");
                    }
                });
                result.completeExceptionally(e);
            }
        });
        return result;
    }
}
