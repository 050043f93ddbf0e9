package org.tilescope.engine.cache;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The generation counter of one view. Each viewport change gets a new generation; work
 * requested for an older one is dropped before it is read or decoded.
 */
public final class ViewGeneration {
    private final AtomicLong current = new AtomicLong();

    public long current() {
        return current.get();
    }

    /** Moves to {@code generation} if it is newer; returns the current generation. */
    public long advanceTo(long generation) {
        return current.accumulateAndGet(generation, Math::max);
    }

    public long next() {
        return current.incrementAndGet();
    }

    boolean isStale(long generation) {
        return generation < current.get();
    }
}
