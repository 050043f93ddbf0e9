package org.tilescope.engine.cache;

/**
 * The pipeline at a moment: both cache tiers, work in flight, failures and the decoder in use.
 *
 * @param l1              decoded tiles
 * @param l2              encoded tile bytes
 * @param readsInFlight   tile reads queued or running
 * @param decodesInFlight decodes queued or running
 * @param sourceReads     tiles read from slide files since start
 * @param failedTiles     distinct tiles that failed to read or decode
 * @param decoder         "libjpeg-turbo" or "imageio"
 */
public record PipelineStats(TierStats l1, TierStats l2, int readsInFlight, int decodesInFlight,
                            long sourceReads, long failedTiles, String decoder) {

    /** One cache tier at a moment. */
    public record TierStats(long hits, long misses, double hitRatio, long bytes, long maxBytes, long entries,
                            long evictions) {
    }
}
