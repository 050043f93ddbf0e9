package org.tilescope.engine.view;

import org.tilescope.engine.cache.DecodedTile;
import org.tilescope.engine.cache.Priority;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TileKey;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.cache.ViewGeneration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideInfo;

/**
 * Decides, for one view of one slide, what to paint now and what to fetch. Cheap enough to call
 * on every frame: it only looks into L1 and queues requests.
 *
 * <ul>
 * <li>Level: the largest downsample that is &lt;= the screen's.</li>
 * <li>Paint now: L1 hits, and for each missing tile the best cached coarser tiles.</li>
 * <li>Fetch, most urgent first: visible tiles centre-out, the next coarser level (cover), then a
 *     prefetch ring measured in tiles of the current level, stretched in the pan direction.</li>
 * </ul>
 */
public final class TileScheduler {
    /** How far ahead prefetch looks along the pan, in seconds of the current velocity. */
    static final double LOOKAHEAD_SECONDS = 0.5;
    /** Most extra tiles prefetch reaches out in the pan direction. */
    static final int MAX_STRETCH = 4;
    /** Most prefetch requests per update. */
    static final int PREFETCH_BUDGET = 48;
    /**
     * Most tiles one frame (or export) may need at its level: a full 8K screen of 256 px tiles is
     * about 2,300. A view that needs more (tiny tiles, a slide without coarse levels) is drawn from
     * a coarser level; at the coarsest, only the tiles nearest the centre are fetched.
     */
    public static final int MAX_TILES_PER_FRAME = 4096;
    /**
     * Longest a new view (a slide switch) asks for its visible tiles alone: until it first has
     * them all, or this long after its first update, it asks for no cover and no prefetch, so
     * that both cores decode what the user waits to see.
     */
    static final long FIRST_VIEW_HOLD_NANOS = 150_000_000L;

    private final TilePipeline pipeline;
    private final SlideHandle slide;
    private final ViewGeneration generation = new ViewGeneration();
    /** When this view first asked for tiles (System.nanoTime), and whether it has since had them all. */
    private long firstUpdateNanos;
    private boolean firstUpdateDone;
    private boolean hadAllVisible;

    public TileScheduler(TilePipeline pipeline, SlideHandle slide) {
        this.pipeline = pipeline;
        this.slide = slide;
    }

    public SlideHandle slide() {
        return slide;
    }

    /** This view's generation counter; work for older generations is dropped. */
    public ViewGeneration generation() {
        return generation;
    }

    /** Tile range of a level covering a level-0 rectangle, clamped to the grid. */
    public record TileRange(int level, int col0, int row0, int col1, int row1) {
        /** How many tiles the range holds (0 when it is empty). */
        public long count() {
            return col1 < col0 || row1 < row0 ? 0 : (long) (col1 - col0 + 1) * (row1 - row0 + 1);
        }

        /** At most {@code max} of these tiles: a block around (cc, cr), the same shape. */
        TileRange nearest(int max, int cc, int cr) {
            long n = count();
            if (n <= max) {
                return this;
            }
            int cols = col1 - col0 + 1;
            int rows = row1 - row0 + 1;
            double shrink = Math.sqrt((double) max / n);
            int nc = (int) Math.clamp((long) Math.floor(cols * shrink), 1, Math.min(cols, max));
            int nr = Math.clamp(max / nc, 1, rows);
            int c0 = Math.clamp(cc - nc / 2, col0, col1 - nc + 1);
            int r0 = Math.clamp(cr - nr / 2, row0, row1 - nr + 1);
            return new TileRange(level, c0, r0, c0 + nc - 1, r0 + nr - 1);
        }
    }

    /**
     * The tiles of level {@code l} under the whole viewport, before the per-frame cap: what a
     * painter checks a plan against to know whether the plan's tiles are all the view shows.
     */
    public static TileRange inView(LevelInfo l, Viewport v) {
        return range(l, v.x(), v.y(), v.width(), v.height());
    }

    static TileRange range(LevelInfo l, double x, double y, double w, double h) {
        double ds = l.downsample();
        int col0 = (int) Math.floor(Math.max(0, x / ds) / l.tileWidth());
        int row0 = (int) Math.floor(Math.max(0, y / ds) / l.tileHeight());
        int col1 = (int) Math.floor(Math.min(l.width() - 1, Math.ceil((x + w) / ds) - 1) / l.tileWidth());
        int row1 = (int) Math.floor(Math.min(l.height() - 1, Math.ceil((y + h) / ds) - 1) / l.tileHeight());
        return new TileRange(l.index(), Math.max(0, col0), Math.max(0, row0),
                Math.min(l.cols() - 1, col1), Math.min(l.rows() - 1, row1));
    }

