package org.tilescope.app.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import org.junit.jupiter.api.Test;

class WindowPlacementTest {
    /** 1920 x 1080 at a 2x UI scale, less a 27 px top panel: what Java sees as the usable area. */
    private static final Rectangle HIDPI_SMALL = new Rectangle(0, 27, 960, 513);
    private static final Rectangle FULL_HD = new Rectangle(0, 0, 1920, 1040);

    @Test
    void aFirstStartFitsInsideASmallScreenInsteadOfOverflowingIt() {
        Rectangle r = WindowPlacement.fit(null, HIDPI_SMALL);
        assertTrue(HIDPI_SMALL.contains(r), r + " inside " + HIDPI_SMALL);
        assertEquals(864, r.width, "90% of the usable width");
    }

    @Test
    void aFirstStartOnALargeScreenGetsTheDefaultSizeCentred() {
        Rectangle r = WindowPlacement.fit(null, FULL_HD);
        assertEquals(new Rectangle(260, 70, 1400, 900), r);
    }

    @Test
    void savedBoundsComeBackWhenTheyFitAndAreClampedWhenTheyDoNot() {
        Rectangle saved = new Rectangle(100, 50, 1200, 800);
        assertEquals(saved, WindowPlacement.fit(saved, FULL_HD));
        Rectangle tooBig = WindowPlacement.fit(new Rectangle(100, 50, 1800, 1000), HIDPI_SMALL);
        assertTrue(HIDPI_SMALL.contains(tooBig), tooBig.toString());
        // mostly off-screen (a monitor that is gone): back to the default
        Rectangle lost = WindowPlacement.fit(new Rectangle(5000, 50, 1200, 800), FULL_HD);
        assertEquals(WindowPlacement.fit(null, FULL_HD), lost);
    }

    @Test
    void parseReadsWhatSaveWritesAndRefusesJunk() {
        assertEquals(new Rectangle(1, 2, 300, 400), WindowPlacement.parse("1,2,300,400"));
        assertNull(WindowPlacement.parse("1,2,x,4"));
        assertNull(WindowPlacement.parse("1,2"));
        assertNull(WindowPlacement.parse(null));
    }
}
