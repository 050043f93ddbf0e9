package org.tilescope.engine.annotation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Point;

/**
 * One slide's annotations: in paint order, indexed by rectangle (STRtree), changed only through
 * {@link Edit}s, the last {@link #DEFAULT_UNDO_DEPTH} of which can be undone and redone. Thread
 * safe: the viewer edits and paints on the event thread while exports and saving read elsewhere.
 */
public final class AnnotationSet {
    public static final int DEFAULT_UNDO_DEPTH = 100;

    private final Map<String, Annotation> items = new LinkedHashMap<>();
    private final AnnotationIndex index = new AnnotationIndex();
    private final Deque<Edit> undo = new ArrayDeque<>();
    private final Deque<Edit> redo = new ArrayDeque<>();
    private final int undoDepth;
    private final List<Consumer<AnnotationSet>> listeners = new CopyOnWriteArrayList<>();
    private long version;

    public AnnotationSet() {
        this(DEFAULT_UNDO_DEPTH);
    }

    public AnnotationSet(int undoDepth) {
        this.undoDepth = Math.max(0, undoDepth);
        index.rebuild(List.of());
    }

    public AnnotationSet(Collection<Annotation> initial) {
        this();
        load(initial);
    }

    /** Heard after every change (edit, undo, redo, load), on the thread that made it. */
    public void addListener(Consumer<AnnotationSet> l) {
        listeners.add(l);
    }

    public void removeListener(Consumer<AnnotationSet> l) {
        listeners.remove(l);
    }

    // ---------------------------------------------------------------- reading

    public synchronized int size() {
        return items.size();
    }

    public synchronized boolean isEmpty() {
        return items.isEmpty();
    }

    /** Every annotation in paint order (a copy). */
    public synchronized List<Annotation> all() {
        return List.copyOf(items.values());
    }

    public synchronized Annotation get(String id) {
        return items.get(id);
    }

    /** Goes up by one with every change: painters and savers compare it to know what is new. */
    public synchronized long version() {
        return version;
    }

    /** The annotations whose bounding box meets the rectangle (level-0 pixels). */
    public synchronized List<Annotation> query(Envelope env) {
        return index.query(env);
    }

    /**
     * The annotation at a point, or null: one whose geometry is within {@code tolerance} of it
     * (JTS distance, so a click inside a hole misses). Points and lines win over areas, since
     * they cannot be clicked inside; among areas the smallest wins, so a region drawn inside
     * another can be picked; among equals the one painted last (on top).
     */
    public synchronized Annotation hit(double x, double y, double tolerance) {
        double tol = Math.max(0, tolerance);
        Point p = Geometries.point(x, y);
        Annotation best = null;
        double bestRank = Double.POSITIVE_INFINITY;
        for (Annotation a : index.query(new Envelope(x - tol, x + tol, y - tol, y + tol))) {
            if (!a.geometry().isWithinDistance(p, tol)) {
                continue;
            }
            // areas rank by size after every point or line, which rank by distance (< tol + 1)
            double rank = a.isArea() ? tol + 1 + a.area() : a.geometry().distance(p);
            if (rank <= bestRank) {
                best = a;
                bestRank = rank;
            }
        }
        return best;
    }

    // ---------------------------------------------------------------- changing

    /** Replaces everything with {@code initial} (as read from storage): no undo across it. */
    public void load(Collection<Annotation> initial) {
        synchronized (this) {
            Map<String, Annotation> next = new LinkedHashMap<>();
            for (Annotation a : initial) {
                if (next.put(a.id(), a) != null) {
                    throw new IllegalArgumentException("two annotations have the id " + a.id());
                }
            }
            items.clear();
            items.putAll(next);
            index.rebuild(items.values());
            undo.clear();
            redo.clear();
            version++;
        }
        fire();
    }

