package org.tilescope.engine.cache;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.DoubleConsumer;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * How many bytes each tier may hold. Defaults are shares of the max heap: L1 (decoded, 4 bytes a
 * pixel) gets 20%, enough for several full-screen viewports plus their prefetch ring; L2
 * (encoded, ~15x smaller per tile) gets 30%, because it is what makes the next slide instant and
 * what the bulk preloader fills. The rest is left for the UI, regions and the library.
 * Overrides: system properties {@code tilescope.l1.mb} / {@code tilescope.l2.mb}, or environment
 * {@code TILESCOPE_L1_MB} / {@code TILESCOPE_L2_MB} (properties win).
 */
public record CacheSizes(long l1Bytes, long l2Bytes) {
    static final double L1_SHARE = 0.20;
    static final double L2_SHARE = 0.30;

    public CacheSizes {
        if (l1Bytes < 0 || l2Bytes < 0) {
            throw new IllegalArgumentException("cache sizes must not be negative");
        }
    }

    public static CacheSizes fromEnvironment() {
        return resolve(System.getProperties(), System.getenv(), Runtime.getRuntime().maxMemory());
    }

    static CacheSizes resolve(Properties props, Map<String, String> env, long maxHeap) {
        long l1 = megabytes(props.getProperty("tilescope.l1.mb"), env.get("TILESCOPE_L1_MB"), "L1");
        long l2 = megabytes(props.getProperty("tilescope.l2.mb"), env.get("TILESCOPE_L2_MB"), "L2");
        return new CacheSizes(l1 >= 0 ? l1 : (long) (maxHeap * L1_SHARE), l2 >= 0 ? l2 : (long) (maxHeap * L2_SHARE));
    }

    private static long megabytes(String prop, String env, String tier) {
        String v = prop != null ? prop : env;
        if (v == null || v.isBlank()) {
            return -1;
        }
        try {
            long mb = Long.parseLong(v.trim().toLowerCase(Locale.ROOT).replace("mb", ""));
            if (mb < 0 || mb > (1L << 30)) {
                throw new NumberFormatException();
            }
            return mb << 20;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(tier + " cache size '" + v + "' is not a number of megabytes");
        }
    }

    /**
     * Watches the tenured heap pool: when a collection leaves it more than {@link #THRESHOLD} full,
     * the caches must give memory back before the heap runs out. Uses the pool's collection-usage
     * threshold, which the JVM checks after each collection of that pool, so it costs nothing in
     * between and is never fooled by garbage not yet collected.
     */
    static final class HeapWatch implements AutoCloseable {
        /** Share of the tenured pool in use after a collection above which caches shrink. */
        static final double THRESHOLD = 0.85;

        private final MemoryPoolMXBean pool;
        private final long max;
        private final DoubleConsumer onPressure;
        private final NotificationListener listener = this::handle;

        private HeapWatch(MemoryPoolMXBean pool, long max, DoubleConsumer onPressure) {
            this.pool = pool;
            this.max = max;
            this.onPressure = onPressure;
        }

        /**
         * Starts watching; {@code onPressure} gets the share of the pool in use after the
         * collection. Empty when this JVM's collector has no pool with a collection threshold.
         */
        static Optional<HeapWatch> start(DoubleConsumer onPressure) {
            Optional<MemoryPoolMXBean> tenured = tenuredPool();
            if (tenured.isEmpty()) {
                return Optional.empty();
            }
            MemoryPoolMXBean pool = tenured.get();
            long max = pool.getUsage().getMax() > 0 ? pool.getUsage().getMax() : Runtime.getRuntime().maxMemory();
            try {
                pool.setCollectionUsageThreshold((long) (max * THRESHOLD));
                HeapWatch watch = new HeapWatch(pool, max, onPressure);
                ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(watch.listener, null, null);
                return Optional.of(watch);
            } catch (RuntimeException e) {
                // a JVM that refuses (a security manager of old, an odd collector): caches keep their size
                System.getLogger(CacheSizes.class.getName()).log(System.Logger.Level.INFO,
                        "no heap watch on " + pool.getName() + ": " + e);
                return Optional.empty();
            }
        }

        /** The old generation: a heap pool with usage thresholds (young pools have none), the largest such. */
        static Optional<MemoryPoolMXBean> tenuredPool() {
            return ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP)
                    .filter(p -> p.isUsageThresholdSupported() && p.isCollectionUsageThresholdSupported())
                    .max(Comparator.comparingLong(p -> p.getUsage().getMax()));
        }

        String poolName() {
            return pool.getName();
        }

        private void handle(Notification n, Object handback) {
            if (!MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(n.getType())
                    || !(n.getUserData() instanceof CompositeData data)) {
                return;
            }
            MemoryNotificationInfo info = MemoryNotificationInfo.from(data);
            if (pool.getName().equals(info.getPoolName())) {
                afterCollection(info.getUsage());
            }
        }

        /** What a notification leads to; tests call it with the usage they want. */
        void afterCollection(MemoryUsage usage) {
            long limit = usage.getMax() > 0 ? usage.getMax() : max;
            double share = (double) usage.getUsed() / limit;
            if (share > THRESHOLD) {
                onPressure.accept(share);
            }
        }

        @Override
        public void close() {
            try {
                ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // closed twice: nothing left to remove
            }
        }
    }
}
