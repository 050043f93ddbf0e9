package org.tilescope.engine.cache;

/** One cache tier at a moment. */
public record TierStats(long hits, long misses, double hitRatio, long bytes, long maxBytes, long entries,
                        long evictions) {
}
