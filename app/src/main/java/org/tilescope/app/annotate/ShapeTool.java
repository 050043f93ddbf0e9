package org.tilescope.app.annotate;

import java.awt.Cursor;
import java.awt.event.KeyEvent;
import java.awt.event.MouseEvent;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import javax.swing.KeyStroke;
import org.locationtech.jts.geom.Geometry;
import org.tilescope.app.viewer.TilePane;
import org.tilescope.app.viewer.Tool;
import org.tilescope.engine.annotation.Annotation;
import org.tilescope.engine.annotation.Geometries;

/**
 * Rectangle, ellipse and line: press at one corner (or end), drag, release at the other. Shift
 * makes a square or a circle. A press released where it started draws nothing.
 */
final class ShapeTool implements Tool {
    /** The shapes this tool draws, with their menu names and keys (R rotates here, so T draws rectangles). */
    enum Kind {
        RECTANGLE("Rectangle", KeyEvent.VK_T),
        ELLIPSE("Ellipse", KeyEvent.VK_O),
        LINE("Line", KeyEvent.VK_L);

        final String label;
        final int key;

        Kind(String label, int key) {
            this.label = label;
            this.key = key;
        }
    }

    private final AnnotationController c;
    private final Kind kind;
    private MouseEvent press;
    private Point2D start;

    ShapeTool(AnnotationController c, Kind kind) {
        this.c = c;
        this.kind = kind;
    }

    @Override
    public String name() {
        return kind.label;
    }

    @Override
    public KeyStroke key() {
        return KeyStroke.getKeyStroke(kind.key, 0);
    }

    @Override
    public Cursor cursor() {
        return Cursor.getPredefinedCursor(Cursor.CROSSHAIR_CURSOR);
    }

    @Override
    public void deactivated(TilePane pane) {
        press = null;
        c.layer().setDraft(null);
    }

    @Override
    public void pressed(TilePane pane, MouseEvent e) {
        press = e;
        start = ToolSupport.slide(pane, e);
    }

    @Override
    public void dragged(TilePane pane, MouseEvent e) {
        if (press == null) {
            return;
        }
        Point2D end = end(pane, e);
        c.layer().setDraft(switch (kind) {
            case RECTANGLE -> box(start, end);
            case ELLIPSE -> {
                Rectangle2D r = box(start, end);
                yield new Ellipse2D.Double(r.getX(), r.getY(), r.getWidth(), r.getHeight());
            }
            case LINE -> new Line2D.Double(start, end);
        });
        pane.repaint();
    }

    @Override
    public void released(TilePane pane, MouseEvent e) {
        if (press == null) {
            return;
        }
        boolean drawn = ToolSupport.moved(press, e);
        press = null;
        c.layer().setDraft(null);
        pane.repaint();
        if (!drawn) {
            return;
        }
        Point2D end = end(pane, e);
        if (kind != Kind.LINE && (start.getX() == end.getX() || start.getY() == end.getY())) {
            return; // flat: no area
        }
        Geometry g = switch (kind) {
            case RECTANGLE -> Geometries.rectangle(start.getX(), start.getY(), end.getX(), end.getY());
            case ELLIPSE -> Geometries.ellipse(start.getX(), start.getY(), end.getX(), end.getY());
            case LINE -> Geometries.line(start.getX(), start.getY(), end.getX(), end.getY());
        };
        Annotation.Shape shape = switch (kind) {
            case RECTANGLE -> Annotation.Shape.RECTANGLE;
            case ELLIPSE -> Annotation.Shape.ELLIPSE;
            case LINE -> Annotation.Shape.LINE;
        };
        c.create(kind.label, Annotation.of(g, shape));
    }

    /** The point dragged to; with shift, a rectangle or ellipse is squared on its longer side. */
    private Point2D end(TilePane pane, MouseEvent e) {
        Point2D p = ToolSupport.slide(pane, e);
        if (!e.isShiftDown() || kind == Kind.LINE) {
            return p;
        }
        double dx = p.getX() - start.getX();
        double dy = p.getY() - start.getY();
        double side = Math.max(Math.abs(dx), Math.abs(dy));
        return new Point2D.Double(start.getX() + Math.copySign(side, dx), start.getY() + Math.copySign(side, dy));
    }

    private static Rectangle2D box(Point2D a, Point2D b) {
        Rectangle2D r = new Rectangle2D.Double(a.getX(), a.getY(), 0, 0);
        r.add(b);
        return r;
    }
}
