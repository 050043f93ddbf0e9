package org.tilescope.engine.preload;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.tilescope.engine.jobs.Job;
import org.tilescope.engine.jobs.JobContext;
import org.tilescope.engine.jobs.JobHandle;
import org.tilescope.engine.jobs.JobManager;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TileKey;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideInfo;

/**
 * Warms L2 with the encoded tiles of every slide of a folder while the user works, so the next
 * slide is instant. Order: the current slide, then outward (+1, -1, +2, -2, ...); within a slide,
 * coarse levels first down to a depth. Tiles already in L2 are skipped; nothing is decoded. It
 * stops before L2 would have to evict anything (which could be the current slide's tiles).
 * Reads go through the pipeline at the lowest priority, at most a few at a time, so foreground
 * requests always go first.
 */
public final class BulkPreloader {
    /** Reads in flight at once, across all slides. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 2;
    /** Every level. */
    public static final int ALL_LEVELS = Integer.MAX_VALUE;
    /** Longest a preload read waits for the foreground to go quiet. */
    static final long MAX_YIELD_NANOS = 250_000_000L;
    static final long YIELD_POLL_NANOS = 2_000_000L;
    /** Headroom kept in L2: the foreground needs room too. */
    static final double L2_FILL_LIMIT = 0.95;
    /**
     * Longest the preloader waits for one read. The pipeline ends every request, but a read can
     * hang in the kernel (a dead network mount): past this it is given up, so its permit comes
     * back and neither the run nor its cancel can block forever.
     */
    static final Duration DEFAULT_STUCK_AFTER = Duration.ofSeconds(60);

    private final TilePipeline pipeline;
    private final JobManager jobs;
    private final Duration stuckAfter;
    private final Set<Path> fullyCached = ConcurrentHashMap.newKeySet();
    /** Slide id to path, for the fully cached slides: an L2 removal names the slide by id. */
    private final ConcurrentHashMap<Long, Path> cachedIds = new ConcurrentHashMap<>();
    /**
     * Slides being preloaded now, and whether L2 lost one of their tiles meanwhile. A run that
     * ends early leaves its entry (one per slide at most); the slide's next preload resets it.
     */
    private final ConcurrentHashMap<Long, Boolean> loading = new ConcurrentHashMap<>();
    private final List<java.util.function.Consumer<Path>> uncachedListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.function.Consumer<TileKey> onL2Removal = this::l2Removed;
    private final AtomicReference<Run> current = new AtomicReference<>();

    public BulkPreloader(TilePipeline pipeline, JobManager jobs) {
        this(pipeline, jobs, DEFAULT_STUCK_AFTER);
    }

    /** With a shorter wait for stuck reads (tests). */
    BulkPreloader(TilePipeline pipeline, JobManager jobs, Duration stuckAfter) {
        this.pipeline = pipeline;
        this.jobs = jobs;
        this.stuckAfter = stuckAfter;
        pipeline.addL2RemovalListener(onL2Removal);
    }

    /**
     * Hears a slide that was fully cached and no longer is (L2 evicted or cleared one of its
     * tiles), on the thread that caused the removal: hand it on, do not work there.
     */
    public void addUncachedListener(java.util.function.Consumer<Path> l) {
        uncachedListeners.add(l);
    }

    /** Stops hearing the pipeline (the window that owns this preloader closed). */
    public void close() {
        pipeline.removeL2RemovalListener(onL2Removal);
    }

    private void l2Removed(TileKey key) {
        long id = key.slideId();
        loading.computeIfPresent(id, (k, v) -> Boolean.TRUE);
        Path p = cachedIds.remove(id);
        if (p != null && fullyCached.remove(p)) {
            for (var l : uncachedListeners) {
                l.accept(p);
            }
        }
    }

    /** What a run has done so far. */
    public record Status(int slidesTotal, int slidesDone, long tilesLoaded, long tilesSkipped, long tilesFailed,
                         long bytes, Path currentSlide, String stoppedBecause) {
    }

    /**
     * Starts preloading {@code slides}, centred on {@code centre}. Any earlier run is cancelled
     * (single flight: opening another folder replaces the old run).
     *
     * @param depth levels per slide counted from the coarsest, or {@link #ALL_LEVELS}
     */
    public JobHandle start(List<Path> slides, Path centre, int depth, int maxInFlight) {
        Run run = new Run(slides, centre, depth, maxInFlight);
        current.set(run);
        return jobs.submit(run);
    }

    public JobHandle start(List<Path> slides, Path centre) {
        return start(slides, centre, ALL_LEVELS, DEFAULT_MAX_IN_FLIGHT);
    }

    /** The user switched slides: the run goes on from the new slide outward, keeping what it did. */
    public void recentre(Path slide) {
        Run run = current.get();
        if (run != null) {
            run.recentre(slide);
        }
    }

    /** True when the last run loaded every tile of this slide (to its depth) into L2. */
    public boolean isFullyCached(Path slide) {
        return fullyCached.contains(slide.toAbsolutePath().normalize());
    }

    /** The current (or last) run's status, or null before any run. */
    public Status status() {
        Run run = current.get();
        return run == null ? null : run.status();
    }

