package org.tilescope.app.viewer;

import org.tilescope.app.settings.Settings;
import org.tilescope.app.settings.Theme;
import org.tilescope.app.swing.Edt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.swing.JOptionPane;
import org.tilescope.engine.demo.DemoSlide;
import org.tilescope.engine.jobs.JobManager;
import org.tilescope.engine.library.LibraryFolders;
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
        // asked here, on the launching thread: following the system runs gsettings, never on the EDT
        boolean dark = Theme.isDark(Theme.parse(settings.get("theme", Theme.SYSTEM.name())));
        MainWindow w = Edt.call(() -> {
            Theme.install(dark);
            // preload and other long work; the window closes it when it closes
            MainWindow win = new MainWindow(pipeline, settings, new JobManager(2), LibraryFolders.fromEnvironment());
            win.addWindowListener(new java.awt.event.WindowAdapter() {
                @Override
                public void windowClosed(java.awt.event.WindowEvent e) {
                    pipeline.close();
                }
            });
            win.setVisible(true);
            return win;
        });
        new OutOfMemoryGuard(pipeline::clearAll, w::showNotice).install();
        installExitDeadline(settings);
        if (path != null) {
            Edt.run(() -> w.open(path));
        } else {
            List<Path> recent = settings.recent(); // asks the disk: on the launching thread, not the EDT
            if (!recent.isEmpty()) {
                Edt.run(() -> w.open(recent.getFirst()));
            } else {
                openDemo(w, cacheDir);
            }
        }
        return w;
    }

    /** How long shutdown hooks may take before the process is halted. */
    static final long EXIT_DEADLINE_MS = 5000;

    /**
     * However the process is asked to end (SIGTERM, the window closed, Quit), it ends: settings
     * get a bounded flush, and a daemon timer halts the JVM if any shutdown hook (ours, a
     * library's, the toolkit's) is still running after {@value #EXIT_DEADLINE_MS} ms. The timer
     * thread is made now, so starting it at exit needs next to no memory, even with a full heap.
     */
    static void installExitDeadline(Settings settings) {
        Thread halter = Thread.ofPlatform().name("tilescope-exit-deadline").daemon(true).unstarted(() -> {
            try {
                Thread.sleep(EXIT_DEADLINE_MS);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("tilescope: shutdown still running after " + EXIT_DEADLINE_MS + " ms; stopping now");
            Runtime.getRuntime().halt(1);
        });
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("tilescope-exit").unstarted(() -> {
            halter.start();
            settings.flush(1000);
        }));
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
                        (done, total) -> Edt.run(() -> w.showProgress("Making the demo slide", done, total)),
                        closed::get);
                boolean made = Files.exists(dzi);
                Edt.run(() -> {
                    w.showProgress("", 1, 1);
                    if (made) {
                        w.open(dzi);
                    }
                });
                result.complete(dzi);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "demo slide: " + e.getMessage());
                Edt.run(() -> {
                    w.showProgress("", 1, 1);
                    if (!closed.get()) {
                        JOptionPane.showMessageDialog(w, "Could not make the demo slide: " + e.getMessage()
                                + "\nOpen a slide with File > Open.", "Demo slide", JOptionPane.WARNING_MESSAGE);
                    }
                });
                result.completeExceptionally(e);
            }
        });
        return result;
    }
}
