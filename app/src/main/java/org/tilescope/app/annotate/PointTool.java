package org.tilescope.app.annotate;

import java.awt.Cursor;
import java.awt.event.KeyEvent;
import java.awt.event.MouseEvent;
import java.awt.geom.Point2D;
import java.util.List;
import javax.swing.KeyStroke;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;
import org.tilescope.app.viewer.TilePane;
import org.tilescope.app.viewer.Tool;
import org.tilescope.engine.annotation.Annotation;
import org.tilescope.engine.annotation.Edit;
import org.tilescope.engine.annotation.Geometries;

/**
 * Points, as QuPath counts cells: a click adds a point to the selected point set (unlocked), or
 * starts a new one and selects it, so a run of clicks builds one MultiPoint. Dragging pans.
 */
final class PointTool implements Tool {
    private final AnnotationController c;
    private MouseEvent press;
    private Point2D lastDrag;

    PointTool(AnnotationController c) {
        this.c = c;
    }

    @Override
    public String name() {
        return "Points";
    }

    @Override
    public KeyStroke key() {
        return KeyStroke.getKeyStroke(KeyEvent.VK_PERIOD, 0);
    }

    @Override
    public Cursor cursor() {
        return Cursor.getPredefinedCursor(Cursor.CROSSHAIR_CURSOR);
    }

    @Override
    public void pressed(TilePane pane, MouseEvent e) {
        press = e;
        lastDrag = new Point2D.Double(e.getX(), e.getY());
    }

    @Override
    public void dragged(TilePane pane, MouseEvent e) {
        if (lastDrag != null && ToolSupport.moved(press, e)) {
            pane.panByScreen(e.getX() - lastDrag.getX(), e.getY() - lastDrag.getY());
            lastDrag = new Point2D.Double(e.getX(), e.getY());
        }
    }

    @Override
    public void released(TilePane pane, MouseEvent e) {
        boolean click = press != null && !ToolSupport.moved(press, e);
        press = null;
        lastDrag = null;
        if (!click) {
            return;
        }
        Point2D p = ToolSupport.slide(pane, e);
        List<Annotation> sel = c.selection();
        if (sel.size() == 1 && sel.getFirst().shape() == Annotation.Shape.POINTS && !sel.getFirst().locked()) {
            Annotation set = sel.getFirst();
            Geometry g = set.geometry();
            Point[] pts = new Point[g.getNumGeometries() + 1];
            for (int i = 0; i < g.getNumGeometries(); i++) {
                pts[i] = (Point) g.getGeometryN(i);
            }
            pts[pts.length - 1] = Geometries.point(p.getX(), p.getY());
            c.apply(Edit.replace("Add point", set, set.withGeometry(Geometries.FACTORY.createMultiPoint(pts))));
        } else {
            c.create("Point", Annotation.of(Geometries.point(p.getX(), p.getY()), Annotation.Shape.POINTS));
        }
    }
}
