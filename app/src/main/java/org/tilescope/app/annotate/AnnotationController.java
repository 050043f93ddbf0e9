package org.tilescope.app.annotate;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.tilescope.app.render.AnnotationLayer;
import org.tilescope.app.render.LayerContext;
import org.tilescope.app.swing.Edt;
import org.tilescope.app.viewer.TilePane;
import org.tilescope.app.viewer.Tool;
import org.tilescope.engine.annotation.Annotation;
import org.tilescope.engine.annotation.AnnotationClass;
import org.tilescope.engine.annotation.AnnotationSet;
import org.tilescope.engine.annotation.AnnotationStore;
import org.tilescope.engine.annotation.Edit;
import org.tilescope.engine.annotation.GeoJsonReader;
import org.tilescope.engine.annotation.GeoJsonWriter;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.slide.ContentFingerprint;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;

/**
 * The annotations of the slide in a tile pane: loads them when the slide changes (stored by
 * fingerprint, else the sidecar), saves every change shortly after it is made, keeps the
 * selection, applies the tools' edits, imports and exports GeoJSON in the background. Everything
 * but the background work runs on the event thread.
 */
public final class AnnotationController {
    private static final System.Logger LOG = System.getLogger(AnnotationController.class.getName());
    /** A change is written this long after it is made, so a burst of edits is one write. */
    static final long SAVE_DELAY_MS = 200;

    /** The annotations of one slide and where they are stored. */
    private record Current(SlideHandle slide, ContentFingerprint fingerprint, AnnotationSet set, boolean writable,
                           AtomicBoolean dirty) {
        Current(SlideHandle slide, ContentFingerprint fingerprint, AnnotationSet set, boolean writable) {
            this(slide, fingerprint, set, writable, new AtomicBoolean());
        }
    }

    private final TilePane pane;
    private final AnnotationStore store;
    private final AnnotationLayer layer = new AnnotationLayer();
    private final ScheduledExecutorService io = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tilescope-annotations").daemon(false).factory());
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final List<Tool> tools = new ArrayList<>();
    private final AtomicBoolean saveQueued = new AtomicBoolean();
    private final Consumer<AnnotationSet> onChange = s -> changed();
    private SlideHandle shownSlide;
    private volatile Current current;
    private CompletableFuture<Void> loading = CompletableFuture.completedFuture(null);
    private Set<String> selection = Set.of();
    private String message = " ";
    private long messageVersion;
    private BiConsumer<String, String> errors = (title, text) -> LOG.log(System.Logger.Level.WARNING, title + ": " + text);