    /**
     * The level a viewport is drawn at: the best for its downsample, or a coarser one while that
     * needs more than {@value #MAX_TILES_PER_FRAME} tiles.
     */
    public int levelFor(Viewport v) {
        SlideInfo info = slide.info();
        int level = info.bestLevelForDownsample(v.downsample());
        while (level + 1 < info.levelCount()
                && range(info.level(level), v.x(), v.y(), v.width(), v.height()).count() > MAX_TILES_PER_FRAME) {
            level++;
        }
        return level;
    }

    /** The tiles of a level covering the viewport, at most {@value #MAX_TILES_PER_FRAME}, nearest its centre. */
    private static TileRange visibleRange(LevelInfo l, Viewport v) {
        TileRange r = range(l, v.x(), v.y(), v.width(), v.height());
        int cc = (int) Math.clamp(Math.floor(v.centreX() / l.downsample() / l.tileWidth()), 0, l.cols() - 1);
        int cr = (int) Math.clamp(Math.floor(v.centreY() / l.downsample() / l.tileHeight()), 0, l.rows() - 1);
        return r.nearest(MAX_TILES_PER_FRAME, cc, cr);
    }

    /** The tiles of the level chosen for this viewport that it shows, row by row; requests nothing. */
    public List<TileKey> visibleTiles(Viewport v) {
        SlideInfo info = slide.info();
        LevelInfo l = info.level(levelFor(v));
        TileRange r = visibleRange(l, v);
        List<TileKey> keys = new ArrayList<>((int) r.count());
        for (int row = r.row0(); row <= r.row1(); row++) {
            for (int col = r.col0(); col <= r.col1(); col++) {
                keys.add(slide.key(l.index(), col, row));
            }
        }
        return keys;
    }

    /**
     * Updates the view: returns what can be painted now and requests what is missing.
     */
    public PaintPlan update(Viewport v) {
        long gen = generation.advanceTo(v.generation());
        SlideInfo info = slide.info();
        int level = levelFor(v);
        LevelInfo l = info.level(level);
        TileRange visible = visibleRange(l, v);

        // centre-out order of the visible tiles
        double cx = v.centreX() / l.downsample();
        double cy = v.centreY() / l.downsample();
        List<int[]> order = new ArrayList<>((int) visible.count());
        for (int row = visible.row0(); row <= visible.row1(); row++) {
            for (int col = visible.col0(); col <= visible.col1(); col++) {
                order.add(new int[] {col, row});
            }
        }
        order.sort(Comparator.comparingDouble(t -> distance2(l, t[0], t[1], cx, cy)));

        List<PaintPlan.PaintTile> fine = new ArrayList<>(order.size());
        Map<TileKey, PaintPlan.PaintTile> cover = new LinkedHashMap<>();
        Set<TileKey> coverMisses = new HashSet<>();
        int sharp = 0;
        int uncovered = 0;
        List<TileKey> missing = new ArrayList<>();
        for (int[] t : order) {
            TileKey key = slide.key(level, t[0], t[1]);
            DecodedTile tile = pipeline.cached(key);
            if (tile != null) {
                fine.add(new PaintPlan.PaintTile(key, tile, l.downsample()));
                sharp++;
            } else {
                if (!findCover(info, l, t[0], t[1], cover, coverMisses)) {
                    uncovered++;
                }
                if (!pipeline.hasFailed(key)) {
                    missing.add(key);
                }
            }
        }
        for (TileKey key : missing) {
            pipeline.request(slide, key, Priority.VISIBLE, generation, gen);
        }
        if (missing.isEmpty()) {
            hadAllVisible = true;
            pipeline.visibleTilesIn(slide);
        }
        if (holdingForVisible()) {
            return plan(info, level, cover, fine, order.size(), sharp, uncovered);
        }
        // the cover level, so that the next miss has a fallback one step away
        if (level + 1 < info.levelCount()) {
            LevelInfo c = info.level(level + 1);
            TileRange cr = visibleRange(c, v);
            for (int row = cr.row0(); row <= cr.row1(); row++) {
                for (int col = cr.col0(); col <= cr.col1(); col++) {
                    TileKey key = slide.key(c.index(), col, row);
                    if (pipeline.cached(key) == null && !pipeline.hasFailed(key)) {
                        pipeline.request(slide, key, Priority.COVER, generation, gen);
                    }
                }
            }
        }
        prefetch(l, visible, v, gen);
        return plan(info, level, cover, fine, order.size(), sharp, uncovered);
    }

    /** True while this new view still waits for its first full set of visible tiles (bounded in time). */
    private boolean holdingForVisible() {
        long now = System.nanoTime();
        if (!firstUpdateDone) {
            firstUpdateDone = true;
            firstUpdateNanos = now;
        }
        return !hadAllVisible && now - firstUpdateNanos < FIRST_VIEW_HOLD_NANOS;
    }

