package org.tilescope.engine.cache;

/** Who waits for a tile, most urgent first. */
public enum Priority {
    /** On screen now. */
    VISIBLE,
    /** The coarser level painted under missing visible tiles. */
    COVER,
    /** Around the viewport, where the user is heading. */
    PREFETCH,
    /**
     * A slide's coarse levels and whole-slide thumbnail beyond its one cover tile: after all a
     * view asks for, so a switch decodes what it shows first.
     */
    OVERVIEW,
    /** Background warming of slides not in view; never decoded. */
    PRELOAD
}
