package org.tilescope.engine.metrics;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Supplier;

/**
 * The worker pools that exist, by name, and how loaded each is: what the metrics view shows.
 * A pool registers itself when it is made; the view lists only names with a live pool, so a
 * pool that does not exist is not shown as an idle one. Several pools may share a name (one
 * read pool per slide, all "reads"): their loads add up.
 *
 * <p>A {@link ThreadPoolExecutor} is held weakly and drops out once it terminates or is
 * collected, so a pool that is never unregistered does not linger. A load supplier stays until
 * its registration is closed.
 */
public final class PoolRegistry {
    private static final PoolRegistry SHARED = new PoolRegistry();

    /** Running and waiting work of one pool. */
    public record Load(int active, int queued) {
        public static final Load IDLE = new Load(0, 0);

        Load plus(Load o) {
            return new Load(active + o.active, queued + o.queued);
        }
    }

    /** Ends a registration: the pool no longer shows (unless others of its name live). */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private interface Entry {
        String name();

        /** The load now, or null once the pool is gone. */
        Load load();
    }

    private record ExecutorEntry(String name, WeakReference<ThreadPoolExecutor> pool) implements Entry {
        @Override
        public Load load() {
            ThreadPoolExecutor p = pool.get();
            if (p == null || p.isTerminated()) {
                return null;
            }
            return new Load(p.getActiveCount(), p.getQueue().size());
        }
    }

    private record SupplierEntry(String name, Supplier<Load> supplier) implements Entry {
        @Override
        public Load load() {
            return supplier.get();
        }
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    /** The process's registry: the one the app's pools register into and its metrics view reads. */
    public static PoolRegistry shared() {
        return SHARED;
    }

    /** Registers an executor's own counts: threads running a task, and tasks in its queue. */
    public Registration register(String name, ThreadPoolExecutor pool) {
        return add(new ExecutorEntry(name, new WeakReference<>(pool)));
    }

    /** Registers a pool that counts its load itself (one that is not a {@link ThreadPoolExecutor}). */
    public Registration register(String name, Supplier<Load> load) {
        return add(new SupplierEntry(name, load));
    }

    private Registration add(Entry e) {
        entries.add(e);
        return () -> entries.removeIf(x -> x == e);
    }

    /** Each name with at least one live pool, in the order the names first registered, with the summed load. */
    public List<Metrics.PoolLoad> loads() {
        Map<String, Load> byName = new LinkedHashMap<>();
        List<Entry> gone = new ArrayList<>();
        for (Entry e : entries) {
            Load l = e.load();
            if (l == null) {
                gone.add(e);
            } else {
                byName.merge(e.name(), l, Load::plus);
            }
        }
        entries.removeIf(x -> gone.stream().anyMatch(g -> g == x));
        return byName.entrySet().stream()
                .map(en -> new Metrics.PoolLoad(en.getKey(), en.getValue().active(), en.getValue().queued()))
                .toList();
    }
}
