package org.tilescope.app.annotate;

import java.awt.Shape;
import java.awt.event.MouseEvent;
import java.awt.geom.Point2D;
import org.locationtech.jts.awt.ShapeWriter;
import org.locationtech.jts.geom.Geometry;
import org.tilescope.app.viewer.TilePane;

/** What the annotation tools share: the slide point under the mouse, screen-pixel sizes, draft shapes. */
final class ToolSupport {
    /** A press that moves less than this many screen pixels before release is a click, not a drag. */
    static final double CLICK_SLOP = 3;

    private ToolSupport() {
    }

    /** The level-0 slide point under the mouse. */
    static Point2D slide(TilePane pane, MouseEvent e) {
        return pane.view().screenToSlide(e.getX(), e.getY(), pane.getWidth(), pane.getHeight());
    }

    /** Level-0 pixels per screen pixel now. */
    static double slidePerScreen(TilePane pane) {
        return pane.view().downsample();
    }

    /** A geometry as a Java2D shape in slide coordinates (the layer's draft). */
    static Shape shape(Geometry g) {
        return new ShapeWriter().toShape(g);
    }

    static boolean moved(MouseEvent from, MouseEvent to) {
        return from != null && Math.hypot(to.getX() - from.getX(), to.getY() - from.getY()) >= CLICK_SLOP;
    }
}
