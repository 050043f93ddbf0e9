package org.tilescope.app.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.tilescope.engine.annotation.Annotation;
import org.tilescope.engine.annotation.AnnotationClass;
import org.tilescope.engine.annotation.AnnotationSet;
import org.tilescope.engine.annotation.Geometries;

/**
 * A slide's annotations over the view, at any zoom, rotation and flip: areas filled with their
 * class colour at a fill opacity and outlined, lines stroked, points as small discs; the selection
 * outlined in yellow with its handles; names written once an object is large on screen.
 *
 * <p>Drawn in screen space: vertices are transformed here, so strokes and labels keep their
 * pixel size and text stays upright under rotation. It stays fast with 100,000 objects: only
 * what the index finds in the visible rectangle is drawn; an object under {@link #DOT_BELOW}
 * screen pixels is a dot written straight into a pixel buffer; outlines skip vertices that fall
 * on the pixel of the one before.
 *
 * <p>Its {@link #hitTest} answers null on purpose: the tile pane gives layers that answer the
 * press before the tool, and the tools (select, draw) decide what a press on an annotation
 * means. They pick with {@link #pick}.
 */
public final class AnnotationLayer implements Layer {
    public static final double DEFAULT_FILL_OPACITY = 0.2;
    /** Objects whose longer side is under this many screen pixels are drawn as a dot. */
    public static final double DOT_BELOW = 4;
    /** Names are written on objects at least this wide or high on screen. */
    public static final double NAME_ABOVE = 60;
    /** Objects under this many screen pixels are outlined thin and without antialiasing. */
    public static final double SMALL_BELOW = 16;
    /** Pick tolerance and handle size, screen pixels. */
    public static final double PICK_PIXELS = 5;
    public static final Color DEFAULT_COLOUR = new Color(255, 40, 40);
    public static final Color SELECTED = new Color(255, 230, 0);
    private static final int MAX_LABELS = 400;
    private static final int MAX_HANDLES = 400;
    private static final double POINT_RADIUS = 4;

    private volatile AnnotationSet set;
    private volatile Set<String> selected = Set.of();
    private volatile double fillOpacity = DEFAULT_FILL_OPACITY;
    private volatile boolean visible = true;
    private volatile boolean names = true;
    private volatile Shape draft;
    private volatile AnnotationOverlay overlay;
    /** The dot buffer is reused; a painter on another thread (an export) takes its own. */
    private final AtomicReference<BufferedImage> dotBuffer = new AtomicReference<>();

    public AnnotationLayer() {
    }

    public AnnotationLayer(AnnotationSet set) {
        this.set = set;
    }

    @Override
    public String name() {
        return "annotations";
    }

    @Override
    public Space space() {
        return Space.SCREEN;
    }

    @Override
    public int zOrder() {
        return 50; // over the slide, under the scale bar and the overview map
    }

    @Override
    public boolean visible() {
        return visible;
    }

    public void setVisible(boolean v) {
        visible = v;
    }

    public AnnotationSet set() {
        return set;
    }

    /** The annotations drawn; null draws none. */
    public void setSet(AnnotationSet s) {
        set = s;
        selected = Set.of();
    }

    public Set<String> selected() {
        return selected;
    }

    public void setSelected(Set<String> ids) {
        selected = Set.copyOf(ids);
    }

    public double fillOpacity() {
        return fillOpacity;
    }

    /** 0 draws outlines only, 1 fills solid. */
    public void setFillOpacity(double o) {
        fillOpacity = Math.clamp(o, 0, 1);
    }

    public void setShowNames(boolean b) {
        names = b;
    }

    public boolean showNames() {
        return names;
    }

    /** What a tool is drawing, in slide coordinates, outlined dashed; null for none. */
    public void setDraft(Shape s) {
        draft = s;
    }

    public Shape draft() {
        return draft;
    }

    /** The annotation at a screen point, within {@link #PICK_PIXELS}, or null. */
    public Annotation pick(double sx, double sy, LayerContext ctx) {
        AnnotationSet s = set;
        if (s == null) {
            return null;
        }
        Point2D p = ctx.view().screenToSlide(sx, sy, ctx.width(), ctx.height());
        return s.hit(p.getX(), p.getY(), PICK_PIXELS * ctx.view().downsample());
    }

    /** The colour an annotation is drawn in: its class's, else the default red. */
    public static Color colour(Annotation a) {
        AnnotationClass c = a.classification();
        return c == null ? DEFAULT_COLOUR : new Color(c.red(), c.green(), c.blue());
    }

