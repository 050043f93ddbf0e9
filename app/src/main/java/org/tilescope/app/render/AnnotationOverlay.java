package org.tilescope.app.render;

import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.NoninvertibleTransformException;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.tilescope.app.swing.Edt;

/**
 * The viewer's annotations as an image, so that painting them costs one image draw however many
 * there are. A frame whose view, objects and style match the image's draws it as it is (the tile
 * pane repaints at rest whenever a tile lands). A frame that does not match draws the last image
 * moved, scaled and turned by the change of view, and asks for a fresh rendering off the event
 * thread; when it is ready the pane repaints. Renderings that take under {@link #SYNC_NANOS} are
 * made at once on the event thread instead, so small sets never lag a frame.
 *
 * <p>Only the event thread touches the images' hand-over ({@link #latest}, {@link #spare},
 * {@link #rendering}); the renderer thread draws into an image no one else holds.
 */
final class AnnotationOverlay {
    /** A rendering cheaper than this is made on the event thread, in the frame. */
    static final long SYNC_NANOS = 4_000_000L;
    /** Sets up to this size get their first rendering in the frame, before any timing is known. */
    static final int FIRST_SYNC_MAX = 5_000;
    private static final ExecutorService RENDERER = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("tilescope-annotation-render").daemon(true).factory());

    /** What a rendering shows. */
    record Key(ViewState view, int width, int height, AnnotationLayer.Style style) {
    }

    /**
     * A finished rendering: the image, where it has pixels (as runs of {@link #TILE}-pixel tiles
     * along each tile row, and as one box), and how long it took.
     */
    record Frame(Key key, BufferedImage image, List<Rectangle> runs, Rectangle bounds, long nanos) {
    }

    /** Side of the tiles that decide what is blitted: empty ones are skipped. */
    static final int TILE = 64;

    private final AnnotationLayer layer;
    private final Runnable repaint;
    private Frame latest;
    private BufferedImage spare;
    private boolean rendering;
    /** The newest view asked for while a rendering was under way. */
    private LayerContext wanted;
    private AnnotationLayer.Style wantedStyle;
    private long lastNanos;

    AnnotationOverlay(AnnotationLayer layer, Runnable repaint) {
        this.layer = layer;
        this.repaint = repaint;
    }

    /** Event thread: draws the objects for this frame, from the image when it can. */
    void paint(Graphics2D g, LayerContext ctx, AnnotationLayer.Style style) {
        Key key = new Key(ctx.view(), ctx.width(), ctx.height(), style);
        Frame f = latest;
        if (f == null || !f.key().equals(key)) {
            // a first rendering of a large set is not risked on the event thread
            boolean cheap = latest != null ? lastNanos < SYNC_NANOS : style.set().size() < FIRST_SYNC_MAX;
            if (!rendering && cheap) {
                f = render(ctx, style, takeSpare(ctx));
                accept(f);
            } else {
                request(ctx, style);
            }
        }
        if (f == null) {
            return; // the first rendering is on its way
        }
        if (f.key().equals(key)) {
            blit(g, f, 0, 0);
            return;
        }
        // an older view: its image moved to where its content now is
        try {
            AffineTransform then = f.key().view().slideToScreen(f.key().width(), f.key().height());
            AffineTransform now = ctx.slideToScreen();
            now.concatenate(then.createInverse());
            Rectangle b = f.bounds();
            if (b.isEmpty()) {
                return;
            }
            if (Math.abs(now.getScaleX() - 1) < 1e-9 && Math.abs(now.getScaleY() - 1) < 1e-9
                    && Math.abs(now.getShearX()) < 1e-9 && Math.abs(now.getShearY()) < 1e-9) {
                // a pan: a plain blit at a whole-pixel offset (a transformed draw costs several times more)
                blit(g, f, (int) Math.round(now.getTranslateX()), (int) Math.round(now.getTranslateY()));
                return;
            }
            Graphics2D g2 = (Graphics2D) g.create();
            try {
                g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
                g2.drawImage(f.image(), now, null);
            } finally {
                g2.dispose();
            }
        } catch (NoninvertibleTransformException ignored) {
            // a degenerate old view has nothing worth moving
        }
    }

    /**
     * Draws the frame's non-empty tiles offset by (dx, dy): compositing costs per pixel, and a
     * few hundred cells spread over the view leave most of it empty.
     */
    private static void blit(Graphics2D g, Frame f, int dx, int dy) {
        for (Rectangle r : f.runs()) {
            g.drawImage(f.image().getSubimage(r.x, r.y, r.width, r.height), r.x + dx, r.y + dy, null);
        }
    }

    private void request(LayerContext ctx, AnnotationLayer.Style style) {
        if (rendering) {
            wanted = ctx;
            wantedStyle = style;
            return;
        }
        rendering = true;
        BufferedImage into = takeSpare(ctx);
        RENDERER.execute(() -> {
            Frame f;
            try {
                f = render(ctx, style, into);
            } catch (RuntimeException e) {
                System.getLogger(AnnotationOverlay.class.getName()).log(System.Logger.Level.WARNING,
                        "annotations not drawn: " + e);
                f = null;
            }
            Frame done = f;
            Edt.run(() -> {
                rendering = false;
                if (done != null) {
                    accept(done);
                }
                LayerContext next = wanted;
                wanted = null;
                if (next != null && (done == null || !done.key().equals(new Key(next.view(), next.width(), next.height(), wantedStyle)))) {
                    request(next, wantedStyle);
                }
                repaint.run();
            });
        });
    }

    /** Event thread: the finished frame becomes the one drawn; the one it replaces is drawn into next. */
    private void accept(Frame f) {
        if (latest != null && latest.image() != f.image()) {
            spare = latest.image();
        }
        latest = f;
        lastNanos = f.nanos();
    }

    private BufferedImage takeSpare(LayerContext ctx) {
        BufferedImage img = spare;
        spare = null;
        int w = Math.max(1, ctx.width());
        int h = Math.max(1, ctx.height());
        if (img == null || img.getWidth() != w || img.getHeight() != h) {
            img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB_PRE);
        }
        return img;
    }

    /** Any thread: draws the objects into a cleared image and finds the rows and columns that have pixels. */
    private Frame render(LayerContext ctx, AnnotationLayer.Style style, BufferedImage img) {
        long t0 = System.nanoTime();
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        Arrays.fill(px, 0);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            layer.paintObjects(g, ctx, style);
        } finally {
            g.dispose();
        }
        Rectangle bounds = bounds(px, img.getWidth(), img.getHeight());
        List<Rectangle> runs = bounds.isEmpty() ? List.of() : runs(px, img.getWidth(), img.getHeight());
        return new Frame(new Key(ctx.view(), ctx.width(), ctx.height(), style), img, runs, bounds,
                System.nanoTime() - t0);
    }

    /** Runs of tiles with any pixel, row of tiles by row of tiles, each run one rectangle. */
    static List<Rectangle> runs(int[] px, int w, int h) {
        int cols = Math.ceilDiv(w, TILE);
        List<Rectangle> out = new ArrayList<>();
        boolean[] used = new boolean[cols];
        for (int ty = 0; ty < h; ty += TILE) {
            Arrays.fill(used, false);
            int th = Math.min(TILE, h - ty);
            for (int y = ty; y < ty + th; y++) {
                int row = y * w;
                for (int tx = 0; tx < cols; tx++) {
                    if (used[tx]) {
                        continue;
                    }
                    int end = Math.min(w, (tx + 1) * TILE);
                    for (int x = tx * TILE; x < end; x++) {
                        if (px[row + x] != 0) {
                            used[tx] = true;
                            break;
                        }
                    }
                }
            }
            for (int tx = 0; tx < cols; tx++) {
                if (!used[tx]) {
                    continue;
                }
                int start = tx;
                while (tx + 1 < cols && used[tx + 1]) {
                    tx++;
                }
                int x0 = start * TILE;
                out.add(new Rectangle(x0, ty, Math.min(w, (tx + 1) * TILE) - x0, th));
            }
        }
        return out;
    }

    /** The smallest rectangle holding every pixel that is not transparent. */
    static Rectangle bounds(int[] px, int w, int h) {
        int minY = -1;
        int maxY = -1;
        int minX = w;
        int maxX = -1;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            int first = -1;
            for (int x = 0; x < w; x++) {
                if (px[row + x] != 0) {
                    first = x;
                    break;
                }
            }
            if (first < 0) {
                continue;
            }
            if (minY < 0) {
                minY = y;
            }
            maxY = y;
            minX = Math.min(minX, first);
            for (int x = w - 1; x > maxX; x--) {
                if (px[row + x] != 0) {
                    maxX = x;
                    break;
                }
            }
        }
        return minY < 0 ? new Rectangle() : new Rectangle(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }
}
