package org.tilescope.engine.library;

import java.nio.file.Path;
import java.util.List;
import org.tilescope.engine.slide.ContentFingerprint;

/**
 * Slides with the same content: copies and renames of one slide.
 *
 * @param fingerprint the content they share
 * @param paths       the copies, sorted; the first is the one "move extra copies to trash" keeps
 * @param wastedBytes bytes on disk of every copy but the first
 */
public record DuplicateGroup(ContentFingerprint fingerprint, List<Path> paths, long wastedBytes) {
    public DuplicateGroup {
        paths = List.copyOf(paths);
    }

    public Path kept() {
        return paths.getFirst();
    }

    public List<Path> extras() {
        return paths.subList(1, paths.size());
    }
}