    /** The slides in the order the current run started them (tests, UI). */
    public List<Path> visitOrder() {
        Run run = current.get();
        return run == null ? List.of() : List.copyOf(run.visited);
    }

    /** Slides visited in order from {@code centre}: c, c+1, c-1, c+2, c-2, ... */
    static List<Integer> outward(int centre, int n) {
        List<Integer> order = new ArrayList<>(n);
        if (n == 0) {
            return order;
        }
        int c = Math.clamp(centre, 0, n - 1);
        order.add(c);
        for (int d = 1; order.size() < n; d++) {
            if (c + d < n) {
                order.add(c + d);
            }
            if (c - d >= 0) {
                order.add(c - d);
            }
        }
        return order;
    }

    private final class Run extends Job {
        final List<Path> slides;
        final int depth;
        final Semaphore inFlight;
        final int maxInFlight;
        /** This run's own views of its reads in flight; cancelling one gives its permit back. */
        final Set<CompletableFuture<?>> outstanding = ConcurrentHashMap.newKeySet();
        final Set<Integer> done = Collections.synchronizedSet(new HashSet<>());
        final List<Path> visited = Collections.synchronizedList(new ArrayList<>());
        volatile int centre;
        volatile boolean recentred;
        volatile Path working;
        volatile String stoppedBecause = "";
        final AtomicLong loaded = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();

        Run(List<Path> slides, Path centreSlide, int depth, int maxInFlight) {
            super("Preload " + slides.size() + " slides" + folderName(slides), "preload", 10);
            this.slides = slides.stream().map(p -> p.toAbsolutePath().normalize()).toList();
            this.depth = Math.max(1, depth);
            this.maxInFlight = Math.max(1, maxInFlight);
            this.inFlight = new Semaphore(this.maxInFlight);
            this.centre = Math.max(0, this.slides.indexOf(centreSlide.toAbsolutePath().normalize()));
        }

        @Override
        public SingleFlight singleFlight() {
            return SingleFlight.CANCEL_RUNNING;
        }

        @Override
        public boolean supportsPause() {
            return true;
        }

        void recentre(Path slide) {
            int i = slides.indexOf(slide.toAbsolutePath().normalize());
            if (i >= 0 && i != centre) {
                centre = i;
                recentred = true;
            }
        }

        Status status() {
            return new Status(slides.size(), done.size(), loaded.get(), skipped.get(), failed.get(), bytes.get(),
                    working, stoppedBecause);
        }

        @Override
        protected void run(JobContext ctx) throws Exception {
            try {
                preloadAll(ctx);
            } finally {
                // however the run ends (done, full, cancelled), it ends with no read in flight:
                // once done() completes, nothing of this run touches the disk or L2. A read stuck
                // past stuckAfter is given up instead, so the end never waits forever.
                drain();
                working = null;
            }
        }

