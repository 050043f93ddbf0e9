package org.tilescope.app.viewer;

import org.tilescope.app.settings.Settings;
import org.tilescope.app.settings.Theme;
import org.tilescope.app.swing.Edt;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tilescope.app.help.ErrorDialog;
import org.tilescope.engine.demo.DemoSlide;
import org.tilescope.engine.jobs.JobManager;
import org.tilescope.engine.library.LibraryFolders;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.slide.http.DiskTileCache;

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
        MainWindow w = window(settings);
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

    /** Opens the viewer on a remote slide (a {@code .dzi} or IIIF {@code info.json} URL). */
    public static MainWindow launch(URI url, Settings settings, Path cacheDir) {
        MainWindow w = window(settings);
        Edt.run(() -> w.openUrl(url));
        return w;
    }

    /** The Tools menu setting that keeps remote tiles on disk (L3), off by default. */
    public static final String REMOTE_DISK_CACHE_SETTING = "remote.diskCache";
    /** The most bytes the remote tile folder holds before it drops the least recently used. */
    public static final long REMOTE_DISK_CACHE_BYTES = 2L << 30;

    /** Turns the on-disk cache of remote tiles on (in the cache folder's remote-tiles) or off. */
    public static void applyRemoteDiskCache(boolean on) {
        if (!on) {
            DiskTileCache.disable();
            return;
        }
        Path dir = DemoSlide.defaultCacheDir().resolve("remote-tiles");
        try {
            DiskTileCache.enable(dir, REMOTE_DISK_CACHE_BYTES);
        } catch (java.io.IOException e) {
            LOG.log(System.Logger.Level.WARNING, "remote tiles will not be kept on disk: " + dir + ": " + e.getMessage());
            DiskTileCache.disable();
        }
    }

    private static MainWindow window(Settings settings) {
        applyRemoteDiskCache(Boolean.parseBoolean(settings.get(REMOTE_DISK_CACHE_SETTING, "false")));
        TilePipeline pipeline = TilePipeline.createDefault();
        // asked here, on the launching thread: following the system runs gsettings, never on the EDT
        boolean dark = Theme.isDark(Theme.parse(settings.get("theme", Theme.SYSTEM.name())));
        MainWindow w = Edt.call(() -> {
            Theme.install(dark);
            // preload and other long work; the window closes it when it closes
            MainWindow win = new MainWindow(pipeline, settings, new JobManager(2), LibraryFolders.fromEnvironment());
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
        new OutOfMemoryGuard(pipeline::clearAll, w::showNotice).install();
        installExitDeadline(settings);
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
                        (done, total) -> Edt.run(() -> {
                            w.showProgress("Making the demo slide", done, total);
                            if (w.getGlassPane() instanceof WelcomeCard card) {
                                card.showDemoBuild(DemoSlide.location(cacheDir).getParent().toString(), done, total);
                            }
                        }),
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
