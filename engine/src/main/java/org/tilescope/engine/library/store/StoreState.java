package org.tilescope.engine.library.store;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The library as one value in memory: roots, slides, failures and user data, keyed by the
 * slide's absolute path. Mutable, and only ever touched under the {@link LibraryStore}'s lock;
 * readers get it through {@link LibraryStore#read}.
 */
public final class StoreState {
    final SequencedSet<String> roots = new LinkedHashSet<>();
    final TreeMap<String, StoredSlide> slides = new TreeMap<>();
    final TreeMap<String, String> failures = new TreeMap<>();
    final TreeMap<String, UserData> user = new TreeMap<>();

    public List<String> roots() {
        return List.copyOf(roots);
    }

    /** Read-only view; valid only while the caller holds the store's lock (inside {@code read}). */
    public Map<String, StoredSlide> slides() {
        return java.util.Collections.unmodifiableMap(slides);
    }

    public Map<String, String> failures() {
        return java.util.Collections.unmodifiableMap(failures);
    }

    public Map<String, UserData> user() {
        return java.util.Collections.unmodifiableMap(user);
    }

    public StoredSlide slide(String path) {
        return slides.get(path);
    }

    public UserData userData(String path) {
        return user.getOrDefault(path, UserData.EMPTY);
    }

    StoreState copy() {
        StoreState c = new StoreState();
        c.roots.addAll(roots);
        c.slides.putAll(slides);
        c.failures.putAll(failures);
        c.user.putAll(user);
        return c;
    }

    /** The paths whose slide, failure or user data differ between two states. */
    static Set<String> changedPaths(StoreState a, StoreState b) {
        Set<String> changed = new TreeSet<>();
        diff(a.slides, b.slides, changed);
        diff(a.failures, b.failures, changed);
        diff(a.user, b.user, changed);
        return changed;
    }

    private static <V> void diff(Map<String, V> a, Map<String, V> b, Set<String> out) {
        for (Map.Entry<String, V> e : a.entrySet()) {
            if (!Objects.equals(e.getValue(), b.get(e.getKey()))) {
                out.add(e.getKey());
            }
        }
        for (String k : b.keySet()) {
            if (!a.containsKey(k)) {
                out.add(k);
            }
        }
    }

    /** The JSON shape of a slot's payload. */
    record FileFormat(int format, List<String> roots, Map<String, StoredSlide> slides, Map<String, String> failures,
                      Map<String, UserData> user) {
    }

    FileFormat toFile() {
        return new FileFormat(LibraryStore.FORMAT, new ArrayList<>(roots), slides, failures, user);
    }

    static StoreState fromFile(FileFormat f) {
        StoreState s = new StoreState();
        if (f.roots() != null) {
            s.roots.addAll(f.roots());
        }
        if (f.slides() != null) {
            f.slides().forEach((k, v) -> {
                if (k != null && v != null) {
                    s.slides.put(k, v);
                }
            });
        }
        if (f.failures() != null) {
            f.failures().forEach((k, v) -> {
                if (k != null && v != null) {
                    s.failures.put(k, v);
                }
            });
        }
        if (f.user() != null) {
            f.user().forEach((k, v) -> {
                if (k != null && v != null && !v.isEmpty()) {
                    s.user.put(k, v);
                }
            });
        }
        return s;
    }
}
