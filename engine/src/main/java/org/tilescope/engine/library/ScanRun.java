package org.tilescope.engine.library;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.tilescope.engine.jobs.JobContext;
import org.tilescope.engine.library.scan.Candidate;
import org.tilescope.engine.library.scan.FolderWalker;
import org.tilescope.engine.library.scan.SlideExaminer;
import org.tilescope.engine.library.search.IndexedDoc;
import org.tilescope.engine.library.store.Change;
import org.tilescope.engine.library.store.StoredSlide;

/**
 * One scan: walks the roots on virtual threads, examines each slide (a bounded number at once:
 * file handles), hands outcomes to the merger, and finishes once what it found is tokenized and
 * the store is written.
 */
final class ScanRun implements LibraryScan {
    private static final System.Logger LOG = System.getLogger(ScanRun.class.getName());
    /** Slides examined at once: each holds a few file handles. */
    static final int EXAMINE_CONCURRENCY = 16;

    final List<Path> roots;
    private final LocalLibrary lib;
    private final ScanRun previous;
    private final CompletableFuture<ScanReport> report = new CompletableFuture<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile JobContext job;
    private volatile boolean walking = true;

    private final AtomicInteger found = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicInteger tokenized = new AtomicInteger();
    private final AtomicInteger toTokenize = new AtomicInteger();
    private final AtomicInteger removed = new AtomicInteger();
    private final AtomicInteger examining = new AtomicInteger();
    /** Slides the walk found, examined or not: what "N slides found" counts while scanning. */
    private final AtomicInteger discovered = new AtomicInteger();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final List<ScanReport.Failure> failures = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private final long startNanos = System.nanoTime();
    private volatile long scanNanos = -1;
    private final AtomicLong tokenizeFirstNanos = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong tokenizeLastNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong mergeNanos = new AtomicLong();
    private final AtomicLong persistNanos = new AtomicLong();
    /** Set by the merger once every outcome is applied and removals are done. */
    private volatile boolean walkMerged;
    private final AtomicBoolean finishing = new AtomicBoolean();

    ScanRun(LocalLibrary lib, List<Path> roots, ScanRun previous) {
        this.lib = lib;
        this.roots = List.copyOf(roots);
        this.previous = previous;
    }

    @Override
    public CompletableFuture<ScanReport> report() {
        return report;
    }

    @Override
    public Status status() {
        int shown = report.isDone() ? found.get() : Math.max(found.get(), discovered.get() - failed.get());
        return new Status(shown, failed.get(), tokenized.get(), toTokenize.get(), walking, report.isDone());
    }

    @Override
    public void cancel() {
        cancelled.set(true);
    }

    private boolean isCancelled() {
        JobContext j = job;
        return cancelled.get() || (j != null && j.isCancelled()) || lib.isClosed();
    }

    /** Runs the scan on the calling (virtual) thread; returns when the report is complete. */
    void execute(JobContext context) {
        job = context;
        try {
            if (previous != null) {
                previous.report.handle((r, e) -> null).join(); // one scan at a time
            }
            walk();
            // the report completes from the merger and the persister; follow it for cancels
            while (!report.isDone()) {
                try {
                    report.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (isCancelled()) {
                        cancel();
                        maybeFinishSoon();
                    }
                } catch (Exception e) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
            finish();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "library scan failed: " + e, e);
            report.completeExceptionally(e);
        }
    }

