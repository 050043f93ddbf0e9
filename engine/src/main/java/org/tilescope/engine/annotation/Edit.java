package org.tilescope.engine.annotation;

import java.util.List;

/**
 * One undoable change to a slide's annotations: what was there before and what is there after,
 * matched by id. An id only in {@code before} is deleted, only in {@code after} is added, in both
 * is replaced. Undo swaps the two sides.
 *
 * @param label         what the user did, for the Undo menu ("Move", "Delete 3")
 * @param before        the old versions of what changes or goes
 * @param after         the new versions of what changes or comes
 * @param overrideLocks true for a change the user asked of locked objects too (import with replace)
 */
public record Edit(String label, List<Annotation> before, List<Annotation> after, boolean overrideLocks) {
    public Edit {
        before = List.copyOf(before);
        after = List.copyOf(after);
    }

    public static Edit add(String label, Annotation... added) {
        return new Edit(label, List.of(), List.of(added), false);
    }

    public static Edit replace(String label, Annotation before, Annotation after) {
        return new Edit(label, List.of(before), List.of(after), false);
    }

    public static Edit delete(String label, List<Annotation> removed) {
        return new Edit(label, removed, List.of(), false);
    }

    public Edit inverse() {
        return new Edit(label, after, before, overrideLocks);
    }

    public boolean isEmpty() {
        return before.isEmpty() && after.isEmpty();
    }
}
