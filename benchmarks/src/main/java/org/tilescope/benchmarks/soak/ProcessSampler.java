package org.tilescope.benchmarks.soak;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.tilescope.engine.cache.PipelineStats;
import org.tilescope.engine.cache.TilePipeline;

/**
 * Reads this process's memory, threads and open files for the soak. Heap after GC comes from the
 * collectors' own notifications (the heap pools' usage at the end of each collection), so taking a
 * sample forces nothing; only {@link #sample(boolean)} with {@code forceFullGc} runs a full
 * collection, and the row says so.
 */
final class ProcessSampler implements AutoCloseable {
    private static final double MB = 1 << 20;

    private final TilePipeline pipeline;
    private final long startNanos = System.nanoTime();
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::collected;
    /** Guarded by this. */
    private long lastAfterGc = -1;
    private long lowAfterGc = Long.MAX_VALUE;
    private long collections;
    /** Collections by collector, action and cause ("G1 Young Generation / end of minor GC / G1 Evacuation Pause"). */
    private final Map<String, Long> kinds = new TreeMap<>();

    ProcessSampler(TilePipeline pipeline) {
        this.pipeline = pipeline;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                e.addNotificationListener(listener, null, null);
                emitters.add(e);
            }
        }
        if (emitters.isEmpty()) {
            throw new IllegalStateException("this JVM's collectors send no notifications: no heap-after-GC figure");
        }
    }

    private void collected(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo gc = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        GcInfo info = gc.getGcInfo();
        long used = heapUsed(info.getMemoryUsageAfterGc());
        synchronized (this) {
            kinds.merge(gc.getGcName() + " / " + gc.getGcAction() + " / " + gc.getGcCause(), 1L, Long::sum);
            lastAfterGc = used;
            lowAfterGc = Math.min(lowAfterGc, used);
            collections++;
        }
    }

    private long heapUsed(Map<String, MemoryUsage> pools) {
        return pools.entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                .mapToLong(e -> e.getValue().getUsed()).sum();
    }

    private long heapUsedNow() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getUsage().getUsed()).sum();
    }

    /**
     * The process now.
     *
     * @param forceFullGc run {@code System.gc()} first and report the heap left as the live set
     * @param switches    slide switches so far, for the row
     */
    SoakSample sample(boolean forceFullGc, int switches) {
        double live = Double.NaN;
        if (forceFullGc) {
            System.gc();
            live = heapUsedNow() / MB;
        }
        long last;
        long low;
        long count;
        synchronized (this) {
            last = lastAfterGc;
            low = lowAfterGc == Long.MAX_VALUE ? lastAfterGc : lowAfterGc;
            lowAfterGc = Long.MAX_VALUE;
            count = collections;
        }
        PipelineStats s = pipeline.stats();
        double afterGc = last < 0 ? Double.NaN : last / MB;
        double lowAfterGcMb = low < 0 ? Double.NaN : low / MB;
        long committed = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getUsage().getCommitted()).sum();
        return new SoakSample((System.nanoTime() - startNanos) / 1e9, afterGc, lowAfterGcMb, live, heapUsedNow() / MB,
                committed / MB, s.l1().bytes() / MB, s.l2().bytes() / MB, (s.l1().maxBytes() + s.l2().maxBytes()) / MB,
                ManagementFactory.getThreadMXBean().getThreadCount(), openFiles(), rssKb() / 1024.0, count, switches);
    }

    /** How many collections of each kind so far. */
    synchronized Map<String, Long> collectionKinds() {
        return new TreeMap<>(kinds);
    }

    /** Open file descriptors, less the one the listing itself holds. */
    static int openFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count() - 1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc/self/fd (the soak needs Linux)", e);
        }
    }

    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            throw new IllegalStateException("/proc/self/status has no VmRSS line");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/status (the soak needs Linux)", e);
        }
    }

    @Override
    public void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (javax.management.ListenerNotFoundException ignored) {
                // already removed
            }
        }
    }
}
