package org.tilescope.app.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tilescope.engine.annotation.Annotation;
import org.tilescope.engine.annotation.AnnotationClass;
import org.tilescope.engine.annotation.AnnotationSet;
import org.tilescope.engine.annotation.Geometries;

class AnnotationLayerTest {
    static final AnnotationClass GREEN = new AnnotationClass("Green", 0xFF00C000);

    static BufferedImage paint(AnnotationLayer layer, ViewState view, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        new LayerStack().add(layer).paint(g, LayerStackTest.context(view, w, h));
        g.dispose();
        return img;
    }

    static int[] rgb(int p) {
        return new int[] {(p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF};
    }

    /** A square at slide (500..600, 400..500), the view centred on its top-left corner, every rotation and a flip. */
    @Test
    void drawsFilledAndOutlinedAtEveryRotation() {
        Annotation square = Annotation.of(Geometries.rectangle(500, 400, 600, 500), Annotation.Shape.RECTANGLE)
                .withClassification(GREEN);
        AnnotationLayer layer = new AnnotationLayer(new AnnotationSet(List.of(square)));
        layer.setFillOpacity(0.5);
        for (boolean flipped : new boolean[] {false, true}) {
            for (int turns = 0; turns < 4; turns++) {
                ViewState view = new ViewState(500, 400, 1, turns, flipped);
                BufferedImage img = paint(layer, view, 300, 300);
                // the square's centre (550, 450) and a point outside it, on screen for this view
                Point2D inside = view.slideToScreen(300, 300).transform(new Point2D.Double(550, 450), null);
                Point2D outside = view.slideToScreen(300, 300).transform(new Point2D.Double(450, 350), null);
                int[] in = rgb(img.getRGB((int) inside.getX(), (int) inside.getY()));
                String where = "turns " + turns + (flipped ? " flipped" : "");
                // half green over white: (127, 223, 127)
                assertEquals(127, in[0], 2, where + " fill red");
                assertEquals(223, in[1], 2, where + " fill green");
                assertEquals(0xFFFFFF, img.getRGB((int) outside.getX(), (int) outside.getY()) & 0xFFFFFF, where + " outside");
                // the outline runs along slide x = 600: 50 slide px from the centre
                Point2D edge = view.slideToScreen(300, 300).transform(new Point2D.Double(600, 450), null);
                int[] e = rgb(img.getRGB((int) Math.round(edge.getX() - 0.5), (int) Math.round(edge.getY() - 0.5)));
                assertTrue(e[1] > 150 && e[0] < 60 && e[2] < 60, where + " outline is the class colour: " + List.of(e[0], e[1], e[2]));
            }
        }
    }

    @Test
    void pickFindsTheObjectUnderTheCursorUnderRotation() {
        Annotation square = Annotation.of(Geometries.rectangle(500, 400, 600, 500), Annotation.Shape.RECTANGLE);
        Annotation dot = Annotation.of(Geometries.point(700, 400), null);
        AnnotationLayer layer = new AnnotationLayer(new AnnotationSet(List.of(square, dot)));
        for (int turns = 0; turns < 4; turns++) {
            ViewState view = new ViewState(600, 450, 0.5, turns, turns == 3);
            LayerContext ctx = LayerStackTest.context(view, 400, 400);
            Point2D sq = view.slideToScreen(400, 400).transform(new Point2D.Double(520, 480), null);
            Point2D pt = view.slideToScreen(400, 400).transform(new Point2D.Double(700, 400), null);
            assertSame(square, layer.pick(sq.getX(), sq.getY(), ctx), "turns " + turns);
            // 4 screen px off the point is 2 slide px at downsample 0.5: within the 5 px tolerance
            assertSame(dot, layer.pick(pt.getX() + 4, pt.getY(), ctx), "turns " + turns);
            assertNull(layer.pick(pt.getX() + 7, pt.getY() - 7, ctx), "turns " + turns);
            assertNull(layer.hitTest(sq.getX(), sq.getY(), ctx), "the layer never takes the press from the tool");
        }
    }

    @Test
    void selectedObjectsAreOutlinedInYellowWithHandles() {
        Annotation square = Annotation.of(Geometries.rectangle(500, 400, 600, 500), Annotation.Shape.RECTANGLE)
                .withClassification(GREEN);
        AnnotationLayer layer = new AnnotationLayer(new AnnotationSet(List.of(square)));
        layer.setFillOpacity(0);
        ViewState view = new ViewState(550, 450, 1, 1, false);
        BufferedImage plain = paint(layer, view, 300, 300);
        layer.setSelected(Set.of(square.id()));
        BufferedImage selected = paint(layer, view, 300, 300);
        Point2D mid = view.slideToScreen(300, 300).transform(new Point2D.Double(550, 400), null);
        int[] before = rgb(plain.getRGB((int) mid.getX(), (int) mid.getY()));
        int[] after = rgb(selected.getRGB((int) mid.getX(), (int) mid.getY()));
        assertTrue(before[1] > 150 && before[0] < 60, "green outline unselected");
        assertTrue(after[0] > 200 && after[1] > 200 && after[2] < 80, "yellow when selected: " + List.of(after[0], after[1], after[2]));
        // a handle (white box, black border) sits on each corner
        Point2D corner = view.slideToScreen(300, 300).transform(new Point2D.Double(500, 400), null);
        int c = selected.getRGB((int) corner.getX(), (int) corner.getY()) & 0xFFFFFF;
        assertTrue(c == 0xFFFFFF || c == 0, "handle at the corner: " + Integer.toHexString(c));
        assertEquals(4, AnnotationLayer.handles(square).size());
    }

    /** 100,000 small objects seen whole: each is a dot of its class colour, and a name only shows zoomed in. */
    @Test
    void tinyObjectsAreDotsAndNamesShowWhenZoomedIn() {
        List<Annotation> many = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            double x = (i % 400) * 250 + 100;
            double y = (i / 400) * 250 + 100;
            many.add(Annotation.of(Geometries.polygon(x, y, x + 40, y, x + 20, y + 30), Annotation.Shape.POLYGON)
                    .withClassification(GREEN));
        }
        Annotation named = Annotation.of(Geometries.rectangle(30_000, 30_000, 30_400, 30_300), Annotation.Shape.RECTANGLE)
                .withName("Tumour region");
        many.add(named);
        AnnotationLayer layer = new AnnotationLayer(new AnnotationSet(many));
        // the whole 100,000 px slide in 500 px: 200 slide px per screen px, every object under a pixel
        ViewState whole = new ViewState(50_000, 50_000, 200, 0, false);
        BufferedImage img = paint(layer, whole, 500, 500);
        Point2D one = whole.slideToScreen(500, 500).transform(new Point2D.Double(120, 110), null);
        int[] dot = rgb(img.getRGB((int) one.getX(), (int) one.getY()));
        assertEquals(List.of(0, 0xC0, 0), List.of(dot[0], dot[1], dot[2]), "a dot in the class colour");
        Point2D labelAt = whole.slideToScreen(500, 500).transform(new Point2D.Double(30_200, 30_150), null);
        assertTrue(sum(darkest(img, (int) labelAt.getX() - 30, (int) labelAt.getY() - 12, 60, 16)) >= 0xC0,
                "no dark label box at this zoom (the named rectangle is 2 px wide), only dots");

        ViewState near = new ViewState(30_200, 30_150, 1, 2, false);
        BufferedImage close = paint(layer, near, 600, 500);
        Point2D c = near.slideToScreen(600, 500).transform(new Point2D.Double(30_200, 30_150), null);
        int dark = darkest(close, (int) c.getX() - 30, (int) c.getY() - 12, 60, 16);
        layer.setShowNames(false);
        BufferedImage unnamed = paint(layer, near, 600, 500);
        assertTrue(sum(darkest(unnamed, (int) c.getX() - 30, (int) c.getY() - 12, 60, 16)) > 500, "pale fill without names");
        assertTrue(sum(dark) < 400, "a dark label box with the name at the centre, upright under rotation");
    }