    private void walk() throws InterruptedException {
        List<Change> rootChanges = new ArrayList<>();
        for (Path r : roots) {
            if (!lib.roots().contains(r)) {
                rootChanges.add(new Change.AddRoot(r.toString()));
            }
        }
        if (!rootChanges.isEmpty()) {
            lib.store.apply(rootChanges);
        }
        Semaphore permits = new Semaphore(EXAMINE_CONCURRENCY);
        FolderWalker.Result result;
        try (ExecutorService examiners = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("tilescope-examine-", 0).factory())) {
            result = FolderWalker.walk(roots, c -> {
                if (isCancelled()) {
                    return;
                }
                String key = LocalLibrary.key(c.slide());
                if (!seen.add(key)) {
                    return;
                }
                examining.incrementAndGet();
                discovered.incrementAndGet();
                progressTotal(1);
                if (discovered.get() == 1) {
                    lib.merge(this, cycle -> cycle.runs.add(this)); // "1 slide found" shows at once
                }
                examiners.execute(() -> examine(c, key, permits));
            }, this::isCancelled);
        }
        scanNanos = System.nanoTime() - startNanos;
        walking = false;
        for (FolderWalker.Unlisted u : result.unlisted()) {
            synchronized (warnings) {
                warnings.add(u.folder() + ": " + u.reason());
            }
        }
        Set<String> unlisted = new HashSet<>();
        result.unlisted().forEach(u -> unlisted.add(LocalLibrary.key(u.folder())));
        lib.merge(this, c -> {
            if (!isCancelled()) {
                removeGone(unlisted, c);
            }
            walkMerged = true;
            c.runs.add(this);
        });
    }

    private void examine(Candidate c, String key, Semaphore permits) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            examining.decrementAndGet();
            return;
        }
        SlideExaminer.Outcome outcome;
        try {
            if (isCancelled()) {
                examining.decrementAndGet();
                return;
            }
            StoredSlide previousSlide = lib.store.read(st -> st.slide(key));
            outcome = SlideExaminer.examine(c, previousSlide);
        } catch (RuntimeException e) {
            outcome = new SlideExaminer.Outcome.Failed(e.toString());
        } finally {
            permits.release();
        }
        SlideExaminer.Outcome o = outcome;
        lib.merge(this, cycle -> applyOutcome(key, o, cycle));
    }

    /** Merger: one slide's outcome into the store, the index and the tokenizer's queue. */
    private void applyOutcome(String key, SlideExaminer.Outcome o, LocalLibrary.MergeCycle c) throws IOException {
        try {
            switch (o) {
                case SlideExaminer.Outcome.Unchanged u -> {
                    found.incrementAndGet();
                    skipped.incrementAndGet();
                }
                case SlideExaminer.Outcome.Touched t -> {
                    found.incrementAndGet();
                    skipped.incrementAndGet();
                    lib.store.apply(new Change.PutSlide(key, t.slide()));
                    lib.slideChanged(1);
                }
                case SlideExaminer.Outcome.Opened op -> {
                    found.incrementAndGet();
                    StoredSlide s = op.slide();
                    lib.store.apply(new Change.PutSlide(key, s));
                    lib.slideChanged(1);
                    // searchable by name and metadata at once; notes follow from the tokenizer
                    List<String> tags = lib.store.read(st -> st.userData(key).tags());
                    lib.index.put(new IndexedDoc(key, SlideExaminer.name(Path.of(key), s.format()), s.format(), tags,
                            String.join("\n", SlideExaminer.metadataLines(s)), "", "", 0, 0));
                    c.changed(key);
                    toTokenize.incrementAndGet();
                    tokenizeFirstNanos.accumulateAndGet(System.nanoTime(), Math::min);
                    tokenizeTotal(1);
                    lib.ticket(key, this);
                }
                case SlideExaminer.Outcome.Failed f -> {
                    failed.incrementAndGet();
                    synchronized (failures) {
                        failures.add(new ScanReport.Failure(Path.of(key), f.reason()));
                    }
                    lib.store.apply(new Change.PutFailure(key, f.reason()));
                    lib.slideChanged(1);
                    lib.index.delete(key);
                    c.changed(key);
                }
            }
        } finally {
            examining.decrementAndGet();
            progressDone(o instanceof SlideExaminer.Outcome.Failed f ? f.reason() : null);
            c.runs.add(this);
        }
    }

    /** Merger: slides and failures under the scanned roots that the walk did not find. */
    private void removeGone(Set<String> unlistedFolders, LocalLibrary.MergeCycle c) throws IOException {
        List<String> roots = this.roots.stream().map(LocalLibrary::key).toList();
        List<String> gone = lib.store.read(st -> {
            List<String> out = new ArrayList<>();
            for (String p : st.slides().keySet()) {
                consider(p, roots, unlistedFolders, out);
            }
            for (String p : st.failures().keySet()) {
                consider(p, roots, unlistedFolders, out);
            }
            return out;
        });
        if (gone.isEmpty()) {
            return;
        }
        lib.store.apply(gone.stream().map(p -> (Change) new Change.RemoveSlide(p)).toList());
        lib.slideChanged(gone.size());
        for (String p : gone) {
            lib.index.delete(p);
            c.changed(p);
        }
        removed.addAndGet(gone.size());
    }

    private void consider(String path, List<String> roots, Set<String> unlisted, List<String> out) {
        if (seen.contains(path)) {
            return;
        }
        boolean under = roots.stream().anyMatch(r -> LocalLibrary.isUnder(path, r));
        boolean unsure = unlisted.stream().anyMatch(u -> LocalLibrary.isUnder(path, u));
        if (under && !unsure) {
            out.add(path);
        }
    }

    /** Merger: one of this scan's slides is tokenized (or gone). */
    void tokenDone(boolean counted, List<String> slideWarnings) {
        tokenizeLastNanos.accumulateAndGet(System.nanoTime(), Math::max);
        if (counted) {
            tokenized.incrementAndGet();
        } else {
            skipped.incrementAndGet(); // its text was counted before (same checksum and note)
        }
        toTokenize.decrementAndGet();
        if (!slideWarnings.isEmpty()) {
            synchronized (warnings) {
                warnings.addAll(slideWarnings);
            }
        }
        JobContext j = tokenizeJob;
        if (j != null) {
            j.progress().addDone(1, 0);
        }
    }

    /** Merger, after each cycle this scan took part in. */
    void maybeFinish() {
        if (walkMerged && examining.get() == 0 && (toTokenize.get() <= 0 || isCancelled())) {
            finish();
        }
    }

    private void maybeFinishSoon() {
        lib.merge(this, c -> c.runs.add(this));
    }

    /** Writes the store, then completes the report. Once. */
    private void finish() {
        if (!finishing.compareAndSet(false, true)) {
            return;
        }
        Runnable complete = () -> {
            lib.persistNow(this);
            report.complete(build());
        };
        try {
            lib.persister().execute(complete);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            report.complete(build()); // closing: close() writes the store itself
        }
    }

    private ScanReport build() {
        long first = tokenizeFirstNanos.get();
        long last = tokenizeLastNanos.get();
        // tokenize wall time: from the first slide handed to the tokenizer to the last one merged
        double tokenizeSeconds = first == Long.MAX_VALUE || last == Long.MIN_VALUE ? 0 : (last - first) / 1e9;
        List<ScanReport.Failure> f;
        synchronized (failures) {
            f = new ArrayList<>(failures);
        }
        f.sort(java.util.Comparator.comparing(ScanReport.Failure::path));
        List<String> w;
        synchronized (warnings) {
            w = List.copyOf(warnings);
        }
        return new ScanReport(found.get(), tokenized.get(), skipped.get(), failed.get(), f, removed.get(),
                new ScanReport.Seconds(Math.max(0, scanNanos) / 1e9, Math.max(0, tokenizeSeconds), mergeNanos.get() / 1e9,
                        persistNanos.get() / 1e9), w, isCancelled());
    }

    void addMergeNanos(long n) {
        if (!report.isDone()) {
            mergeNanos.addAndGet(n);
        }
    }

    void addPersistNanos(long n) {
        persistNanos.addAndGet(n);
    }

    // ---------------------------------------------------------------- jobs

    private volatile JobContext tokenizeJob;

    private void progressTotal(int n) {
        JobContext j = job;
        if (j != null) {
            j.progress().addTotal(n, 0);
            j.progress().setDetail(status().describe());
        }
    }

    private void progressDone(String failure) {
        JobContext j = job;
        if (j != null) {
            if (failure != null) {
                j.progress().addFailure(failure);
            } else {
                j.progress().addDone(1, 0);
            }
            j.progress().setDetail(status().describe());
        }
    }

    private void tokenizeTotal(int n) {
        JobContext j = tokenizeJob;
        if (j != null) {
            j.progress().addTotal(n, 0);
        }
    }

    /** The tokenize job: shows the tokenize pool's progress for this scan until the scan ends. */
    void followTokenize(JobContext context) throws Exception {
        context.progress().setTotal(toTokenize.get() + tokenized.get(), -1);
        context.progress().addDone(tokenized.get(), 0);
        tokenizeJob = context;
        while (!report.isDone()) {
            if (context.isCancelled()) {
                cancel();
            }
            context.progress().setActiveWorkers(lib.tokenizer.active());
            try {
                report.get(150, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // keep following
            }
        }
        context.progress().setActiveWorkers(0);
        report.get();
    }
}