    private PaintPlan plan(SlideInfo info, int level, Map<TileKey, PaintPlan.PaintTile> cover,
                           List<PaintPlan.PaintTile> fine, int wanted, int sharp, int uncovered) {
        List<PaintPlan.PaintTile> layers = new ArrayList<>(cover.values());
        layers.sort(Comparator.comparingDouble((PaintPlan.PaintTile p) -> -p.downsample()));
        layers.addAll(fine);
        int tl = slide.thumbnailLevel();
        return new PaintPlan(level, slide.thumbnail(), tl < 0 ? 1 : info.level(tl).downsample(), layers, wanted, sharp, uncovered);
    }

    /**
     * Adds to {@code cover} the tiles of the nearest coarser level that together cover this
     * tile's area and are all cached. False when no coarser level has them all.
     */
    private boolean findCover(SlideInfo info, LevelInfo fine, int col, int row,
                              Map<TileKey, PaintPlan.PaintTile> cover, Set<TileKey> coverMisses) {
        var owned = fine.tileRect(col, row);
        double x = owned.x() * fine.downsample();
        double y = owned.y() * fine.downsample();
        double w = owned.width() * fine.downsample();
        double h = owned.height() * fine.downsample();
        for (int li = fine.index() + 1; li < info.levelCount(); li++) {
            LevelInfo c = info.level(li);
            TileRange r = range(c, x, y, w, h);
            List<PaintPlan.PaintTile> found = new ArrayList<>((int) Math.min(r.count(), MAX_TILES_PER_FRAME));
            boolean all = true;
            for (int cr = r.row0(); cr <= r.row1() && all; cr++) {
                for (int cc = r.col0(); cc <= r.col1(); cc++) {
                    TileKey key = slide.key(li, cc, cr);
                    PaintPlan.PaintTile known = cover.get(key);
                    if (known != null) {
                        found.add(known);
                        continue;
                    }
                    if (coverMisses.contains(key)) {
                        all = false;
                        break;
                    }
                    DecodedTile t = pipeline.cached(key);
                    if (t == null) {
                        coverMisses.add(key);
                        all = false;
                        break;
                    }
                    found.add(new PaintPlan.PaintTile(key, t, c.downsample()));
                }
            }
            if (all) {
                for (PaintPlan.PaintTile p : found) {
                    cover.putIfAbsent(p.key(), p);
                }
                return true;
            }
        }
        return false;
    }

    /** A ring one tile wide around the view, stretched up to {@value #MAX_STRETCH} tiles along the pan. */
    private void prefetch(LevelInfo l, TileRange visible, Viewport v, long gen) {
        if (visible.count() == 0) {
            return;
        }
        double vx = v.velocityX() / l.downsample() * LOOKAHEAD_SECONDS / l.tileWidth();
        double vy = v.velocityY() / l.downsample() * LOOKAHEAD_SECONDS / l.tileHeight();
        int stretchX = (int) Math.min(MAX_STRETCH, Math.ceil(Math.abs(vx)));
        int stretchY = (int) Math.min(MAX_STRETCH, Math.ceil(Math.abs(vy)));
        int c0 = visible.col0() - 1 - (vx < 0 ? stretchX : 0);
        int c1 = visible.col1() + 1 + (vx > 0 ? stretchX : 0);
        int r0 = visible.row0() - 1 - (vy < 0 ? stretchY : 0);
        int r1 = visible.row1() + 1 + (vy > 0 ? stretchY : 0);
        double cx = (visible.col0() + visible.col1()) / 2.0 + Math.signum(vx) * stretchX / 2.0;
        double cy = (visible.row0() + visible.row1()) / 2.0 + Math.signum(vy) * stretchY / 2.0;
        List<int[]> ring = new ArrayList<>();
        for (int row = Math.max(0, r0); row <= Math.min(l.rows() - 1, r1); row++) {
            for (int col = Math.max(0, c0); col <= Math.min(l.cols() - 1, c1); col++) {
                boolean inside = col >= visible.col0() && col <= visible.col1()
                        && row >= visible.row0() && row <= visible.row1();
                if (!inside) {
                    ring.add(new int[] {col, row});
                }
            }
        }
        ring.sort(Comparator.comparingDouble(t -> (t[0] - cx) * (t[0] - cx) + (t[1] - cy) * (t[1] - cy)));
        int budget = PREFETCH_BUDGET;
        for (int[] t : ring) {
            if (budget-- <= 0) {
                break;
            }
            TileKey key = slide.key(l.index(), t[0], t[1]);
            if (pipeline.cached(key) == null && !pipeline.hasFailed(key)) {
                pipeline.request(slide, key, Priority.PREFETCH, generation, gen);
            }
        }
    }

    private static double distance2(LevelInfo l, int col, int row, double cx, double cy) {
        double tx = (col + 0.5) * l.tileWidth() - cx;
        double ty = (row + 0.5) * l.tileHeight() - cy;
        return tx * tx + ty * ty;
    }
}
