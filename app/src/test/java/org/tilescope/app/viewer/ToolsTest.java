package org.tilescope.app.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.event.KeyEvent;
import java.awt.event.MouseEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.swing.KeyStroke;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.app.TestSlides;
import org.tilescope.app.swing.Edt;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TilePipeline;

/** Mouse events reach the active tool, except presses a layer (the overview) claims. */
class ToolsTest {
    @TempDir
    Path dir;

    /** Records what it was sent. */
    static final class Recorder implements Tool {
        final List<String> events = new ArrayList<>();

        @Override
        public String name() {
            return "Recorder";
        }

        @Override
        public KeyStroke key() {
            return KeyStroke.getKeyStroke(KeyEvent.VK_Q, 0);
        }

        @Override
        public void activated(TilePane pane) {
            events.add("activated");
        }

        @Override
        public void deactivated(TilePane pane) {
            events.add("deactivated");
        }

        @Override
        public void pressed(TilePane pane, MouseEvent e) {
            events.add("pressed " + e.getX() + "," + e.getY());
        }

        @Override
        public void dragged(TilePane pane, MouseEvent e) {
            events.add("dragged");
        }

        @Override
        public void released(TilePane pane, MouseEvent e) {
            events.add("released");
        }
    }

    private static MouseEvent mouse(TilePane p, int id, int x, int y) {
        return new MouseEvent(p, id, System.currentTimeMillis(), id == MouseEvent.MOUSE_RELEASED ? 0
                : MouseEvent.BUTTON1_DOWN_MASK, x, y, 1, false, MouseEvent.BUTTON1);
    }

    @Test
    void activeToolGetsTheMouseAndTheOverviewTakesItsOwnPresses() throws Exception {
        Path dzi = TestSlides.writeDzi(dir, "s", 2000, 1500, 256, 1);
        try (TilePipeline pipeline = TilePipeline.createDefault()) {
            SlideHandle h = pipeline.open(dzi);
            h.ready().get(60, TimeUnit.SECONDS);
            Recorder rec = new Recorder();
            TilePane pane = Edt.call(() -> {
                TilePane p = new TilePane(pipeline);
                p.setSize(800, 600);
                p.setSlide(h, null);
                return p;
            });
            try {
                assertInstanceOf(PanZoomTool.class, Edt.call(pane::tool), "pan and zoom is the default tool");
                var before = Edt.call(pane::view);
                Edt.call(() -> {
                    pane.dispatchEvent(mouse(pane, MouseEvent.MOUSE_PRESSED, 400, 300));
                    pane.dispatchEvent(mouse(pane, MouseEvent.MOUSE_DRAGGED, 300, 300));
                    pane.dispatchEvent(mouse(pane, MouseEvent.MOUSE_RELEASED, 300, 300));
                    return null;
                });
                assertNotEquals(before.centreX(), Edt.call(pane::view).centreX(), "the default tool pans");

                Edt.call(() -> {
                    pane.addTool(rec);
                    pane.setTool(rec);
                    return null;
                });
                assertSame(rec, Edt.call(pane::tool));
                var still = Edt.call(pane::view);
                Edt.call(() -> {
                    pane.dispatchEvent(mouse(pane, MouseEvent.MOUSE_PRESSED, 400, 300));
                    pane.dispatchEvent(mouse(pane, MouseEvent.MOUSE_DRAGGED, 300, 300));
                    pane.dispatchEvent(mouse(pane, MouseEvent.MOUSE_RELEASED, 300, 300));
                    return null;
                });
                assertEquals(List.of("activated", "pressed 400,300", "dragged", "released"), rec.events);
                assertEquals(still, Edt.call(pane::view), "the recorder does not pan");

                var r = Edt.call(() -> pane.overviewBounds(pane.getWidth()));
                Edt.call(() -> {
                    pane.dispatchEvent(mouse(pane, MouseEvent.MOUSE_PRESSED, r.x + 2, r.y + 2));
                    pane.dispatchEvent(mouse(pane, MouseEvent.MOUSE_RELEASED, r.x + 2, r.y + 2));
                    return null;
                });
                assertEquals(4, rec.events.size(), "a press on the overview is not the tool's: " + rec.events);
                assertTrue(Edt.call(pane::view).centreX() < 100, "it moved the view to the map's corner");

                Edt.call(() -> {
                    pane.setTool(pane.tools().getFirst());
                    return null;
                });
                assertEquals("deactivated", rec.events.getLast());
            } finally {
                Edt.call(() -> {
                    pane.dispose();
                    return null;
                });
            }
        }
    }
}
