package org.tilescope.app.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Point2D;
import org.junit.jupiter.api.Test;

class ViewStateTest {
    @Test
    void screenAndSlideCoordinatesRoundTripInEveryOrientation() {
        for (int turns = 0; turns < 4; turns++) {
            for (boolean flip : new boolean[] {false, true}) {
                ViewState v = new ViewState(5000, 3000, 2.5, turns, flip);
                Point2D s = v.slideToScreen(800, 600).transform(new Point2D.Double(5100, 2900), null);
                Point2D back = v.screenToSlide(s.getX(), s.getY(), 800, 600);
                assertEquals(5100, back.getX(), 1e-6);
                assertEquals(2900, back.getY(), 1e-6);
                Point2D centre = v.screenToSlide(400, 300, 800, 600);
                assertEquals(5000, centre.getX(), 1e-6);
                assertEquals(3000, centre.getY(), 1e-6);
            }
        }
    }

    @Test
    void zoomKeepsThePointUnderTheCursor() {
        ViewState v = new ViewState(5000, 3000, 4, 1, false);
        Point2D before = v.screenToSlide(123, 456, 800, 600);
        ViewState z = v.zoomAbout(2, 123, 456, 800, 600, 100);
        assertEquals(2, z.downsample(), 1e-9);
        Point2D after = z.screenToSlide(123, 456, 800, 600);
        assertEquals(before.getX(), after.getX(), 1e-6);
        assertEquals(before.getY(), after.getY(), 1e-6);
        assertEquals(ViewState.MIN_DOWNSAMPLE, v.zoomAbout(1e9, 0, 0, 800, 600, 100).downsample(), 1e-12);
        assertEquals(100, v.zoomAbout(1e-9, 0, 0, 800, 600, 100).downsample(), 1e-9);
    }

    @Test
    void fitShowsTheWholeSlideAndRotationSwapsAxes() {
        ViewState f = ViewState.fit(40000, 30000, 1000, 500, 0, false);
        var r = f.visibleSlideRect(1000, 500);
        assertTrue(r.getWidth() >= 40000 && r.getHeight() >= 30000);
        ViewState side = ViewState.fit(40000, 10000, 500, 1000, 1, false);
        var rs = side.visibleSlideRect(500, 1000);
        assertTrue(rs.getWidth() >= 40000 && rs.getHeight() >= 10000);
        assertTrue(side.downsample() < 45, "sideways uses the long screen axis for the long slide axis");
    }

    @Test
    void panMovesContentWithTheDrag() {
        ViewState v = new ViewState(1000, 1000, 2, 0, false);
        ViewState p = v.panByScreen(10, 0, 800, 600);
        assertEquals(980, p.centreX(), 1e-9); // dragging right shows what is to the left
        ViewState rotated = new ViewState(1000, 1000, 2, 2, false).panByScreen(10, 0, 800, 600);
        assertEquals(1020, rotated.centreX(), 1e-9);
    }

    @Test
    void scaleBarPicksRoundLengths() {
        ScaleBar.Bar b = ScaleBar.choose(0.5, 240); // 120 µm fits: 100 µm
        assertEquals("100 µm", b.label());
        assertEquals(200, b.pixels(), 1e-9);
        assertEquals("2 mm", ScaleBar.choose(10, 240).label());
        assertEquals("50 µm", ScaleBar.choose(0.25, 240).label());
        assertEquals("500 px", ScaleBar.choosePixels(4, 240).label());
    }

    @Test
    void adjustmentsTableIsIdentityByDefaultAndMonotonic() {
        int[] id = Adjustments.NONE.table();
        for (int i = 0; i < 256; i++) {
            assertEquals(i, id[i]);
        }
        int[] t = new Adjustments(0.1, 1.5, 0.8).table();
        for (int i = 1; i < 256; i++) {
            assertTrue(t[i] >= t[i - 1]);
        }
        int[] px = {0x102030};
        Adjustments.apply(id, px, 0, 1);
        assertEquals(0x102030, px[0]);
    }
}
