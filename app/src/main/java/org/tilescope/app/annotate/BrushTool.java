package org.tilescope.app.annotate;

import java.awt.BasicStroke;
import java.awt.Cursor;
import java.awt.event.KeyEvent;
import java.awt.event.MouseEvent;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.util.Arrays;
import java.util.List;
import javax.swing.KeyStroke;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygonal;
import org.tilescope.app.viewer.TilePane;
import org.tilescope.app.viewer.Tool;
import org.tilescope.engine.annotation.Annotation;
import org.tilescope.engine.annotation.Edit;
import org.tilescope.engine.annotation.Geometries;

/**
 * QuPath's brush: drag paints a stroke {@link #RADIUS_PIXELS} screen pixels each side. Starting
 * inside the one selected, unlocked area adds the stroke to it (JTS union); with Alt the stroke
 * is cut out of it (JTS difference). Elsewhere a stroke is a new polygon. One stroke, one undo.
 */
final class BrushTool implements Tool {
    static final double RADIUS_PIXELS = 12;

    private final AnnotationController c;
    private double[] xy = new double[64];
    private int n;
    private double radius;
    private Annotation target;
    private boolean erase;

    BrushTool(AnnotationController c) {
        this.c = c;
    }

    @Override
    public String name() {
        return "Brush";
    }

    @Override
    public KeyStroke key() {
        return KeyStroke.getKeyStroke(KeyEvent.VK_B, 0);
    }

    @Override
    public Cursor cursor() {
        return Cursor.getPredefinedCursor(Cursor.CROSSHAIR_CURSOR);
    }

    @Override
    public void deactivated(TilePane pane) {
        n = 0;
        c.layer().setDraft(null);
    }

    @Override
    public void pressed(TilePane pane, MouseEvent e) {
        Point2D p = ToolSupport.slide(pane, e);
        radius = RADIUS_PIXELS * ToolSupport.slidePerScreen(pane);
        n = 0;
        add(p);
        erase = e.isAltDown();
        target = null;
        List<Annotation> sel = c.selection();
        if (sel.size() == 1 && !sel.getFirst().locked() && sel.getFirst().geometry() instanceof Polygonal
                && sel.getFirst().geometry().isWithinDistance(Geometries.point(p.getX(), p.getY()), radius)) {
            target = sel.getFirst();
        }
        draft(pane);
    }

    @Override
    public void dragged(TilePane pane, MouseEvent e) {
        if (n == 0) {
            return;
        }
        Point2D p = ToolSupport.slide(pane, e);
        double step = ToolSupport.slidePerScreen(pane);
        if (Math.hypot(p.getX() - xy[2 * n - 2], p.getY() - xy[2 * n - 1]) >= step) {
            add(p);
            draft(pane);
        }
    }

    @Override
    public void released(TilePane pane, MouseEvent e) {
        if (n == 0) {
            return;
        }
        Geometry stroke = Geometries.brush(radius, Arrays.copyOf(xy, 2 * n));
        n = 0;
        c.layer().setDraft(null);
        pane.repaint();
        if (target != null) {
            Annotation current = c.set() == null ? null : c.set().get(target.id());
            if (current == null) {
                return;
            }
            Geometry result = erase ? current.geometry().difference(stroke) : current.geometry().union(stroke);
            if (result.isEmpty() || !(result instanceof Polygonal)) {
                c.say("The brush would leave nothing of '" + current.label() + "'; delete it instead");
                return;
            }
            c.apply(Edit.replace(erase ? "Erase" : "Brush", current, current.withGeometry(result)));
        } else if (!erase) {
            c.create("Brush", Annotation.of(stroke, Annotation.Shape.POLYGON));
        }
    }

    private void add(Point2D p) {
        if (2 * n == xy.length) {
            xy = Arrays.copyOf(xy, xy.length * 2);
        }
        xy[2 * n] = p.getX();
        xy[2 * n + 1] = p.getY();
        n++;
    }

    private void draft(TilePane pane) {
        Path2D.Double path = new Path2D.Double();
        path.moveTo(xy[0], xy[1]);
        for (int i = 1; i < n; i++) {
            path.lineTo(xy[2 * i], xy[2 * i + 1]);
        }
        if (n == 1) {
            path.lineTo(xy[0] + 1e-6, xy[1]);
        }
        c.layer().setDraft(new BasicStroke((float) (2 * radius), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
                .createStrokedShape(path));
        pane.repaint();
    }
}
