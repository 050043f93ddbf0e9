package org.tilescope.app.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tilescope.app.swing.Edt;
import org.tilescope.engine.annotation.Annotation;
import org.tilescope.engine.annotation.AnnotationClass;
import org.tilescope.engine.annotation.AnnotationSet;
import org.tilescope.engine.annotation.Edit;
import org.tilescope.engine.annotation.Geometries;

/** The viewer's kept rendering: drawn in the frame when cheap, else made in the background and moved with the view. */
class AnnotationOverlayTest {
    static final AnnotationClass BLUE = new AnnotationClass("Blue", 0xFF0000FF);

    static BufferedImage paint(AnnotationLayer layer, ViewState view) {
        return Edt.call(() -> AnnotationLayerTest.paint(layer, view, 300, 300));
    }

    static boolean blueAt(BufferedImage img, ViewState view, double slideX, double slideY) {
        Point2D p = view.slideToScreen(300, 300).transform(new Point2D.Double(slideX, slideY), null);
        int rgb = img.getRGB((int) p.getX(), (int) p.getY());
        return (rgb & 0xFF) > 200 && ((rgb >> 16) & 0xFF) < 60;
    }

    @Test
    void aSmallSetIsDrawnInTheFrameAndFollowsEdits() throws Exception {
        Annotation a = Annotation.of(Geometries.rectangle(100, 100, 200, 200), null).withClassification(BLUE);
        AnnotationSet set = new AnnotationSet(List.of(a));
        AnnotationLayer layer = new AnnotationLayer(set);
        layer.setFillOpacity(1);
        java.util.concurrent.Semaphore repaints = new java.util.concurrent.Semaphore(0);
        layer.setRepaint(repaints::release);
        ViewState view = new ViewState(150, 150, 1, 1, false);
        assertTrue(blueAt(paint(layer, view), view, 150, 150), "a small set is drawn in the first frame");
        set.apply(Edit.replace("Move", a, a.withGeometry(Geometries.translate(a.geometry(), 60, 0))));
        BufferedImage after = paint(layer, view);
        if (!blueAt(after, view, 250, 150)) {
            // the first rendering (a cold JIT) took longer than the in-frame budget: this one is
            // made in the background, and the pane is asked to repaint when it is ready
            assertTrue(repaints.tryAcquire(30, TimeUnit.SECONDS), "a repaint is asked for");
            after = paint(layer, view);
        }
        assertTrue(blueAt(after, view, 250, 150), "the edit shows in the next frame");
        assertTrue(!blueAt(after, view, 110, 150), "and the old place is clear");
    }

    @Test
    void aLargeSetIsRenderedInTheBackgroundAndMovedWithThePan() throws Exception {
        List<Annotation> many = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            double x = 1000 + (i % 100) * 40;
            double y = 1000 + (i / 100) * 40;
            many.add(Annotation.of(Geometries.rectangle(x, y, x + 20, y + 20), null).withClassification(BLUE));
        }
        AnnotationLayer layer = new AnnotationLayer(new AnnotationSet(many));
        layer.setFillOpacity(1);
        CountDownLatch ready = new CountDownLatch(1);
        layer.setRepaint(ready::countDown);
        ViewState view = new ViewState(1010, 1010, 1, 0, false);
        BufferedImage first = paint(layer, view);
        assertTrue(!blueAt(first, view, 1010, 1010), "a first rendering of 6,000 is not made in the frame");
        assertTrue(ready.await(30, TimeUnit.SECONDS), "the pane is asked to repaint when it is ready");
        assertTrue(blueAt(paint(layer, view), view, 1010, 1010), "then drawn");
        // 30 screen px to the right: the kept image, moved, shows the square where it now is
        ViewState panned = view.panByScreen(30, 0, 300, 300);
        BufferedImage moved = paint(layer, panned);
        assertTrue(blueAt(moved, panned, 1010, 1010), "moved along with the view");
        assertTrue(blueAt(moved, panned, 1045, 1045), "its neighbour too");
    }

    @Test
    void boundsFindThePixelsDrawn() {
        int[] px = new int[10 * 8];
        assertTrue(AnnotationOverlay.bounds(px, 10, 8).isEmpty());
        px[2 * 10 + 3] = 0xFF000000;
        px[5 * 10 + 7] = 0x80FFFFFF;
        assertEquals(new Rectangle(3, 2, 5, 4), AnnotationOverlay.bounds(px, 10, 8));
        assertEquals(Color.BLACK.getRGB(), px[23]);

        // 200 x 150 with pixels in tiles (0,0), (1,0) and (2,2): one run of two tiles, one of one
        int[] big = new int[200 * 150];
        big[10 * 200 + 10] = 1;
        big[63 * 200 + 127] = 1;
        big[140 * 200 + 190] = 1;
        assertEquals(List.of(new Rectangle(0, 0, 128, 64), new Rectangle(128, 128, 64, 22)),
                AnnotationOverlay.runs(big, 200, 150));
    }
}
