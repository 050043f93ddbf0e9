package org.tilescope.app.library;

import org.tilescope.app.swing.Edt;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.swing.Timer;
import org.tilescope.engine.jobs.JobManager;
import org.tilescope.engine.library.Library;
import org.tilescope.engine.library.LibraryEvent;
import org.tilescope.engine.library.LibraryFolders;
import org.tilescope.engine.library.LibraryScan;

/**
 * The window's one {@link Library}: opened in the background, scanned as folders are opened,
 * closed (and written to disk) when the window closes. Every call that may touch the disk runs on
 * its own threads, never the EDT; the library's events reach the UI on the EDT, coalesced so a
 * scan of thousands of slides repaints a few times a second, not once per batch.
 */
public final class WindowLibrary {
    private static final System.Logger LOG = System.getLogger(WindowLibrary.class.getName());
    /** Library events within this many ms make one UI refresh. */
    static final int COALESCE_MS = 120;

    private final CompletableFuture<Library> library = new CompletableFuture<>();
    private final JobManager jobs;
    /** Reads and edits for the UI, in order (tag counts, a slide's record, LLM context). */
    private final ExecutorService work = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("tilescope-library-ui").daemon(true).factory());
    /** Searches, apart from the rest: a query typed never waits behind a slow read. */
    private final ExecutorService searches = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("tilescope-library-search").daemon(true).factory());
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean refreshPending = new AtomicBoolean();
    /** Folders scanned in this window's life: opening another slide of one does not scan again. */
    private final Set<Path> scanned = ConcurrentHashMap.newKeySet();
    private final Timer coalesce;
    private volatile LibraryScan.Status scanStatus;
    private volatile LibraryScan scan;
    private volatile String unavailable;
    private volatile boolean closed;

    private WindowLibrary(JobManager jobs) {
        this.jobs = jobs;
        coalesce = new Timer(COALESCE_MS, e -> fireChanged());
        coalesce.setRepeats(false);
    }

    /** Opens the library in these folders in the background; the window works meanwhile. */
    public static WindowLibrary open(LibraryFolders folders, JobManager jobs) {
        WindowLibrary w = new WindowLibrary(jobs);
        w.work.submit(() -> {
            try {
                Library lib = Library.open(folders);
                lib.addListener(w::heard);
                w.library.complete(lib);
            } catch (Exception | Error e) {
                LOG.log(System.Logger.Level.WARNING, "library in " + folders.data() + " cannot be opened: " + e);
                w.unavailable = folders.data() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
                w.library.completeExceptionally(e);
            }
            w.changed();
        });
        return w;
    }

    /** The library once open (it fails when the data folder cannot be used). */
    public CompletableFuture<Library> library() {
        return library;
    }

    /** The library when it is open now, else null (EDT code that must not wait). */
    public Library now() {
        return library.isDone() && !library.isCompletedExceptionally() ? library.join() : null;
    }

    /** Why there is no library (the data folder and the error), or null. */
    public String unavailable() {
        return unavailable;
    }

    /** The latest status of the latest scan, or null before any scan. */
    public LibraryScan.Status scanStatus() {
        LibraryScan s = scan;
        return s != null ? s.status() : scanStatus;
    }

    /**
     * Adds a folder as a library root (when new) and scans it in the background, its scan and
     * tokenization in the window's progress panel. A folder already scanned in this window, or
     * inside one that was, is not scanned again.
     */
    public void addFolder(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        for (Path s : scanned) {
            if (abs.startsWith(s)) {
                return;
            }
        }
        if (!scanned.add(abs)) {
            return;
        }
        library.thenAcceptAsync(lib -> {
            if (closed) {
                return;
            }
            // inside a known root: rescan that root (unchanged slides are skipped) rather than
            // nesting a second root in it
            Path root = lib.roots().stream().filter(abs::startsWith).findFirst().orElse(abs);
            scanned.add(root);
            LibraryScan run = lib.scan(List.of(root), jobs);
            scan = run;
            run.report().whenComplete((r, e) -> changed()); // the status line says it is done
            changed();
        }, work).exceptionally(e -> {
            LOG.log(System.Logger.Level.WARNING, "cannot scan " + abs + ": " + e);
            return null;
        });
    }

    /** Runs {@code read} on the library's UI thread and hands its result to {@code then} on the EDT. */
    public <T> void read(Function<Library, T> read, Consumer<T> then) {
        submit(work, read, then, null);
    }

    /** Like {@link #read}; a failure's message goes to {@code failed} on the EDT. */
    public <T> void read(Function<Library, T> read, Consumer<T> then, Consumer<String> failed) {
        submit(work, read, then, failed);
    }

    /** Like {@link #read}, on the search thread. */
    public <T> void search(Function<Library, T> read, Consumer<T> then) {
        submit(searches, read, then, null);
    }

    private <T> void submit(ExecutorService on, Function<Library, T> read, Consumer<T> then, Consumer<String> failed) {
        try {
            library.thenAcceptAsync(lib -> {
                T value = read.apply(lib);
                Edt.run(() -> then.accept(value));
            }, on).exceptionally(e -> {
                Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                if (c instanceof java.io.UncheckedIOException u && u.getCause() != null) {
                    c = u.getCause();
                }
                String why = c.getMessage() == null ? c.toString() : c.getMessage();
                LOG.log(System.Logger.Level.WARNING, "library read failed: " + why);
                if (failed != null) {
                    Edt.run(() -> failed.accept(why));
                }
                return null;
            });
        } catch (RejectedExecutionException e) {
            // the window is closing
        }
    }

    /** Hears "look again" on the EDT, at most once per {@value #COALESCE_MS} ms. */
    public void addChangeListener(Runnable r) {
        changeListeners.add(r);
    }

    private void heard(LibraryEvent e) {
        if (e instanceof LibraryEvent.ScanProgress p) {
            scanStatus = p.status();
        }
        changed();
    }

    /** Any thread: schedules one refresh; more changes before it runs join it. */
    private void changed() {
        if (refreshPending.compareAndSet(false, true)) {
            Edt.run(coalesce::restart);
        }
    }

    private void fireChanged() {
        refreshPending.set(false);
        if (closed) {
            return;
        }
        for (Runnable r : changeListeners) {
            r.run();
        }
    }

    /**
     * Stops scans and writes the library to disk on a thread of its own (not a daemon: the
     * process waits for the write before it ends). {@code before} runs first on that thread
     * (pending note saves).
     */
    public CompletableFuture<Void> close(Runnable before) {
        closed = true;
        Edt.run(coalesce::stop);
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().name("tilescope-library-close").daemon(false).start(() -> {
            try {
                before.run();
                Library lib = library.exceptionally(e -> null).join();
                if (lib != null) {
                    lib.close();
                }
                done.complete(null);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "library close: " + e);
                done.completeExceptionally(e);
            } finally {
                work.shutdown();
                searches.shutdownNow();
            }
        });
        return done;
    }
}
