package org.tilescope.engine.cache;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import org.tilescope.engine.pyramid.generated.PyramidProgress;
import org.tilescope.engine.pyramid.generated.Pyramids;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;

/**
 * An open slide in the pipeline: its id, metadata, source and read queue, and once its coarse
 * levels are in, a whole-slide thumbnail so paint always has a fallback. The thumbnail is held
 * while the slide is among the most recently viewed ({@link SlidePool#THUMBNAILS_HELD}); beyond
 * that it is dropped and the next open composes it again from the coarse tiles.
 *
 * <p>A handle whose slide changed on disk is retired, never closed under a view: it takes no new
 * work, the reads it had queued end at once without touching the file, the ones running finish,
 * and only then is its source closed.
 */
public final class SlideHandle {
    private static final System.Logger LOG = System.getLogger(SlideHandle.class.getName());
    /** Longest a retired handle's running reads may take before they are interrupted. */
    static final long DRAIN_SECONDS = 30;

    private final long id;
    private final URI location;
    private final SlideSource source;
    private final ThreadPoolExecutor reads;
    /** Replaced by a new, pending one when the thumbnail is dropped. */
    private volatile CompletableFuture<BufferedImage> thumbnail = new CompletableFuture<>();
    private volatile int thumbnailLevel = -1;
    private final AtomicBoolean retired = new AtomicBoolean();
    /** Set once its coarse levels were asked for, so a reopened slide gets them too. */
    volatile boolean coarseRequested;
    /**
     * What the coarse levels beyond the cover tile wait for at open: the view's visible tiles
     * ({@link TilePipeline#visibleTilesIn}) or {@link TilePipeline#OVERVIEW_HOLD_MS}.
     */
    private volatile CompletableFuture<Void> overviewHold = CompletableFuture.completedFuture(null);
    /** The first frame's cover tile, asked for at open; see {@link #coverReady()}. */
    private volatile CompletableFuture<Void> cover = CompletableFuture.completedFuture(null);

    SlideHandle(long id, URI location, SlideSource source, ThreadPoolExecutor reads) {
        this.id = id;
        this.location = location;
        this.source = source;
        this.reads = reads;
    }

    public long id() {
        return id;
    }

    /** Where the slide was opened from. */
    public URI location() {
        return location;
    }

    /** The local file or folder of the slide, or null when it is not local (a URL). */
    public Path path() {
        return "file".equalsIgnoreCase(location.getScheme()) ? Path.of(location) : null;
    }

    public SlideInfo info() {
        return source.info();
    }

    public TileKey key(int level, int col, int row) {
        return new TileKey(id, level, col, row);
    }

    /**
     * How far the slide's generated levels are (the file lacks coarse levels), or empty when it
     * has none: what a viewer shows as progress while {@link #ready()} is pending.
     */
    public Optional<PyramidProgress> pyramidProgress() {
        return Pyramids.progress(source);
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

    /**
     * Completes once the cover tile the last open asked for is in L1 (or could not be read), so
     * that a first frame can show the slide; complete when none was asked for (the thumbnail is
     * held). Never fails.
     */
    public CompletableFuture<Void> coverReady() {
        return cover;
    }

    void coverRequested(CompletableFuture<Void> tiles) {
        cover = tiles;
    }

    /** A new hold for the coarse levels, open at the latest after {@code maxMillis}. */
    CompletableFuture<Void> holdOverview(long maxMillis) {
        CompletableFuture<Void> hold = new CompletableFuture<Void>().completeOnTimeout(null, maxMillis, TimeUnit.MILLISECONDS);
        overviewHold = hold;
        return hold;
    }

    /** Lets the held coarse levels load now; nothing when none are held. */
    void releaseOverview() {
        overviewHold.complete(null);
    }

    void failThumbnail(Throwable t) {
        thumbnail.completeExceptionally(t);
    }

    /**
     * Lets a composed thumbnail go (up to 4 MB each, held outside the cache budgets): the slide
     * left the recently viewed ones. {@link #ready()} is pending again until the next open
     * composes it; a thumbnail still being composed, or one that failed, stays as it is.
     */
    void dropThumbnail() {
        CompletableFuture<BufferedImage> f = thumbnail;
        if (f.isDone() && !f.isCompletedExceptionally()) {
            thumbnailLevel = -1;
            thumbnail = new CompletableFuture<>();
        }
    }

    SlideSource source() {
        return source;
    }

    ThreadPoolExecutor reads() {
        return reads;
    }

    /**
     * True once the slide changed on disk and this handle was replaced: it reads nothing more.
     * Views of it should move to the replacement (see {@link TilePipeline#addSlideChangeListener}).
     */
    public boolean isRetired() {
        return retired.get();
    }

    /**
     * Retires this handle: new reads are refused, queued ones end without reading, running ones
     * finish; the source closes once they have (or after {@value #DRAIN_SECONDS} s). False when it
     * was retired already.
     */
    boolean retire() {
        if (!retired.compareAndSet(false, true)) {
            return false;
        }
        reads.shutdown();
        Thread.ofVirtual().name("tilescope-drain-" + info().name()).start(() -> {
            try {
                if (!reads.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
                    LOG.log(System.Logger.Level.WARNING, "{0}: reads still running {1} s after the slide changed;"
                            + " interrupted", info().where(), DRAIN_SECONDS);
                    Pools.shutdownNow(reads);
                }
            } catch (InterruptedException e) {
                Pools.shutdownNow(reads);
                Thread.currentThread().interrupt();
            } finally {
                closeSource();
            }
        });
        return true;
    }

    /** Closes now: queued reads are dropped (their requests end cancelled), running ones interrupted. */
    void close() {
        retired.set(true);
        Pools.shutdownNow(reads);
        closeSource();
    }

    private void closeSource() {
        try {
            source.close();
        } catch (IOException ignored) {
            // read-only handles: nothing to lose
        }
    }

    @Override
    public String toString() {
        return "SlideHandle[" + location + "]";
    }
}
