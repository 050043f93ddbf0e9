package org.tilescope.app.annotate;

import java.awt.event.MouseEvent;
import java.awt.geom.Point2D;
import java.util.List;
import javax.swing.KeyStroke;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.tilescope.app.render.AnnotationLayer;
import org.tilescope.app.render.LayerContext;
import org.tilescope.app.viewer.PanZoomTool;
import org.tilescope.app.viewer.TilePane;
import org.tilescope.app.viewer.Tool;
import org.tilescope.engine.annotation.Annotation;
import org.tilescope.engine.annotation.Edit;
import org.tilescope.engine.annotation.Geometries;

/**
 * QuPath's Move tool: drag pans (with momentum, double-click zooms, as plain pan and zoom); a
 * click selects the annotation under it (shift or ctrl adds or removes); dragging a selected,
 * unlocked annotation moves it; dragging a handle of the one selected annotation moves that
 * vertex, or resizes a rectangle or ellipse from the opposite corner. A move is one undoable edit.
 */
final class SelectTool implements Tool {
    private enum Mode { NONE, PAN, MOVE, HANDLE }

    private final AnnotationController c;
    private final PanZoomTool pan = new PanZoomTool();
    private Mode mode = Mode.NONE;
    private Annotation target;
    private int handle;
    private Point2D start;
    private MouseEvent pressEvent;
    private Geometry preview;

    SelectTool(AnnotationController c) {
        this.c = c;
    }

    /** The Move tool's name and key: this is the Move tool, with selection on top. */
    @Override
    public String name() {
        return pan.name();
    }

    @Override
    public KeyStroke key() {
        return pan.key();
    }

    @Override
    public java.awt.Cursor cursor() {
        return pan.cursor();
    }

    @Override
    public void pressed(TilePane pane, MouseEvent e) {
        pressEvent = e;
        preview = null;
        start = ToolSupport.slide(pane, e);
        LayerContext ctx = c.context();
        List<Annotation> sel = c.selection();
        if (ctx != null && c.editable() && sel.size() == 1 && !sel.getFirst().locked()) {
            int h = handleAt(sel.getFirst(), e, ctx);
            if (h >= 0) {
                mode = Mode.HANDLE;
                target = sel.getFirst();
                handle = h;
                return;
            }
        }
        Annotation hit = ctx == null ? null : c.layer().pick(e.getX(), e.getY(), ctx);
        if (hit != null && c.isSelected(hit) && !hit.locked() && c.editable()) {
            mode = Mode.MOVE;
            target = hit;
            return;
        }
        mode = Mode.PAN;
        pan.pressed(pane, e);
    }

    /** The index of the handle of {@code a} under the mouse, or -1. */
    static int handleAt(Annotation a, MouseEvent e, LayerContext ctx) {
        List<Point2D> hs = AnnotationLayer.handles(a);
        var t = ctx.slideToScreen();
        int best = -1;
        double bestDist = AnnotationLayer.PICK_PIXELS + 1;
        for (int i = 0; i < hs.size(); i++) {
            Point2D s = t.transform(hs.get(i), null);
            double d = Math.max(Math.abs(s.getX() - e.getX()), Math.abs(s.getY() - e.getY()));
            if (d <= AnnotationLayer.PICK_PIXELS && d < bestDist) {
                best = i;
                bestDist = d;
            }
        }
        return best;
    }

    @Override
    public void dragged(TilePane pane, MouseEvent e) {
        switch (mode) {
            case PAN -> pan.dragged(pane, e);
            case MOVE -> {
                Point2D p = ToolSupport.slide(pane, e);
                preview = Geometries.translate(target.geometry(), p.getX() - start.getX(), p.getY() - start.getY());
                c.layer().setDraft(ToolSupport.shape(preview));
                pane.repaint();
            }
            case HANDLE -> {
                Point2D p = ToolSupport.slide(pane, e);
                preview = reshaped(target, handle, p);
                c.layer().setDraft(ToolSupport.shape(preview));
                pane.repaint();
            }
            case NONE -> { }
        }
    }

    /** The geometry of {@code a} with handle {@code h} dragged to {@code p}. */
    static Geometry reshaped(Annotation a, int h, Point2D p) {
        if (a.shape() == Annotation.Shape.RECTANGLE || a.shape() == Annotation.Shape.ELLIPSE) {
            Envelope e = a.geometry().getEnvelopeInternal();
            // handles go round the box from the top-left: the opposite corner stays put
            double ox = h == 0 || h == 3 ? e.getMaxX() : e.getMinX();
            double oy = h == 0 || h == 1 ? e.getMaxY() : e.getMinY();
            return a.shape() == Annotation.Shape.RECTANGLE ? Geometries.rectangle(ox, oy, p.getX(), p.getY())
                    : Geometries.ellipse(ox, oy, p.getX(), p.getY());
        }
        return Geometries.withVertex(a.geometry(), h, p.getX(), p.getY());
    }

    @Override
    public void released(TilePane pane, MouseEvent e) {
        Mode was = mode;
        mode = Mode.NONE;
        if (was == Mode.PAN) {
            pan.released(pane, e);
            return;
        }
        c.layer().setDraft(null);
        pane.repaint();
        if ((was == Mode.MOVE || was == Mode.HANDLE) && preview != null && ToolSupport.moved(pressEvent, e)) {
            Annotation current = c.set() == null ? null : c.set().get(target.id());
            if (current != null) {
                if (preview.isEmpty() || (current.isArea() && !(preview.getArea() > 0))) {
                    c.say("An annotation cannot shrink to nothing");
                } else {
                    // a move or a corner drag keeps a rectangle or an ellipse what it is
                    Annotation next = current.withGeometry(preview, current.shape());
                    c.apply(Edit.replace(was == Mode.MOVE ? "Move " + current.label() : "Reshape " + current.label(),
                            current, next));
                }
            }
        }
        preview = null;
    }

    @Override
    public void clicked(TilePane pane, MouseEvent e) {
        if (e.getClickCount() >= 2) {
            pan.clicked(pane, e);
            return;
        }
        LayerContext ctx = c.context();
        Annotation hit = ctx == null ? null : c.layer().pick(e.getX(), e.getY(), ctx);
        boolean toggle = e.isShiftDown() || e.isControlDown() || e.isMetaDown();
        if (hit != null || !toggle) {
            c.select(hit, toggle);
        }
    }

    @Override
    public boolean moving() {
        return mode == Mode.PAN && pan.moving();
    }
}
