package org.tilescope.app.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Area;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.tilescope.engine.cache.DecodedTile;
import org.tilescope.engine.view.PaintPlan;
import org.tilescope.engine.cache.Priority;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TileKey;
import org.tilescope.engine.view.TilePainter;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.cache.ViewGeneration;
import org.tilescope.engine.view.TileScheduler;
import org.tilescope.engine.view.Viewport;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideInfo;

/** Paints a view of a slide: one piece of code for the screen and for exported images. */
public final class SlideRenderer {
    public static final Color BACKGROUND = new Color(0x2B2D30);
    /**
     * Painted under the slide before any tile. White in use; a benchmark sets a colour no slide
     * has, so any pixel still showing it afterwards is an unfilled (gray-hole) pixel.
     */
    public static volatile Color underlay = Color.WHITE;

    private SlideRenderer() {
    }

    /** The viewport the scheduler gets for a view on a w x h component. */
    public static Viewport viewport(ViewState view, int w, int h, double deviceScale, double vx, double vy, long generation) {
        Rectangle2D vis = view.visibleSlideRect(w, h);
        return new Viewport(vis.getX(), vis.getY(), Math.max(1e-3, vis.getWidth()), Math.max(1e-3, vis.getHeight()),
                view.downsample() / Math.max(1e-3, deviceScale), vx, vy, generation);
    }

    /**
     * The viewport the scheduler gets for a {@code w x h} device-pixel buffer painted at
     * {@code slideToDevice}, which shows {@code downsample} level-0 pixels per device pixel.
     */
    public static Viewport viewport(AffineTransform slideToDevice, int w, int h, double downsample, double vx, double vy,
                                    long generation) {
        Rectangle2D vis;
        try {
            vis = slideToDevice.createInverse().createTransformedShape(new Rectangle2D.Double(0, 0, w, h)).getBounds2D();
        } catch (java.awt.geom.NoninvertibleTransformException e) {
            throw new IllegalStateException(e);
        }
        return new Viewport(vis.getX(), vis.getY(), Math.max(1e-3, vis.getWidth()), Math.max(1e-3, vis.getHeight()),
                Math.max(1e-6, downsample), vx, vy, generation);
    }

    /** Paints the plan under the view's transform: background, white slide area, then the layers. */
    public static void paint(Graphics2D g, SlideInfo info, ViewState view, PaintPlan plan, int w, int h) {
        paint(g, info, view, plan, w, h, true);
    }

    /** As above; {@code smooth} false draws the sharp level nearest-neighbour (frames in motion). */
    public static void paint(Graphics2D g, SlideInfo info, ViewState view, PaintPlan plan, int w, int h, boolean smooth) {
        paint(g, info, view.slideToScreen(w, h), plan, w, h, smooth);
    }

