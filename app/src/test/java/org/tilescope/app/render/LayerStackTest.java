package org.tilescope.app.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideInfo;

class LayerStackTest {
    static final SlideInfo INFO = new SlideInfo(URI.create("memory:/s"), "test", 256, 256, 0,
            List.of(LevelInfo.of(0, 1000, 800, 1, 256, 256)), OptionalDouble.of(0.5), OptionalDouble.of(20), List.of());

    /** A layer that fills a rectangle in its own space and records when it painted. */
    record Box(String name, Space space, int zOrder, int x, int y, int w, int h, Color colour, List<String> log)
            implements Layer {
        @Override
        public void paint(Graphics2D g, LayerContext ctx) {
            log.add(name);
            g.setColor(colour);
            g.fillRect(x, y, w, h);
        }

        @Override
        public Object hitTest(double sx, double sy, LayerContext ctx) {
            return space == Space.SCREEN && sx >= x && sx < x + w && sy >= y && sy < y + h ? name : null;
        }
    }

    static LayerContext context(ViewState view, int w, int h) {
        return new LayerContext(INFO, view, w, h, null, new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    }

    @Test
    void paintsBottomUpAndHitTestsTopDown() {
        List<String> log = new ArrayList<>();
        Box low = new Box("low", Layer.Space.SCREEN, 1, 0, 0, 50, 50, Color.RED, log);
        Box high = new Box("high", Layer.Space.SCREEN, 9, 25, 25, 50, 50, Color.BLUE, log);
        LayerStack stack = new LayerStack().add(high).add(low);
        BufferedImage img = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
        LayerContext ctx = context(new ViewState(500, 400, 10, 0, false), 100, 100);
        Graphics2D g = img.createGraphics();
        stack.paint(g, ctx);
        g.dispose();
        assertEquals(List.of("low", "high"), log);
        assertEquals(Color.BLUE.getRGB(), img.getRGB(30, 30), "the higher layer is on top");
        assertEquals(Color.RED.getRGB(), img.getRGB(10, 10));
        assertSame(high, stack.hitTest(30, 30, ctx).layer());
        assertSame(low, stack.hitTest(10, 10, ctx).layer());
        assertNull(stack.hitTest(90, 5, ctx));
    }

    @Test
    void slideLayersFollowTheViewsRotationAndZoom() {
        List<String> log = new ArrayList<>();
        // a 100x100 slide-pixel square at slide (500, 400), the view's centre
        Box box = new Box("box", Layer.Space.SLIDE, 1, 500, 400, 100, 100, Color.GREEN, log);
        LayerStack stack = new LayerStack().add(box);
        for (int turns = 0; turns < 4; turns++) {
            ViewState view = new ViewState(500, 400, 2, turns, false);
            BufferedImage img = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            stack.paint(g, context(view, 200, 200));
            g.dispose();
            // at downsample 2 the square is 50 screen px from the centre, in the quadrant the turn gives
            int[][] quadrant = {{125, 125}, {75, 125}, {75, 75}, {125, 75}};
            int[] q = quadrant[turns];
            assertEquals(Color.GREEN.getRGB(), img.getRGB(q[0], q[1]), "turns " + turns);
            assertEquals(0xFF000000, img.getRGB(200 - 1 - q[0], 200 - 1 - q[1]), "turns " + turns + " opposite");
        }
    }

    @Test
    void invisibleLayersNeitherPaintNorHit() {
        List<String> log = new ArrayList<>();
        ScaleBarLayer bar = new ScaleBarLayer();
        bar.setVisible(false);
        LayerStack stack = new LayerStack().add(bar);
        BufferedImage img = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        stack.paint(g, context(new ViewState(500, 400, 4, 0, false), 300, 200));
        g.dispose();
        assertEquals(0xFF000000, img.getRGB(20, 180), "hidden scale bar leaves the view alone");
        bar.setVisible(true);
        g = img.createGraphics();
        stack.paint(g, context(new ViewState(500, 400, 4, 0, false), 300, 200));
        g.dispose();
        int y = 200 - 28;
        assertEquals(0xFF000000, img.getRGB(20, y + 7), "the bar is black");
        assertTrue((img.getRGB(12, y - 2) & 0xFF) > 150, "on a light box");
    }

    @Test
    void overviewAnswersTheSlidePointUnderTheMouse() {
        OverviewLayer overview = new OverviewLayer();
        BufferedImage thumb = new BufferedImage(100, 80, BufferedImage.TYPE_INT_RGB);
        LayerContext ctx = new LayerContext(INFO, new ViewState(500, 400, 4, 0, false), 800, 600, thumb,
                new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        var r = overview.bounds(ctx);
        assertEquals(OverviewLayer.MAX_SIDE, r.width, "the long side is the map's size");
        var p = (java.awt.geom.Point2D) new LayerStack().add(overview).hitTest(r.x + r.width / 2.0, r.y + r.height / 2.0, ctx).what();
        assertEquals(500, p.getX(), 1e-6);
        assertEquals(400, p.getY(), 1e-6);
        var clamped = overview.dragTo(r.x + r.width + 500, r.y - 500, ctx);
        assertEquals(1000, clamped.getX(), 1e-6, "a drag past the map's edge stops at the slide's edge");
        assertEquals(0, clamped.getY(), 1e-6);
    }
}
