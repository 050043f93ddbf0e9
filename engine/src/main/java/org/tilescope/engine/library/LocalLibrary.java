package org.tilescope.engine.library;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;
import org.tilescope.engine.jobs.Job;
import org.tilescope.engine.jobs.JobContext;
import org.tilescope.engine.jobs.JobHandle;
import org.tilescope.engine.jobs.JobManager;
import org.tilescope.engine.library.files.ThumbnailCache;
import org.tilescope.engine.library.files.Trash;
import org.tilescope.engine.library.scan.FolderWalker;
import org.tilescope.engine.library.scan.SlideExaminer;
import org.tilescope.engine.library.search.IndexedDoc;
import org.tilescope.engine.library.search.SearchIndex;
import org.tilescope.engine.library.store.Change;
import org.tilescope.engine.library.store.LibraryStore;
import org.tilescope.engine.library.store.StoreState;
import org.tilescope.engine.library.store.StoredSlide;
import org.tilescope.engine.library.store.UserData;
import org.tilescope.engine.library.text.BatchPool;
import org.tilescope.engine.library.text.CaseMarkdown;
import org.tilescope.engine.library.text.SlideText;
import org.tilescope.engine.library.text.TokenCounter;
import org.tilescope.engine.metrics.Metrics;
import org.tilescope.engine.metrics.PoolRegistry;
import org.tilescope.engine.slide.ContentFingerprint;

/**
 * The library's machinery. Threads and who owns what:
 * <ul>
 *   <li>scan: virtual threads walk and examine, and hand their outcomes to the merger;</li>
 *   <li>tokenize pool ({@link BatchPool}, platform threads): reads notes and counts tokens,
 *       returns results, mutates nothing;</li>
 *   <li>merger (one platform thread): the only writer of the search index; applies scan outcomes
 *       and tokenize results to the store and the index, refreshes the index once per batch and
 *       tells listeners once;</li>
 *   <li>persister (one thread): writes the store (every 1,000 changed slides, soon after an
 *       edit, at the end of a scan, on close) and syncs with other processes' writes.</li>
 * </ul>
 */
final class LocalLibrary implements Library {
    private static final System.Logger LOG = System.getLogger(LocalLibrary.class.getName());
    static final int BATCH = 64;
    static final int PERSIST_EVERY_SLIDES = 1000;
    /** An edit is on disk within this (the issue asks for a second). */
    static final long EDIT_PERSIST_DELAY_MS = 100;
    static final long SYNC_INTERVAL_MS = 2000;
    private static final XXHash64 HASH = XXHashFactory.safeInstance().hash64();

    final LibraryFolders folders;
    final LibraryStore store;
    final SearchIndex index;
    final BatchPool<Tokenized> tokenizer;
    private final PoolRegistry.Registration tokenizeRegistration;
    private final LinkedBlockingQueue<MergeTask> mergeQueue = new LinkedBlockingQueue<>();
    private final Thread merger;
    private final ScheduledExecutorService persister;
    private final ExecutorService thumbnailPool;
    private final ThumbnailCache thumbnails;
    private final Trash trash;
    private final List<LibraryEvent.Listener> listeners = new CopyOnWriteArrayList<>();

    /** Paths sent to the tokenizer and not yet merged. */
    private final Set<String> outstanding = ConcurrentHashMap.newKeySet();
    /** Scans waiting for a path's tokenization. */
    private final Map<String, Set<ScanRun>> tickets = new ConcurrentHashMap<>();
    private final List<CompletableFuture<Void>> indexedWaiters = new ArrayList<>();
    /** Documents put in the current merge cycle, not yet visible to {@link SearchIndex#stored}. */
    private final Map<String, IndexedDoc> putThisCycle = new HashMap<>();
    // reload, owned by the merger thread
    private Set<String> reloadPending;
    private CompletableFuture<Void> reloadFuture;
    private volatile boolean reloading;

    private final AtomicInteger slideChangesSincePersist = new AtomicInteger();
    private final TreeMap<Long, List<CompletableFuture<Void>>> durableWaiters = new TreeMap<>();
    /** A write is scheduled and has not started: guarded by this. */
    private boolean persistScheduled;
    private final Set<ScanRun> activeRuns = ConcurrentHashMap.newKeySet();
    private ScanRun lastScan;
    private volatile boolean closed;