    /**
     * Where an annotation's handles are, in slide coordinates: the corners of a rectangle's or
     * ellipse's box (dragging one resizes), else its vertices (dragging one moves it; a closing
     * vertex of a ring is given once).
     */
    public static List<Point2D> handles(Annotation a) {
        List<Point2D> out = new ArrayList<>();
        if (a.shape() == Annotation.Shape.RECTANGLE || a.shape() == Annotation.Shape.ELLIPSE) {
            Envelope e = a.geometry().getEnvelopeInternal();
            out.add(new Point2D.Double(e.getMinX(), e.getMinY()));
            out.add(new Point2D.Double(e.getMaxX(), e.getMinY()));
            out.add(new Point2D.Double(e.getMaxX(), e.getMaxY()));
            out.add(new Point2D.Double(e.getMinX(), e.getMaxY()));
            return out;
        }
        for (var c : Geometries.vertices(a.geometry())) {
            out.add(new Point2D.Double(c.x, c.y));
        }
        return out;
    }

    // ---------------------------------------------------------------- painting

    /**
     * What a rendering of the objects depends on besides the view: taken once per frame so a
     * background rendering draws exactly what its cache key says.
     */
    record Style(AnnotationSet set, long version, Set<String> selected, int fillAlpha, boolean names) {
    }

    Style style() {
        AnnotationSet s = set;
        return s == null ? null : new Style(s, s.version(), selected, (int) Math.round(fillOpacity * 255), names);
    }

    /**
     * Lets the viewer keep the objects' rendering as an image (see {@link AnnotationOverlay}):
     * repaints at rest cost one image draw, and a view that moves shows the last rendering moved
     * along while a fresh one is made off the event thread. {@code repaint} is called when it is
     * ready. Exports and other threads always paint directly.
     */
    public void setRepaint(Runnable repaint) {
        overlay = repaint == null ? null : new AnnotationOverlay(this, repaint);
    }

