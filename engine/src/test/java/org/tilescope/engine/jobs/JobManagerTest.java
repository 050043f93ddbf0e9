package org.tilescope.engine.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.EventQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobManagerTest {
    /** Hang guard only: nothing here asserts speed. */
    static final Duration GUARD = Duration.ofSeconds(30);

    private final List<JobManager> managers = new ArrayList<>();

    JobManager manager(int maxConcurrent) {
        JobManager m = new JobManager(maxConcurrent);
        managers.add(m);
        return m;
    }

    @AfterEach
    void closeAll() {
        managers.forEach(JobManager::close);
    }

    @FunctionalInterface
    interface Body {
        void run(JobContext ctx) throws Exception;
    }

    static final class TestJob extends Job {
        final Body body;
        final SingleFlight singleFlight;
        final boolean pausable;
        final AtomicInteger runs = new AtomicInteger();

        TestJob(String name, String kind, int priority, SingleFlight singleFlight, boolean pausable, Body body) {
            super(name, kind, priority);
            this.body = body;
            this.singleFlight = singleFlight;
            this.pausable = pausable;
        }

        @Override
        public SingleFlight singleFlight() {
            return singleFlight;
        }

        @Override
        public boolean supportsPause() {
            return pausable;
        }

        @Override
        protected void run(JobContext ctx) throws Exception {
            runs.incrementAndGet();
            body.run(ctx);
        }
    }

    static TestJob job(String name, Body body) {
        return new TestJob(name, name, 10, Job.SingleFlight.NONE, false, body);
    }

    static JobSnapshot awaitEnd(JobHandle h) throws Exception {
        return h.done().get(GUARD.toSeconds(), TimeUnit.SECONDS);
    }

    static JobSnapshot awaitSnapshot(JobHandle h, Predicate<JobSnapshot> p, String what) {
        long end = System.nanoTime() + GUARD.toNanos();
        while (System.nanoTime() < end) {
            JobSnapshot s = h.snapshot();
            if (p.test(s)) {
                return s;
            }
            LockSupport.parkNanos(2_000_000);
        }
        return fail("timed out waiting for " + what + "; last " + h.snapshot());
    }

    static void awaitTrue(BooleanSupplier c, String what) {
        long end = System.nanoTime() + GUARD.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    static void await(CountDownLatch l) throws InterruptedException {
        assertTrue(l.await(GUARD.toSeconds(), TimeUnit.SECONDS), "latch timed out");
    }

    /** Items one after another until cancelled, each taking about {@code itemNanos}. */
    static Body untilCancelled(long itemNanos) {
        return ctx -> {
            while (true) {
                ctx.checkCancelled();
                ctx.awaitIfPaused();
                LockSupport.parkNanos(itemNanos);
                ctx.progress().addDone(1, 0);
            }
        };
    }

    @Test
    void lifecycleQueuedRunningDone() throws Exception {
        JobManager m = manager(1);
        CountDownLatch releaseBlocker = new CountDownLatch(1);
        JobHandle blocker = m.submit(job("blocker", ctx -> await(releaseBlocker)));
        CountDownLatch inB = new CountDownLatch(1);
        CountDownLatch releaseB = new CountDownLatch(1);
        JobHandle b = m.submit(job("b", ctx -> {
            ctx.progress().setTotal(3, 300);
            inB.countDown();
            await(releaseB);
            for (int i = 0; i < 3; i++) {
                ctx.progress().addDone(1, 100);
            }
        }));
        assertEquals(JobState.QUEUED, b.snapshot().state());
        awaitSnapshot(blocker, s -> s.state() == JobState.RUNNING, "blocker running");
        assertEquals(JobState.QUEUED, awaitSnapshot(b, s -> true, "b").state());
        releaseBlocker.countDown();
        assertEquals(JobState.DONE, awaitEnd(blocker).state());
        await(inB);
        JobSnapshot running = awaitSnapshot(b, s -> s.state() == JobState.RUNNING, "b running");
        assertEquals(3, running.itemsTotal());
        assertEquals(0, running.itemsDone());
        releaseB.countDown();
        JobSnapshot end = awaitEnd(b);
        assertEquals(JobState.DONE, end.state());
        assertEquals(3, end.itemsDone());
        assertEquals(300, end.bytesDone());
        assertEquals(1.0, end.fraction());
        assertEquals("", end.reason());
        assertSame(end, b.snapshot());
        assertTrue(m.active().isEmpty());
        assertTrue(m.snapshots().stream().anyMatch(s -> s.id() == b.id() && s.state() == JobState.DONE));
    }

    @Test
    void aThrowingJobFailsWithItsReason() throws Exception {
        JobManager m = manager(2);
        JobHandle h = m.submit(job("bad", ctx -> {
            ctx.progress().addFailure("tile 3: truncated");
            throw new IllegalStateException("disk on fire");
        }));
        JobSnapshot end = awaitEnd(h);
        assertEquals(JobState.FAILED, end.state());
        assertEquals("disk on fire", end.reason());
        assertEquals(1, end.failures());
        assertEquals(List.of("tile 3: truncated"), end.firstFailures());
    }

    @Test
    void cancelEndsARunningJobAsCancelled() throws Exception {
        JobManager m = manager(2);
        JobHandle h = m.submit(job("loop", untilCancelled(1_000_000)));
        awaitSnapshot(h, s -> s.state() == JobState.RUNNING && s.itemsDone() > 0, "progress");
        h.cancel();
        assertEquals(JobState.CANCELLED, awaitEnd(h).state());

        // a job that notices the cancel and simply returns is cancelled too, not done
        JobHandle polite = m.submit(job("polite", ctx -> {
            while (!ctx.isCancelled()) {
                LockSupport.parkNanos(1_000_000);
            }
        }));
        awaitSnapshot(polite, s -> s.state() == JobState.RUNNING, "polite running");
        polite.cancel();
        assertEquals(JobState.CANCELLED, awaitEnd(polite).state());
    }

    @Test
    void cancelOfAQueuedJobEndsItWithoutRunningIt() throws Exception {
        JobManager m = manager(1);
        CountDownLatch release = new CountDownLatch(1);
        JobHandle blocker = m.submit(job("blocker", ctx -> await(release)));
        TestJob queued = job("queued", ctx -> { });
        JobHandle h = m.submit(queued);
        h.cancel();
        JobSnapshot end = awaitEnd(h);
        assertEquals(JobState.CANCELLED, end.state());
        assertTrue(end.reason().contains("before it started"), end.reason());
        release.countDown();
        awaitEnd(blocker);
        assertEquals(0, queued.runs.get());
    }

    @Test
    void singleFlightCancelRunningReplacesTheRunningJob() throws Exception {
        JobManager m = manager(4);
        TestJob first = new TestJob("preload A", "preload", 10, Job.SingleFlight.CANCEL_RUNNING, false,
                untilCancelled(1_000_000));
        JobHandle a = m.submit(first);
        awaitSnapshot(a, s -> s.state() == JobState.RUNNING, "a running");
        CountDownLatch ran = new CountDownLatch(1);
        JobHandle b = m.submit(new TestJob("preload B", "preload", 10, Job.SingleFlight.CANCEL_RUNNING, false,
                ctx -> ran.countDown()));
        assertNotSame(a, b);
        assertEquals(JobState.CANCELLED, awaitEnd(a).state());
        assertEquals(JobState.DONE, awaitEnd(b).state());
        await(ran);
    }

    @Test
    void singleFlightJoinRunningHandsBackTheRunningJob() throws Exception {
        JobManager m = manager(4);
        CountDownLatch release = new CountDownLatch(1);
        TestJob first = new TestJob("scan", "scan", 10, Job.SingleFlight.JOIN_RUNNING, false, ctx -> await(release));
        TestJob second = new TestJob("scan again", "scan", 10, Job.SingleFlight.JOIN_RUNNING, false, ctx -> { });
        JobHandle a = m.submit(first);
        JobHandle b = m.submit(second);
        assertSame(a, b);
        release.countDown();
        assertEquals(JobState.DONE, awaitEnd(a).state());
        assertEquals(1, first.runs.get());
        assertEquals(0, second.runs.get());
        // once it is over, the same kind starts afresh
        JobHandle c = m.submit(second);
        assertNotSame(a, c);
        assertEquals(JobState.DONE, awaitEnd(c).state());
        assertEquals(1, second.runs.get());
    }

    @Test
    void atMostMaxConcurrentRunAtOnce() throws Exception {
        JobManager m = manager(2);
        AtomicInteger now = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch twoIn = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        List<JobHandle> hs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            hs.add(m.submit(job("j" + i, ctx -> {
                peak.accumulateAndGet(now.incrementAndGet(), Math::max);
                twoIn.countDown();
                await(release);
                now.decrementAndGet();
            })));
        }
        await(twoIn);
        LockSupport.parkNanos(200_000_000); // room for a third to start, were it allowed to
        assertEquals(2, now.get());
        assertEquals(4, hs.stream().filter(h -> h.snapshot().state() == JobState.QUEUED).count());
        release.countDown();
        for (JobHandle h : hs) {
            assertEquals(JobState.DONE, awaitEnd(h).state());
        }
        assertEquals(2, peak.get());
    }

    @Test
    void queuedJobsStartInPriorityOrderThenSubmitOrder() throws Exception {
        JobManager m = manager(1);
        CountDownLatch release = new CountDownLatch(1);
        JobHandle blocker = m.submit(job("blocker", ctx -> await(release)));
        List<String> started = new CopyOnWriteArrayList<>();
        List<JobHandle> hs = new ArrayList<>();
        String[] names = {"p5", "p1a", "p3", "p1b", "p0"};
        int[] prios = {5, 1, 3, 1, 0};
        for (int i = 0; i < names.length; i++) {
            String n = names[i];
            hs.add(m.submit(new TestJob(n, n, prios[i], Job.SingleFlight.NONE, false, ctx -> started.add(n))));
        }
        release.countDown();
        awaitEnd(blocker);
        for (JobHandle h : hs) {
            awaitEnd(h);
        }
        assertEquals(List.of("p0", "p1a", "p1b", "p3", "p5"), started);
    }

    @Test
    void pauseHoldsAPausableJobAndResumeLetsItFinish() throws Exception {
        JobManager m = manager(2);
        AtomicBoolean finished = new AtomicBoolean();
        TestJob t = new TestJob("pausable", "p", 10, Job.SingleFlight.NONE, true, ctx -> {
            ctx.progress().setTotal(100, -1);
            for (int i = 0; i < 100; i++) {
                ctx.checkCancelled();
                ctx.awaitIfPaused();
                LockSupport.parkNanos(2_000_000);
                ctx.progress().addDone(1, 0);
            }
            finished.set(true);
        });
        JobHandle h = m.submit(t);
        awaitSnapshot(h, s -> s.itemsDone() >= 5, "some progress");
        h.pause();
        JobSnapshot paused = awaitSnapshot(h, s -> s.state() == JobState.PAUSED, "paused");
        assertTrue(paused.etaMillis().isEmpty(), "no ETA while paused");
        // at most the item in hand when pause came finishes; then nothing moves
        long itemsAtPause = paused.itemsDone();
        LockSupport.parkNanos(400_000_000);
        assertTrue(h.snapshot().itemsDone() <= itemsAtPause + 1, "moved while paused: " + h.snapshot());
        assertFalse(finished.get());
        assertEquals(JobState.PAUSED, h.snapshot().state());
        h.resume();
        JobSnapshot end = awaitEnd(h);
        assertEquals(JobState.DONE, end.state());
        assertEquals(100, end.itemsDone());
    }

    @Test
    void pauseIsIgnoredByAJobThatDoesNotSupportIt() throws Exception {
        JobManager m = manager(2);
        CountDownLatch release = new CountDownLatch(1);
        JobHandle h = m.submit(job("plain", ctx -> await(release)));
        awaitSnapshot(h, s -> s.state() == JobState.RUNNING, "running");
        h.pause();
        LockSupport.parkNanos(200_000_000);
        assertEquals(JobState.RUNNING, h.snapshot().state());
        release.countDown();
        assertEquals(JobState.DONE, awaitEnd(h).state());
    }

    @Test
    void aJobPausedWhileQueuedStartsPausedAndCanBeCancelled() throws Exception {
        JobManager m = manager(1);
        CountDownLatch release = new CountDownLatch(1);
        JobHandle blocker = m.submit(job("blocker", ctx -> await(release)));
        TestJob t = new TestJob("pausable", "p", 10, Job.SingleFlight.NONE, true, untilCancelled(1_000_000));
        JobHandle h = m.submit(t);
        h.pause();
        release.countDown();
        awaitEnd(blocker);
        awaitTrue(() -> t.runs.get() == 1, "paused job started");
        JobSnapshot s = awaitSnapshot(h, x -> x.state() != JobState.QUEUED, "left the queue");
        assertEquals(JobState.PAUSED, s.state(), "a job that cannot move must not say it runs");
        assertEquals(0, h.snapshot().itemsDone());
        h.cancel();
        assertEquals(JobState.CANCELLED, awaitEnd(h).state());
    }

    @Test
    void snapshotsOfOneJobAreAtLeast150MsApart() throws Exception {
        JobManager m = manager(2);
        Map<Long, List<JobSnapshot>> seen = new ConcurrentHashMap<>();
        m.addListener(s -> seen.computeIfAbsent(s.id(), k -> new CopyOnWriteArrayList<>()).add(s));
        // progress every millisecond for about 1.5 s: far more changes than publishes
        JobHandle h = m.submit(job("busy", ctx -> {
            ctx.progress().setTotal(1500, -1);
            for (int i = 0; i < 1500; i++) {
                LockSupport.parkNanos(1_000_000);
                ctx.progress().addDone(1, 0);
            }
        }));
        awaitEnd(h);
        List<JobSnapshot> list = seen.get(h.id());
        assertTrue(list.size() >= 3, "a 1.5 s job publishes a few times: " + list.size());
        for (int i = 1; i < list.size(); i++) {
            long gapMs = Duration.between(list.get(i - 1).at(), list.get(i).at()).toMillis();
            assertTrue(gapMs >= JobManager.PUBLISH_INTERVAL_MS,
                    "snapshots " + (i - 1) + " and " + i + " only " + gapMs + " ms apart");
        }
        assertEquals(JobState.DONE, list.getLast().state());
        assertTrue(list.size() < 1500 / 50, "throttled: " + list.size() + " snapshots");
    }

    @Test
    void anUnchangedJobPublishesNothingNew() throws Exception {
        JobManager m = manager(2);
        AtomicInteger count = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        JobHandle h = m.submit(job("idle", ctx -> {
            ctx.progress().setTotal(10, -1);
            ctx.progress().addDone(1, 0);
            await(release);
        }));
        m.addListener(s -> {
            if (s.id() == h.id()) {
                count.incrementAndGet();
            }
        });
        awaitSnapshot(h, s -> s.state() == JobState.RUNNING && s.itemsDone() == 1, "first item");
        int before = count.get();
        JobSnapshot last = h.snapshot();
        LockSupport.parkNanos(1_000_000_000L); // well under the 3 s stall threshold
        assertEquals(before, count.get(), "nothing changed, yet snapshots were published");
        assertSame(last, h.snapshot());
        release.countDown();
        awaitEnd(h);
    }

    /** A job that does one item every ~10 ms out of 300; after a second its ETA is near the truth. */
    @Test
    void etaIsSaneOnASteadyJob() throws Exception {
        JobManager m = manager(2);
        long[] started = new long[1];
        JobHandle h = m.submit(job("steady", steady(started)));
        checkEta(h, started);
        h.cancel();
        awaitEnd(h);
    }

    /**
     * The same steady job, but it waited in the queue for a while, then did a moment of set-up
     * before its first item: neither the queue time nor the set-up may drag the rate down for long.
     */
    @Test
    void etaIsSaneOnASteadyJobThatWaitedInTheQueue() throws Exception {
        JobManager m = manager(1);
        CountDownLatch release = new CountDownLatch(1);
        JobHandle blocker = m.submit(job("blocker", ctx -> await(release)));
        long[] started = new long[1];
        Body steady = steady(started);
        JobHandle h = m.submit(job("steady", ctx -> {
            ctx.progress().setDetail("listing the folder");
            LockSupport.parkNanos(200_000_000); // set-up, no items yet
            steady.run(ctx);
        }));
        LockSupport.parkNanos(1_500_000_000L);
        release.countDown();
        awaitEnd(blocker);
        checkEta(h, started);
        h.cancel();
        awaitEnd(h);
    }

    private static Body steady(long[] started) {
        return ctx -> {
            ctx.progress().setTotal(300, -1);
            started[0] = System.nanoTime();
            for (int i = 0; i < 300; i++) {
                ctx.checkCancelled();
                LockSupport.parkNanos(10_000_000);
                ctx.progress().addDone(1, 0);
            }
        };
    }

    private static void checkEta(JobHandle h, long[] started) {
        awaitTrue(() -> started[0] != 0, "steady part started");
        awaitTrue(() -> System.nanoTime() - started[0] > 1_000_000_000L, "a second of items");
        // the next snapshot after the one-second mark
        Instant mark = Instant.now();
        JobSnapshot s = awaitSnapshot(h, x -> x.at().isAfter(mark), "a fresh snapshot");
        assertEquals(JobState.RUNNING, s.state(), "still running: the check came too late to mean much");
        double elapsed = (System.nanoTime() - started[0]) / 1e9;
        // the truth, measured: this machine's real pace for these items
        double perItem = elapsed / Math.max(1, s.itemsDone());
        double trueRemainingMs = (300 - s.itemsDone()) * perItem * 1000;
        assertTrue(s.etaMillis().isPresent(), "no ETA: " + s);
        long eta = s.etaMillis().getAsLong();
        assertTrue(eta >= 0.3 * trueRemainingMs && eta <= 3 * trueRemainingMs,
                "ETA " + eta + " ms vs about " + (long) trueRemainingMs + " ms left (" + s + ")");
    }

    @Test
    void stalledSinceAppearsAfterThreeSecondsWithoutProgressAndClearsOnProgress() throws Exception {
        JobManager m = manager(1);
        CountDownLatch release = new CountDownLatch(1);
        JobHandle h = m.submit(job("stuck", ctx -> {
            ctx.progress().setTotal(2, -1);
            ctx.progress().addDone(1, 0);
            await(release);
            ctx.progress().addDone(1, 0);
            LockSupport.parkNanos(400_000_000);
        }));
        // a job queued behind it all that time has not stalled when it starts: its clock starts then
        CountDownLatch releaseNext = new CountDownLatch(1);
        JobHandle next = m.submit(job("next", ctx -> {
            ctx.progress().setTotal(1, -1);
            await(releaseNext);
            ctx.progress().addDone(1, 0);
        }));
        JobSnapshot first = awaitSnapshot(h, s -> s.itemsDone() == 1, "first item");
        assertTrue(first.stalledSince().isEmpty());
        JobSnapshot stalled = awaitSnapshot(h, s -> s.stalledSince().isPresent(), "stalled");
        assertEquals(JobState.RUNNING, stalled.state());
        Instant since = stalled.stalledSince().orElseThrow();
        assertTrue(Duration.between(since, stalled.at()).toMillis() >= JobManager.STALL_MS,
                "stalled since " + since + " at " + stalled.at());
        release.countDown();
        awaitSnapshot(h, s -> s.itemsDone() == 2 && s.stalledSince().isEmpty(), "progress clears the stall");
        assertEquals(JobState.DONE, awaitEnd(h).state());

        JobSnapshot nextRunning = awaitSnapshot(next, s -> s.state() == JobState.RUNNING, "next running");
        assertTrue(nextRunning.stalledSince().isEmpty(), "stalled the moment it started: " + nextRunning);
        releaseNext.countDown();
        assertEquals(JobState.DONE, awaitEnd(next).state());
    }

    @Test
    void listenersHearSnapshotsOffTheEventDispatchThread() throws Exception {
        JobManager m = manager(2);
        List<String> threads = new CopyOnWriteArrayList<>();
        AtomicBoolean onEdt = new AtomicBoolean();
        m.addListener(s -> {
            threads.add(Thread.currentThread().getName());
            if (EventQueue.isDispatchThread()) {
                onEdt.set(true);
            }
        });
        // submitted from the EDT, as the UI does
        JobHandle[] h = new JobHandle[1];
        EventQueue.invokeAndWait(() -> h[0] = m.submit(job("x", ctx -> ctx.progress().addDone(1, 0))));
        awaitEnd(h[0]);
        assertFalse(threads.isEmpty());
        assertFalse(onEdt.get());
        assertTrue(threads.stream().allMatch(n -> n.equals("tilescope-jobs")), threads.toString());
    }

    @Test
    void closeCancelsRunningAndQueuedJobsAndTheirFuturesComplete() throws Exception {
        JobManager m = manager(1);
        JobHandle running = m.submit(job("running", untilCancelled(1_000_000)));
        TestJob queuedJob = job("queued", ctx -> { });
        JobHandle queued = m.submit(queuedJob);
        awaitSnapshot(running, s -> s.state() == JobState.RUNNING, "running");
        m.close();
        assertEquals(JobState.CANCELLED, awaitEnd(running).state());
        assertEquals(JobState.CANCELLED, awaitEnd(queued).state());
        assertEquals(0, queuedJob.runs.get());
        assertThrows(IllegalStateException.class, () -> m.submit(job("late", ctx -> { })));
    }
}
