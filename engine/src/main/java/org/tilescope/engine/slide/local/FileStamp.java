package org.tilescope.engine.slide.local;

import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Size and modification time of the files that define a local slide, taken when it opens. It
 * gives the source its identity (the canonical path, size and time of the first file, the one its
 * writer rewrites: the .dzi, a FastPATH folder's metadata.json, the TIFF), and tells cheaply that
 * the slide was rewritten under it: a look at the disk costs one stat per file and happens at most
 * once per {@link #CHECK_INTERVAL_NANOS}, or at the next look after a read failed
 * ({@link #suspect()}). Once changed, always changed: the source's layout is stale.
 */
public final class FileStamp {
    /** Least time between two looks at the disk. */
    public static final long CHECK_INTERVAL_NANOS = 1_000_000_000L;

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

    /**
     * Stamps the files as they are now; the first one names the slide. Take it before parsing
     * them, so a change during the parse shows.
     */
    public static FileStamp of(List<Path> files) throws IOException {
        List<Path> canonical = new ArrayList<>(files.size());
        long[] sizes = new long[files.size()];
        long[] modified = new long[files.size()];
        for (int i = 0; i < files.size(); i++) {
            try {
                Path real = files.get(i).toRealPath();
                BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
                canonical.add(real);
                sizes[i] = a.size();
                modified[i] = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
            } catch (IOException e) {
                throw new SlideException(files.get(i), "cannot read: " + e.getMessage(), e);
            }
        }
        return new FileStamp(List.copyOf(canonical), sizes, modified);
    }

    public static FileStamp of(Path file) throws IOException {
        return of(List.of(file));
    }

    /** The canonical path of the file that names the slide. */
    public Path file() {
        return files.getFirst();
    }

    /** The stamp as a {@link SlideSource#identity()}: location, size and time in one string. */
    public String identity() {
        return files.getFirst().toUri() + "\u0000" + sizes[0] + "\u0000" + modified[0];
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
                if (a.size() != sizes[i] || a.lastModifiedTime().to(TimeUnit.NANOSECONDS) != modified[i]) {
                    return true;
                }
            } catch (IOException e) {
                return true; // gone or unreadable: whatever it is now, it is not what was opened
            }
        }
        return false;
    }
}
