package org.tilescope.engine.library.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.IOUtils;

/**
 * The library's Lucene index: derived from the store, so it can always be rebuilt.
 *
 * <p>Updates come from one thread (the library's merger) and are searchable after the next
 * {@link #refresh}. Searches never wait for them: they run on the last refreshed reader. A full
 * rebuild is made off to the side in a new index and swapped in at once; updates meanwhile go to
 * both. On disk the live index is named in {@code index.current}; when another process holds
 * the index (the app open while the command line runs) this one works in memory.
 */
public final class SearchIndex implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SearchIndex.class.getName());
    /**
     * Lucene logs a warning on every start when the incubating Vector API is not enabled; the
     * library's index is small enough not to need it, so the line is only noise on the command
     * line. Held here: java.util.logging keeps loggers weakly, and a collected one forgets its level.
     */
    private static final java.util.logging.Logger LUCENE_VECTOR_LOG = quiet("org.apache.lucene.internal.vectorization");

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
        l.setLevel(java.util.logging.Level.SEVERE);
        return l;
    }
    /** Bumped when the document layout or the analysis changes: an index of another format is rebuilt. */
    static final String FORMAT = "1";
    static final String FORMAT_KEY = "tilescope.index.format";
    static final String POINTER = "index.current";

    private final Path folder;
    private final Analyzer analyzer = new LibraryAnalyzer();
    private volatile Generation current;
    /** Being built off to the side, or null; touched by the merger thread only. */
    private Generation building;
    private final boolean fresh;
    /** Held while this process owns the on-disk index; null in memory. */
    private final java.nio.channels.FileChannel ownerLock;

    /** One index: its directory, writer and searcher manager. */
    private record Generation(Path dir, Directory directory, IndexWriter writer, SearcherManager searchers) {
        void close() throws IOException {
            IOUtils.close(searchers, writer, directory);
        }
    }

    /** One hit. */
    public record Hit(IndexedDoc doc, float score, String snippet, int matchStart, int matchEnd) {
    }

    /** Hits, best first; fuzzy when the words did not match as typed and near-misses were searched. */
    public record Found(List<Hit> hits, long total, boolean fuzzy) {
    }

    private SearchIndex(Path folder, Generation g, boolean fresh, java.nio.channels.FileChannel ownerLock) {
        this.folder = folder;
        this.current = g;
        this.fresh = fresh;
        this.ownerLock = ownerLock;
    }

    /**
     * Opens the index in {@code folder} (created when missing), or in memory when {@code folder}
     * is null or another process holds it. {@link #isFresh} tells whether it starts empty.
     */
    public static SearchIndex open(Path folder) throws IOException {
        if (folder == null) {
            return new SearchIndex(null, memory(), true, null);
        }
        Files.createDirectories(folder);
        java.nio.channels.FileChannel lock = java.nio.channels.FileChannel.open(folder.resolve("index.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        boolean owned = false;
        try {
            owned = lock.tryLock() != null;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            owned = false; // another library in this JVM has it
        }
        if (!owned) {
            lock.close();
            LOG.log(Level.INFO, folder + ": search index in use by another Tilescope; searching in memory");
            return new SearchIndex(null, memory(), true, null);
        }
        try {
            return openOwned(folder, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static SearchIndex openOwned(Path folder, java.nio.channels.FileChannel lock) throws IOException {
        Path dir = readPointer(folder);
        if (dir != null) {
            try {
                Generation g = onDisk(dir);
                String format = g.writer.getLiveCommitData() == null ? null : commitData(g.writer).get(FORMAT_KEY);
                if (FORMAT.equals(format)) {
                    return new SearchIndex(folder, g, false, lock);
                }
                g.close();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, dir + ": search index unreadable, rebuilding it (" + e.getMessage() + ")");
            }
        }
        Path fresh = newIndexDir(folder);
        Generation g = onDisk(fresh);
        writePointer(folder, fresh);
        deleteOthers(folder, fresh);
        return new SearchIndex(folder, g, true, lock);
    }

    /** Whether the index started empty (new, rebuilt, or in memory): it needs every slide. */
    public boolean isFresh() {
        return fresh;
    }

    public boolean inMemory() {
        return current.dir == null;
    }

    public Analyzer analyzer() {
        return analyzer;
    }

    private static Map<String, String> commitData(IndexWriter w) {
        Map<String, String> m = new HashMap<>();
        Iterable<Map.Entry<String, String>> data = w.getLiveCommitData();
        if (data != null) {
            data.forEach(e -> m.put(e.getKey(), e.getValue()));
        }
        return m;
    }

    private static Generation memory() throws IOException {
        return generation(null, new ByteBuffersDirectory());
    }

    private static Generation onDisk(Path dir) throws IOException {
        return generation(dir, FSDirectory.open(dir));
    }

    private static Generation generation(Path dir, Directory d) throws IOException {
        IndexWriterConfig cfg = new IndexWriterConfig(new LibraryAnalyzer());
        cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        cfg.setCommitOnClose(true);
        cfg.setRAMBufferSizeMB(32);
        IndexWriter w;
        try {
            w = new IndexWriter(d, cfg);
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
        if (w.getLiveCommitData() == null || !commitData(w).containsKey(FORMAT_KEY)) {
            if (w.getDocStats().maxDoc == 0) {
                w.setLiveCommitData(Map.of(FORMAT_KEY, FORMAT).entrySet());
            }
        }
        return new Generation(dir, d, w, new SearcherManager(w, true, false, null));
    }

    /**
     * Indexes, refreshes and searches a throwaway document in memory, so that the first real
     * refresh of a scan does not pay for loading and compiling Lucene's indexing code (a few
     * hundred milliseconds on a cold JVM: the difference between results at once and results late).
     */
    public static void warmUp() {
        try (SearchIndex w = new SearchIndex(null, memory(), true, null)) {
            w.put(new IndexedDoc("/warm/S24-0001_warm_HE.dzi", "S24-0001_warm_HE", "deepzoom", List.of("warm"),
                    "Format: deepzoom", "Warm-up note: stéatose, inflammation", "Tumor", 1, 1));
            w.refresh();
            w.search("steatose S24-0001", List.of(), List.of(), 10, true);
            w.search("steatsis", List.of("warm"), List.of(), 10, false);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "search warm-up failed: " + e);
        }
    }

    /** Path to stamp of every document in the live index: what the store is compared against. */
    public Map<String, Long> stamps() throws IOException {
        Map<String, Long> out = new HashMap<>();
        SearcherManager sm = current.searchers;
        sm.maybeRefreshBlocking();
        IndexSearcher s = sm.acquire();
        try {
            for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
                LeafReader r = ctx.reader();
                Bits live = r.getLiveDocs();
                StoredFields fields = r.storedFields();
                for (int i = 0; i < r.maxDoc(); i++) {
                    if (live == null || live.get(i)) {
                        Document d = fields.document(i, java.util.Set.of(IndexedDoc.PATH, IndexedDoc.STAMP));
                        var stamp = d.getField(IndexedDoc.STAMP);
                        out.put(d.get(IndexedDoc.PATH), stamp == null ? 0L : stamp.numericValue().longValue());
                    }
                }
            }
        } finally {
            sm.release(s);
        }
        return out;
    }

    /** The stored document of a slide, as last refreshed. */
    public Optional<IndexedDoc> stored(String path) throws IOException {
        SearcherManager sm = current.searchers;
        IndexSearcher s = sm.acquire();
        try {
            TopDocs td = s.search(new TermQuery(new Term(IndexedDoc.PATH, path)), 1);
            if (td.scoreDocs.length == 0) {
                return Optional.empty();
            }
            return Optional.of(IndexedDoc.fromDocument(s.storedFields().document(td.scoreDocs[0].doc)));
        } finally {
            sm.release(s);
        }
    }

    /** Adds or replaces a slide's document (merger thread). */
    public void put(IndexedDoc doc) throws IOException {
        Document d = doc.toDocument();
        Term id = new Term(IndexedDoc.PATH, doc.path());
        current.writer.updateDocument(id, d);
        if (building != null) {
            building.writer.updateDocument(id, d);
        }
    }

    /** Removes a slide's document (merger thread). */
    public void delete(String path) throws IOException {
        Term id = new Term(IndexedDoc.PATH, path);
        current.writer.deleteDocuments(id);
        if (building != null) {
            building.writer.deleteDocuments(id);
        }
    }

    /** Makes the updates so far searchable. */
    public void refresh() throws IOException {
        current.searchers.maybeRefresh();
    }

    /** Makes the updates so far durable (on disk; nothing in memory). */
    public void commit() throws IOException {
        Generation g = current;
        if (g.dir != null && g.writer.hasUncommittedChanges()) {
            g.writer.setLiveCommitData(Map.of(FORMAT_KEY, FORMAT).entrySet());
            g.writer.commit();
        }
    }

    /** Starts a rebuild off to the side (merger thread): documents put from now on go to both. */
    public void beginRebuild() throws IOException {
        if (building != null) {
            return;
        }
        building = folder == null || current.dir == null ? memory() : onDisk(newIndexDir(folder));
    }

    public boolean rebuilding() {
        return building != null;
    }

    /** Puts a document into the rebuild only (merger thread). */
    public void putRebuilt(IndexedDoc doc) throws IOException {
        if (building == null) {
            put(doc);
            return;
        }
        building.writer.updateDocument(new Term(IndexedDoc.PATH, doc.path()), doc.toDocument());
    }

    /**
     * Swaps the rebuilt index in (merger thread). Searches that already hold the old reader
     * finish on it; the next ones see the new index.
     */
    public void finishRebuild() throws IOException {
        Generation b = building;
        if (b == null) {
            return;
        }
        b.writer.setLiveCommitData(Map.of(FORMAT_KEY, FORMAT).entrySet());
        b.writer.commit();
        b.searchers.maybeRefreshBlocking();
        Generation old = current;
        current = b;
        building = null;
        if (b.dir != null) {
            writePointer(folder, b.dir);
        }
        old.writer.rollback();
        IOUtils.close(old.searchers, old.directory);
        if (old.dir != null) {
            deleteTree(old.dir);
        }
    }

    /**
     * Searches the live index.
     *
     * @param text    the typed query, filters taken out ({@link QueryText})
     * @param tags    tag filters, lower case: all must be present
     * @param formats format filters, lower case: any may match
     * @param live    the last word is a prefix (search as you type)
     */
    public Found search(String text, List<String> tags, List<String> formats, int limit, boolean live) throws IOException {
        QueryText q = new QueryText(text, tags, formats);
        Query words = q.hasText() ? QueryText.parse(live ? q.live() : q.text(), analyzer) : null;
        Found found = run(words, q, limit, false);
        if (found.total == 0 && q.hasText() && !wordsMatchUnfiltered(words, q)) {
            Query fuzzy = QueryText.parse(q.fuzzy(), analyzer);
            if (fuzzy != null) {
                found = run(fuzzy, q, limit, true);
            }
        }
        return found;
    }

    /** When only the filters excluded every match, near misses of the words would not help. */
    private boolean wordsMatchUnfiltered(Query words, QueryText q) throws IOException {
        if (words == null || (q.tags().isEmpty() && q.formats().isEmpty())) {
            return false;
        }
        SearcherManager sm = current.searchers;
        IndexSearcher s = sm.acquire();
        try {
            return s.count(words) > 0;
        } finally {
            sm.release(s);
        }
    }

    private Found run(Query words, QueryText q, int limit, boolean fuzzy) throws IOException {
        if (words == null && q.hasText()) {
            return new Found(List.of(), 0, fuzzy); // only stop characters or operators were typed
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        b.add(words == null ? new MatchAllDocsQuery() : words, BooleanClause.Occur.MUST);
        for (String t : q.tags()) {
            b.add(new TermQuery(new Term(IndexedDoc.TAG, t)), BooleanClause.Occur.FILTER);
        }
        if (!q.formats().isEmpty()) {
            BooleanQuery.Builder any = new BooleanQuery.Builder();
            for (String f : q.formats()) {
                any.add(new TermQuery(new Term(IndexedDoc.FORMAT, f)), BooleanClause.Occur.SHOULD);
            }
            b.add(any.build(), BooleanClause.Occur.FILTER);
        }
        Query query = b.build();
        SearcherManager sm = current.searchers;
        IndexSearcher s = sm.acquire();
        try {
            TopDocs td = s.search(query, Math.max(1, limit));
            StoredFields stored = s.storedFields();
            List<Hit> hits = new ArrayList<>(td.scoreDocs.length);
            Snippets.Matcher note = words == null ? null : Snippets.matcher(words, IndexedDoc.NOTE);
            Snippets.Matcher annotations = words == null ? null : Snippets.matcher(words, IndexedDoc.ANNOTATIONS);
            Snippets.Matcher meta = words == null ? null : Snippets.matcher(words, IndexedDoc.META);
            for (ScoreDoc sd : td.scoreDocs) {
                IndexedDoc doc = IndexedDoc.fromDocument(stored.document(sd.doc));
                Snippets.Snippet snippet = null;
                if (words != null) {
                    snippet = Snippets.around(doc.note(), IndexedDoc.NOTE, note, analyzer);
                    if (snippet == null) {
                        snippet = Snippets.around(doc.annotations(), IndexedDoc.ANNOTATIONS, annotations, analyzer);
                    }
                    if (snippet == null) {
                        snippet = Snippets.around(doc.meta(), IndexedDoc.META, meta, analyzer);
                    }
                }
                if (snippet == null) {
                    snippet = Snippets.start(doc.note());
                }
                hits.add(new Hit(doc, sd.score, snippet.text(), snippet.matchStart(), snippet.matchEnd()));
            }
            return new Found(hits, td.totalHits.value(), fuzzy);
        } finally {
            sm.release(s);
        }
    }

    /** Documents in the live index, as last refreshed. */
    public int size() throws IOException {
        IndexSearcher s = current.searchers.acquire();
        try {
            return s.getIndexReader().numDocs();
        } finally {
            current.searchers.release(s);
        }
    }

    @Override
    public void close() throws IOException {
        Generation b = building;
        building = null;
        if (b != null) {
            b.writer.rollback();
            IOUtils.close(b.searchers, b.directory);
            if (b.dir != null) {
                deleteTree(b.dir);
            }
        }
        Generation g = current;
        if (g.dir != null) {
            commit();
        }
        try {
            g.close();
        } finally {
            if (ownerLock != null) {
                ownerLock.close();
            }
        }
    }

    private static Path newIndexDir(Path folder) throws IOException {
        for (int i = 0; ; i++) {
            Path p = folder.resolve("index-" + System.currentTimeMillis() + (i == 0 ? "" : "-" + i));
            if (!Files.exists(p)) {
                return Files.createDirectories(p);
            }
        }
    }

    private static Path readPointer(Path folder) {
        try {
            String name = Files.readString(folder.resolve(POINTER), StandardCharsets.UTF_8).strip();
            Path dir = folder.resolve(name);
            return !name.isEmpty() && !name.contains("/") && Files.isDirectory(dir) ? dir : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void writePointer(Path folder, Path dir) throws IOException {
        Path tmp = folder.resolve(POINTER + ".tmp");
        Files.writeString(tmp, dir.getFileName().toString(), StandardCharsets.UTF_8);
        try {
            Files.move(tmp, folder.resolve(POINTER), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, folder.resolve(POINTER), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Leftovers of earlier indexes (a rebuild cut short by a crash). */
    private static void deleteOthers(Path folder, Path keep) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(folder, "index-*")) {
            for (Path p : s) {
                if (!p.equals(keep) && Files.isDirectory(p)) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "could not clean " + folder + ": " + e.getMessage());
        }
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.DEBUG, "could not delete " + dir + ": " + e.getMessage());
        }
    }
}