    public AnnotationController(TilePane pane, AnnotationStore store) {
        this.pane = pane;
        this.store = store;
        // the viewer ends with System.exit when its window closes (and a SIGTERM ends it too):
        // queued saves still get written, within a bound
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("tilescope-annotations-exit").unstarted(() -> {
            io.shutdown();
            try {
                io.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        pane.layers().add(layer);
        layer.setRepaint(pane::repaint);
        tools.add(new SelectTool(this));
        tools.add(new PointTool(this));
        tools.add(new ShapeTool(this, ShapeTool.Kind.RECTANGLE));
        tools.add(new ShapeTool(this, ShapeTool.Kind.ELLIPSE));
        tools.add(new ShapeTool(this, ShapeTool.Kind.LINE));
        tools.add(new PolygonTool(this));
        tools.add(new BrushTool(this));
        for (Tool t : tools) {
            pane.addTool(t);
        }
        pane.addViewListener(p -> {
            if (p.slide() != shownSlide) {
                slideChanged(p.slide());
            }
        });
        if (pane.slide() != null) {
            slideChanged(pane.slide());
        }
    }

    /** The drawing and selection tools, in menu order (Move first: it replaces plain pan and zoom). */
    public List<Tool> tools() {
        return List.copyOf(tools);
    }

    public TilePane pane() {
        return pane;
    }

    public AnnotationLayer layer() {
        return layer;
    }

    /** The shown slide's annotations, or null while they load or with no slide. */
    public AnnotationSet set() {
        Current c = current;
        return c == null ? null : c.set();
    }

    /** True when edits can be made and will be saved. */
    public boolean editable() {
        Current c = current;
        return c != null && c.writable();
    }

    /** Completes when the shown slide's annotations are loaded (or failed to load). */
    public CompletableFuture<Void> loading() {
        return loading;
    }

    /** Where load and import errors go: a dialog in the window, a recorder in tests. */
    public void setErrorSink(BiConsumer<String, String> sink) {
        errors = sink;
    }

    /** Heard on the event thread after the set, the selection or the message changes. */
    public void addListener(Runnable l) {
        listeners.add(l);
    }

    /** The last thing worth telling the user ("Saved", "'Tumour' is locked"). */
    public String message() {
        return message;
    }

    /** Goes up with every message, so a repeated one still counts as new. */
    public long messageVersion() {
        return messageVersion;
    }

    void say(String m) {
        message = m;
        messageVersion++;
        fire();
    }

    // ---------------------------------------------------------------- slides

    private void slideChanged(SlideHandle h) {
        Edt.assertEdt();
        shownSlide = h;
        Current old = current;
        if (old != null) {
            old.set().removeListener(onChange);
            saveNow(old); // queued behind any pending write of the same set
        }
        current = null;
        selection = Set.of();
        layer.setSet(null);
        layer.setDraft(null);
        if (h == null) {
            loading = CompletableFuture.completedFuture(null);
            fire();
            return;
        }
        say("Loading annotations…");
        CompletableFuture<Void> done = new CompletableFuture<>();
        loading = done;
        io.execute(() -> {
            try {
                ContentFingerprint fp;
                try (SlideSource src = Slides.open(h.location())) {
                    fp = ContentFingerprint.of(src);
                }
                AnnotationStore.Loaded loaded = store.load(fp, h.path());
                Edt.run(() -> {
                    if (shownSlide == h) {
                        show(new Current(h, fp, new AnnotationSet(loaded.annotations()), true), loaded);
                    }
                    done.complete(null);
                });
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, h.info().where() + ": annotations not loaded: " + e.getMessage());
                Edt.run(() -> {
                    if (shownSlide == h) {
                        // an unreadable stored file is not overwritten: this slide's annotations are read-only
                        show(new Current(h, null, new AnnotationSet(), false), null);
                        say("Annotations not loaded; editing is off for this slide");
                        errors.accept("Annotations of " + h.info().name(), e.getMessage());
                    }
                    done.complete(null);
                });
            }
        });
        fire();
    }

    private void show(Current c, AnnotationStore.Loaded loaded) {
        current = c;
        layer.setSet(c.set());
        c.set().addListener(onChange);
        if (loaded != null) {
            int n = loaded.annotations().size();
            say(switch (loaded.origin()) {
                case STORED -> n + (n == 1 ? " annotation" : " annotations");
                case SIDECAR -> n + " annotations from " + loaded.files().getFirst().getFileName();
                case NONE -> " ";
            });
        }
        pane.repaint();
        fire();
    }

    private void changed() {
        Current c = current;
        if (c != null && c.writable()) {
            c.dirty().set(true);
            scheduleSave(c);
        }
        // edits may come from any thread (tests, scripts); the view and the listeners are the EDT's
        Edt.run(() -> {
            selection = retainExisting(selection);
            layer.setSelected(selection);
            pane.repaint();
            fire();
        });
    }

    private void scheduleSave(Current c) {
        if (!io.isShutdown() && saveQueued.compareAndSet(false, true)) {
            io.schedule(() -> {
                saveQueued.set(false);
                write(c);
            }, SAVE_DELAY_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void saveNow(Current c) {
        if (c.writable() && !io.isShutdown()) {
            io.execute(() -> write(c));
        }
    }

    /** Writes the set if it changed since the last write: a slide only looked at leaves no file (its sidecar stays in charge). */
    private void write(Current c) {
        if (!c.dirty().getAndSet(false)) {
            return;
        }
        try {
            store.save(c.fingerprint(), c.slide().info().name(), c.set().all());
        } catch (IOException | RuntimeException e) {
            c.dirty().set(true);
            LOG.log(System.Logger.Level.WARNING, "annotations of " + c.slide().info().where() + " not saved: " + e.getMessage());
            Edt.run(() -> say("Annotations NOT saved: " + e.getMessage()));
        }
    }

    /** Waits for every queued write (tests; the window on close). */
    public void flush() {
        try {
            // a queued delayed save runs first when it is due; wait past it
            io.schedule(() -> { }, SAVE_DELAY_MS + 10, TimeUnit.MILLISECONDS).get(30, TimeUnit.SECONDS);
            io.submit(() -> { }).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "annotations not flushed: " + e.getMessage());
        }
    }

    /**
     * Queues a last save and lets the background thread finish and stop. It does not wait: the
     * window closes without blocking the event thread. The thread is not a daemon, so the VM
     * stays up until what is queued (delayed saves too) is written, and on System.exit a shutdown
     * hook waits for it (up to 10 s).
     */
    public void dispose() {
        if (io.isShutdown()) {
            return;
        }
        Current c = current;
        if (c != null) {
            saveNow(c);
        }
        io.shutdown();
    }

    /** After {@link #dispose}: waits until the last save is written (tests). */
    public boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
        return io.awaitTermination(timeout, unit);
    }

    // ---------------------------------------------------------------- selection

    /** The selected annotations, current versions. */
    public List<Annotation> selection() {
        AnnotationSet s = set();
        List<Annotation> out = new ArrayList<>();
        if (s != null) {
            for (String id : selection) {
                Annotation a = s.get(id);
                if (a != null) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    public boolean isSelected(Annotation a) {
        return selection.contains(a.id());
    }

    /** Selects {@code a} alone, or with {@code toggle} adds or removes it; null clears (without toggle). */
    public void select(Annotation a, boolean toggle) {
        Set<String> next = new LinkedHashSet<>(toggle ? selection : Set.of());
        if (a != null && !(toggle && next.remove(a.id()))) {
            next.add(a.id());
        }
        setSelection(next);
    }

    public void setSelection(Collection<String> ids) {
        selection = Set.copyOf(new LinkedHashSet<>(ids));
        layer.setSelected(selection);
        pane.repaint();
        fire();
    }

    private Set<String> retainExisting(Set<String> ids) {
        AnnotationSet s = set();
        if (s == null || ids.isEmpty()) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String id : ids) {
            if (s.get(id) != null) {
                out.add(id);
            }
        }
        return out.size() == ids.size() ? ids : Set.copyOf(out);
    }

    // ---------------------------------------------------------------- edits

    /** Applies an edit; on refusal (a locked object, no slide) says why and returns false. */
    public boolean apply(Edit e) {
        Current c = current;
        if (c == null || !c.writable()) {
            say(c == null ? "No annotations to edit yet" : "Editing is off for this slide (its annotations did not load)");
            return false;
        }
        try {
            c.set().apply(e);
            return true;
        } catch (IllegalStateException | IllegalArgumentException ex) {
            say(ex.getMessage());
            java.awt.Toolkit.getDefaultToolkit().beep();
            return false;
        }
    }

    /** Adds a new annotation and selects it. */
    void create(String label, Annotation a) {
        if (apply(Edit.add(label, a))) {
            select(a, false);
        }
    }

    public void deleteSelected() {
        List<Annotation> sel = selection();
        List<Annotation> free = sel.stream().filter(a -> !a.locked()).toList();
        if (sel.isEmpty()) {
            return;
        }
        if (free.isEmpty()) {
            say(sel.size() == 1 ? "'" + sel.getFirst().label() + "' is locked" : "The selected annotations are locked");
            return;
        }
        if (apply(Edit.delete(free.size() == 1 ? "Delete " + free.getFirst().label() : "Delete " + free.size(), free))) {
            int kept = sel.size() - free.size();
            say(kept > 0 ? kept + " locked annotation(s) kept" : "Deleted " + free.size());
        }
    }

    public void undo() {
        AnnotationSet s = set();
        if (s != null && editable()) {
            String label = s.undoLabel();
            if (s.undo()) {
                say("Undid " + label);
            }
        }
    }

    public void redo() {
        AnnotationSet s = set();
        if (s != null && editable()) {
            String label = s.redoLabel();
            if (s.redo()) {
                say("Redid " + label);
            }
        }
    }

    /** Locks the selection, or unlocks it when all of it is locked. */
    public void toggleLock() {
        List<Annotation> sel = selection();
        if (sel.isEmpty()) {
            return;
        }
        boolean lock = !sel.stream().allMatch(Annotation::locked);
        List<Annotation> after = sel.stream().map(a -> a.withLocked(lock)).toList();
        apply(new Edit(lock ? "Lock" : "Unlock", sel, after, false));
    }

    /** Sets the class of the selection (null: unclassified). */
    public void classify(AnnotationClass c) {
        List<Annotation> sel = selection();
        if (!sel.isEmpty()) {
            apply(new Edit(c == null ? "Unclassify" : "Class " + c.name(), sel,
                    sel.stream().map(a -> a.withClassification(c)).toList(), false));
        }
    }

    public void rename(String name) {
        List<Annotation> sel = selection();
        if (sel.size() == 1) {
            apply(Edit.replace("Rename", sel.getFirst(), sel.getFirst().withName(name)));
        }
    }

    /** The classes to offer: QuPath's defaults, then any other class the slide's annotations use. */
    public List<AnnotationClass> classes() {
        List<AnnotationClass> out = new ArrayList<>(AnnotationClass.DEFAULTS);
        AnnotationSet s = set();
        if (s != null && s.size() <= 200_000) {
            Set<String> seen = new java.util.HashSet<>();
            out.forEach(c -> seen.add(c.name()));
            for (Annotation a : s.all()) {
                if (a.classification() != null && seen.add(a.classification().name())) {
                    out.add(a.classification());
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- import and export

    /**
     * Reads a GeoJSON file in the background and adds its annotations as one undoable edit
     * ({@code replace}: instead of all present, locked ones too). A bad file changes nothing.
     *
     * @return the number imported
     */
    public CompletableFuture<Integer> importFile(Path file, boolean replace) {
        Current c = current;
        if (c == null || !c.writable()) {
            say("Open a slide (with loaded annotations) before importing");
            return CompletableFuture.failedFuture(new IllegalStateException("no editable slide"));
        }
        CompletableFuture<Integer> result = new CompletableFuture<>();
        long size = sizeOf(file);
        say("Importing " + file.getFileName() + "…");
        io.execute(() -> {
            try {
                List<Annotation> read = GeoJsonReader.read(file, GeoJsonReader.Limits.DEFAULT, bytes -> Edt.run(() ->
                        say(String.format(Locale.ROOT, "Importing %s… %d%%", file.getFileName(),
                                size > 0 ? Math.min(100, 100 * bytes / size) : 0))));
                Edt.run(() -> {
                    if (current != c) {
                        say("Import of " + file.getFileName() + " dropped: the slide changed");
                        result.complete(0);
                        return;
                    }
                    List<Annotation> incoming = c.set().withFreshIds(read);
                    Edit e = new Edit("Import " + file.getFileName(), replace ? c.set().all() : List.of(), incoming, replace);
                    if (apply(e)) {
                        say("Imported " + incoming.size() + " from " + file.getFileName());
                        result.complete(incoming.size());
                    } else {
                        result.complete(0);
                    }
                });
            } catch (InterruptedIOException e) {
                Edt.run(() -> say("Import cancelled"));
                result.completeExceptionally(e);
            } catch (Exception e) {
                Edt.run(() -> {
                    say("Import failed: nothing was imported");
                    errors.accept("Cannot import " + file.getFileName(), e.getMessage());
                });
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Writes the slide's annotations (all, or the selection when {@code selectedOnly}) to a GeoJSON file. */
    public CompletableFuture<Integer> exportFile(Path file, boolean selectedOnly) {
        AnnotationSet s = set();
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no annotations"));
        }
        List<Annotation> what = selectedOnly ? selection() : s.all();
        CompletableFuture<Integer> result = new CompletableFuture<>();
        io.execute(() -> {
            try {
                Path abs = file.toAbsolutePath();
                Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
                try {
                    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                        GeoJsonWriter.write(out, what);
                    }
                    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                Edt.run(() -> say("Exported " + what.size() + " to " + file.getFileName()));
                result.complete(what.size());
            } catch (Exception e) {
                Edt.run(() -> errors.accept("Cannot export " + file.getFileName(), e.getMessage()));
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return -1;
        }
    }

    // ---------------------------------------------------------------- for the tools

    /** What the layer paints against now; null without a slide. */
    LayerContext context() {
        return pane.layerContext();
    }

    /** The text for the status bar: what is selected and its measurements. */
    public String selectionText() {
        SlideHandle h = pane.slide();
        List<Annotation> sel = selection();
        if (h == null || sel.isEmpty()) {
            return "";
        }
        return Measures.describe(sel, h.info().mpp());
    }

    private void fire() {
        for (Runnable l : listeners) {
            l.run();
        }
    }
}
