package org.tilescope.app.annotate;

import java.awt.Cursor;
import java.awt.event.KeyEvent;
import java.awt.event.MouseEvent;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.util.Arrays;
import javax.swing.KeyStroke;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.tilescope.app.viewer.TilePane;
import org.tilescope.app.viewer.Tool;
import org.tilescope.engine.annotation.Annotation;
import org.tilescope.engine.annotation.Geometries;

/**
 * Polygons as in QuPath: click vertex after vertex and double-click (or click the first vertex,
 * or press Enter) to close; or press, draw freehand and release. Escape drops it. A polygon that
 * crosses itself is made valid by JTS (GeometryFixer), which may split it into a multipolygon.
 */
final class PolygonTool implements Tool {
    /** Freehand points closer than this (screen pixels) to the last are skipped. */
    private static final double FREEHAND_STEP = 2;

    private final AnnotationController c;
    private double[] xy = new double[64];
    private int n;
    private MouseEvent press;
    private boolean freehand;
    private Point2D cursor;

    PolygonTool(AnnotationController c) {
        this.c = c;
    }

    @Override
    public String name() {
        return "Polygon";
    }

    @Override
    public KeyStroke key() {
        return KeyStroke.getKeyStroke(KeyEvent.VK_P, 0);
    }

    @Override
    public Cursor cursor() {
        return Cursor.getPredefinedCursor(Cursor.CROSSHAIR_CURSOR);
    }

    @Override
    public void deactivated(TilePane pane) {
        cancel(pane);
    }

    /** True while a polygon is being drawn. */
    boolean drawing() {
        return n > 0;
    }

    @Override
    public void pressed(TilePane pane, MouseEvent e) {
        press = e;
        freehand = false;
    }

    @Override
    public void dragged(TilePane pane, MouseEvent e) {
        if (press == null || !ToolSupport.moved(press, e) && !freehand) {
            return;
        }
        if (!freehand) {
            freehand = true;
            add(ToolSupport.slide(pane, press), pane, 0);
        }
        add(ToolSupport.slide(pane, e), pane, FREEHAND_STEP);
        cursor = null;
        draft(pane);
    }

    @Override
    public void released(TilePane pane, MouseEvent e) {
        if (press == null) {
            return;
        }
        press = null;
        if (freehand) {
            finish(pane);
            return;
        }
        if (e.getClickCount() >= 2) {
            finish(pane);
            return;
        }
        Point2D p = ToolSupport.slide(pane, e);
        if (n >= 3 && screenDistance(pane, p, xy[0], xy[1]) <= ToolSupport.CLICK_SLOP * 2) {
            finish(pane); // clicked the first vertex: closed
            return;
        }
        add(p, pane, 1);
        draft(pane);
    }

    @Override
    public void moved(TilePane pane, MouseEvent e) {
        if (n > 0) {
            cursor = ToolSupport.slide(pane, e);
            draft(pane);
        }
    }

    /** Closes the polygon drawn so far; fewer than three vertices draw nothing. */
    void finish(TilePane pane) {
        double[] pts = Arrays.copyOf(xy, 2 * n);
        int count = n;
        cancel(pane);
        if (count < 3) {
            return;
        }
        Geometry g = Geometries.polygon(pts);
        if (!g.isValid()) {
            g = GeometryFixer.fix(g);
        }
        if (g.isEmpty() || !(g.getArea() > 0)) {
            c.say("That polygon has no area");
            return;
        }
        c.create("Polygon", Annotation.of(g, Annotation.Shape.POLYGON));
    }

    void cancel(TilePane pane) {
        n = 0;
        cursor = null;
        press = null;
        freehand = false;
        c.layer().setDraft(null);
        pane.repaint();
    }

    private void add(Point2D p, TilePane pane, double minScreenStep) {
        if (n > 0 && screenDistance(pane, p, xy[2 * n - 2], xy[2 * n - 1]) < minScreenStep) {
            return;
        }
        if (2 * n == xy.length) {
            xy = Arrays.copyOf(xy, xy.length * 2);
        }
        xy[2 * n] = p.getX();
        xy[2 * n + 1] = p.getY();
        n++;
    }

    private static double screenDistance(TilePane pane, Point2D p, double x, double y) {
        return Math.hypot(p.getX() - x, p.getY() - y) / ToolSupport.slidePerScreen(pane);
    }

    private void draft(TilePane pane) {
        Path2D.Double path = new Path2D.Double();
        path.moveTo(xy[0], xy[1]);
        for (int i = 1; i < n; i++) {
            path.lineTo(xy[2 * i], xy[2 * i + 1]);
        }
        if (cursor != null) {
            path.lineTo(cursor.getX(), cursor.getY());
        }
        if (freehand) {
            path.closePath();
        }
        c.layer().setDraft(path);
        pane.repaint();
    }
}
