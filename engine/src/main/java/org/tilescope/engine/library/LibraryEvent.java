package org.tilescope.engine.library;

import java.nio.file.Path;
import java.util.List;

/**
 * What the library tells its listeners. Events come from the library's own threads: a UI hops to
 * its event thread before touching components. Each event says "look again"; the library's
 * methods give the current state.
 */
public sealed interface LibraryEvent {

    /** Slides added, changed (metadata, tags, note, tokens) or removed; searches may differ now. */
    record SlidesChanged(List<Path> paths) implements LibraryEvent {
        public SlidesChanged {
            paths = List.copyOf(paths);
        }
    }

    /** The search index is being built anew: results may be incomplete until {@link IndexReloaded}. */
    record IndexReloading() implements LibraryEvent {
    }

    /** One invalidation after a full index (re)build: every search should run again. */
    record IndexReloaded() implements LibraryEvent {
    }

    /** A scan moved on. */
    record ScanProgress(LibraryScan.Status status) implements LibraryEvent {
    }

    @FunctionalInterface
    interface Listener {
        void onLibraryEvent(LibraryEvent event);
    }
}
