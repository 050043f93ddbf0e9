package org.tilescope.engine.slide;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The identity of a local slide: the canonical path of the file its writer rewrites when the
 * tiles change (the .dzi, a FastPATH folder's metadata.json, the TIFF), its size and its
 * modification time. A source keeps the stamp it was opened with and compares it with the disk
 * to tell that the slide changed.
 *
 * @param file     canonical path of the stamped file
 * @param size     its size in bytes
 * @param mtimeNanos its modification time
 */
public record FileStamp(Path file, long size, long mtimeNanos) {

    public static FileStamp of(Path file) throws IOException {
        Path canonical = file.toRealPath();
        BasicFileAttributes a = Files.readAttributes(canonical, BasicFileAttributes.class);
        return new FileStamp(canonical, a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS));
    }

    /** True when the file on disk is no longer the one stamped: rewritten, replaced or gone. */
    public boolean changed() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.size() != size || a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS) != mtimeNanos;
        } catch (IOException e) {
            return true;
        }
    }

    /** The stamp as a {@link SlideSource#identity()}: location, size and time in one string. */
    public String identity() {
        return file.toUri() + "\u0000" + size + "\u0000" + mtimeNanos;
    }
}
