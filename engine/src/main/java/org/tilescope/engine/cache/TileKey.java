package org.tilescope.engine.cache;

/**
 * One tile of one slide. {@code slideId} is stable for the same file across runs (see
 * {@link SlideIds}), so cached tiles survive closing and reopening a slide.
 */
public record TileKey(long slideId, int level, int col, int row) {
}