        /** Waits for this run's reads, at most {@code stuckAfter}; gives up the ones still out. */
        private void drain() {
            boolean interrupted = false;
            try {
                if (!inFlight.tryAcquire(maxInFlight, stuckAfter.toNanos(), TimeUnit.NANOSECONDS)) {
                    giveUpOutstanding();
                    inFlight.acquireUninterruptibly(maxInFlight);
                }
            } catch (InterruptedException e) {
                interrupted = true;
                giveUpOutstanding();
                inFlight.acquireUninterruptibly(maxInFlight);
            }
            inFlight.release(maxInFlight);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private void giveUpOutstanding() {
            for (CompletableFuture<?> f : List.copyOf(outstanding)) {
                f.cancel(false); // its whenComplete gives the permit back
            }
        }

        private void preloadAll(JobContext ctx) throws Exception {
            ctx.progress().setTotal(0, -1);
            while (true) {
                ctx.checkCancelled();
                ctx.awaitIfPaused();
                // cleared before the centre is read: a switch from here on is seen by the next check
                recentred = false;
                Integer next = null;
                for (int i : outward(centre, slides.size())) {
                    if (!done.contains(i)) {
                        next = i;
                        break;
                    }
                }
                if (next == null) {
                    break;
                }
                Path slide = slides.get(next);
                working = slide;
                visited.add(slide);
                SlideResult r = preloadSlide(ctx, slide);
                if (r == SlideResult.L2_FULL) {
                    stoppedBecause = "L2 is full: stopped before it would evict tiles of the slide in view";
                    ctx.progress().setDetail(stoppedBecause);
                    break;
                }
                if (r != SlideResult.INTERRUPTED) {
                    done.add(next);
                }
            }
        }

        enum SlideResult { DONE, FAILED, L2_FULL, INTERRUPTED }

        /**
         * Holds back while the viewer waits for tiles: foreground requests then have the disk and
         * the cores to themselves. Bounded, so a viewer that is never idle still lets preload creep on.
         */
        private void yieldToForeground(JobContext ctx) {
            long deadline = System.nanoTime() + MAX_YIELD_NANOS;
            while (pipeline.foregroundInFlight() > 0 && System.nanoTime() < deadline) {
                ctx.checkCancelled();
                java.util.concurrent.locks.LockSupport.parkNanos(YIELD_POLL_NANOS);
            }
        }

        private SlideResult preloadSlide(JobContext ctx, Path slide) throws InterruptedException {
            var progress = ctx.progress();
            SlideHandle h;
            try {
                // not open(): that loads and decodes the coarse levels, for a viewer
                h = pipeline.openWithoutLoading(slide);
            } catch (IOException | RuntimeException e) {
                failed.incrementAndGet();
                progress.addTotal(1, 0);
                progress.addFailure(e.getMessage() == null ? slide.getFileName() + ": " + e : e.getMessage());
                return SlideResult.FAILED;
            }
            SlideInfo info = h.info();
            // the file's levels only: generated ones are made from them (a whole-slide read at
            // CPU cost), on the viewer's demand, and find the file's tiles warm in L2 then
            List<LevelInfo> levels = new ArrayList<>(info.levels().reversed().stream().filter(l -> !l.generated()).toList());
            int fileLevels = levels.size();
            if (levels.size() > depth) {
                levels = levels.subList(0, depth);
            }
            long tiles = levels.stream().mapToLong(LevelInfo::tileCount).sum();
            progress.addTotal(tiles, 0);
            long failuresBefore = failed.get();
            loading.put(h.id(), Boolean.FALSE);
            long counted = 0;
            for (LevelInfo l : levels) {
                progress.setDetail(String.format(Locale.ROOT, "%s, level %d (%d x %d tiles)",
                        slide.getFileName(), l.index(), l.cols(), l.rows()));
                for (int row = 0; row < l.rows(); row++) {
                    for (int col = 0; col < l.cols(); col++) {
                        if (ctx.isCancelled()) {
                            progress.addDone(0, 0);
                            ctx.checkCancelled();
                        }
                        ctx.awaitIfPaused();
                        if (recentred && slides.indexOf(slide) != centre) {
                            // the user moved: this slide's remaining tiles wait their turn
                            progress.addTotal(-(tiles - counted), 0);
                            return SlideResult.INTERRUPTED;
                        }
                        counted++;
                        TileKey key = h.key(l.index(), col, row);
                        if (pipeline.encodedCached(key)) {
                            skipped.incrementAndGet();
                            progress.addDone(1, 0);
                            continue;
                        }
                        if (pipeline.hasFailed(key)) {
                            failed.incrementAndGet();
                            progress.addDone(1, 0);
                            continue;
                        }
                        // never fill L2 to the point of evicting: that could drop the slide in view
                        if (pipeline.l2Headroom() < (1 - L2_FILL_LIMIT) * pipeline.sizes().l2Bytes()) {
                            return SlideResult.L2_FULL;
                        }
                        yieldToForeground(ctx);
                        while (!inFlight.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                            ctx.checkCancelled();
                        }
                        progress.workerStarted();
                        // a copy: timing out or cancelling it must not touch the pipeline's own
                        // future, which foreground requests may share
                        CompletableFuture<?> f = pipeline.warm(h, key).copy()
                                .orTimeout(stuckAfter.toNanos(), TimeUnit.NANOSECONDS);
                        outstanding.add(f);
                        f.whenComplete((t, e) -> {
                            outstanding.remove(f);
                            inFlight.release();
                            progress.workerFinished();
                            if (e != null) {
                                failed.incrementAndGet();
                                progress.addFailure(failureText(e, slide, key));
                            } else {
                                int size = Math.max(0, pipeline.encodedSize(key));
                                loaded.incrementAndGet();
                                bytes.addAndGet(size);
                                progress.addDone(1, size);
                            }
                        });
                    }
                }
            }
            // this slide's reads finish (or are given up as stuck) before it counts as done
            while (!inFlight.tryAcquire(maxInFlight, 50, TimeUnit.MILLISECONDS)) {
                ctx.checkCancelled();
            }
            inFlight.release(maxInFlight);
            if (failed.get() == failuresBefore && depth >= fileLevels) {
                cachedIds.put(h.id(), slide);
                fullyCached.add(slide);
            }
            // marked first, checked after: a removal at any moment either finds the mark or the flag
            if (Boolean.TRUE.equals(loading.remove(h.id()))) {
                cachedIds.remove(h.id());
                fullyCached.remove(slide); // L2 lost one of its tiles while it loaded
            }
            return SlideResult.DONE;
        }
    }

    /** One line for a failed preload read. */
    private String failureText(Throwable e, Path slide, TileKey key) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        String where = slide.getFileName() + ": tile (level " + key.level() + ", col " + key.col() + ", row " + key.row() + ")";
        if (cause instanceof TimeoutException) {
            return where + ": read stuck for " + stuckAfter.toSeconds() + " s; given up";
        }
        if (cause instanceof CancellationException && cause.getMessage() == null) {
            return where + ": read given up when the run ended";
        }
        return cause.getMessage() != null ? cause.getMessage() : where + ": " + cause;
    }

    private static String folderName(List<Path> slides) {
        if (slides.isEmpty() || slides.getFirst().toAbsolutePath().getParent() == null) {
            return "";
        }
        return " in " + slides.getFirst().toAbsolutePath().getParent().getFileName();
    }
}
