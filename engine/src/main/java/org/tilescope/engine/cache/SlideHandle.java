package org.tilescope.engine.cache;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;

/**
 * An open slide in the pipeline: its id, metadata, source and read queue, and once its coarse
 * levels are in, a whole-slide thumbnail that is always held so paint always has a fallback.
 */
public final class SlideHandle {
    private final long id;
    private final Path path;
    private final SlideSource source;
    private final ThreadPoolExecutor reads;
    private final CompletableFuture<BufferedImage> thumbnail = new CompletableFuture<>();
    private volatile int thumbnailLevel = -1;

    SlideHandle(long id, Path path, SlideSource source, ThreadPoolExecutor reads) {
        this.id = id;
        this.path = path;
        this.source = source;
        this.reads = reads;
    }

    public long id() {
        return id;
    }

    public Path path() {
        return path;
    }

    public SlideInfo info() {
        return source.info();
    }

    public TileKey key(int level, int col, int row) {
        return new TileKey(id, level, col, row);
    }

    /** Completes when the coarse levels are loaded and the thumbnail is composed. */
    public CompletableFuture<BufferedImage> ready() {
        return thumbnail;
    }

    /**
     * The whole slide at {@link #thumbnailLevel()}; null until {@link #ready()} completes, and
     * null for good when no coarse tile could be read (ready() says why). Never throws: it is
     * asked on every frame.
     */
    public BufferedImage thumbnail() {
        return thumbnail.isDone() && !thumbnail.isCompletedExceptionally() ? thumbnail.join() : null;
    }

    /** The level the thumbnail shows, its pixels being that level's; -1 before it exists. */
    public int thumbnailLevel() {
        return thumbnailLevel;
    }

    void setThumbnail(int level, BufferedImage img) {
        thumbnailLevel = level;
        thumbnail.complete(img);
    }

    void failThumbnail(Throwable t) {
        thumbnail.completeExceptionally(t);
    }

    SlideSource source() {
        return source;
    }

    ThreadPoolExecutor reads() {
        return reads;
    }

    void close() {
        reads.shutdownNow();
        try {
            source.close();
        } catch (IOException ignored) {
            // read-only handles: nothing to lose
        }
    }

    @Override
    public String toString() {
        return "SlideHandle[" + path + "]";
    }
}
