package org.tilescope.engine.library;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import org.tilescope.engine.jobs.JobHandle;
import org.tilescope.engine.jobs.JobManager;
import org.tilescope.engine.metrics.Metrics;

/**
 * A slide library: root folders scanned for slides and their sidecar notes, searchable, with
 * tags, typed notes, duplicates, thumbnails and LLM context. Everything is kept in the data
 * folder ({@link LibraryFolders}) in a crash-safe store that two processes can share.
 *
 * <p>Thread-safe. No method blocks on a scan or on tokenization; reads (slides, search, tags)
 * return at once from what is known now, and change as the scan goes on (listen with
 * {@link #addListener}). Edits return a future that completes once they are on disk.
 *
 * <p>Internals live in {@code library.store} (the two-slot store), {@code library.scan} (walking,
 * checksums, opening), {@code library.text} (notes, token counts, the tokenize pool),
 * {@code library.search} (Lucene) and {@code library.files} (thumbnails, trash); only this
 * package is API.
 */
public interface Library extends AutoCloseable {

    /** Opens the library in these folders (created when missing). */
    static Library open(LibraryFolders folders) throws IOException {
        return LocalLibrary.open(folders);
    }

    LibraryFolders folders();

    /** The root folders, in the order they were added. */
    List<Path> roots();

    /** Forgets a root and its slides (user data is kept, in case the folder comes back). */
    CompletableFuture<Void> removeRoot(Path root);

    /**
     * Adds these roots (when new) and scans them; with none, scans every root. A scan started
     * while one runs waits for it. Slides show up in {@link #slides} and in searches as they are
     * found; the report completes when they are tokenized and stored.
     *
     * @param jobs where the scan and its tokenization appear as jobs (progress, ETA, cancel); may be null
     */
    LibraryScan scan(List<Path> roots, JobManager jobs);

    /** Every slide, sorted by path. */
    List<LibrarySlide> slides();

    Optional<LibrarySlide> slide(Path path);

    /** Slides under the roots that did not open, with their reasons. */
    List<ScanReport.Failure> failures();

    /** Searches the index as it is now; never waits for a scan or a reload. */
    SearchResult search(SearchQuery query);

    /** Completes when every found or edited slide is tokenized and searchable. */
    CompletableFuture<Void> awaitIndexed();

    /** Whether the search index is being built (first start, or {@link #reloadIndex}). */
    boolean indexReloading();

    /**
     * Rebuilds the search index off to the side from the store and swaps it in; listeners hear
     * one {@link LibraryEvent.IndexReloaded}. A second call while one runs joins it.
     */
    CompletableFuture<Void> reloadIndex();

    /**
     * Adds and removes tags (trimmed, lower-cased; no spaces). Searchable at once; the future
     * completes when the change is on disk.
     *
     * @throws IllegalArgumentException for an empty tag or one with spaces, quotes or commas
     */
    CompletableFuture<Void> editTags(Path slide, Collection<String> add, Collection<String> remove);

    /** Sets the typed note ("" removes it). Sidecar files are never modified. Completes when on disk. */
    CompletableFuture<Void> setNote(Path slide, String note);

    /** Tag to number of slides that have it, by tag. */
    SortedMap<String, Integer> tagCounts();

    /** Groups of slides with the same content fingerprint, most wasted bytes first. */
    List<DuplicateGroup> duplicates();

    /**
     * Moves every copy but the first of each group to the desktop's trash (never deletes) and
     * removes them from the library.
     */
    TrashReport moveExtraCopiesToTrash(List<DuplicateGroup> groups);

    /**
     * The slide's thumbnail, a JPEG in the cache folder ({@code thumbnails/ab/cd/<fingerprint>.jpg}),
     * made in the background when missing. Empty when the slide has no fingerprint or cannot be read.
     */
    CompletableFuture<Optional<Path>> thumbnail(Path slide);

    /** Makes the missing thumbnails of every slide, as a job. */
    JobHandle makeThumbnails(JobManager jobs);

    /**
     * The slide as Markdown for an LLM, with its exact token count. A slide not in the library
     * is read directly.
     */
    CaseContext context(Path slide) throws IOException;

    /** These slides are tokenized before the others (the user selected them). */
    void tokenizeFirst(Collection<Path> slides);

    /** Load of the tokenize pool now, for the metrics view. */
    Metrics.PoolLoad tokenizeLoad();

    void addListener(LibraryEvent.Listener listener);

    void removeListener(LibraryEvent.Listener listener);

    /** Stops background work and writes everything to disk. */
    @Override
    void close() throws IOException;
}
