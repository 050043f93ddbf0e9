package org.tilescope.engine.pyramid.generated;

/**
 * How far the generated levels are: {@code done} of the {@code total} tiles of the generated
 * level every coarser one is made from. The coarse levels a viewer holds (and its whole-slide
 * thumbnail) exist once it is complete.
 */
public record PyramidProgress(long done, long total) {

    public PyramidProgress {
        if (total < 0 || done < 0 || done > total) {
            throw new IllegalArgumentException("progress " + done + " of " + total);
        }
    }

    public boolean complete() {
        return done == total;
    }

    /** 0 to 1. */
    public double fraction() {
        return total == 0 ? 1 : (double) done / total;
    }
}
