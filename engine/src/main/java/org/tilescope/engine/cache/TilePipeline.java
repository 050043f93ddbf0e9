package org.tilescope.engine.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.tilescope.engine.decode.PixelBuffers;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.decode.TileEncoder;
import org.tilescope.engine.pyramid.generated.Pyramids;
import org.tilescope.engine.pyramid.generated.TileStore;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.Limits;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.cache.PipelineStats.TierStats;
import org.tilescope.engine.slide.TileException;

/**
 * The tile pipeline: L1 (decoded) and L2 (encoded) Caffeine caches, reads on virtual threads
 * bounded per slide, decodes on a platform pool in priority order, merged duplicate requests,
 * stale work dropped by generation, failed tiles remembered once.
 *
 * <pre>
 * request: L1 hit -> done
 *          L2 hit -> decode -> L1 -> listeners
 *          miss   -> read (virtual thread) -> L2 -> decode -> L1 -> listeners
 * </pre>
 *
 * <p>Every request ends: completed, failed or cancelled, whatever a source or decoder throws
 * (an {@link Error} too) and however a pool shuts down. Failures come in two kinds
 * ({@link TileException.Kind}): a missing or damaged tile is remembered and never read again; a
 * transient one (an I/O hiccup) is read again after {@link #RETRY_DELAYS_MS} and, when every try
 * failed, reported and left alone for {@link #TRANSIENT_COOL_DOWN_NANOS} only. A slide rewritten on
 * disk is noticed at its next read and reopened under a new id ({@link SlideChange}). When the
 * heap stays full after a collection, the caches shrink ({@link #relieveMemoryPressure}).
 */
