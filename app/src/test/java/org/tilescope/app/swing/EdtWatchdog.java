package org.tilescope.app.swing;

import java.awt.AWTEvent;
import java.awt.EventQueue;
import java.awt.Toolkit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Fails a window test when one event holds the EDT for more than {@value #LIMIT_MS} ms: the
 * window would have frozen for a user. It is pushed as the system event queue and times every
 * dispatch; a sampler thread takes the EDT's stack once an event has run past the limit, so the
 * report shows where the EDT was stuck (a {@code Files.exists} on a dead mount, a process wait),
 * not where it happened to end. Time inside a nested dispatch (a modal dialog's loop) counts for
 * the nested events, not for the one that opened the dialog. Taken out, since no code of ours
 * can avoid them: stop-the-world GC pauses, and on Linux the time the EDT was runnable but got
 * no CPU (its run-queue wait in {@code /proc/thread-self/schedstat}: other processes on a busy
 * machine). Robot's sync with the X server (tests only) is not counted.
 */
public final class EdtWatchdog extends EventQueue implements AutoCloseable {
    public static final long LIMIT_MS = 250;
    private static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int STACK_FRAMES = 40;

    /** One event that held the EDT too long, with the EDT's stack while it did. */
    public record Stall(String event, long millis, long gcMillis, long waitedForCpuMillis,
                        List<StackTraceElement> stack) {
        public String describe() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                    "EDT held %d ms (taken out: GC pauses %d ms, waiting for a CPU %d ms) by %s%n  EDT stack past %d ms:",
                    millis, gcMillis, waitedForCpuMillis, event, LIMIT_MS));
            for (StackTraceElement e : stack) {
                b.append(System.lineSeparator()).append("    at ").append(e);
            }
            return b.toString();
        }
    }

    /** One dispatch in progress; the sampler reads it from its own thread. */
    private static final class Frame {
        final AWTEvent event;
        final long gcAtStart = gcPauseMillis();
        final long cpuWaitAtStart;
        volatile long ownNanos;
        volatile long resumedAt;
        volatile StackTraceElement[] stack;

        Frame(AWTEvent event, long now, long cpuWaitAtStart) {
            this.event = event;
            this.resumedAt = now;
            this.cpuWaitAtStart = cpuWaitAtStart;
        }

        long ownSoFar(long now) {
            return ownNanos + (now - resumedAt);
        }
    }

    private final List<Stall> stalls = new CopyOnWriteArrayList<>();
    private final Thread sampler;
    private volatile Frame top;
    private volatile Thread edt;
    /** The EDT's scheduler statistics file, or null off Linux. */
    private volatile Path edtSchedstat;
    /** The EDT's run-queue wait as the sampler last read it, in nanoseconds; -1 when unknown. */
    private volatile long edtCpuWait = -1;
    private volatile boolean running = true;

    private EdtWatchdog() {
        sampler = Thread.ofPlatform().name("edt-watchdog").daemon(true).unstarted(this::sample);
    }

    /** Pushes a watchdog onto the system event queue; {@link #close()} pops it. */
    public static EdtWatchdog install() {
        EdtWatchdog w = new EdtWatchdog();
        Toolkit.getDefaultToolkit().getSystemEventQueue().push(w);
        w.sampler.start();
        return w;
    }

    @Override
    protected void dispatchEvent(AWTEvent event) {
        if (edt != Thread.currentThread()) {
            edt = Thread.currentThread(); // a new EDT (AWT starts another after an idle one ends)
            edtSchedstat = ownSchedstat();
            edtCpuWait = cpuWait(edtSchedstat);
        }
        long now = System.nanoTime();
        Frame outer = top;
        if (outer != null) {
            outer.ownNanos += now - outer.resumedAt; // its clock stops while the nested event runs
        }
        Frame f = new Frame(event, now, edtCpuWait);
        top = f;
        try {
            super.dispatchEvent(event);
        } finally {
            long end = System.nanoTime();
            f.ownNanos += end - f.resumedAt;
            top = outer;
            if (outer != null) {
                outer.resumedAt = end;
            }
            long gc = Math.max(0, gcPauseMillis() - f.gcAtStart);
            long ms = TimeUnit.NANOSECONDS.toMillis(f.ownNanos) - gc;
            long waited = 0;
            if (ms > LIMIT_MS && f.cpuWaitAtStart >= 0) {
                // only for a slow event: one read of the EDT's own statistics now
                long cpuWaitNow = cpuWait(edtSchedstat);
                waited = cpuWaitNow < 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(Math.max(0, cpuWaitNow - f.cpuWaitAtStart));
                ms -= waited;
            }
            if (ms > LIMIT_MS) {
                StackTraceElement[] stack = f.stack;
                if (stack == null) {
                    stack = Thread.currentThread().getStackTrace(); // the sampler was late: where it ended
                }
                if (isRobotSync(stack)) {
                    return;
                }
                List<StackTraceElement> kept = new ArrayList<>();
                for (int i = 0; i < stack.length && kept.size() < STACK_FRAMES; i++) {
                    kept.add(stack[i]);
                }
                stalls.add(new Stall(describe(event), ms, gc, waited, kept));
            }
        }
    }

    private void sample() {
        while (running) {
            LockSupport.parkNanos(SAMPLE_NANOS);
            edtCpuWait = cpuWait(edtSchedstat);
            Frame f = top;
            Thread t = edt;
            if (f != null && t != null && f.stack == null
                    && f.ownSoFar(System.nanoTime()) > TimeUnit.MILLISECONDS.toNanos(LIMIT_MS)) {
                StackTraceElement[] s = t.getStackTrace();
                if (top == f) {
                    f.stack = s;
                }
            }
        }
    }

    /**
     * Robot.waitForIdle's handshake with the X server: an event that waits on the display until
     * the EDT has gone quiet. Only tests post it, and it waits by design.
     */
    private static boolean isRobotSync(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            if (e.getMethodName().equals("syncNativeQueue") && e.getClassName().startsWith("sun.awt.")) {
                return true;
            }
        }
        return false;
    }

    private static Path ownSchedstat() {
        return ThreadClock.ownSchedstat();
    }

    private static long cpuWait(Path schedstat) {
        return ThreadClock.cpuWait(schedstat);
    }

    private static String describe(AWTEvent e) {
        String s = e.toString();
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    static long gcPauseMillis() {
        return ThreadClock.gcPauseMillis();
    }

    /** The stalls seen so far. */
    public List<Stall> stalls() {
        return List.copyOf(stalls);
    }

    /** All stalls in one message, or the empty string. */
    public String report() {
        StringBuilder b = new StringBuilder();
        for (Stall s : stalls) {
            b.append(s.describe()).append(System.lineSeparator());
        }
        return b.toString();
    }

    /** Pops the watchdog; events queued meanwhile go on to the previous queue. */
    @Override
    public void close() {
        running = false;
        try {
            pop();
        } catch (java.util.EmptyStackException e) {
            // already popped
        }
    }
}
