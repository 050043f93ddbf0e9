package org.tilescope.app.render;

import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tilescope.engine.cache.TileKey;
import org.tilescope.engine.slide.PixelRect;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.view.PaintPlan;

/**
 * The tile pane's software back buffer, in device pixels, and what its pixels show. A frame that
 * only moves the view by whole device pixels (a pan: same zoom, turn, flip, smoothing and
 * adjustments) moves the pixels already there and paints only the strips that came into view, plus
 * the area of every tile that joined or left the plan since the pixels were painted (a tile that
 * arrived mid-pan replaces the cover under it). Anything else repaints the whole buffer. Either way
 * the pixels are the ones a full repaint of the same plan gives: both paint with
 * {@link SlideRenderer#paint(Graphics2D, SlideInfo, AffineTransform, PaintPlan, int, int, boolean)}, a
 * region clipped to itself.
 *
 * <p>Pans move by whole pixels because the view is drawn at its slide-to-device transform with the
 * translation rounded to whole device pixels ({@link #snapped}): at most half a pixel from the
 * true view, which the next frame corrects, and a view at 1:1 then copies tiles instead of
 * resampling them.
 */
public final class FrameBuffer {
    /** Above this share of the buffer, repainting regions one by one costs more than repainting all. */
    static final double FULL_REPAINT_SHARE = 0.6;

    private BufferedImage image;
    private int[] pixels;
    private boolean valid;
    // what the pixels show
    private long heldSlide;
    private AffineTransform held;
    /** All pixels are smooth (bilinear); else those above {@link #smoothRows} are, the rest nearest-neighbour. */
    private boolean heldSmooth;
    private int[] heldLut;
    private BufferedImage heldBase;
    private Map<TileKey, PaintPlan.PaintTile> heldTiles = Map.of();
    // what the last frame did (the screen copy, tests, benchmarks)
    private long repaintedPixels;
    private boolean lastShifted;
    private Damage damage = Damage.ALL;

    /**
     * What the last frame changed in the buffer: everything, or its pixels moved by
     * ({@code dx}, {@code dy}) and then these rectangles repainted.
     */
    public record Damage(boolean all, int dx, int dy, List<Rectangle> repainted) {
        static final Damage ALL = new Damage(true, 0, 0, List.of());

        public Damage {
            repainted = List.copyOf(repainted);
        }
    }

    /** What the last frame changed; a copy of the buffer kept elsewhere follows it with this. */
    public Damage damage() {
        return damage;
    }

    /** The buffer of the last frame; null before one. */
    public BufferedImage image() {
        return image;
    }

    /** Pixels the last frame painted anew (the rest it moved or kept). */
    public long repaintedPixels() {
        return repaintedPixels;
    }

    /** True when the last frame moved the pixels it had. */
    public boolean lastShifted() {
        return lastShifted;
    }

    /** The next frame repaints everything (the slide became unreadable, a layer drew into the pixels). */
    public void invalidate() {
        valid = false;
        damage = Damage.ALL;
    }

    /** A slide-to-device transform moved by less than half a pixel so that its translation is whole pixels. */
    public static AffineTransform snapped(AffineTransform slideToDevice) {
        AffineTransform t = new AffineTransform(slideToDevice);
        double[] m = new double[6];
        t.getMatrix(m);
        return new AffineTransform(m[0], m[1], m[2], m[3], Math.rint(m[4]), Math.rint(m[5]));
    }