    /**
     * Applies an edit and remembers it for undo.
     *
     * @throws IllegalStateException when it moves, reshapes or deletes a locked annotation (unless
     *                               it overrides locks), or does not match what is in the set
     */
    public void apply(Edit e) {
        if (e.isEmpty()) {
            return;
        }
        synchronized (this) {
            check(e);
            change(e);
            undo.push(e);
            while (undo.size() > undoDepth) {
                undo.removeLast();
            }
            redo.clear();
        }
        fire();
    }

    /** Undoes the last edit; false when there is none. */
    public boolean undo() {
        synchronized (this) {
            Edit e = undo.poll();
            if (e == null) {
                return false;
            }
            // history restores what was, locked or not
            change(new Edit(e.label(), e.after(), e.before(), true));
            redo.push(e);
        }
        fire();
        return true;
    }

    /** Redoes the last undone edit; false when there is none. */
    public boolean redo() {
        synchronized (this) {
            Edit e = redo.poll();
            if (e == null) {
                return false;
            }
            change(new Edit(e.label(), e.before(), e.after(), true));
            undo.push(e);
        }
        fire();
        return true;
    }

    /** What Undo would undo, or null. */
    public synchronized String undoLabel() {
        Edit e = undo.peek();
        return e == null ? null : e.label();
    }

    /** What Redo would redo, or null. */
    public synchronized String redoLabel() {
        Edit e = redo.peek();
        return e == null ? null : e.label();
    }

    /**
     * Copies of {@code incoming} ready to add: ids already in the set (or repeated) get a new
     * UUID, so importing the same file twice gives two copies rather than a clash.
     */
    public synchronized List<Annotation> withFreshIds(List<Annotation> incoming) {
        Set<String> taken = new HashSet<>(items.keySet());
        List<Annotation> out = new ArrayList<>(incoming.size());
        for (Annotation a : incoming) {
            if (taken.add(a.id())) {
                out.add(a);
            } else {
                String id = UUID.randomUUID().toString();
                taken.add(id);
                out.add(new Annotation(id, a.geometry(), a.shape(), a.objectType(), a.name(), a.classification(),
                        a.locked(), a.measurements(), a.foreign()));
            }
        }
        return out;
    }

    private void check(Edit e) {
        Map<String, Annotation> afterById = new HashMap<>();
        for (Annotation a : e.after()) {
            if (afterById.put(a.id(), a) != null) {
                throw new IllegalArgumentException(e.label() + ": the id " + a.id() + " comes twice");
            }
        }
        Set<String> beforeIds = new HashSet<>();
        for (Annotation b : e.before()) {
            beforeIds.add(b.id());
            Annotation cur = items.get(b.id());
            if (cur == null || (cur != b && !cur.equals(b))) {
                throw new IllegalStateException(e.label() + ": '" + b.label() + "' changed or went meanwhile");
            }
            if (cur.locked() && !e.overrideLocks()) {
                Annotation next = afterById.get(b.id());
                if (next == null || !next.geometry().equalsExact(cur.geometry())) {
                    throw new IllegalStateException(e.label() + ": '" + cur.label() + "' is locked");
                }
            }
        }
        for (Annotation a : e.after()) {
            if (!beforeIds.contains(a.id()) && items.containsKey(a.id())) {
                throw new IllegalArgumentException(e.label() + ": the id " + a.id() + " is already used");
            }
        }
    }

    private void change(Edit e) {
        Set<String> staying = new HashSet<>();
        for (Annotation a : e.after()) {
            staying.add(a.id());
        }
        for (Annotation b : e.before()) {
            if (!staying.contains(b.id())) {
                items.remove(b.id());
                index.remove(b.id());
            }
        }
        for (Annotation a : e.after()) {
            items.put(a.id(), a); // a replacement keeps its place in paint order
            index.put(a);
        }
        if (index.wantsRebuild()) {
            index.rebuild(items.values());
        }
        version++;
    }

    private void fire() {
        for (Consumer<AnnotationSet> l : listeners) {
            l.accept(this);
        }
    }
}
