package org.tilescope.engine.slide;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Size and modification time of the files that define a slide, taken when it opens, so a source
 * can tell cheaply that its slide was rewritten under it. A look at the disk costs one stat per
 * file and happens at most once per {@link #CHECK_INTERVAL_NANOS}, or at the next look after a
 * read failed ({@link #suspect()}). Once changed, always changed: the source's layout is stale.
 */
public final class FileStamp {
    /** Least time between two looks at the disk. */
    static final long CHECK_INTERVAL_NANOS = 1_000_000_000L;

    private final List<Path> files;
    private final long[] sizes;
    private final long[] modified;
    private volatile long nextCheck;
    private volatile boolean changed;

    private FileStamp(List<Path> files, long[] sizes, long[] modified) {
        this.files = files;
        this.sizes = sizes;
        this.modified = modified;
        this.nextCheck = System.nanoTime() + CHECK_INTERVAL_NANOS;
    }

    /** Stamps the files as they are now. Take it before parsing them, so a change during the parse shows. */
    public static FileStamp of(List<Path> files) throws IOException {
        List<Path> copy = List.copyOf(files);
        long[] sizes = new long[copy.size()];
        long[] modified = new long[copy.size()];
        for (int i = 0; i < copy.size(); i++) {
            try {
                BasicFileAttributes a = Files.readAttributes(copy.get(i), BasicFileAttributes.class);
                sizes[i] = a.size();
                modified[i] = a.lastModifiedTime().toMillis();
            } catch (IOException e) {
                throw new SlideException(copy.get(i), "cannot read: " + e.getMessage(), e);
            }
        }
        return new FileStamp(copy, sizes, modified);
    }

    public static FileStamp of(Path file) throws IOException {
        return of(List.of(file));
    }

    /**
     * True when a stamped file's size or modification time differs from the stamp, or it is gone.
     * Looks at the disk only when the last look is old enough or a read failed since.
     */
    public boolean changed() {
        if (changed) {
            return true;
        }
        long now = System.nanoTime();
        if (now - nextCheck < 0) {
            return false;
        }
        nextCheck = now + CHECK_INTERVAL_NANOS;
        if (differs()) {
            changed = true;
        }
        return changed;
    }

    /** A read failed: the next {@link #changed()} looks at the disk whatever the interval. */
    public void suspect() {
        nextCheck = System.nanoTime();
    }

    private boolean differs() {
        for (int i = 0; i < files.size(); i++) {
            try {
                BasicFileAttributes a = Files.readAttributes(files.get(i), BasicFileAttributes.class);
                if (a.size() != sizes[i] || a.lastModifiedTime().toMillis() != modified[i]) {
                    return true;
                }
            } catch (IOException e) {
                return true; // gone or unreadable: whatever it is now, it is not what was opened
            }
        }
        return false;
    }
}
