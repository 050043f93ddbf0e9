package org.tilescope.engine.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.tilescope.engine.cache.PipelineStats;
import org.tilescope.engine.cache.TilePipeline;

/**
 * Memory and worker metrics in one snapshot: heap used/committed/max and its peak since start,
 * L1/L2 bytes, work in flight per pool, and the process CPU load.
 */
public final class Metrics {
    private final TilePipeline pipeline;
    private final PoolRegistry pools;
    private final AtomicLong peakHeap = new AtomicLong();

    /** Metrics of a pipeline, with the pools of the process's {@link PoolRegistry#shared() registry}. */
    public Metrics(TilePipeline pipeline) {
        this(pipeline, PoolRegistry.shared());
    }

    public Metrics(TilePipeline pipeline, PoolRegistry pools) {
        this.pipeline = pipeline;
        this.pools = pools;
    }

    /** Work of one pool: running and waiting. */
    public record PoolLoad(String pool, int active, int queued) {
    }

    /**
     * @param heapUsed      bytes in use now
     * @param heapCommitted bytes the JVM holds
     * @param heapMax       the most it may hold
     * @param heapPeak      the most seen in use by this sampler since start
     * @param l1Bytes       decoded tiles
     * @param l2Bytes       encoded tiles
     * @param pools         each pool that exists (see {@link PoolRegistry}), then the preload
     * @param processCpu    0..1 of all cores, or -1 when the platform does not say
     */
    public record Snapshot(long heapUsed, long heapCommitted, long heapMax, long heapPeak, long l1Bytes, long l2Bytes,
                           List<PoolLoad> pools, double processCpu, PipelineStats pipeline) {
    }

    /** Samples now. Cheap enough to call a few times a second. */
    public Snapshot sample(int preloadActive, int preloadQueued) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long used = heap.getUsed();
        long peak = peakHeap.accumulateAndGet(used, Math::max);
        PipelineStats s = pipeline.stats();
        double cpu = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            cpu = os.getProcessCpuLoad();
        }
        List<PoolLoad> loads = new ArrayList<>(this.pools.loads());
        loads.add(new PoolLoad("preload", preloadActive, preloadQueued));
        return new Snapshot(used, heap.getCommitted(), heap.getMax(), peak, s.l1().bytes(), s.l2().bytes(),
                List.copyOf(loads), cpu, s);
    }
}
