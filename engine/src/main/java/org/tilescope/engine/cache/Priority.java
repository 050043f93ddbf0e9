package org.tilescope.engine.cache;

/** Who waits for a tile, most urgent first. */
public enum Priority {
    /** On screen now. */
    VISIBLE,
    /** The coarser level painted under missing visible tiles. */
    COVER,
    /** Around the viewport, where the user is heading. */
    PREFETCH,
    /** Background warming of slides not in view; never decoded. */
    PRELOAD
}