public final class TilePipeline implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TilePipeline.class.getName());
    /** Levels with at most this many tiles are loaded when a slide opens: the paint fallback. */
    public static final int COARSE_LEVEL_MAX_TILES = 64;
    /** Waits before each new read of a tile whose read failed transiently; a quarter either way at random. */
    static final long[] RETRY_DELAYS_MS = {50, 200, 800};
    /** How long a tile whose reads all failed transiently counts as failed before it is tried again. */
    static final long TRANSIENT_COOL_DOWN_NANOS = TimeUnit.SECONDS.toNanos(10);
    /**
     * {@code -Dtilescope.decode.pool=off}: every decode gets a new pixel array, as before there was
     * a pool (benchmarks compare the two in one run). Read when a pipeline is made.
     */
    public static final String PIXEL_POOL_PROPERTY = "tilescope.decode.pool";
    /** Memory relief never shrinks a cache tier below this. */
    static final long MIN_TIER_BYTES = 16L << 20;

    private final Cache<TileKey, DecodedTile> l1;
    private final Cache<TileKey, byte[]> l2;
    private final CacheSizes sizes;
    private final TileDecoder decoder;
    /** Pixel arrays of tiles no one can paint any more, for the next decodes; bounded by L1's size. */
    private final PixelBuffers pixelBuffers;
    private final ThreadPoolExecutor decodePool;
    private final SlidePool slides;
    private final ConcurrentHashMap<TileKey, InFlight> inFlight = new ConcurrentHashMap<>();
    /** Missing and damaged tiles: never read again. */
    private final ConcurrentHashMap<TileKey, TileException> failed = new ConcurrentHashMap<>();
    /** Tiles whose retries all failed transiently, until when they count as failed. */
    private final ConcurrentHashMap<TileKey, CoolingDown> coolingDown = new ConcurrentHashMap<>();
    private final List<TileListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<SlideChange>> slideChangeListeners = new CopyOnWriteArrayList<>();
    private final CacheSizes.HeapWatch heapWatch;
    private final List<Consumer<TileKey>> l2Removals = new CopyOnWriteArrayList<>();
    /** Memory relief takes from L1 and L2 in turn, L1 first. */
    private boolean relieveL2Next;
    private final AtomicInteger readsInFlight = new AtomicInteger();
    private final AtomicInteger decodesInFlight = new AtomicInteger();
    private final LongAdder sourceReads = new LongAdder();
    private volatile boolean closed;

    /**
     * @param sizes          byte budgets of L1 and L2
     * @param decoder        the JPEG/PNG/TIFF tile decoder
     * @param decodeThreads  platform threads decoding (one per core is right for CPU work)
     * @param readsPerSlide  concurrent reads per slide
     * @param maxOpenFiles   slides that may hold open file handles at once
     */
    public TilePipeline(CacheSizes sizes, TileDecoder decoder, int decodeThreads, int readsPerSlide, int maxOpenFiles) {
        this.sizes = sizes;
        this.decoder = decoder;
        this.pixelBuffers = PixelBuffers.forCache("off".equals(System.getProperty(PIXEL_POOL_PROPERTY)) ? 0 : sizes.l1Bytes());
        this.l1 = Caffeine.newBuilder()
                .maximumWeight(sizes.l1Bytes())
                .weigher((TileKey k, DecodedTile t) -> t.weight())
                .executor(Runnable::run)
                .recordStats()
                .build();
        this.l2 = Caffeine.newBuilder()
                .maximumWeight(sizes.l2Bytes())
                .weigher((TileKey k, byte[] b) -> b.length)
                .removalListener((TileKey k, byte[] b, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                    if (k != null && cause != com.github.benmanes.caffeine.cache.RemovalCause.REPLACED) {
                        l2Removed(k);
                    }
                })
                .executor(Runnable::run)
                .recordStats()
                .build();
        this.decodePool = Pools.decodePool(decodeThreads);
        this.slides = new SlidePool(maxOpenFiles, name -> Pools.readPool(name, readsPerSlide), this::completePyramid,
                this::replaced);
        this.heapWatch = CacheSizes.HeapWatch.start(share -> relieveMemoryPressure(share)).orElse(null);
    }

    /**
     * The source with generated levels where the file lacks coarse ones: they read and keep finer
     * tiles through L1/L2 (quietly, so the hit ratios stay the viewer's), and their CPU work
     * queues on the decode pool behind what is on screen.
     */
    private SlideSource completePyramid(long slideId, SlideSource source) {
        TileStore store = new TileStore() {
            @Override
            public byte[] encoded(int level, int col, int row) {
                return l2.policy().getIfPresentQuietly(new TileKey(slideId, level, col, row));
            }

            @Override
            public Pixels decoded(int level, int col, int row) {
                DecodedTile t = l1.policy().getIfPresentQuietly(new TileKey(slideId, level, col, row));
                return t == null ? null : new Pixels(t.image(), t.originX(), t.originY());
            }

            @Override
            public void keep(int level, int col, int row, byte[] encoded) {
                l2.put(new TileKey(slideId, level, col, row), encoded);
            }
        };
        return Pyramids.complete(source, decoder, TileEncoder.standard(), store,
                work -> decodePool.execute(new PrioritizedTask(Priority.COVER, work, () -> {
                    // dropped at shutdown: closing the slide ends the generator's waits
                })));
    }

    /**
     * A slide that changed on disk while open, and what became of it: reopened under a new id
     * ({@code replacement}), or not ({@code failure}, for instance while it is still being written).
     * Views of {@code old} should move to the replacement; {@code old} reads nothing more.
     */
    public record SlideChange(SlideHandle old, SlideHandle replacement, Exception failure) {
        /** One line for the user: "slide.dzi changed on disk, reloaded". */
        public String message() {
            String name = old.info().name();
            return replacement != null ? name + " changed on disk, reloaded"
                    : name + " changed on disk and could not be reopened: " + failure.getMessage();
        }
    }

    /** A transient failure reported after its retries; the tile is tried again after {@code until}. */
    private record CoolingDown(TileException error, long until, int times) {
    }

    /** Sizes from the environment, one decode thread per core, the standard decoder. */
    public static TilePipeline createDefault() {
        return new TilePipeline(CacheSizes.fromEnvironment(), TileDecoder.standard(),
                Runtime.getRuntime().availableProcessors(), 8, 32);
    }

    /**
     * Opens a slide (parsing it only the first time this session) and starts loading every level
     * of at most {@value #COARSE_LEVEL_MAX_TILES} tiles, so paint always has a coarse fallback.
     * Call off the EDT: the first open of a slide reads its metadata.
     */
    public SlideHandle open(Path path) throws IOException {
        return open(path.toAbsolutePath().normalize().toUri());
    }

    /** {@link #open(Path)} by location: a {@code file:} URI or a URL a slide provider reads. */
    public SlideHandle open(URI location) throws IOException {
        SlideHandle h = slides.open(location);
        slides.viewed(h);
        if (h.thumbnail() == null && !h.ready().isDone()) {
            h.coarseRequested = true;
            loadCoarseLevels(h);
        }
        return h;
    }

    /**
     * Opens a slide (parsing it only the first time this session) without loading or decoding
     * anything: for the bulk preloader, which warms L2 itself at its own priority and must leave
     * L1 to what is on screen. A later {@link #open(Path)} of the same slide loads its coarse
     * levels as usual (from L2 once they are warm).
     */
    public SlideHandle openWithoutLoading(Path path) throws IOException {
        return slides.open(path.toAbsolutePath().normalize().toUri());
    }

    /** Opens a source that is already open (tests, generated slides) under the given id. */
    public SlideHandle open(long id, Path path, SlideSource source) {
        SlideHandle h = slides.register(id, path.toAbsolutePath().normalize().toUri(), source);
        slides.viewed(h);
        h.coarseRequested = true;
        loadCoarseLevels(h);
        return h;
    }

    /** Longest side of the held thumbnail: big enough to cover a zoomed-out view, small enough to keep. */
    static final int THUMBNAIL_MAX_SIDE = 1024;

    /**
     * Longest the coarse levels beyond the cover tile wait, at open, for the view's visible tiles
     * (a view that never gets them all, a slide opened with no view).
     */
    static final long OVERVIEW_HOLD_MS = 150;
    /** {@link #OVERVIEW_HOLD_MS}, longer in tests that let only the view end the hold. */
    volatile long overviewHoldMillis = OVERVIEW_HOLD_MS;
    /** Starts held coarse loads off the thread that released them (the EDT, a timer). */
    private static final java.util.concurrent.Executor OVERVIEW_STARTER =
            r -> Thread.ofVirtual().name("tilescope-overview").start(r);

    /**
     * Loads the coarse levels in two steps, so that a switch decodes what it shows first: the
     * cover tile now (the first frame's fallback), and once the view has its visible tiles (or
     * after {@value #OVERVIEW_HOLD_MS} ms) every other coarse level and the thumbnail, behind
     * anything a view asks for. A view whose level is a coarse one gets those tiles at its own
     * priority meanwhile, and they land in L1 for the thumbnail.
     */
    private void loadCoarseLevels(SlideHandle h) {
        List<LevelInfo> coarse = coarseLevels(h.info());
        if (coarse.isEmpty()) {
            // only a source that bypassed Pyramids.complete: no whole big level in memory for a thumbnail
            h.failThumbnail(new IOException(h.path() + ": no level of at most " + COARSE_LEVEL_MAX_TILES
                    + " tiles for a thumbnail"));
            return;
        }
        h.coverRequested(CompletableFuture.allOf(requestLevel(h, coverLevel(coarse), Priority.COVER).stream()
                .map(f -> f.handle((t, e) -> t)).toArray(CompletableFuture[]::new)));
        h.holdOverview(overviewHoldMillis).thenRunAsync(() -> loadOverview(h, coarse), OVERVIEW_STARTER);
    }

    /**
     * The levels of at most {@value #COARSE_LEVEL_MAX_TILES} tiles, coarsest first. The pyramid
     * ends in a single tile (generated where the file stops short), so there is at least one.
     */
    private static List<LevelInfo> coarseLevels(SlideInfo info) {
        List<LevelInfo> coarse = new ArrayList<>();
        for (LevelInfo l : info.levels().reversed()) {
            if (l.tileCount() > COARSE_LEVEL_MAX_TILES) {
                break;
            }
            coarse.add(l);
        }
        return coarse;
    }

    /**
     * The level that covers a new slide's first frame: the finest single-tile level (a Deep Zoom
     * pyramid goes down to 1x1 px, no cover), else the coarsest.
     */
    static LevelInfo coverLevel(List<LevelInfo> coarseFirst) {
        LevelInfo cover = coarseFirst.getFirst();
        for (LevelInfo l : coarseFirst) {
            if (l.tileCount() == 1) {
                cover = l;
            }
        }
        return cover;
    }

    private List<CompletableFuture<DecodedTile>> requestLevel(SlideHandle h, LevelInfo l, Priority p) {
        List<CompletableFuture<DecodedTile>> tiles = new ArrayList<>((int) l.tileCount());
        for (int row = 0; row < l.rows(); row++) {
            for (int col = 0; col < l.cols(); col++) {
                tiles.add(request(h, h.key(l.index(), col, row), p, null, 0));
            }
        }
        return tiles;
    }

    /** Every coarse level, and the thumbnail composed from the finest one of at most {@value #THUMBNAIL_MAX_SIDE} px. */
    private void loadOverview(SlideHandle h, List<LevelInfo> coarse) {
        LevelInfo tl = coarse.getFirst();
        for (LevelInfo l : coarse) {
            if (Math.max(l.width(), l.height()) <= THUMBNAIL_MAX_SIDE) {
                tl = l;
            }
        }
        List<CompletableFuture<DecodedTile>> thumbTiles = List.of();
        for (LevelInfo l : coarse) {
            List<CompletableFuture<DecodedTile>> tiles = requestLevel(h, l, Priority.OVERVIEW);
            if (l == tl) {
                thumbTiles = tiles;
            }
        }
        int level = tl.index();
        LevelInfo thumbLevel = tl;
        List<CompletableFuture<DecodedTile>> composed = thumbTiles;
        // compose from the requests' own results: L1 may already have evicted some of them
        CompletableFuture.allOf(composed.stream().map(f -> f.handle((t, e) -> t))
                        .toArray(CompletableFuture[]::new))
                .whenComplete((v, e) -> {
                    BufferedImage img = org.tilescope.engine.decode.Images.white(thumbLevel.width(), thumbLevel.height());
                    int painted = 0;
                    for (CompletableFuture<DecodedTile> f : composed) {
                        DecodedTile t = f.handle((x, err) -> x).join();
                        if (t != null) {
                            t.copyOwnedInto(img, 0, 0);
                            painted++;
                        }
                    }
                    if (painted == 0) {
                        h.failThumbnail(new IOException(SlideException.display(h.location()) + ": no coarse tile could be read"));
                    } else {
                        h.setThumbnail(level, img);
                    }
                });
    }

    /**
     * The view of {@code slide} has every visible tile (in L1, or failed): the coarse levels and
     * thumbnail its open held back may load now. Cheap; views call it on every complete frame.
     */
    public void visibleTilesIn(SlideHandle slide) {
        slide.releaseOverview();
    }

    /** A decoded tile if L1 has it, else null. Never blocks. */
    public DecodedTile cached(TileKey key) {
        return l1.getIfPresent(key);
    }

    /**
     * True when L2 holds the encoded tile. A look, not a use: it counts as neither hit nor miss
     * and does not make the tile more likely to stay (the preloader asks this of every tile).
     */
    public boolean encodedCached(TileKey key) {
        return l2.policy().getIfPresentQuietly(key) != null;
    }

    /** Bytes of the encoded tile in L2, or -1 when L2 does not have it (a look, like {@link #encodedCached}). */
    public int encodedSize(TileKey key) {
        byte[] b = l2.policy().getIfPresentQuietly(key);
        return b == null ? -1 : b.length;
    }

    /** Bytes L2 can still take before it must evict something. */
    public long l2Headroom() {
        var ev = l2.policy().eviction().orElseThrow();
        return ev.getMaximum() - ev.weightedSize().orElse(0);
    }

    /**
     * Requests in flight that someone is waiting to see (anything above bulk preload). Background
     * work holds back while this is above zero, so the foreground never queues behind it.
     */
    public int foregroundInFlight() {
        int n = 0;
        for (InFlight f : inFlight.values()) {
            if (f.bestOrdinal < Priority.PRELOAD.ordinal()) {
                n++;
            }
        }
        return n;
    }

    /**
     * True when this tile is missing or damaged (it is never read again), or its reads failed
     * transiently a moment ago (it is read again once its cool-down is over).
     */
    public boolean hasFailed(TileKey key) {
        if (failed.containsKey(key)) {
            return true;
        }
        CoolingDown c = coolingDown.get(key);
        return c != null && c.until() - System.nanoTime() > 0;
    }

    /**
     * Asks for a decoded tile. Completes at once on an L1 hit; merges into a request already in
     * flight for the same key; otherwise reads (L2 first) and decodes.
     *
     * @param guard      the requesting view's generation counter, or null for work that must finish
     *                   (export, coarse levels)
     * @param generation the view generation this request belongs to; dropped when the view moves on
     */
    public CompletableFuture<DecodedTile> request(SlideHandle slide, TileKey key, Priority priority,
                                                  ViewGeneration guard, long generation) {
        DecodedTile hit = l1.getIfPresent(key);
        if (hit != null) {
            return CompletableFuture.completedFuture(hit);
        }
        return submit(slide, key, priority, guard, generation, true);
    }

    /** Warms L2 only (bulk preload): reads the encoded tile unless L2 has it; never decodes. */
    public CompletableFuture<DecodedTile> warm(SlideHandle slide, TileKey key) {
        if (l2.getIfPresent(key) != null) {
            return CompletableFuture.completedFuture(null);
        }
        return submit(slide, key, Priority.PRELOAD, null, 0, false);
    }

    private CompletableFuture<DecodedTile> submit(SlideHandle slide, TileKey key, Priority priority,
                                                  ViewGeneration guard, long generation, boolean decode) {
        if (slide.isRetired()) {
            return CompletableFuture.failedFuture(changedOnDisk(slide));
        }
        TileException earlier = failed.get(key);
        if (earlier != null) {
            return CompletableFuture.failedFuture(earlier);
        }
        CoolingDown cooling = coolingDown.get(key);
        if (cooling != null && cooling.until() - System.nanoTime() > 0) {
            return CompletableFuture.failedFuture(cooling.error());
        }
        if (closed) {
            return CompletableFuture.failedFuture(new CancellationException("pipeline closed"));
        }
        InFlight[] created = new InFlight[1];
        boolean[] improved = new boolean[1];
        InFlight f = inFlight.compute(key, (k, existing) -> {
            if (existing != null) {
                improved[0] = existing.join(priority, guard, generation, decode);
                return existing;
            }
            InFlight n = new InFlight(slide, key, priority, guard, generation, decode);
            created[0] = n;
            return n;
        });
        if (created[0] != null) {
            byte[] bytes = l2.getIfPresent(key);
            if (bytes != null) {
                f.encoded = bytes;
                f.claimRead();
                if (!finishIfEncodedOnly(f)) {
                    scheduleDecode(f, f.bestPriority());
                }
            } else {
                scheduleRead(f, priority);
            }
        } else if (improved[0]) {
            // a repeat at the same (or a lower) priority adds nothing: what is queued serves it
            f.reschedule(priority);
        }
        return f.future;
    }

    /**
     * Queues a read of {@code f}. If the pool refuses it or drops it unrun (it shut down), the
     * request ends cancelled, unless another copy of the read already ran (a better-priority copy
     * queued later, say): then that copy carries the request on.
     */
    private void scheduleRead(InFlight f, Priority p) {
        readsInFlight.incrementAndGet();
        PrioritizedTask task = new PrioritizedTask(p, () -> runRead(f), () -> {
            readsInFlight.decrementAndGet();
            if (f.claimRead()) {
                abandon(f, new CancellationException("read pool of " + f.slide.path() + " shut down"));
            }
        });
        try {
            f.slide.reads().execute(task);
        } catch (RejectedExecutionException e) {
            readsInFlight.decrementAndGet();
            if (f.claimRead()) {
                abandon(f, f.slide.isRetired() ? changedOnDisk(f.slide) : new CancellationException("slide closed"));
            }
        }
    }

    /** Queues a decode of {@code f}; refused or dropped unrun, as {@link #scheduleRead}. */
    private void scheduleDecode(InFlight f, Priority p) {
        decodesInFlight.incrementAndGet();
        PrioritizedTask task = new PrioritizedTask(p, () -> runDecode(f), () -> {
            decodesInFlight.decrementAndGet();
            if (f.claimDecode()) {
                abandon(f, new CancellationException("pipeline closed"));
            }
        });
        try {
            decodePool.execute(task);
        } catch (RejectedExecutionException e) {
            decodesInFlight.decrementAndGet();
            if (f.claimDecode()) {
                abandon(f, new CancellationException("pipeline closed"));
            }
        }
    }

    private void runRead(InFlight f) {
        try {
            if (!f.claimRead()) {
                return; // a higher-priority copy of this job already ran
            }
            if (dropIfStale(f)) {
                return;
            }
            SlideHandle slide = f.slide;
            if (slide.isRetired()) {
                abandon(f, changedOnDisk(slide)); // queued before the change: ends without a read
                return;
            }
            byte[] bytes;
            try {
                bytes = slide.source().readTile(f.key.level(), f.key.col(), f.key.row());
                sourceReads.increment();
            } catch (IOException | RuntimeException e) {
                if (slide.source().changedOnDisk()) {
                    noticeChange(slide);
                    abandon(f, changedOnDisk(slide));
                } else {
                    readFailed(f, classify(f, e));
                }
                return;
            } finally {
                slides.touch(slide);
            }
            if (slide.source().changedOnDisk()) {
                // these bytes may be the new file's: they are never stored under the old id
                noticeChange(slide);
                abandon(f, changedOnDisk(slide));
                return;
            }
            l2.put(f.key, bytes);
            f.encoded = bytes;
            if (!finishIfEncodedOnly(f)) {
                scheduleDecode(f, f.bestPriority());
            }
        } catch (Throwable t) {
            unexpected(f, t);
        } finally {
            readsInFlight.decrementAndGet();
        }
    }

    /** What a read failure means: the source's own word, else outside the grid or a bug is permanent, I/O is not. */
    private TileException classify(InFlight f, Exception e) {
        if (e instanceof TileException te) {
            return te;
        }
        TileKey k = f.key;
        String problem = String.valueOf(e.getMessage());
        if (e instanceof IOException) {
            return TileException.transientFailure(f.slide.path(), k.level(), k.col(), k.row(), problem, e);
        }
        return new TileException(TileException.Kind.DAMAGED, f.slide.path(), k.level(), k.col(), k.row(),
                e instanceof IllegalArgumentException ? problem : e.toString(), e);
    }

    /** A permanent failure is remembered; a transient one is read again after a wait, a few times. */
    private void readFailed(InFlight f, TileException e) {
        if (e.isPermanent()) {
            fail(f, e);
            return;
        }
        int attempt = f.awaitRetry(RETRY_DELAYS_MS.length);
        if (attempt < 0 || closed) {
            failTransiently(f, e, true);
            return;
        }
        long base = RETRY_DELAYS_MS[attempt];
        long delay = base * 3 / 4 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        // the wait is on a timer, not on a read thread: the slide's other reads go on meanwhile
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> {
            f.retryDue();
            scheduleRead(f, f.bestPriority());
        });
    }

    private void runDecode(InFlight f) {
        try {
            if (!f.claimDecode()) {
                return;
            }
            if (dropIfStale(f)) {
                return;
            }
            SlideInfo info = f.slide.info();
            LevelInfo l = info.level(f.key.level());
            BufferedImage img;
            try {
                // a tile that claims more pixels than its level's tiles have is damaged: refused
                // from its header, before the decoder allocates what it asks for
                img = decoder.decode(f.encoded, Limits.maxTileEdge(l.tileWidth(), info.overlap()),
                        Limits.maxTileEdge(l.tileHeight(), info.overlap()), pixelBuffers);
            } catch (IOException | RuntimeException e) {
                fail(f, new TileException(f.slide.location(), f.key.level(), f.key.col(), f.key.row(),
                        String.valueOf(e.getMessage()), e));
                return;
            }
            int[] origin = f.slide.source().tileOrigin(f.key.level(), f.key.col(), f.key.row());
            DecodedTile tile = new DecodedTile(img, origin[0], origin[1], l.tileRect(f.key.col(), f.key.row()));
            if (!f.slide.isRetired()) {
                l1.put(f.key, tile);
            }
            for (TileListener listener : listeners) {
                try {
                    listener.tileLanded(f.key, tile.owned());
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "tile listener failed", e);
                }
            }
            finish(f, tile);
        } catch (Throwable t) {
            unexpected(f, t);
        } finally {
            decodesInFlight.decrementAndGet();
        }
    }

    /**
     * Something no source or decoder should throw (an Error: out of memory, a native failure, a
     * bug): the request still ends, as a transient failure that is reported, not remembered. A
     * VirtualMachineError goes on up once the request has ended: the JVM is in trouble, and the
     * pool thread's handler (and the application's) must hear of it.
     */
    private void unexpected(InFlight f, Throwable t) {
        TileKey k = f.key;
        TileException e = TileException.transientFailure(f.slide.path(), k.level(), k.col(), k.row(),
                "unexpected " + t, t);
        LOG.log(Level.ERROR, e.getMessage(), t);
        failTransiently(f, e, false);
        if (t instanceof VirtualMachineError vme) {
            throw vme;
        }
    }

    /** Drops the work when every requester has moved on; atomic with merging new requesters in. */
    private boolean dropIfStale(InFlight f) {
        boolean[] dropped = new boolean[1];
        inFlight.compute(f.key, (k, v) -> {
            if (v == f && f.isStale()) {
                dropped[0] = true;
                return null;
            }
            return v;
        });
        if (dropped[0]) {
            f.future.completeExceptionally(new StaleRequestException(f.key));
        }
        return dropped[0];
    }

    /**
     * Completes an L2-only (preload) request, atomically with any foreground request joining it:
     * once someone wants the tile decoded, it is decoded.
     */
    private boolean finishIfEncodedOnly(InFlight f) {
        boolean[] done = new boolean[1];
        inFlight.compute(f.key, (k, v) -> {
            if (v == f && !f.wantsDecode()) {
                done[0] = true;
                return null;
            }
            return v;
        });
        if (done[0]) {
            f.future.complete(null);
        }
        return done[0];
    }

    private void finish(InFlight f, DecodedTile tile) {
        inFlight.remove(f.key, f);
        coolingDown.remove(f.key);
        f.future.complete(tile);
    }

    private void abandon(InFlight f, RuntimeException why) {
        inFlight.remove(f.key, f);
        f.future.completeExceptionally(why);
    }

    private void fail(InFlight f, TileException e) {
        if (failed.putIfAbsent(f.key, e) == null) {
            LOG.log(Level.WARNING, e.getMessage());
        }
        inFlight.remove(f.key, f);
        f.future.completeExceptionally(e);
    }

    /** Reports a transient failure and keeps it for a cool-down only; logged the first time a tile has one. */
    private void failTransiently(InFlight f, TileException e, boolean log) {
        CoolingDown before = coolingDown.get(f.key);
        int times = before == null ? 1 : before.times() + 1;
        coolingDown.put(f.key, new CoolingDown(e, System.nanoTime() + TRANSIENT_COOL_DOWN_NANOS, times));
        if (log) {
            LOG.log(times == 1 ? Level.WARNING : Level.DEBUG, "{0} (after {1} tries; tried again in {2} s)",
                    e.getMessage(), RETRY_DELAYS_MS.length + 1, TimeUnit.NANOSECONDS.toSeconds(TRANSIENT_COOL_DOWN_NANOS));
        }
        inFlight.remove(f.key, f);
        f.future.completeExceptionally(e);
    }

    private static CancellationException changedOnDisk(SlideHandle slide) {
        return new CancellationException(slide.path() + " changed on disk; reopened as a new slide");
    }

    /** The slide of {@code h} changed on disk: retire the handle (once) and reopen the slide off this thread. */
    private void noticeChange(SlideHandle h) {
        if (closed || h.isRetired() || !h.retire()) {
            return;
        }
        LOG.log(Level.INFO, "{0} changed on disk; reopening it", h.path());
        Thread.ofVirtual().name("tilescope-reopen").start(() -> {
            try {
                slides.reopen(h); // tells replaced() on success
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "{0} changed on disk and could not be reopened: {1}", h.path(), e.getMessage());
                forget(h.id());
                fireSlideChange(new SlideChange(h, null, e));
            }
        });
    }

    /** The slide pool replaced {@code old} by {@code fresh}: drop the old tiles, load the new cover, tell listeners. */
    private void replaced(SlideHandle old, SlideHandle fresh) {
        forget(old.id());
        if (old.coarseRequested && !closed) {
            fresh.coarseRequested = true;
            loadCoarseLevels(fresh);
        }
        fireSlideChange(new SlideChange(old, fresh, null));
    }

    /** Drops every tile and failure of a slide id that no longer exists. */
    private void forget(long slideId) {
        l1.asMap().keySet().removeIf(k -> k.slideId() == slideId);
        l2.asMap().keySet().removeIf(k -> k.slideId() == slideId);
        failed.keySet().removeIf(k -> k.slideId() == slideId);
        coolingDown.keySet().removeIf(k -> k.slideId() == slideId);
    }

    private void fireSlideChange(SlideChange change) {
        for (Consumer<SlideChange> l : slideChangeListeners) {
            try {
                l.accept(change);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "slide change listener failed", e);
            }
        }
    }

    /**
     * Hears every tile that leaves L2 (evicted for room, or cleared), on the thread that caused
     * it: keep it cheap and never block. The navigator's "in cache" marks depend on it.
     */
    public void addL2RemovalListener(Consumer<TileKey> l) {
        l2Removals.add(l);
    }

    public void removeL2RemovalListener(Consumer<TileKey> l) {
        l2Removals.remove(l);
    }

    private void l2Removed(TileKey key) {
        for (var l : l2Removals) {
            try {
                l.accept(key);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "L2 removal listener failed", e);
            }
        }
    }

    /**
     * Hears of every slide that changed on disk while open, once it is reopened (or could not be).
     * Called on a background thread.
     */
    public void addSlideChangeListener(Consumer<SlideChange> l) {
        slideChangeListeners.add(l);
    }

    public void removeSlideChangeListener(Consumer<SlideChange> l) {
        slideChangeListeners.remove(l);
    }

    /**
     * The heap stayed more than {@value CacheSizes.HeapWatch#THRESHOLD} full after a collection:
     * halves L1, next time L2, and so on in turn, never below {@value #MIN_TIER_BYTES} bytes.
     * Called by the heap watch; tests call it directly.
     *
     * @param heapShare share of the tenured heap in use after the collection, for the log
     * @return true when a tier was shrunk, false when both are at their floor
     */
    synchronized boolean relieveMemoryPressure(double heapShare) {
        for (int i = 0; i < 2; i++) {
            boolean l2Turn = relieveL2Next;
            relieveL2Next = !relieveL2Next;
            Policy.Eviction<TileKey, ?> ev = (l2Turn ? l2 : l1).policy().eviction().orElseThrow();
            long max = ev.getMaximum();
            if (max > MIN_TIER_BYTES) {
                long smaller = Math.max(MIN_TIER_BYTES, max / 2);
                ev.setMaximum(smaller);
                if (!l2Turn && pixelBuffers.maximumBytes() > 0) {
                    pixelBuffers.cacheResized(smaller);
                }
                LOG.log(Level.WARNING, "heap {0}% full after a collection: {1} cache cut from {2} MB to {3} MB",
                        Math.round(heapShare * 100), l2Turn ? "L2" : "L1", max >> 20, smaller >> 20);
                return true;
            }
        }
        return false;
    }

    /** The pool decodes take pixel arrays from (tests). */
    PixelBuffers pixelBuffers() {
        return pixelBuffers;
    }

    /** Requests in flight (each may have several waiters). */
    int inFlightRequests() {
        return inFlight.size();
    }

    /** Tasks waiting in the decode queue (copies at a better priority count too). */
    int queuedDecodes() {
        return decodePool.getQueue().size();
    }

    /** Tasks waiting in one slide's read queue. */
    int queuedReads(SlideHandle slide) {
        return slide.reads().getQueue().size();
    }

    public void addListener(TileListener l) {
        listeners.add(l);
    }

    public void removeListener(TileListener l) {
        listeners.remove(l);
    }

    public TileDecoder decoder() {
        return decoder;
    }

    public CacheSizes sizes() {
        return sizes;
    }

    /** Slides the pool knows, and how many may hold open files now. */
    public int knownSlides() {
        return slides.size();
    }

    public int slidesWithOpenFiles() {
        return slides.openFiles();
    }

    public PipelineStats stats() {
        return new PipelineStats(tier(l1), tier(l2), readsInFlight.get(), decodesInFlight.get(),
                sourceReads.sum(), failed.size(), decoder.name());
    }

    private static TierStats tier(Cache<TileKey, ?> c) {
        CacheStats s = c.stats();
        Policy.Eviction<TileKey, ?> ev = c.policy().eviction().orElseThrow();
        long hits = s.hitCount();
        long misses = s.missCount();
        double ratio = hits + misses == 0 ? 0 : (double) hits / (hits + misses);
        return new TierStats(hits, misses, ratio, ev.weightedSize().orElse(0), ev.getMaximum(),
                c.estimatedSize(), s.evictionCount());
    }

    /** Runs Caffeine's pending maintenance so sizes and evictions are up to date (tests, stats views). */
    public void cleanUp() {
        l1.cleanUp();
        l2.cleanUp();
    }

    /** Empties L1 only (as after a memory warning); L2 stays. */
    public void clearDecoded() {
        l1.invalidateAll();
    }

    /** Empties both tiers (benchmarks of cold paths; a user never needs this). */
    public void clearAll() {
        l1.invalidateAll();
        l2.invalidateAll();
    }

    @Override
    public void close() {
        closed = true;
        if (heapWatch != null) {
            heapWatch.close();
        }
        Pools.shutdownNow(decodePool);
        slides.closeAll();
        for (InFlight f : inFlight.values()) {
            f.future.completeExceptionally(new CancellationException("pipeline closed"));
        }
        inFlight.clear();
    }

    /** A request for one key that may have several waiters. Guarded by the inFlight map's lock per key. */
    private final class InFlight {
        final SlideHandle slide;
        final TileKey key;
        final CompletableFuture<DecodedTile> future = new CompletableFuture<>();
        private final List<ViewGeneration> guards = new ArrayList<>(2);
        private final List<Long> generations = new ArrayList<>(2);
        private boolean pinned;
        private boolean decode;
        private Priority best;
        /** {@code best}'s ordinal, readable without the lock (foreground counting). */
        volatile int bestOrdinal;
        private boolean readClaimed;
        private boolean decodeClaimed;
        /** Reads tried again so far after transient failures. */
        private int retries;
        /** Between a transient failure and the read that tries again: nothing else may queue one. */
        private boolean waitingToRetry;
        volatile byte[] encoded;

        InFlight(SlideHandle slide, TileKey key, Priority p, ViewGeneration guard, long generation, boolean decode) {
            this.slide = slide;
            this.key = key;
            this.best = p;
            this.bestOrdinal = p.ordinal();
            this.decode = decode;
            addInterest(guard, generation);
        }

        private void addInterest(ViewGeneration guard, long generation) {
            if (guard == null) {
                pinned = true;
            } else {
                int i = guards.indexOf(guard);
                if (i < 0) {
                    guards.add(guard);
                    generations.add(generation);
                } else if (generations.get(i) < generation) {
                    generations.set(i, generation);
                }
            }
        }

        /** Adds a requester; true when it raised the priority (then a better copy must queue). */
        synchronized boolean join(Priority p, ViewGeneration guard, long generation, boolean wantDecode) {
            addInterest(guard, generation);
            decode |= wantDecode;
            if (p.ordinal() < best.ordinal()) {
                best = p;
                bestOrdinal = p.ordinal();
                return true;
            }
            return false;
        }

        /** Queues a copy of the pending stage at the better priority; whichever runs first does it. */
        void reschedule(Priority p) {
            boolean read;
            boolean dec;
            synchronized (this) {
                if (p != best) {
                    return; // a better one came meanwhile and queued its own copy
                }
                read = !readClaimed && encoded == null && !waitingToRetry;
                dec = readClaimed && encoded != null && decode && !decodeClaimed;
            }
            if (read) {
                scheduleRead(this, p);
            } else if (dec) {
                scheduleDecode(this, p);
            }
        }

        synchronized boolean claimRead() {
            if (readClaimed || waitingToRetry) {
                return false;
            }
            readClaimed = true;
            return true;
        }

        /**
         * Prepares another read after a transient failure: the index of this retry, or -1 when
         * {@code max} retries were made already.
         */
        synchronized int awaitRetry(int max) {
            if (retries >= max) {
                return -1;
            }
            readClaimed = false;
            waitingToRetry = true;
            return retries++;
        }

        synchronized void retryDue() {
            waitingToRetry = false;
        }

        synchronized boolean claimDecode() {
            if (decodeClaimed) {
                return false;
            }
            decodeClaimed = true;
            return true;
        }

        synchronized boolean wantsDecode() {
            return decode;
        }

        synchronized Priority bestPriority() {
            return best;
        }

        synchronized boolean isStale() {
            if (pinned) {
                return false;
            }
            for (int i = 0; i < guards.size(); i++) {
                if (!guards.get(i).isStale(generations.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }
}