    private static int sum(int p) {
        return (p & 0xFF) + ((p >> 8) & 0xFF) + ((p >> 16) & 0xFF);
    }

    private static int darkest(BufferedImage img, int x0, int y0, int w, int h) {
        int best = 0xFFFFFF;
        for (int y = Math.max(0, y0); y < Math.min(img.getHeight(), y0 + h); y++) {
            for (int x = Math.max(0, x0); x < Math.min(img.getWidth(), x0 + w); x++) {
                int p = img.getRGB(x, y) & 0xFFFFFF;
                if ((p & 0xFF) + ((p >> 8) & 0xFF) + ((p >> 16) & 0xFF) < (best & 0xFF) + ((best >> 8) & 0xFF) + ((best >> 16) & 0xFF)) {
                    best = p;
                }
            }
        }
        return best;
    }

    @Test
    void draftIsDrawnDashed() {
        AnnotationLayer layer = new AnnotationLayer();
        layer.setDraft(new java.awt.geom.Rectangle2D.Double(450, 350, 100, 100));
        BufferedImage img = paint(layer, new ViewState(500, 400, 1, 0, false), 200, 200);
        int dark = 0;
        for (int x = 60; x < 140; x++) {
            if ((img.getRGB(x, 50) & 0xFF) < 80) {
                dark++;
            }
        }
        assertTrue(dark > 20 && dark < 75, "a dashed top edge, black and white: " + dark);
    }
}