    /**
     * Paints a frame of {@code plan} at {@code slideToDevice} (whose translation is whole pixels)
     * into a {@code bw x bh} buffer, adjusting the pixels it paints with {@code lut} (null: none).
     * A smooth frame that cannot reuse smooth pixels is painted nearest-neighbour first and made
     * smooth band by band over the next frames while the plan stays the same: see {@link #pending()}.
     */
    public BufferedImage paint(long slideId, SlideInfo info, AffineTransform slideToDevice, PaintPlan plan,
                               int bw, int bh, boolean smooth, int[] lut) {
        if (image == null || image.getWidth() != bw || image.getHeight() != bh) {
            image = new BufferedImage(bw, bh, BufferedImage.TYPE_INT_RGB);
            pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
            valid = false;
        }
        boolean copies = copiesOnly(slideToDevice, plan);
        boolean wantSmooth = smooth && !copies;
        Map<TileKey, PaintPlan.PaintTile> tiles = new HashMap<>(plan.tiles().size() * 2);
        for (PaintPlan.PaintTile p : plan.tiles()) {
            tiles.put(p.key(), p);
        }
        List<Rectangle> dirty = valid ? regionsToRepaint(slideId, slideToDevice, plan, tiles, bw, bh, wantSmooth, copies, lut) : null;
        Graphics2D g = image.createGraphics();
        boolean all = dirty == null;
        painted.clear();
        try {
            repaintedPixels = 0;
            if (dirty == null) {
                lastShifted = false;
                smoothRows = 0;
                heldSmooth = false; // smooth, if wanted, comes band by band from here
                dirty = List.of(new Rectangle(0, 0, bw, bh));
            }
            for (Rectangle r : dirty) {
                // rows above smoothRows are smooth already; the rest are as heldSmooth says
                int split = Math.clamp(heldSmooth ? r.y : smoothRows, r.y, r.y + r.height);
                paintRegion(g, info, slideToDevice, plan, bw, bh, lut, new Rectangle(r.x, r.y, r.width, split - r.y), true);
                paintRegion(g, info, slideToDevice, plan, bw, bh, lut,
                        new Rectangle(r.x, split, r.width, r.y + r.height - split), heldSmooth);
            }
            if (wantSmooth && !heldSmooth) {
                int band = Math.max(16, Math.ceilDiv(bh, SMOOTH_BANDS));
                int end = Math.min(bh, smoothRows + band);
                paintRegion(g, info, slideToDevice, plan, bw, bh, lut, new Rectangle(0, smoothRows, bw, end - smoothRows), true);
                smoothRows = end;
                if (smoothRows >= bh) {
                    heldSmooth = true;
                    smoothRows = 0;
                }
            } else if (!wantSmooth) {
                // copies are smooth and nearest-neighbour alike: what the next frame wants
                heldSmooth = copies && smooth;
                smoothRows = 0;
            }
        } finally {
            g.dispose();
        }
        damage = all ? Damage.ALL : new Damage(false, shiftX, shiftY, painted);
        valid = true;
        pending = wantSmooth && !heldSmooth;
        heldSlide = slideId;
        held = new AffineTransform(slideToDevice);
        heldLut = lut;
        heldBase = plan.base();
        heldTiles = tiles;
        return image;
    }

    /** Frames it takes to turn a nearest-neighbour frame smooth: each paints one band of rows. */
    static final int SMOOTH_BANDS = 8;
    /** Rows from the top that are smooth while a frame is being made smooth. */
    private int smoothRows;
    private boolean pending;
    private final List<Rectangle> painted = new ArrayList<>();
    private int shiftX;
    private int shiftY;

    /** True while the frame shown is not yet all smooth though it should be: paint again next frame. */
    public boolean pending() {
        return pending;
    }

    private void paintRegion(Graphics2D g, SlideInfo info, AffineTransform t, PaintPlan plan, int bw, int bh, int[] lut,
                             Rectangle r, boolean smooth) {
        if (r.isEmpty()) {
            return;
        }
        g.setClip(r);
        SlideRenderer.paint(g, info, t, plan, bw, bh, smooth);
        adjust(lut, r);
        repaintedPixels += (long) r.width * r.height;
        painted.add(r);
    }

    /**
     * True when this plan's pixels are plain copies: every wanted tile is in, drawn one device
     * pixel per level pixel at whole-pixel places (1:1 and the like, turned or flipped). Bilinear
     * and nearest-neighbour then give the same pixels, so there is nothing to smooth.
     */
    static boolean copiesOnly(AffineTransform t, PaintPlan plan) {
        if (!plan.complete() || plan.tiles().isEmpty()) {
            return false;
        }
        double ds = plan.tiles().getLast().downsample(); // the chosen level's tiles come last
        double a = t.getScaleX() * ds;
        double b = t.getShearX() * ds;
        double c = t.getShearY() * ds;
        double d = t.getScaleY() * ds;
        boolean straight = Math.abs(a) == 1 && Math.abs(d) == 1 && b == 0 && c == 0;
        boolean turned = Math.abs(b) == 1 && Math.abs(c) == 1 && a == 0 && d == 0;
        return straight || turned;
    }

