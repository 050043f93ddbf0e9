package org.tilescope.engine.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.PixelRect;
import org.tilescope.engine.slide.SlideInfo;
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
 */
public final class TilePipeline implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TilePipeline.class.getName());
    /** Levels with at most this many tiles are loaded when a slide opens: the paint fallback. */
    public static final int COARSE_LEVEL_MAX_TILES = 64;

    private final Cache<TileKey, DecodedTile> l1;
    private final Cache<TileKey, byte[]> l2;
    private final CacheSizes sizes;
    private final TileDecoder decoder;
    private final ThreadPoolExecutor decodePool;
    private final SlidePool slides;
    private final ConcurrentHashMap<TileKey, InFlight> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TileKey, TileException> failed = new ConcurrentHashMap<>();
    private final List<TileListener> listeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<TileKey>> l2Removals = new CopyOnWriteArrayList<>();
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
        this.slides = new SlidePool(maxOpenFiles, name -> Pools.readPool(name, readsPerSlide));
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
        SlideHandle h = slides.open(path);
        if (h.thumbnail() == null && !h.ready().isDone()) {
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
        return slides.open(path);
    }

    /** Opens a source that is already open (tests, generated slides) under the given id. */
    public SlideHandle open(long id, Path path, org.tilescope.engine.slide.SlideSource source) {
        SlideHandle h = slides.register(id, path, source);
        loadCoarseLevels(h);
        return h;
    }

    /** Longest side of the held thumbnail: big enough to cover a zoomed-out view, small enough to keep. */
    static final int THUMBNAIL_MAX_SIDE = 1024;

    private void loadCoarseLevels(SlideHandle h) {
        SlideInfo info = h.info();
        List<CompletableFuture<DecodedTile>> all = new ArrayList<>();
        int thumbLevel = info.levelCount() - 1;
        List<CompletableFuture<DecodedTile>> thumbTiles = new ArrayList<>();
        for (LevelInfo l : info.levels().reversed()) {
            if (l.tileCount() > COARSE_LEVEL_MAX_TILES) {
                break;
            }
            boolean thumbCandidate = Math.max(l.width(), l.height()) <= THUMBNAIL_MAX_SIDE
                    || l.index() == info.levelCount() - 1;
            if (thumbCandidate) {
                thumbLevel = l.index();
                thumbTiles.clear();
            }
            for (int row = 0; row < l.rows(); row++) {
                for (int col = 0; col < l.cols(); col++) {
                    CompletableFuture<DecodedTile> f = request(h, h.key(l.index(), col, row), Priority.COVER, null, 0);
                    all.add(f);
                    if (thumbCandidate) {
                        thumbTiles.add(f);
                    }
                }
            }
        }
        if (all.isEmpty()) {
            // even the coarsest level is large (odd pyramid): load its tiles as the fallback anyway
            LevelInfo last = info.level(info.levelCount() - 1);
            thumbLevel = last.index();
            for (int row = 0; row < last.rows(); row++) {
                for (int col = 0; col < last.cols(); col++) {
                    thumbTiles.add(request(h, h.key(last.index(), col, row), Priority.COVER, null, 0));
                }
            }
        }
        int level = thumbLevel;
        LevelInfo tl = info.level(level);
        // compose from the requests' own results: L1 may already have evicted some of them
        CompletableFuture.allOf(thumbTiles.stream().map(f -> f.handle((t, e) -> t))
                        .toArray(CompletableFuture[]::new))
                .whenComplete((v, e) -> {
                    BufferedImage img = org.tilescope.engine.decode.Images.white(tl.width(), tl.height());
                    int painted = 0;
                    for (CompletableFuture<DecodedTile> f : thumbTiles) {
                        DecodedTile t = f.handle((x, err) -> x).join();
                        if (t != null) {
                            t.copyOwnedInto(img, 0, 0);
                            painted++;
                        }
                    }
                    if (painted == 0) {
                        h.failThumbnail(new IOException(h.path() + ": no coarse tile could be read"));
                    } else {
                        h.setThumbnail(level, img);
                    }
                });
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

    /** True when this tile failed before; it is never retried. */
    public boolean hasFailed(TileKey key) {
        return failed.containsKey(key);
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
        TileException earlier = failed.get(key);
        if (earlier != null) {
            return CompletableFuture.failedFuture(earlier);
        }
        if (closed) {
            return CompletableFuture.failedFuture(new CancellationException("pipeline closed"));
        }
        InFlight[] created = new InFlight[1];
        InFlight f = inFlight.compute(key, (k, existing) -> {
            if (existing != null) {
                existing.join(priority, guard, generation, decode);
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
        } else {
            f.reschedule(priority);
        }
        return f.future;
    }

    private void scheduleRead(InFlight f, Priority p) {
        readsInFlight.incrementAndGet();
        try {
            f.slide.reads().execute(new PrioritizedTask(p, () -> runRead(f)));
        } catch (RejectedExecutionException e) {
            readsInFlight.decrementAndGet();
            abandon(f, new CancellationException("slide closed"));
        }
    }

    private void scheduleDecode(InFlight f, Priority p) {
        decodesInFlight.incrementAndGet();
        try {
            decodePool.execute(new PrioritizedTask(p, () -> runDecode(f)));
        } catch (RejectedExecutionException e) {
            decodesInFlight.decrementAndGet();
            abandon(f, new CancellationException("pipeline closed"));
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
            byte[] bytes;
            try {
                bytes = f.slide.source().readTile(f.key.level(), f.key.col(), f.key.row());
                sourceReads.increment();
            } catch (TileException e) {
                fail(f, e);
                return;
            } catch (IOException | RuntimeException e) {
                fail(f, new TileException(f.slide.path(), f.key.level(), f.key.col(), f.key.row(),
                        String.valueOf(e.getMessage()), e));
                return;
            } finally {
                slides.touch(f.slide);
            }
            l2.put(f.key, bytes);
            f.encoded = bytes;
            if (!finishIfEncodedOnly(f)) {
                scheduleDecode(f, f.bestPriority());
            }
        } finally {
            readsInFlight.decrementAndGet();
        }
    }

    private void runDecode(InFlight f) {
        try {
            if (!f.claimDecode()) {
                return;
            }
            if (dropIfStale(f)) {
                return;
            }
            BufferedImage img;
            try {
                img = decoder.decode(f.encoded);
            } catch (IOException | RuntimeException e) {
                fail(f, new TileException(f.slide.path(), f.key.level(), f.key.col(), f.key.row(),
                        String.valueOf(e.getMessage()), e));
                return;
            }
            SlideInfo info = f.slide.info();
            LevelInfo l = info.level(f.key.level());
            int[] origin = f.slide.source().tileOrigin(f.key.level(), f.key.col(), f.key.row());
            DecodedTile tile = new DecodedTile(img, origin[0], origin[1], l.tileRect(f.key.col(), f.key.row()));
            l1.put(f.key, tile);
            for (TileListener listener : listeners) {
                try {
                    listener.tileLanded(f.key, tile.owned());
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "tile listener failed", e);
                }
            }
            finish(f, tile);
        } finally {
            decodesInFlight.decrementAndGet();
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

    /**
     * Hears every tile that leaves L2 (evicted for room, or cleared), on the thread that caused
     * it: keep it cheap and never block. The navigator's "in cache" marks depend on it.
     */
    public void addL2RemovalListener(java.util.function.Consumer<TileKey> l) {
        l2Removals.add(l);
    }

    public void removeL2RemovalListener(java.util.function.Consumer<TileKey> l) {
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
        decodePool.shutdownNow();
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

        synchronized void join(Priority p, ViewGeneration guard, long generation, boolean wantDecode) {
            addInterest(guard, generation);
            decode |= wantDecode;
            if (p.ordinal() < best.ordinal()) {
                best = p;
                bestOrdinal = p.ordinal();
            }
        }

        /** Queues a copy of the pending stage at the better priority; whichever runs first does it. */
        void reschedule(Priority p) {
            boolean read;
            boolean dec;
            synchronized (this) {
                if (p != best) {
                    return; // no better than what is queued
                }
                read = !readClaimed && encoded == null;
                dec = readClaimed && encoded != null && decode && !decodeClaimed;
            }
            if (read) {
                scheduleRead(this, p);
            } else if (dec) {
                scheduleDecode(this, p);
            }
        }

        synchronized boolean claimRead() {
            if (readClaimed) {
                return false;
            }
            readClaimed = true;
            return true;
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
