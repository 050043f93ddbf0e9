package org.tilescope.app.swing;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What else took a thread's time while it ran an event: stop-the-world GC pauses, and (Linux) the
 * time it was runnable but had no CPU. Watchdogs and the UI benchmarks take both out of an EDT
 * event's time, so that a stall says what our code did, not what a busy machine did.
 */
public final class ThreadClock {
    private ThreadClock() {
    }

    /** The calling thread's {@code schedstat} under {@code /proc/self/task}, or null where there is none. */
    public static Path ownSchedstat() {
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self")); // "<pid>/task/<tid>"
            Path stat = Path.of("/proc/self/task").resolve(self.getFileName()).resolve("schedstat");
            return Files.isReadable(stat) ? stat : null;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** Nanoseconds the thread of this {@code schedstat} spent runnable but waiting for a CPU, or -1 when unknown. */
    public static long cpuWait(Path schedstat) {
        if (schedstat == null) {
            return -1;
        }
        try {
            String[] f = Files.readString(schedstat).trim().split(" ");
            return f.length >= 2 ? Long.parseLong(f[1]) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Milliseconds the JVM spent in stop-the-world collections so far (concurrent cycles excluded). */
    public static long gcPauseMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String name = gc.getName();
            if (!name.contains("Concurrent") && !name.contains("Cycles")) {
                ms += Math.max(0, gc.getCollectionTime());
            }
        }
        return ms;
    }
}