    /**
     * The device rectangles this frame must repaint after moving the held pixels, or null when it
     * must repaint all (and then nothing has been moved).
     */
    private List<Rectangle> regionsToRepaint(long slideId, AffineTransform t, PaintPlan plan,
                                             Map<TileKey, PaintPlan.PaintTile> tiles, int bw, int bh, boolean smooth,
                                             boolean copies, int[] lut) {
        lastShifted = false;
        boolean mixed = !heldSmooth && smoothRows > 0;
        // kept pixels must be as smooth as wanted, or (not moved) on their way to it
        // (with copies, every kept pixel is a copy of a tile still in the plan: smoothness does not apply)
        boolean smoothOk = copies || smooth || !heldSmooth && !mixed;
        if (slideId != heldSlide || !smoothOk || lut != heldLut || plan.base() != heldBase
                || t.getScaleX() != held.getScaleX() || t.getScaleY() != held.getScaleY()
                || t.getShearX() != held.getShearX() || t.getShearY() != held.getShearY()) {
            return null;
        }
        double fx = t.getTranslateX() - held.getTranslateX();
        double fy = t.getTranslateY() - held.getTranslateY();
        int dx = (int) Math.rint(fx);
        int dy = (int) Math.rint(fy);
        if (Math.abs(fx - dx) > 1e-6 || Math.abs(fy - dy) > 1e-6 || Math.abs(dx) >= bw || Math.abs(dy) >= bh) {
            return null; // not a whole-pixel move, or nothing left to keep
        }
        if ((dx != 0 || dy != 0) && !copies && (mixed || smooth != heldSmooth)) {
            return null; // moving pixels of mixed or other smoothness would mix them on screen
        }
        List<Rectangle> out = new ArrayList<>();
        long area = 0;
        if (dx > 0) {
            out.add(new Rectangle(0, 0, dx, bh));
        } else if (dx < 0) {
            out.add(new Rectangle(bw + dx, 0, -dx, bh));
        }
        if (dy > 0) {
            out.add(new Rectangle(0, 0, bw, dy));
        } else if (dy < 0) {
            out.add(new Rectangle(0, bh + dy, bw, -dy));
        }
        for (Rectangle r : out) {
            area += (long) r.width * r.height;
        }
        Rectangle screen = new Rectangle(0, 0, bw, bh);
        // tiles that joined the plan or changed (arrived, re-decoded), and tiles that left it
        List<Rectangle> tileAreas = new ArrayList<>();
        for (PaintPlan.PaintTile p : plan.tiles()) {
            if (!sameTile(heldTiles.get(p.key()), p)) {
                tileAreas.add(deviceBounds(t, p.tile().owned(), p.downsample()));
            }
        }
        for (PaintPlan.PaintTile p : heldTiles.values()) {
            if (!sameTile(tiles.get(p.key()), p)) {
                tileAreas.add(deviceBounds(t, p.tile().owned(), p.downsample()));
            }
        }
        for (Rectangle r : tileAreas) {
            Rectangle c = r.intersection(screen);
            if (!c.isEmpty()) {
                out.add(c);
                area += (long) c.width * c.height;
            }
        }
        if (area > FULL_REPAINT_SHARE * bw * bh) {
            return null;
        }
        shift(pixels, bw, bh, dx, dy);
        lastShifted = dx != 0 || dy != 0;
        shiftX = dx;
        shiftY = dy;
        return out;
    }

    private static boolean sameTile(PaintPlan.PaintTile a, PaintPlan.PaintTile b) {
        return a != null && b != null && a.tile() == b.tile();
    }

    /** The device pixels a tile's owned area covers, one more on each side for rounding. */
    private static Rectangle deviceBounds(AffineTransform t, PixelRect owned, double downsample) {
        Rectangle2D level0 = new Rectangle2D.Double(owned.x() * downsample, owned.y() * downsample,
                owned.width() * downsample, owned.height() * downsample);
        Rectangle2D d = t.createTransformedShape(level0).getBounds2D();
        int x0 = (int) Math.floor(d.getMinX()) - 1;
        int y0 = (int) Math.floor(d.getMinY()) - 1;
        int x1 = (int) Math.ceil(d.getMaxX()) + 1;
        int y1 = (int) Math.ceil(d.getMaxY()) + 1;
        return new Rectangle(x0, y0, x1 - x0, y1 - y0);
    }

    /** Moves the pixels of a w x h buffer by (dx, dy); what is uncovered keeps stale pixels, to be repainted. */
    static void shift(int[] px, int w, int h, int dx, int dy) {
        if (dx == 0 && dy == 0) {
            return;
        }
        int cw = w - Math.abs(dx);
        int srcX = dx < 0 ? -dx : 0;
        int dstX = dx > 0 ? dx : 0;
        if (dy > 0) {
            for (int y = h - 1; y >= dy; y--) {
                System.arraycopy(px, (y - dy) * w + srcX, px, y * w + dstX, cw);
            }
        } else {
            for (int y = 0; y < h + dy; y++) {
                System.arraycopy(px, (y - dy) * w + srcX, px, y * w + dstX, cw);
            }
        }
    }

    private void adjust(int[] lut, Rectangle r) {
        if (lut == null) {
            return;
        }
        int w = image.getWidth();
        for (int y = r.y; y < r.y + r.height; y++) {
            Adjustments.apply(lut, pixels, y * w + r.x, r.width);
        }
    }
}
