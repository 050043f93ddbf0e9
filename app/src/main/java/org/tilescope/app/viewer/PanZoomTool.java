package org.tilescope.app.viewer;

import java.awt.Cursor;
import java.awt.Point;
import java.awt.event.KeyEvent;
import java.awt.event.MouseEvent;
import java.util.ArrayList;
import java.util.List;
import javax.swing.KeyStroke;

/** Drag pans, with momentum when released while moving; double-click zooms in, shift+double-click out. */
public final class PanZoomTool implements Tool {
    /** Only the last this-many nanoseconds of a drag decide the fling speed. */
    private static final long FLING_WINDOW_NANOS = 80_000_000L;
    /** Below this speed (screen px/s) a release just stops. */
    private static final double MIN_FLING_SPEED = 150;

    private final List<double[]> samples = new ArrayList<>();
    private Point last;

    @Override
    public String name() {
        return "Move";
    }

    @Override
    public KeyStroke key() {
        return KeyStroke.getKeyStroke(KeyEvent.VK_M, 0);
    }

    @Override
    public Cursor cursor() {
        return Cursor.getPredefinedCursor(Cursor.MOVE_CURSOR);
    }

    @Override
    public void pressed(TilePane pane, MouseEvent e) {
        last = e.getPoint();
        samples.clear();
        samples.add(new double[] {System.nanoTime(), e.getX(), e.getY()});
    }

    @Override
    public void dragged(TilePane pane, MouseEvent e) {
        if (last == null) {
            return;
        }
        pane.panByScreen(e.getX() - last.x, e.getY() - last.y);
        last = e.getPoint();
        long now = System.nanoTime();
        samples.add(new double[] {now, e.getX(), e.getY()});
        samples.removeIf(s -> now - s[0] > FLING_WINDOW_NANOS);
    }

    @Override
    public void released(TilePane pane, MouseEvent e) {
        if (last == null) {
            return;
        }
        long now = System.nanoTime();
        samples.removeIf(s -> now - s[0] > FLING_WINDOW_NANOS);
        if (samples.size() >= 2) {
            double[] a = samples.getFirst();
            double[] b = samples.getLast();
            double dt = (b[0] - a[0]) / 1e9;
            if (dt > 0.005) {
                double vx = (b[1] - a[1]) / dt;
                double vy = (b[2] - a[2]) / dt;
                if (Math.hypot(vx, vy) > MIN_FLING_SPEED) {
                    pane.fling(vx, vy);
                }
            }
        }
        last = null;
    }

    @Override
    public void clicked(TilePane pane, MouseEvent e) {
        if (e.getClickCount() == 2) {
            pane.zoomAbout(e.isShiftDown() ? 0.5 : 2, e.getX(), e.getY());
        }
    }

    @Override
    public boolean moving() {
        return last != null;
    }
}