    private LocalLibrary(LibraryFolders folders, LibraryStore store, SearchIndex index) {
        this.folders = folders;
        this.store = store;
        this.index = index;
        this.thumbnails = new ThumbnailCache(folders.thumbnails());
        this.trash = new Trash(folders.trashOverride());
        this.tokenizer = new BatchPool<>("tokenize", BatchPool.defaultThreads(), BATCH, this::tokenize,
                results -> mergeQueue.add(new MergeTask(null, c -> mergeTokenized(results, c))));
        // the Memory and Workers view shows the tokenize pool's real load while the library is open
        this.tokenizeRegistration = PoolRegistry.shared().register("tokenize",
                () -> new PoolRegistry.Load(tokenizer.active(), tokenizer.queued()));
        this.persister = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("tilescope-library-persist").daemon(true).factory());
        this.thumbnailPool = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("tilescope-thumbnails").daemon(true).factory());
        this.merger = Thread.ofPlatform().name("tilescope-library-merge").daemon(true).unstarted(this::mergeLoop);
    }

    static LocalLibrary open(LibraryFolders folders) throws IOException {
        Files.createDirectories(folders.data());
        LibraryStore store = LibraryStore.open(folders.data());
        SearchIndex index = SearchIndex.open(folders.data().resolve("search"));
        LocalLibrary lib = new LocalLibrary(folders, store, index);
        lib.merger.start();
        lib.syncIndexWithStore();
        lib.persister.scheduleWithFixedDelay(lib::syncWithOtherProcesses, SYNC_INTERVAL_MS, SYNC_INTERVAL_MS,
                TimeUnit.MILLISECONDS);
        return lib;
    }

    static String key(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }

    /** What a slide's text is made of: its checksum (descriptor and sidecars) and the typed note. */
    static long textKey(long checksum, String typedNote) {
        byte[] note = typedNote.getBytes(StandardCharsets.UTF_8);
        return HASH.hash(ByteBuffer.allocate(8 + note.length).putLong(checksum).put(note).array(), 0, 8 + note.length, 0x54584bL);
    }

    /** What a slide's search document is made of: its text key and its tags. */
    static long stamp(long textKey, List<String> tags) {
        byte[] t = String.join("\n", tags).getBytes(StandardCharsets.UTF_8);
        return HASH.hash(ByteBuffer.allocate(8 + t.length).putLong(textKey).put(t).array(), 0, 8 + t.length, 0x5354414dL);
    }

    // ---------------------------------------------------------------- index upkeep

    /** At open: documents for slides that lack one or whose document is stale; a fresh index gets all. */
    private void syncIndexWithStore() throws IOException {
        Map<String, long[]> expected = store.read(st -> {
            Map<String, long[]> m = new HashMap<>();
            st.slides().forEach((path, s) -> {
                UserData u = st.userData(path);
                long tk = textKey(s.checksum(), u.note());
                boolean counted = s.tokensExact() >= 0 && s.tokensKey() == tk;
                m.put(path, new long[] {stamp(tk, u.tags()), counted ? 1 : 0});
            });
            return m;
        });
        if (index.isFresh()) {
            if (!expected.isEmpty()) {
                reloading = true;
                Set<String> all = new HashSet<>(expected.keySet());
                mergeQueue.add(new MergeTask(null, c -> {
                    reloadPending = new HashSet<>(all);
                    reloadFuture = new CompletableFuture<>();
                    fire(new LibraryEvent.IndexReloading());
                }));
                submitTokenize(all, false);
            }
            return;
        }
        Map<String, Long> indexed = index.stamps();
        List<String> stale = new ArrayList<>();
        expected.forEach((path, e) -> {
            Long have = indexed.get(path);
            if (have == null || have != e[0] || e[1] == 0) {
                stale.add(path);
            }
        });
        List<String> extra = indexed.keySet().stream().filter(p -> !expected.containsKey(p)).toList();
        if (!extra.isEmpty()) {
            mergeQueue.add(new MergeTask(null, c -> {
                for (String p : extra) {
                    index.delete(p);
                }
            }));
        }
        submitTokenize(stale, false);
    }

    private void submitTokenize(Collection<String> paths, boolean urgent) {
        if (paths.isEmpty()) {
            return;
        }
        outstanding.addAll(paths);
        if (urgent) {
            tokenizer.prioritize(paths);
        } else {
            tokenizer.submit(paths);
        }
    }

    /** One tokenize result; {@code doc} null when the slide is gone. */
    record Tokenized(String path, long textKey, long stamp, long estimate, long exact, boolean counted, IndexedDoc doc,
                     List<String> warnings) {
    }

    /** Tokenize pool: reads the slide's text and counts it. Reads the store; changes nothing. */
    private Tokenized tokenize(String path) {
        record Snapshot(StoredSlide slide, UserData user) {
        }
        Snapshot snap = store.read(st -> new Snapshot(st.slide(path), st.userData(path)));
        if (snap.slide == null) {
            return new Tokenized(path, 0, 0, 0, -1, false, null, List.of());
        }
        StoredSlide s = snap.slide;
        SlideText text = SlideText.read(Path.of(path), s, snap.user);
        long tk = textKey(s.checksum(), snap.user.note());
        String notes = text.notesText();
        String joined = text.joined(notes);
        long estimate = SlideText.estimate(joined);
        boolean cached = s.tokensKey() == tk && s.tokensExact() >= 0;
        long exact = cached ? s.tokensExact() : TokenCounter.count(joined);
        long stamp = stamp(tk, snap.user.tags());
        IndexedDoc doc = new IndexedDoc(path, text.name(), s.format(), snap.user.tags(), String.join("\n", text.metadata()),
                notes, String.join("\n", text.annotations()), tk, stamp);
        return new Tokenized(path, tk, stamp, estimate, exact, !cached, doc, text.warnings());
    }

    /** Merger: applies tokenize results whose inputs did not change meanwhile; the others go round again. */
    private void mergeTokenized(List<Tokenized> results, MergeCycle c) throws IOException {
        List<Change> changes = new ArrayList<>();
        List<String> again = new ArrayList<>();
        for (Tokenized r : results) {
            record Now(StoredSlide slide, UserData user) {
            }
            Now now = store.read(st -> new Now(st.slide(r.path), st.userData(r.path)));
            if (now.slide == null || r.doc == null) {
                index.delete(r.path);
                done(r.path, false, List.of(), c);
                continue;
            }
            long tk = textKey(now.slide.checksum(), now.user.note());
            if (tk != r.textKey || stamp(tk, now.user.tags()) != r.stamp) {
                again.add(r.path); // edited while it was being read: read again
                continue;
            }
            if (now.slide.tokensKey() != tk || now.slide.tokensExact() != r.exact || now.slide.tokensEstimate() != r.estimate) {
                changes.add(new Change.PutSlide(r.path, now.slide.withTokens(r.estimate, r.exact, tk)));
            }
            index.put(r.doc);
            putThisCycle.put(r.path, r.doc);
            c.changed(r.path);
            for (String w : r.warnings) {
                LOG.log(Level.WARNING, w);
            }
            done(r.path, r.counted, r.warnings, c);
        }
        if (!changes.isEmpty()) {
            store.apply(changes);
            slideChangesSincePersist.addAndGet(changes.size());
        }
        if (!again.isEmpty()) {
            tokenizer.submit(again);
        }
    }

    /** Merger: a path's tokenization is over (merged, or the slide is gone). */
    private void done(String path, boolean counted, List<String> warnings, MergeCycle c) {
        outstanding.remove(path);
        Set<ScanRun> runs = tickets.remove(path);
        if (runs != null) {
            for (ScanRun r : runs) {
                r.tokenDone(counted, warnings);
                c.runs.add(r);
            }
        }
        if (reloadPending != null) {
            reloadPending.remove(path);
        }
    }

    /**
     * Merger: brings one slide's document up to date with the store. A tag change rewrites the
     * stored document; a text change (typed note, new checksum) goes through the tokenizer.
     */
    void refreshDocument(String path, MergeCycle c) throws IOException {
        record Now(StoredSlide slide, UserData user) {
        }
        Now now = store.read(st -> new Now(st.slide(path), st.userData(path)));
        c.changed(path);
        if (now.slide == null) {
            index.delete(path);
            return;
        }
        long tk = textKey(now.slide.checksum(), now.user.note());
        long stamp = stamp(tk, now.user.tags());
        IndexedDoc doc = putThisCycle.get(path);
        if (doc == null) {
            doc = index.stored(path).orElse(null);
        }
        if (doc != null && doc.textKey() == tk && now.slide.tokensKey() == tk && now.slide.tokensExact() >= 0) {
            if (doc.stamp() != stamp) {
                IndexedDoc retagged = doc.withTags(now.user.tags(), stamp);
                index.put(retagged);
                putThisCycle.put(path, retagged);
            }
            return;
        }
        submitTokenize(List.of(path), true);
    }

    // ---------------------------------------------------------------- merger loop

    /** What one pass of the merger collected: changed paths for one event, scans to check. */
    static final class MergeCycle {
        final LinkedHashSet<String> changed = new LinkedHashSet<>();
        final Set<ScanRun> runs = new HashSet<>();

        void changed(String path) {
            changed.add(path);
        }
    }

    @FunctionalInterface
    interface MergeBody {
        void apply(MergeCycle c) throws IOException;
    }

    /** Work for the merger; {@code run} is the scan it is timed for, or null. */
    record MergeTask(ScanRun run, MergeBody body) {
    }

    private static final MergeTask STOP = new MergeTask(null, c -> {
    });

    void merge(ScanRun run, MergeBody body) {
        mergeQueue.add(new MergeTask(run, body));
    }

    /**
     * Searches see the merger's updates after a refresh. Refreshing after every small batch would
     * make a Lucene segment per batch (and merges to clean them up); at most one refresh per
     * interval keeps a 10,000-slide scan cheap while a result still shows within the interval.
     */
    static final long REFRESH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private void mergeLoop() {
        List<MergeTask> tasks = new ArrayList<>();
        MergeCycle cycle = new MergeCycle();
        long lastRefresh = System.nanoTime() - REFRESH_INTERVAL_NANOS;
        boolean dirty = false;
        while (true) {
            try {
                long wait = dirty ? REFRESH_INTERVAL_NANOS - (System.nanoTime() - lastRefresh) : Long.MAX_VALUE;
                MergeTask first = wait == Long.MAX_VALUE ? mergeQueue.take()
                        : mergeQueue.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
                if (first != null) {
                    tasks.add(first);
                }
            } catch (InterruptedException e) {
                return;
            }
            mergeQueue.drainTo(tasks, 4096);
            boolean stop = false;
            for (MergeTask t : tasks) {
                if (t == STOP) {
                    stop = true;
                    continue;
                }
                long t0 = System.nanoTime();
                try {
                    t.body.apply(cycle);
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, "library update failed: " + e, e);
                }
                if (t.run != null) {
                    t.run.addMergeNanos(System.nanoTime() - t0);
                    cycle.runs.add(t.run);
                }
                dirty = true;
            }
            tasks.clear();
            if (dirty && (stop || System.nanoTime() - lastRefresh >= REFRESH_INTERVAL_NANOS)) {
                long t0 = System.nanoTime();
                try {
                    index.refresh();
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, "search index refresh failed: " + e, e);
                }
                putThisCycle.clear();
                lastRefresh = System.nanoTime();
                for (ScanRun r : activeRuns) {
                    r.addMergeNanos(lastRefresh - t0);
                }
                afterCycle(cycle);
                cycle = new MergeCycle();
                dirty = false;
            }
            if (stop) {
                return;
            }
        }
    }

    private void afterCycle(MergeCycle cycle) {
        if (!cycle.changed.isEmpty()) {
            fire(new LibraryEvent.SlidesChanged(cycle.changed.stream().map(Path::of).toList()));
        }
        if (reloadPending != null && reloadPending.isEmpty()) {
            finishReload();
        }
        for (ScanRun r : cycle.runs) {
            fire(new LibraryEvent.ScanProgress(r.status()));
            r.maybeFinish();
        }
        if (outstanding.isEmpty() && !reloading) {
            List<CompletableFuture<Void>> ws;
            synchronized (indexedWaiters) {
                ws = List.copyOf(indexedWaiters);
                indexedWaiters.clear();
            }
            ws.forEach(w -> w.complete(null));
        }
        if (slideChangesSincePersist.get() >= PERSIST_EVERY_SLIDES) {
            slideChangesSincePersist.set(0);
            persister.execute(() -> persistNow(null));
        }
    }

    private void finishReload() {
        reloadPending = null;
        try {
            if (index.rebuilding()) {
                index.finishRebuild();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "search index rebuild could not be swapped in: " + e, e);
        }
        reloading = false;
        CompletableFuture<Void> f = reloadFuture;
        reloadFuture = null;
        fire(new LibraryEvent.IndexReloaded());
        if (f != null) {
            f.complete(null);
        }
    }

    void fire(LibraryEvent e) {
        for (LibraryEvent.Listener l : listeners) {
            try {
                l.onLibraryEvent(e);
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "library listener failed", ex);
            }
        }
    }

    // ---------------------------------------------------------------- persistence

    /** Persister thread: writes the store (merging with other processes) and commits the index. */
    void persistNow(ScanRun timedFor) {
        long t0 = System.nanoTime();
        try {
            if (store.hasPending()) {
                LibraryStore.Outcome o = store.persist();
                slideChangesSincePersist.set(0);
                completeDurable(o.durableSeq(), null);
                if (!o.merged().isEmpty()) {
                    reindexMerged(o.merged());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, folders.data() + ": could not write the library: " + e.getMessage(), e);
            completeDurable(Long.MAX_VALUE, e);
        }
        try {
            index.commit(); // derived data: a failure here loses nothing the store does not have
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "search index commit failed: " + e);
        }
        long spent = System.nanoTime() - t0;
        if (timedFor != null) {
            timedFor.addPersistNanos(spent);
        } else {
            for (ScanRun r : activeRuns) {
                r.addPersistNanos(spent); // the every-1,000-slides writes during a scan
            }
        }
    }

    private void completeDurable(long upTo, Exception failure) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (durableWaiters) {
            var head = durableWaiters.headMap(upTo, true);
            head.values().forEach(done::addAll);
            head.clear();
        }
        for (CompletableFuture<Void> f : done) {
            if (failure == null) {
                f.complete(null);
            } else {
                f.completeExceptionally(failure);
            }
        }
    }

    /** A future completed when every change up to {@code seq} is on disk; a write follows within the delay. */
    private CompletableFuture<Void> durable(long seq) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (durableWaiters) {
            if (store.durableSeq() >= seq) {
                f.complete(null);
                return f;
            }
            durableWaiters.computeIfAbsent(seq, k -> new ArrayList<>()).add(f);
        }
        schedulePersist(EDIT_PERSIST_DELAY_MS);
        return f;
    }

    /**
     * One write soon. A request while a write is already running schedules another: the running
     * one may have taken its snapshot before the change being waited for.
     */
    private synchronized void schedulePersist(long delayMs) {
        if (closed || persistScheduled) {
            return;
        }
        persistScheduled = true;
        persister.schedule(() -> {
            synchronized (this) {
                persistScheduled = false;
            }
            persistNow(null);
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    /** Persister thread: takes in what another process (the command line) wrote. */
    private void syncWithOtherProcesses() {
        if (closed) {
            return;
        }
        try {
            LibraryStore.Outcome o = store.sync();
            if (!o.merged().isEmpty()) {
                reindexMerged(o.merged());
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "library sync failed: " + e);
        }
    }

    private void reindexMerged(Set<String> paths) {
        merge(null, c -> {
            for (String p : paths) {
                refreshDocument(p, c);
            }
        });
    }

    // ---------------------------------------------------------------- API

    @Override
    public LibraryFolders folders() {
        return folders;
    }

    @Override
    public List<Path> roots() {
        return store.read(StoreState::roots).stream().map(Path::of).toList();
    }

    @Override
    public CompletableFuture<Void> removeRoot(Path root) {
        String r = key(root);
        List<String> under = store.read(st -> {
            List<String> l = new ArrayList<>();
            for (String p : st.slides().keySet()) {
                if (isUnder(p, r)) {
                    l.add(p);
                }
            }
            for (String p : st.failures().keySet()) {
                if (isUnder(p, r)) {
                    l.add(p);
                }
            }
            return l;
        });
        List<Change> changes = new ArrayList<>();
        changes.add(new Change.RemoveRoot(r));
        under.forEach(p -> changes.add(new Change.RemoveSlide(p)));
        long seq = store.apply(changes);
        merge(null, c -> {
            for (String p : under) {
                index.delete(p);
                c.changed(p);
            }
        });
        return durable(seq);
    }

    static boolean isUnder(String path, String root) {
        return path.startsWith(root) && (path.length() == root.length() || path.charAt(root.length()) == '/'
                || path.charAt(root.length()) == java.io.File.separatorChar || root.endsWith("/"));
    }

    @Override
    public LibraryScan scan(List<Path> roots, JobManager jobs) {
        if (closed) {
            throw new IllegalStateException("library is closed");
        }
        List<Path> scanRoots = new ArrayList<>();
        for (Path p : roots) {
            scanRoots.add(p.toAbsolutePath().normalize());
        }
        if (scanRoots.isEmpty()) {
            scanRoots.addAll(roots());
        }
        ScanRun previous;
        ScanRun run;
        synchronized (this) {
            previous = lastScan;
            run = new ScanRun(this, scanRoots, previous);
            lastScan = run;
        }
        activeRuns.add(run);
        run.report().whenComplete((r, e) -> activeRuns.remove(run));
        if (previous == null) {
            // while the walk finds the first slides, load Lucene's indexing code
            Thread.ofPlatform().name("tilescope-search-warmup").daemon(true).start(SearchIndex::warmUp);
        }
        if (jobs == null) {
            Thread.ofVirtual().name("tilescope-library-scan").start(() -> run.execute(null));
        } else {
            jobs.submit(new ScanJob(run));
            jobs.submit(new TokenizeJob(run));
        }
        return run;
    }

    /** The scan as a job: walk and open, then wait for the rest, with cancel. */
    private static final class ScanJob extends Job {
        private final ScanRun run;

        ScanJob(ScanRun run) {
            super("Scanning " + describe(run.roots), "library-scan", 10);
            this.run = run;
        }

        @Override
        protected void run(JobContext context) throws Exception {
            run.execute(context);
        }
    }

    /** The tokenize pass of a scan as its own row in the progress panel. */
    private static final class TokenizeJob extends Job {
        private final ScanRun run;

        TokenizeJob(ScanRun run) {
            super("Tokenizing library", "library-tokenize", 11);
            this.run = run;
        }

        @Override
        protected void run(JobContext context) throws Exception {
            run.followTokenize(context);
        }
    }

    static String describe(List<Path> roots) {
        if (roots.size() == 1) {
            return roots.getFirst().toString();
        }
        return roots.size() + " folders";
    }

    @Override
    public List<LibrarySlide> slides() {
        return store.read(st -> {
            List<LibrarySlide> out = new ArrayList<>(st.slides().size());
            st.slides().forEach((p, s) -> out.add(toSlide(p, s, st.userData(p))));
            return out;
        });
    }

    @Override
    public Optional<LibrarySlide> slide(Path path) {
        String k = key(path);
        return store.read(st -> {
            StoredSlide s = st.slide(k);
            return s == null ? Optional.empty() : Optional.of(toSlide(k, s, st.userData(k)));
        });
    }

    static LibrarySlide toSlide(String path, StoredSlide s, UserData u) {
        Optional<ContentFingerprint> fp;
        try {
            fp = s.fingerprint() == null ? Optional.empty() : Optional.of(ContentFingerprint.parse(s.fingerprint()));
        } catch (RuntimeException e) {
            fp = Optional.empty();
        }
        Path p = Path.of(path);
        long tk = textKey(s.checksum(), u.note());
        boolean exact = s.tokensExact() >= 0 && s.tokensKey() == tk;
        return new LibrarySlide(p, SlideExaminer.name(p, s.format()), s.format(), s.width(), s.height(), s.levels(),
                s.mpp() == null ? OptionalDouble.empty() : OptionalDouble.of(s.mpp()),
                s.magnification() == null ? OptionalDouble.empty() : OptionalDouble.of(s.magnification()),
                s.bytes(), Instant.ofEpochMilli(s.modified()), fp, s.sidecars().stream().map(Path::of).toList(),
                u.tags(), u.note(), new TokenCount(s.tokensEstimate(), exact ? s.tokensExact() : -1));
    }

    @Override
    public List<ScanReport.Failure> failures() {
        return store.read(st -> st.failures().entrySet().stream()
                .map(e -> new ScanReport.Failure(Path.of(e.getKey()), e.getValue())).toList());
    }

    @Override
    public SearchResult search(SearchQuery query) {
        org.tilescope.engine.library.search.QueryText parsed = org.tilescope.engine.library.search.QueryText.of(query.text());
        List<String> tags = new ArrayList<>(parsed.tags());
        query.tags().forEach(t -> tags.add(normalizeTag(t)));
        List<String> formats = new ArrayList<>(parsed.formats());
        query.formats().forEach(f -> formats.add(f.strip().toLowerCase(Locale.ROOT)));
        try {
            SearchIndex.Found found = index.search(parsed.text(), tags, formats, query.limit(), query.live());
            List<SearchResult.Hit> hits = found.hits().stream().map(h -> new SearchResult.Hit(Path.of(h.doc().path()),
                    h.doc().name(), h.doc().format(), h.doc().tags(), h.score(), h.snippet(), h.matchStart(),
                    h.matchEnd())).toList();
            return new SearchResult(query, hits, found.total(), found.fuzzy(), reloading);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "search failed: " + e.getMessage(), e);
            return new SearchResult(query, List.of(), 0, false, reloading);
        }
    }

    @Override
    public CompletableFuture<Void> awaitIndexed() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (indexedWaiters) {
            indexedWaiters.add(f);
        }
        // the merger completes waiters after a cycle; an empty cycle makes sure one comes
        merge(null, c -> {
        });
        return f;
    }

    @Override
    public boolean indexReloading() {
        return reloading;
    }

    @Override
    public CompletableFuture<Void> reloadIndex() {
        CompletableFuture<CompletableFuture<Void>> joined = new CompletableFuture<>();
        merge(null, c -> {
            if (reloadFuture != null) {
                joined.complete(reloadFuture); // single flight: join the running reload
                return;
            }
            Set<String> all = store.read(st -> new HashSet<>(st.slides().keySet()));
            reloadFuture = new CompletableFuture<>();
            joined.complete(reloadFuture);
            reloading = true;
            index.beginRebuild();
            fire(new LibraryEvent.IndexReloading());
            reloadPending = new HashSet<>(all);
            // every slide into the index built aside; token counts come from the store's cache
            submitTokenize(all, false);
        });
        return joined.thenCompose(f -> f);
    }

    static String normalizeTag(String tag) {
        String t = tag.strip().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty tag");
        }
        if (t.length() > 100) {
            throw new IllegalArgumentException("tag longer than 100 characters: " + t.substring(0, 20) + "…");
        }
        for (int i = 0; i < t.length(); i++) {
            char ch = t.charAt(i);
            if (Character.isWhitespace(ch) || ch == '"' || ch == ',' || Character.isISOControl(ch)) {
                throw new IllegalArgumentException("tag \"" + t + "\" has a space, quote or comma; use - or _ instead");
            }
        }
        return t;
    }

    @Override
    public CompletableFuture<Void> editTags(Path slide, Collection<String> add, Collection<String> remove) {
        List<String> a = add.stream().map(LocalLibrary::normalizeTag).distinct().toList();
        List<String> r = remove.stream().map(LocalLibrary::normalizeTag).distinct().toList();
        String k = key(slide);
        long seq = store.apply(new Change.EditTags(k, a, r));
        merge(null, c -> refreshDocument(k, c));
        return durable(seq);
    }

    @Override
    public CompletableFuture<Void> setNote(Path slide, String note) {
        String k = key(slide);
        long seq = store.apply(new Change.SetNote(k, note == null ? "" : note));
        merge(null, c -> refreshDocument(k, c));
        return durable(seq);
    }

    @Override
    public SortedMap<String, Integer> tagCounts() {
        return store.read(st -> {
            SortedMap<String, Integer> counts = new TreeMap<>();
            st.user().values().forEach(u -> u.tags().forEach(t -> counts.merge(t, 1, Integer::sum)));
            return counts;
        });
    }

    @Override
    public List<DuplicateGroup> duplicates() {
        Map<String, List<String>> byFingerprint = new HashMap<>();
        Map<String, Long> bytes = new HashMap<>();
        store.read(st -> {
            st.slides().forEach((p, s) -> {
                if (s.fingerprint() != null) {
                    byFingerprint.computeIfAbsent(s.fingerprint(), k -> new ArrayList<>()).add(p);
                    bytes.put(p, s.bytes());
                }
            });
            return null;
        });
        List<DuplicateGroup> groups = new ArrayList<>();
        byFingerprint.forEach((fp, paths) -> {
            if (paths.size() < 2) {
                return;
            }
            paths.sort(null);
            long wasted = paths.subList(1, paths.size()).stream().mapToLong(bytes::get).sum();
            groups.add(new DuplicateGroup(ContentFingerprint.parse(fp), paths.stream().map(Path::of).toList(), wasted));
        });
        groups.sort(Comparator.comparingLong(DuplicateGroup::wastedBytes).reversed()
                .thenComparing(g -> g.kept().toString()));
        return groups;
    }

    @Override
    public TrashReport moveExtraCopiesToTrash(List<DuplicateGroup> groups) {
        int found = 0;
        int moved = 0;
        long saved = 0;
        List<ScanReport.Failure> failures = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (DuplicateGroup g : groups) {
            for (Path extra : g.extras()) {
                found++;
                String k = key(extra);
                StoredSlide s = store.read(st -> st.slide(k));
                try {
                    for (Path part : slideParts(extra)) {
                        trash.move(part);
                    }
                    moved++;
                    saved += s == null ? 0 : s.bytes();
                    removed.add(k);
                } catch (IOException | RuntimeException e) {
                    failures.add(new ScanReport.Failure(extra, e.getMessage()));
                }
            }
        }
        if (!removed.isEmpty()) {
            long seq = store.apply(removed.stream().map(p -> (Change) new Change.RemoveSlide(p)).toList());
            merge(null, c -> {
                for (String p : removed) {
                    index.delete(p);
                    c.changed(p);
                }
            });
            try {
                durable(seq).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.log(Level.WARNING, "library not written after moving copies to the trash: " + e.getMessage());
            }
        }
        return new TrashReport(found, moved, saved, failures);
    }

    /** The files and folders that make up a slide: a .dzi with its _files folder, else the path itself. */
    static List<Path> slideParts(Path slide) {
        String name = slide.getFileName().toString();
        if (name.toLowerCase(Locale.ROOT).endsWith(".dzi")) {
            Path files = slide.resolveSibling(name.substring(0, name.length() - 4) + "_files");
            if (Files.isDirectory(files)) {
                return List.of(slide, files);
            }
        }
        return List.of(slide);
    }

    @Override
    public CompletableFuture<Optional<Path>> thumbnail(Path slide) {
        Optional<LibrarySlide> s = slide(slide);
        if (s.isEmpty() || s.get().fingerprint().isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        ContentFingerprint fp = s.get().fingerprint().get();
        Path file = thumbnails.file(fp);
        if (Files.isRegularFile(file)) {
            return CompletableFuture.completedFuture(Optional.of(file));
        }
        Path p = s.get().path();
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Optional.of(thumbnails.make(p, fp));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, p + ": no thumbnail (" + e.getMessage() + ")");
                return Optional.<Path>empty();
            }
        }, thumbnailPool);
    }

    @Override
    public JobHandle makeThumbnails(JobManager jobs) {
        return jobs.submit(new Job("Making thumbnails", "library-thumbnails", 20) {
            @Override
            public SingleFlight singleFlight() {
                return SingleFlight.JOIN_RUNNING;
            }

            @Override
            protected void run(JobContext context) throws Exception {
                List<LibrarySlide> missing = slides().stream().filter(s -> s.fingerprint().isPresent()
                        && !Files.isRegularFile(thumbnails.file(s.fingerprint().get()))).toList();
                context.progress().setTotal(missing.size(), -1);
                for (LibrarySlide s : missing) {
                    context.checkCancelled();
                    context.awaitIfPaused();
                    try {
                        thumbnailPool.submit(() -> thumbnails.make(s.path(), s.fingerprint().get())).get();
                        context.progress().addDone(1, 0);
                    } catch (java.util.concurrent.ExecutionException e) {
                        context.progress().addFailure(s.path() + ": " + e.getCause().getMessage());
                    }
                }
            }

            @Override
            public boolean supportsPause() {
                return true;
            }
        });
    }

    @Override
    public CaseContext context(Path slide) throws IOException {
        String k = key(slide);
        record Now(StoredSlide slide, UserData user) {
        }
        Now now = store.read(st -> new Now(st.slide(k), st.userData(k)));
        StoredSlide s = now.slide;
        if (s == null) {
            SlideExaminer.Outcome o = SlideExaminer.examine(FolderWalker.candidateFor(Path.of(k)), null);
            switch (o) {
                case SlideExaminer.Outcome.Opened op -> s = op.slide();
                case SlideExaminer.Outcome.Failed f -> throw new IOException(k + ": " + f.reason());
                default -> throw new IllegalStateException("a slide examined afresh is opened or failed, not " + o);
            }
        }
        SlideText text = SlideText.read(Path.of(k), s, now.user);
        for (String w : text.warnings()) {
            LOG.log(Level.WARNING, w);
        }
        String md = CaseMarkdown.of(Path.of(k), text, now.user.tags());
        return new CaseContext(md, TokenCounter.count(md), TokenCounter.ENCODING);
    }

    @Override
    public void tokenizeFirst(Collection<Path> slides) {
        List<String> keys = new ArrayList<>();
        for (Path p : slides) {
            String k = key(p);
            if (outstanding.contains(k)) {
                keys.add(k);
            }
        }
        if (!keys.isEmpty()) {
            tokenizer.prioritize(keys);
        }
    }

    @Override
    public Metrics.PoolLoad tokenizeLoad() {
        return new Metrics.PoolLoad("tokenize", tokenizer.active(), tokenizer.queued());
    }

    @Override
    public void addListener(LibraryEvent.Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(LibraryEvent.Listener listener) {
        listeners.remove(listener);
    }

    /** A scan hands a path to the tokenizer and waits for it. */
    void ticket(String path, ScanRun run) {
        tickets.computeIfAbsent(path, p -> ConcurrentHashMap.newKeySet()).add(run);
        submitTokenize(List.of(path), false);
    }

    int slideChanged(int n) {
        return slideChangesSincePersist.addAndGet(n);
    }

    ExecutorService persister() {
        return persister;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() throws IOException {
        ScanRun running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            tokenizeRegistration.close();
            running = lastScan;
        }
        if (running != null) {
            running.cancel();
            try {
                running.report().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.log(Level.DEBUG, "scan did not end before close: " + e);
            }
        }
        tokenizer.close();
        mergeQueue.add(STOP);
        try {
            merger.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thumbnailPool.shutdown();
        persister.shutdown();
        try {
            persister.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        IOException failure = null;
        try {
            if (store.hasPending()) {
                LibraryStore.Outcome o = store.persist();
                completeDurable(o.durableSeq(), null);
            }
        } catch (IOException e) {
            failure = e;
        }
        index.close();
        if (failure != null) {
            throw new IOException(folders.data() + ": could not write the library on close: " + failure.getMessage(), failure);
        }
    }
}
