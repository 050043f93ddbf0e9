package org.tilescope.benchmarks.ui;

import java.awt.AWTEvent;
import java.awt.EventQueue;
import java.awt.Toolkit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.tilescope.app.swing.ThreadClock;

/**
 * Records every EDT event that runs longer than a frame ({@value #LIMIT_MS} ms) while a scripted
 * run drives the window: pushed as the system event queue, it times each dispatch, and a sampler
 * thread takes the EDT's stack every {@value #SAMPLE_MS} ms while an event is past the limit, so
 * each stall says where the EDT spent its time. Time the run itself spends on the EDT measuring
 * (counting unfilled pixels after a frame) is handed back through {@link #exclude(long)}. Each stall
 * also carries the stop-the-world GC time and the EDT's run-queue wait (Linux {@code schedstat}) inside
 * it, so a stall caused by a busy machine can be told from one caused by our code.
 */
final class EdtStalls extends EventQueue implements AutoCloseable {
    static final long LIMIT_MS = 16;
    private static final long SAMPLE_MS = 4;
    private static final int KEPT_FRAMES = 14;

    /**
     * One long event.
     *
     * @param millis      its time on the EDT, measuring excluded
     * @param gcMillis    stop-the-world GC pauses inside it
     * @param cpuWaitMillis time the EDT was runnable but had no CPU
     * @param where       the EDT's stack in the most often sampled place (our frames first), or
     *                    where the event ended when no sample was taken
     */
    record Stall(String phase, String event, long millis, long gcMillis, long cpuWaitMillis, List<String> where) {
        /** Longer than a frame even after GC pauses and CPU waits are taken out: our own code's time. */
        boolean ours() {
            return millis - gcMillis - cpuWaitMillis > LIMIT_MS;
        }

        String describe() {
            return String.format(Locale.ROOT, "  [%s] %d ms (GC %d, CPU wait %d) %s%n      %s", phase, millis, gcMillis,
                    cpuWaitMillis, event, String.join("\n      ", where));
        }
    }

    private final List<Stall> stalls = new CopyOnWriteArrayList<>();
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile Thread edt;
    private volatile Path schedstat;
    private volatile long sampledCpuWait = -1;
    private volatile long eventStart;
    private volatile boolean inEvent;
    private final List<StackTraceElement[]> samples = new CopyOnWriteArrayList<>();
    private long excluded;
    private int depth;
    private volatile String phase = "start";

    private EdtStalls() {
        sampler = Thread.ofPlatform().name("edt-stall-sampler").daemon(true).unstarted(this::sample);
    }

    static EdtStalls install() {
        EdtStalls s = new EdtStalls();
        Toolkit.getDefaultToolkit().getSystemEventQueue().push(s);
        s.sampler.start();
        return s;
    }

    /** Names the part of the script that runs now; stalls are reported per part. */
    void phase(String name) {
        phase = name;
    }

    /** On the EDT: time spent measuring inside the current event, not counted against it. */
    void exclude(long nanos) {
        excluded += nanos;
    }

    @Override
    protected void dispatchEvent(AWTEvent event) {
        if (depth > 0) { // a nested loop (modal dialog): time the outer event only
            super.dispatchEvent(event);
            return;
        }
        if (edt != Thread.currentThread()) {
            edt = Thread.currentThread();
            schedstat = ThreadClock.ownSchedstat();
        }
        long gc0 = ThreadClock.gcPauseMillis();
        long wait0 = sampledCpuWait; // no file read per event: the sampler keeps it fresh
        excluded = 0;
        samples.clear();
        long t0 = System.nanoTime();
        eventStart = t0;
        inEvent = true;
        depth++;
        try {
            super.dispatchEvent(event);
        } finally {
            depth--;
            inEvent = false;
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0 - excluded);
            if (ms > LIMIT_MS) {
                long wait1 = ThreadClock.cpuWait(schedstat);
                long waited = wait0 < 0 || wait1 < 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(wait1 - wait0);
                List<StackTraceElement[]> taken = new ArrayList<>(samples);
                if (taken.isEmpty()) {
                    taken.add(Thread.currentThread().getStackTrace());
                }
                stalls.add(new Stall(phase, describe(event), ms, ThreadClock.gcPauseMillis() - gc0, waited, where(taken)));
            }
        }
    }

    private void sample() {
        while (running) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SAMPLE_MS));
            sampledCpuWait = ThreadClock.cpuWait(schedstat);
            Thread t = edt;
            if (t != null && inEvent && System.nanoTime() - eventStart > TimeUnit.MILLISECONDS.toNanos(LIMIT_MS / 2)) {
                samples.add(t.getStackTrace());
            }
        }
    }

    /** The most frequent stack among the samples, cut to the frames that say most. */
    private static List<String> where(List<StackTraceElement[]> taken) {
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        java.util.Map<String, List<String>> stacks = new java.util.HashMap<>();
        for (StackTraceElement[] s : taken) {
            List<String> kept = Arrays.stream(s).limit(KEPT_FRAMES).map(StackTraceElement::toString).toList();
            String k = String.join("|", kept);
            counts.merge(k, 1, Integer::sum);
            stacks.putIfAbsent(k, kept);
        }
        String best = counts.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).orElseThrow().getKey();
        List<String> out = new ArrayList<>(stacks.get(best));
        out.add(0, counts.get(best) + " of " + taken.size() + " samples here:");
        return out;
    }

    List<Stall> stalls() {
        return List.copyOf(stalls);
    }

    private static String describe(AWTEvent e) {
        String s = e.getClass().getSimpleName() + " " + e.paramString();
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }

    /**
     * Stops sampling. The queue stays pushed: popping it hands dispatch to a new EDT thread while
     * the window's own events are still running, which the run's EDT checks take for off-EDT access.
     */
    @Override
    public void close() {
        running = false;
    }
}