    @Override
    public void paint(Graphics2D g, LayerContext ctx) {
        Style st = style();
        if (st != null) {
            AnnotationOverlay o = overlay;
            if (o != null && javax.swing.SwingUtilities.isEventDispatchThread()) {
                o.paint(g, ctx, st);
            } else {
                paintObjects(g, ctx, st);
            }
        }
        Shape d = draft;
        if (d != null) {
            AffineTransform t = ctx.slideToScreen();
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10, new float[] {6, 4}, 0));
            g.setColor(Color.BLACK);
            Shape screen = t.createTransformedShape(d);
            g.draw(screen);
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10, new float[] {6, 4}, 5));
            g.setColor(Color.WHITE);
            g.draw(screen);
        }
    }

    /** Draws every object in the view now, never from a kept image (what an export does; benchmarks). */
    public void paintAll(Graphics2D g, LayerContext ctx) {
        Style st = style();
        if (st != null) {
            paintObjects(g, ctx, st);
        }
    }

    /** Draws the objects in the view (any thread). */
    void paintObjects(Graphics2D g, LayerContext ctx, Style st) {
        AffineTransform t = ctx.slideToScreen();
        double ds = ctx.view().downsample();
        Rectangle2D vis = ctx.view().visibleSlideRect(ctx.width(), ctx.height());
        double margin = (POINT_RADIUS + 4) * ds;
        List<Annotation> items = st.set().query(new Envelope(vis.getMinX() - margin, vis.getMaxX() + margin,
                vis.getMinY() - margin, vis.getMaxY() + margin));
        paintItems(g, ctx, t, ds, items, st);
    }

    private void paintItems(Graphics2D g, LayerContext ctx, AffineTransform t, double ds, List<Annotation> items, Style st) {
        Set<String> sel = st.selected();
        boolean names = st.names();
        double[] m = new double[6];
        t.getMatrix(m);
        Dots dots = null;
        List<Annotation> selectedItems = new ArrayList<>();
        List<Annotation> labelled = new ArrayList<>();
        BasicStroke outline = new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
        BasicStroke thin = new BasicStroke(1f);
        int fillAlpha = st.fillAlpha();
        Object aa = g.getRenderingHint(RenderingHints.KEY_ANTIALIASING);
        for (Annotation a : items) {
            if (sel.contains(a.id())) {
                selectedItems.add(a); // drawn last, on top
                continue;
            }
            Envelope e = a.geometry().getEnvelopeInternal();
            double size = Math.max(e.getWidth(), e.getHeight()) / ds;
            if (size < DOT_BELOW && a.shape() != Annotation.Shape.POINTS) {
                if (dots == null) {
                    dots = new Dots(ctx.width(), ctx.height());
                }
                double cx = (e.getMinX() + e.getMaxX()) / 2;
                double cy = (e.getMinY() + e.getMaxY()) / 2;
                AnnotationClass k = a.classification();
                dots.dot(m[0] * cx + m[2] * cy + m[4], m[1] * cx + m[3] * cy + m[5],
                        k == null ? DEFAULT_COLOUR.getRGB() : 0xFF000000 | k.argb());
                continue;
            }
            Color c = colour(a);
            if (size < SMALL_BELOW && a.shape() != Annotation.Shape.POINTS) {
                // cells and other small things: a one-pixel outline without antialiasing costs a
                // fraction of a smooth two-pixel one and looks the same at this size
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
                drawGeometry(g, a.geometry(), c, m, thin, fillAlpha, false);
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, aa);
            } else {
                drawGeometry(g, a.geometry(), c, m, outline, fillAlpha, false);
            }
            if (names && a.name() != null && size >= NAME_ABOVE && labelled.size() < MAX_LABELS) {
                labelled.add(a);
            }
        }
        if (dots != null) {
            dots.drawOn(g);
        }
        BasicStroke halo = new BasicStroke(5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
        BasicStroke thick = new BasicStroke(3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
        for (Annotation a : selectedItems) {
            Color c = colour(a);
            // a dark halo under the yellow keeps the selection visible on pale tissue
            drawGeometry(g, a.geometry(), new Color(0, 0, 0, 110), m, halo, 0, true);
            drawGeometry(g, a.geometry(), c, m, thick, Math.min(255, fillAlpha + 40), false);
            drawGeometry(g, a.geometry(), SELECTED, m, thick, 0, true);
            Envelope e = a.geometry().getEnvelopeInternal();
            if (names && a.name() != null && Math.max(e.getWidth(), e.getHeight()) / ds >= NAME_ABOVE) {
                labelled.add(a);
            }
        }
        if (selectedItems.size() == 1 && !selectedItems.getFirst().locked()) {
            drawHandles(g, selectedItems.getFirst(), t);
        }
        drawLabels(g, ctx, labelled, m);
    }

    /** Fills (areas, when fillAlpha > 0) and strokes one annotation in colour {@code c}. */
    private static void drawGeometry(Graphics2D g, Geometry geom, Color c, double[] m, BasicStroke stroke, int fillAlpha,
                                     boolean outlineOnly) {
        g.setStroke(stroke);
        for (int i = 0; i < geom.getNumGeometries(); i++) {
            Geometry part = geom.getGeometryN(i);
            if (part instanceof Point p) {
                double x = m[0] * p.getX() + m[2] * p.getY() + m[4];
                double y = m[1] * p.getX() + m[3] * p.getY() + m[5];
                Ellipse2D disc = new Ellipse2D.Double(x - POINT_RADIUS, y - POINT_RADIUS, 2 * POINT_RADIUS, 2 * POINT_RADIUS);
                if (!outlineOnly) {
                    g.setColor(c);
                    g.fill(disc);
                    g.setColor(Color.WHITE);
                    g.setStroke(new BasicStroke(1f));
                    g.draw(disc);
                    g.setStroke(stroke);
                } else {
                    g.setColor(c);
                    g.draw(disc);
                }
                continue;
            }
            Path2D.Double path = new Path2D.Double(Path2D.WIND_EVEN_ODD);
            if (part instanceof Polygon poly) {
                append(path, poly.getExteriorRing().getCoordinateSequence(), m, true);
                for (int h = 0; h < poly.getNumInteriorRing(); h++) {
                    append(path, poly.getInteriorRingN(h).getCoordinateSequence(), m, true);
                }
                if (fillAlpha > 0 && !outlineOnly) {
                    g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), fillAlpha));
                    g.fill(path);
                }
            } else if (part instanceof LineString line) {
                append(path, line.getCoordinateSequence(), m, false);
            } else {
                drawGeometry(g, part, c, m, stroke, fillAlpha, outlineOnly); // a collection's part
                continue;
            }
            g.setColor(c);
            g.draw(path);
        }
    }

    /**
     * Appends a coordinate sequence in screen coordinates, leaving out vertices less than half a
     * pixel from the last one kept: a million-vertex outline seen whole becomes a few thousand.
     */
    static void append(Path2D.Double path, CoordinateSequence seq, double[] m, boolean close) {
        int n = seq.size();
        if (n == 0) {
            return;
        }
        double lx = m[0] * seq.getX(0) + m[2] * seq.getY(0) + m[4];
        double ly = m[1] * seq.getX(0) + m[3] * seq.getY(0) + m[5];
        path.moveTo(lx, ly);
        for (int i = 1; i < n; i++) {
            double x = seq.getX(i);
            double y = seq.getY(i);
            double sx = m[0] * x + m[2] * y + m[4];
            double sy = m[1] * x + m[3] * y + m[5];
            if (i < n - 1 && Math.abs(sx - lx) < 0.5 && Math.abs(sy - ly) < 0.5) {
                continue;
            }
            path.lineTo(sx, sy);
            lx = sx;
            ly = sy;
        }
        if (close) {
            path.closePath();
        }
    }

    private static void drawHandles(Graphics2D g, Annotation a, AffineTransform t) {
        List<Point2D> hs = handles(a);
        if (hs.size() > MAX_HANDLES) {
            return;
        }
        double r = PICK_PIXELS - 1;
        g.setStroke(new BasicStroke(1f));
        for (Point2D p : hs) {
            Point2D s = t.transform(p, null);
            Rectangle2D box = new Rectangle2D.Double(s.getX() - r, s.getY() - r, 2 * r, 2 * r);
            g.setColor(Color.WHITE);
            g.fill(box);
            g.setColor(Color.BLACK);
            g.draw(box);
        }
    }

    private static void drawLabels(Graphics2D g, LayerContext ctx, List<Annotation> labelled, double[] m) {
        if (labelled.isEmpty()) {
            return;
        }
        // a pane outside a window has no font yet
        Font base = ctx.font() != null ? ctx.font() : new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        g.setFont(base.deriveFont(Font.BOLD, 12f));
        FontMetrics fm = g.getFontMetrics();
        for (Annotation a : labelled) {
            Point interior = a.isArea() ? a.geometry().getInteriorPoint() : null;
            double x;
            double y;
            if (interior != null && !interior.isEmpty()) {
                x = interior.getX();
                y = interior.getY();
            } else {
                Envelope e = a.geometry().getEnvelopeInternal();
                x = (e.getMinX() + e.getMaxX()) / 2;
                y = (e.getMinY() + e.getMaxY()) / 2;
            }
            double sx = m[0] * x + m[2] * y + m[4];
            double sy = m[1] * x + m[3] * y + m[5];
            String text = a.name();
            int w = fm.stringWidth(text);
            int bx = (int) Math.round(sx - w / 2.0);
            int by = (int) Math.round(sy);
            g.setColor(new Color(0, 0, 0, 150));
            g.fillRoundRect(bx - 4, by - fm.getAscent() - 2, w + 8, fm.getHeight() + 4, 6, 6);
            g.setColor(Color.WHITE);
            g.drawString(text, bx, by);
        }
    }

    /**
     * Tiny objects as 3x3 dots written into an ARGB buffer, then one image draw: a hundred
     * thousand fillRect calls through Java2D would cost more than the tiles. Only the rows and
     * columns touched are cleared and drawn.
     */
    private final class Dots {
        final BufferedImage img;
        final int[] px;
        final int w;
        final int h;
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;

        Dots(int w, int h) {
            BufferedImage cached = dotBuffer.getAndSet(null);
            this.w = Math.max(1, w);
            this.h = Math.max(1, h);
            img = cached != null && cached.getWidth() == this.w && cached.getHeight() == this.h ? cached
                    : new BufferedImage(this.w, this.h, BufferedImage.TYPE_INT_ARGB);
            px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        }

        void dot(double sx, double sy, int argb) {
            int cx = (int) Math.floor(sx);
            int cy = (int) Math.floor(sy);
            for (int y = Math.max(0, cy - 1); y <= Math.min(h - 1, cy + 1); y++) {
                int row = y * w;
                for (int x = Math.max(0, cx - 1); x <= Math.min(w - 1, cx + 1); x++) {
                    px[row + x] = argb;
                }
            }
            minX = Math.min(minX, Math.max(0, cx - 1));
            minY = Math.min(minY, Math.max(0, cy - 1));
            maxX = Math.max(maxX, Math.min(w - 1, cx + 1));
            maxY = Math.max(maxY, Math.min(h - 1, cy + 1));
        }

        void drawOn(Graphics2D g) {
            if (maxX >= minX && maxY >= minY) {
                g.drawImage(img.getSubimage(minX, minY, maxX - minX + 1, maxY - minY + 1), minX, minY, null);
                for (int y = minY; y <= maxY; y++) {
                    Arrays.fill(px, y * w + minX, y * w + maxX + 1, 0);
                }
            }
            dotBuffer.set(img);
        }
    }
}
