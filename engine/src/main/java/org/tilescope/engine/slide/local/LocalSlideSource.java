package org.tilescope.engine.slide.local;

import org.tilescope.engine.slide.SlideSource;

/**
 * A slide read from the local file system: its identity and its change check both come from the
 * {@link FileStamp} taken when it was opened.
 */
public interface LocalSlideSource extends SlideSource {

    /** The stamp of the file the slide's writer rewrites when the tiles change. */
    FileStamp stamp();

    @Override
    default String identity() {
        return stamp().identity();
    }

    @Override
    default boolean changedOnDisk() {
        return stamp().changed();
    }
}