    /** As above at a given slide-to-screen transform (the tile pane's, snapped to whole device pixels). */
    public static void paint(Graphics2D g, SlideInfo info, AffineTransform slideToScreen, PaintPlan plan, int w, int h,
                             boolean smooth) {
        Rectangle2D slideRect = new Rectangle2D.Double(0, 0, info.width(), info.height());
        g.setColor(BACKGROUND);
        int[] range = coveredRange(info, slideToScreen, plan, w, h);
        if (range == null) {
            g.fillRect(0, 0, w, h);
            AffineTransform at = g.getTransform();
            g.transform(slideToScreen);
            // under the slide: before the thumbnail exists nothing shows the window colour
            g.setColor(underlay);
            g.fill(slideRect);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_SPEED);
            TilePainter.paint(g, plan, smooth);
            g.setTransform(at);
            return;
        }
        // every slide pixel in view gets a tile (sharp, or coarser cover where one is missing): the
        // window colour goes only around the slide, the underlay and the thumbnail are not painted
        // only to be painted over, and cover only where the level's tiles are missing; a frame in
        // motion (a zoom step, one that crosses a level) then writes each pixel about once
        Area around = new Area(new Rectangle(0, 0, w, h));
        around.subtract(new Area(slideToScreen.createTransformedShape(slideRect)));
        g.fill(around);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_SPEED);
        AffineTransform at = g.getTransform();
        if (plan.complete()) {
            g.transform(slideToScreen);
            TilePainter.paint(g, new PaintPlan(plan.level(), null, plan.baseDownsample(), plan.tiles(), plan.wanted(),
                    plan.sharp(), plan.uncovered()), smooth);
            g.setTransform(at);
            return;
        }
        List<PaintPlan.PaintTile> cover = new ArrayList<>();
        List<PaintPlan.PaintTile> fine = new ArrayList<>();
        java.util.Set<Long> present = new java.util.HashSet<>();
        for (PaintPlan.PaintTile p : plan.tiles()) {
            if (p.key().level() == plan.level()) {
                fine.add(p);
                present.add(((long) p.key().col() << 32) | p.key().row());
            } else {
                cover.add(p);
            }
        }
        // the missing tiles' areas, a device pixel wider all round (the tiles go over that edge)
        LevelInfo l = info.level(plan.level());
        double ds = l.downsample();
        Path2D missing = new Path2D.Double();
        for (int row = range[1]; row <= range[3]; row++) {
            for (int col = range[0]; col <= range[2]; col++) {
                if (!present.contains(((long) col << 32) | row)) {
                    Rectangle2D cell = new Rectangle2D.Double(col * (double) l.tileWidth() * ds, row * (double) l.tileHeight() * ds,
                            Math.min(l.tileWidth(), l.width() - col * l.tileWidth()) * ds,
                            Math.min(l.tileHeight(), l.height() - row * l.tileHeight()) * ds);
                    Rectangle2D d = slideToScreen.createTransformedShape(cell).getBounds2D();
                    double x0 = Math.floor(d.getMinX()) - 1;
                    double y0 = Math.floor(d.getMinY()) - 1;
                    missing.append(new Rectangle2D.Double(x0, y0, Math.ceil(d.getMaxX()) + 1 - x0,
                            Math.ceil(d.getMaxY()) + 1 - y0), false);
                }
            }
        }
        java.awt.Shape clip = g.getClip();
        g.clip(missing);
        g.transform(slideToScreen);
        TilePainter.paint(g, new PaintPlan(plan.level(), null, plan.baseDownsample(), cover, plan.wanted(), plan.sharp(),
                plan.uncovered()), smooth);
        g.setTransform(at);
        g.setClip(clip);
        g.transform(slideToScreen);
        TilePainter.paint(g, new PaintPlan(plan.level(), null, plan.baseDownsample(), fine, plan.wanted(), plan.sharp(),
                plan.uncovered()), smooth);
        g.setTransform(at);
    }

    /**
     * True when the plan's tiles, sharp or cover, lie under every pixel of the slide in a
     * {@code w x h} view at {@code slideToScreen}: every wanted tile of its level is in or covered
     * by coarser ones, and the wanted tiles are all the view shows (the scheduler caps how many it
     * wants, and a view that needs more shows only those nearest the centre).
     */
    static boolean tilesCoverView(SlideInfo info, AffineTransform slideToScreen, PaintPlan plan, int w, int h) {
        return coveredRange(info, slideToScreen, plan, w, h) != null;
    }

    /**
     * The tiles of the plan's level in view ({@code col0, row0, col1, row1}) when the plan's tiles
     * cover the view as {@link #tilesCoverView} says; else null.
     */
    private static int[] coveredRange(SlideInfo info, AffineTransform slideToScreen, PaintPlan plan, int w, int h) {
        if (plan.uncovered() != 0 || plan.level() < 0 || plan.level() >= info.levelCount() || plan.tiles().isEmpty()) {
            return null;
        }
        Viewport v = viewport(slideToScreen, w, h, 1, 0, 0, 0);
        TileScheduler.TileRange r = TileScheduler.inView(info.level(plan.level()), v);
        long inView = r.count();
        return inView > 0 && inView == plan.wanted() ? new int[] {r.col0(), r.row0(), r.col1(), r.row1()} : null;
    }

    /** What an export reports while it waits for tiles, and how it learns it should stop. */
    public interface ExportProgress {
        ExportProgress NONE = new ExportProgress() {
        };

        /** The number of tiles the export waits for, once it knows. */
        default void tilesNeeded(int count) {
        }

        /** One of them arrived (or failed: it is then painted from a coarser level). */
        default void tileDone() {
        }

        /** True once the export should stop; it then throws {@link CancellationException}. */
        default boolean cancelled() {
            return false;
        }
    }

    /**
     * Renders a view offscreen at full sharpness: waits for every tile of the chosen level, then
     * paints with the same code as the tile pane. A tile that fails is painted from a coarser one.
     */
    public static BufferedImage export(TilePipeline pipeline, SlideHandle slide, ViewState view, int w, int h)
            throws Exception {
        return export(pipeline, slide, view, w, h, ExportProgress.NONE);
    }

    /**
     * As above, reporting each tile that arrives. A cancel drops the export's queued reads and
     * decodes (its requests belong to a generation of its own, which the cancel retires) and ends
     * the export with {@link CancellationException} within {@value #CANCEL_POLL_MS} ms.
     */
    public static BufferedImage export(TilePipeline pipeline, SlideHandle slide, ViewState view, int w, int h,
                                       ExportProgress progress) throws Exception {
        ViewGeneration requests = new ViewGeneration();
        awaitOrCancel(slide.ready().handle((t, e) -> t), TimeUnit.MINUTES.toNanos(5), progress, requests);
        TileScheduler scheduler = new TileScheduler(pipeline, slide);
        Viewport vp = viewport(view, w, h, 1, 0, 0, 1);
        SlideInfo info = slide.info();
        int level = scheduler.levelFor(vp); // coarser than the best when that needs too many tiles
        double ds = info.level(level).downsample();
        List<TileKey> keys = scheduler.visibleTiles(vp);
        progress.tilesNeeded(keys.size());
        long generation = requests.current();
        List<CompletableFuture<DecodedTile>> futures = new ArrayList<>(keys.size());
        for (TileKey key : keys) {
            CompletableFuture<DecodedTile> f = pipeline.request(slide, key, Priority.VISIBLE, requests, generation);
            f.whenComplete((t, e) -> progress.tileDone());
            futures.add(f);
        }
        awaitOrCancel(CompletableFuture.allOf(futures.stream().map(f -> f.handle((t, e) -> t))
                .toArray(CompletableFuture[]::new)), TimeUnit.MINUTES.toNanos(10), progress, requests);
        // the scheduler's plan brings coarser cover for any tile that failed; the sharp tiles are
        // held here so a small L1 cannot evict them before they are painted
        PaintPlan cover = scheduler.update(vp);
        List<PaintPlan.PaintTile> layers = new ArrayList<>();
        for (PaintPlan.PaintTile p : cover.tiles()) {
            if (p.key().level() != level) {
                layers.add(p);
            }
        }
        int sharp = 0;
        for (int i = 0; i < futures.size(); i++) {
            DecodedTile t = futures.get(i).handle((x, e) -> x).join();
            if (t != null) {
                layers.add(new PaintPlan.PaintTile(keys.get(i), t, ds));
                sharp++;
            }
        }
        PaintPlan plan = new PaintPlan(level, cover.base(), cover.baseDownsample(), layers, futures.size(), sharp,
                cover.uncovered());
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            paint(g, info, view, plan, w, h);
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * Paints layers over a rendered view, as the viewer paints them over the screen: the scale
     * bar in an export, annotations, or whatever the command line asks for.
     */
    public static void paintLayers(BufferedImage img, SlideHandle slide, ViewState view, LayerStack layers) {
        paintLayers(img, slide.info(), slide.thumbnail(), view, layers);
    }

    /** As above for a slide read without the pipeline (a region): no thumbnail, so no overview. */
    public static void paintLayers(BufferedImage img, SlideInfo info, BufferedImage thumbnail, ViewState view,
                                   LayerStack layers) {
        Graphics2D g = img.createGraphics();
        try {
            layers.paint(g, new LayerContext(info, view, img.getWidth(), img.getHeight(), thumbnail,
                    new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        } finally {
            g.dispose();
        }
    }

    static final long CANCEL_POLL_MS = 100;

    /** Waits for {@code f}, looking at the cancel switch every {@value #CANCEL_POLL_MS} ms. */
    private static void awaitOrCancel(CompletableFuture<?> f, long timeoutNanos, ExportProgress progress,
                                      ViewGeneration requests) throws Exception {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            if (progress.cancelled()) {
                requests.next(); // what is still queued for this export is now stale: dropped unread
                throw new CancellationException("export cancelled");
            }
            try {
                f.get(CANCEL_POLL_MS, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                if (System.nanoTime() - deadline > 0) {
                    requests.next();
                    throw new TimeoutException("tiles did not arrive within "
                            + TimeUnit.NANOSECONDS.toMinutes(timeoutNanos) + " minutes");
                }
            }
        }
    }

    /** A view whose top-left screen pixel is exactly level-0 pixel (x, y) at {@code zoom} screen px per slide px. */
    public static ViewState viewAt(double centreX, double centreY, double zoom, int w, int h) {
        double ds = 1 / zoom;
        // snap the top-left to a whole slide pixel at 1:1, so the export equals a region read
        double left = Math.floor(centreX - w * ds / 2);
        double top = Math.floor(centreY - h * ds / 2);
        return new ViewState(left + w * ds / 2, top + h * ds / 2, ds, 0, false);
    }
}
