package org.tilescope.engine.library.store;

import java.util.List;
import java.util.TreeSet;

/**
 * One change to the library. Changes are applied to the state at once and kept until a write
 * that includes them is durable; when another process wrote in between, they are replayed onto
 * its newer state, so neither process loses the other's work. Each change therefore says what
 * to do, not what the result was: "add tag x" replays correctly onto any state.
 */
public sealed interface Change {

    /** The slide path the change is about, or null for roots. */
    String path();

    void applyTo(StoreState s);

    /** Counts toward "persist after every 1,000 changed slides". */
    default boolean isSlideChange() {
        return false;
    }

    record PutSlide(String path, StoredSlide slide) implements Change {
        @Override
        public void applyTo(StoreState s) {
            s.slides.put(path, slide);
            s.failures.remove(path);
        }

        @Override
        public boolean isSlideChange() {
            return true;
        }
    }

    record RemoveSlide(String path) implements Change {
        @Override
        public void applyTo(StoreState s) {
            s.slides.remove(path);
            s.failures.remove(path);
        }

        @Override
        public boolean isSlideChange() {
            return true;
        }
    }

    record PutFailure(String path, String reason) implements Change {
        @Override
        public void applyTo(StoreState s) {
            s.slides.remove(path);
            s.failures.put(path, reason);
        }

        @Override
        public boolean isSlideChange() {
            return true;
        }
    }

    record AddRoot(String path) implements Change {
        @Override
        public void applyTo(StoreState s) {
            s.roots.add(path);
        }
    }

    record RemoveRoot(String path) implements Change {
        @Override
        public void applyTo(StoreState s) {
            s.roots.remove(path);
        }
    }

    /** Adds and removes tags; tags are lower-cased and trimmed by the caller. */
    record EditTags(String path, List<String> add, List<String> remove) implements Change {
        public EditTags {
            add = List.copyOf(add);
            remove = List.copyOf(remove);
        }

        @Override
        public void applyTo(StoreState s) {
            UserData u = s.userData(path);
            TreeSet<String> tags = new TreeSet<>(u.tags());
            tags.addAll(add);
            tags.removeAll(remove);
            put(s, path, new UserData(List.copyOf(tags), u.note()));
        }
    }

    /** Sets the typed note; the last writer wins, as for any text field. */
    record SetNote(String path, String note) implements Change {
        @Override
        public void applyTo(StoreState s) {
            UserData u = s.userData(path);
            put(s, path, new UserData(u.tags(), note));
        }
    }

    private static void put(StoreState s, String path, UserData u) {
        if (u.isEmpty()) {
            s.user.remove(path);
        } else {
            s.user.put(path, u);
        }
    }
}
