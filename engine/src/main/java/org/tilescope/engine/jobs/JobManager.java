package org.tilescope.engine.jobs;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Owns the queue of background jobs: runs at most {@code maxConcurrent} at a time in priority
 * order, applies single-flight per kind, and publishes each job's snapshot at most every
 * {@value #PUBLISH_INTERVAL_MS} ms and only when something changed. Jobs run on virtual threads
 * (they orchestrate I/O; CPU work goes to the pipeline's pools).
 */
public final class JobManager implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(JobManager.class.getName());
    public static final long PUBLISH_INTERVAL_MS = 150;
    static final long TICK_MS = 25;
    /** No progress for this long while running marks a job stalled. */
    static final long STALL_MS = 3000;
    /** Time constant of the rate smoothing: the ETA follows changes over a few seconds, not jumps. */
    static final double RATE_TAU_SECONDS = 3.0;
    /** Finished jobs kept for the UI to show. */
    static final int KEEP_FINISHED = 20;

    // snapshot times: one wall-clock reading at start plus the monotonic clock, so the times of
    // two snapshots differ by exactly the nanoTime between their publishes (>= the interval)
    private static final long WALL_BASE_NANOS = Math.multiplyExact(System.currentTimeMillis(), 1_000_000L);
    private static final long NANO_BASE = System.nanoTime();

    static Instant wallClock(long nanoTime) {
        long epochNanos = WALL_BASE_NANOS + (nanoTime - NANO_BASE);
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    private final int maxConcurrent;
    private final AtomicLong ids = new AtomicLong();
    private final PriorityQueue<Entry> queue = new PriorityQueue<>(
            Comparator.comparingInt((Entry e) -> e.job.priority()).thenComparingLong(e -> e.id));
    private final List<Entry> running = new ArrayList<>();
    /** Every job not yet finished-and-published, plus the last finished ones. */
    private final List<Entry> tracked = new ArrayList<>();
    private final Deque<Entry> finished = new ArrayDeque<>();
    private final List<JobListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker;
    private volatile boolean closed;

    public JobManager(int maxConcurrent) {
        this.maxConcurrent = Math.max(1, maxConcurrent);
        this.ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("tilescope-jobs").daemon(true).factory());
        ticker.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    public void addListener(JobListener l) {
        listeners.add(l);
    }

    public void removeListener(JobListener l) {
        listeners.remove(l);
    }

    /** Queues a job (or, by its single-flight rule, cancels or joins one of its kind). */
    public synchronized JobHandle submit(Job job) {
        if (closed) {
            throw new IllegalStateException("job manager is closed");
        }
        for (Entry e : tracked) {
            if (!e.state.isFinal() && e.job.kind().equals(job.kind())) {
                switch (job.singleFlight()) {
                    case JOIN_RUNNING -> {
                        return e;
                    }
                    case CANCEL_RUNNING -> e.cancel();
                    case NONE -> {
                    }
                }
            }
        }
        Entry e = new Entry(ids.incrementAndGet(), job);
        tracked.add(e);
        queue.add(e);
        pump();
        return e;
    }

    /** Snapshots of the jobs the UI should show: unfinished ones and the last finished ones. */
    public synchronized List<JobSnapshot> snapshots() {
        return tracked.stream().map(e -> e.last).toList();
    }

    public synchronized List<JobHandle> active() {
        return tracked.stream().filter(e -> !e.state.isFinal()).map(e -> (JobHandle) e).toList();
    }

    private synchronized void pump() {
        while (running.size() < maxConcurrent && !queue.isEmpty()) {
            Entry e = queue.poll();
            if (e.cancelled) {
                e.finish(JobState.CANCELLED, "cancelled before it started");
                continue;
            }
            running.add(e);
            e.started();
            Thread.ofVirtual().name("tilescope-job-" + e.id).start(() -> execute(e));
        }
    }

    private void execute(Entry e) {
        JobState end;
        String reason = "";
        try {
            e.job.run(e);
            end = e.cancelled ? JobState.CANCELLED : JobState.DONE;
        } catch (CancellationException ex) {
            end = JobState.CANCELLED;
        } catch (InterruptedException ex) {
            end = JobState.CANCELLED;
            Thread.currentThread().interrupt();
        } catch (Exception | Error ex) {
            if (e.cancelled) {
                end = JobState.CANCELLED;
            } else {
                end = JobState.FAILED;
                reason = ex.getMessage() == null ? ex.toString() : ex.getMessage();
                LOG.log(Level.WARNING, "job '" + e.job.name() + "' failed: " + reason);
            }
        }
        synchronized (this) {
            running.remove(e);
            e.finish(end, reason);
            pump();
        }
    }

    private void tick() {
        List<Entry> snapshot;
        synchronized (this) {
            snapshot = List.copyOf(tracked);
        }
        long now = System.nanoTime();
        boolean allPublished = true;
        for (Entry e : snapshot) {
            try {
                allPublished &= e.maybePublish(now);
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "job snapshot failed", ex);
            }
        }
        if (closed && allPublished) {
            // after close, the ticker lives until every job has ended and its done() completed
            ticker.shutdown();
        }
    }

    private synchronized void retire(Entry e) {
        finished.addLast(e);
        while (finished.size() > KEEP_FINISHED) {
            tracked.remove(finished.removeFirst());
        }
    }

    /**
     * Cancels every job. Publishing goes on until each has ended and published its final
     * snapshot (so every {@link JobHandle#done()} completes), then the ticker stops.
     */
    @Override
    public void close() {
        List<Entry> all;
        synchronized (this) {
            closed = true;
            all = List.copyOf(tracked);
        }
        all.forEach(Entry::cancel);
    }

    /** One job: its handle, context and publishing state. */
    private final class Entry implements JobHandle, JobContext {
        final long id;
        final Job job;
        final Progress progress = new Progress();
        final CompletableFuture<JobSnapshot> done = new CompletableFuture<>();
        volatile JobState state = JobState.QUEUED;
        volatile boolean cancelled;
        volatile String reason = "";
        private final Object pauseLock = new Object();
        private boolean paused;
        // publishing state, touched only by the ticker
        private long publishedVersion = -1;
        private JobState publishedState;
        private long lastPublishNanos;
        private long rateNanos = System.nanoTime();
        private long rateItems;
        private long rateBytes;
        // exponential averages of the per-interval rates, and the total weight they carry so far:
        // rate = average / weight, so the first seconds are not dragged towards a zero start
        private double itemsAverage;
        private double bytesAverage;
        private double averageWeight;
        private double itemsRate = Double.NaN;
        private double bytesRate = Double.NaN;
        /** When the job last began to run (start or resume): rates measure from here. */
        private volatile long runningSinceNanos = Long.MAX_VALUE;
        private boolean stallPublished;
        volatile JobSnapshot last;

        Entry(long id, Job job) {
            this.id = id;
            this.job = job;
            this.last = snapshotNow(System.nanoTime());
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public Job job() {
            return job;
        }

        @Override
        public void cancel() {
            cancelled = true;
            synchronized (pauseLock) {
                paused = false;
                pauseLock.notifyAll();
            }
            progress.version.incrementAndGet();
            synchronized (JobManager.this) {
                if (queue.remove(this)) {
                    finish(JobState.CANCELLED, "cancelled before it started");
                }
            }
        }

        /** Leaves the queue: running, or paused when it was paused while it waited. */
        void started() {
            synchronized (pauseLock) {
                long now = System.nanoTime();
                // the stall clock and the rate start now, not when the job was queued
                progress.lastProgressNanos = now;
                runningSinceNanos = now;
                if (!state.isFinal()) {
                    state = paused ? JobState.PAUSED : JobState.RUNNING;
                }
            }
            progress.version.incrementAndGet();
        }

        @Override
        public void pause() {
            if (!job.supportsPause()) {
                return;
            }
            synchronized (pauseLock) {
                if (state.isFinal()) {
                    return;
                }
                paused = true;
                if (state == JobState.RUNNING) {
                    state = JobState.PAUSED;
                }
            }
            progress.version.incrementAndGet();
        }

        @Override
        public void resume() {
            synchronized (pauseLock) {
                paused = false;
                pauseLock.notifyAll();
                if (state == JobState.PAUSED) {
                    long now = System.nanoTime();
                    // time spent paused is neither a stall nor a slow rate
                    progress.lastProgressNanos = now;
                    runningSinceNanos = now;
                    state = JobState.RUNNING;
                }
            }
            progress.version.incrementAndGet();
        }

        @Override
        public JobSnapshot snapshot() {
            return last;
        }

        @Override
        public CompletableFuture<JobSnapshot> done() {
            return done;
        }

        @Override
        public Progress progress() {
            return progress;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public void awaitIfPaused() throws InterruptedException {
            synchronized (pauseLock) {
                while (paused && !cancelled) {
                    pauseLock.wait(50);
                }
            }
        }

        void finish(JobState end, String why) {
            synchronized (pauseLock) {
                reason = why;
                state = end; // under the lock, so a racing pause/resume cannot overwrite the end
            }
            progress.version.incrementAndGet();
        }

        /**
         * Publishes when something changed and the last snapshot is at least 150 ms old. True when
         * this job's final snapshot has been published.
         */
        boolean maybePublish(long now) {
            if (publishedState != null && publishedState.isFinal()) {
                return true;
            }
            boolean stalled = state == JobState.RUNNING
                    && now - progress.lastProgressNanos > STALL_MS * 1_000_000L;
            boolean changed = progress.version.get() != publishedVersion || state != publishedState
                    || stalled != stallPublished;
            if (!changed || now - lastPublishNanos < PUBLISH_INTERVAL_MS * 1_000_000L) {
                return false;
            }
            updateRates(now);
            publishedVersion = progress.version.get();
            publishedState = state;
            stallPublished = stalled;
            lastPublishNanos = now;
            JobSnapshot s = snapshotNow(now);
            last = s;
            for (JobListener l : listeners) {
                try {
                    l.onSnapshot(s);
                } catch (RuntimeException ex) {
                    LOG.log(Level.WARNING, "job listener failed", ex);
                }
            }
            if (s.state().isFinal()) {
                retire(this);
                done.complete(s);
                return true;
            }
            return false;
        }

        /**
         * Smoothed rates over the time the job has been running: an exponential average (time
         * constant {@value #RATE_TAU_SECONDS} s) of each interval's rate, divided by the weight
         * it has gathered, so the estimate is a proper weighted mean from the first interval on
         * instead of a decay from whatever the first interval happened to show. Time queued or
         * paused does not count.
         */
        private void updateRates(long now) {
            long since = runningSinceNanos;
            if (since == Long.MAX_VALUE || state != JobState.RUNNING) {
                return;
            }
            long items = progress.itemsDone.get();
            long bytes = progress.bytesDone.get();
            if (rateNanos < since) {
                // started or resumed since the last look: the next interval starts now
                rateNanos = now;
                rateItems = items;
                rateBytes = bytes;
                return;
            }
            double dt = (now - rateNanos) / 1e9;
            if (dt < 0.05) {
                return;
            }
            double instItems = (items - rateItems) / dt;
            double instBytes = (bytes - rateBytes) / dt;
            double alpha = 1 - Math.exp(-dt / RATE_TAU_SECONDS);
            itemsAverage += alpha * (instItems - itemsAverage);
            bytesAverage += alpha * (instBytes - bytesAverage);
            averageWeight += alpha * (1 - averageWeight);
            itemsRate = itemsAverage / averageWeight;
            bytesRate = bytesAverage / averageWeight;
            rateNanos = now;
            rateItems = items;
            rateBytes = bytes;
        }

        private JobSnapshot snapshotNow(long now) {
            long done = progress.itemsDone.get();
            long total = progress.itemsTotal.get();
            long bytesDone = progress.bytesDone.get();
            long bytesTotal = progress.bytesTotal.get();
            double ir = Double.isNaN(itemsRate) ? 0 : Math.max(0, itemsRate);
            double br = Double.isNaN(bytesRate) ? 0 : Math.max(0, bytesRate);
            OptionalLong eta = OptionalLong.empty();
            if (state == JobState.RUNNING) {
                if (bytesTotal > 0 && br > 0) {
                    eta = OptionalLong.of((long) ((bytesTotal - bytesDone) / br * 1000));
                } else if (total > 0 && ir > 0) {
                    eta = OptionalLong.of((long) ((total - done) / ir * 1000));
                }
            }
            long sinceProgressMs = (now - progress.lastProgressNanos) / 1_000_000L;
            Optional<Instant> stalledSince = state == JobState.RUNNING && sinceProgressMs > STALL_MS
                    ? Optional.of(wallClock(progress.lastProgressNanos)) : Optional.empty();
            return new JobSnapshot(id, job.name(), job.kind(), state, done, total, bytesDone, bytesTotal, ir, br, eta,
                    progress.activeWorkers.get(), progress.failures.get(), progress.firstFailures(), stalledSince,
                    progress.detail(), reason, wallClock(now));
        }
    }
}
