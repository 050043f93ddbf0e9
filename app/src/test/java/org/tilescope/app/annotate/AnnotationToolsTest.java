package org.tilescope.app.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.event.InputEvent;
import java.awt.event.MouseEvent;
import java.awt.geom.Point2D;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.MultiPoint;
import org.locationtech.jts.geom.Polygon;
import org.tilescope.app.TestSlides;
import org.tilescope.app.render.ViewState;
import org.tilescope.app.swing.Edt;
import org.tilescope.app.viewer.TilePane;
import org.tilescope.app.viewer.Tool;
import org.tilescope.engine.annotation.Annotation;
import org.tilescope.engine.annotation.AnnotationStore;
import org.tilescope.engine.annotation.GeoJsonReader;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TilePipeline;

/** The tools driven by synthetic mouse events on a tile pane, at several rotations; edits saved and reloaded. */
class AnnotationToolsTest {
    static final int W = 800;
    static final int H = 600;

    @TempDir
    Path dir;
    TilePipeline pipeline;
    SlideHandle slide;
    AnnotationStore store;
    TilePane pane;
    AnnotationController c;

    @TempDir
    static Path shared;
    static Path dzi;

    @BeforeAll
    static void slide() throws Exception {
        dzi = TestSlides.writeDzi(shared, "s", 4000, 3000, 256, 1);
    }

    @BeforeEach
    void open() throws Exception {
        pipeline = TilePipeline.createDefault();
        slide = pipeline.open(dzi);
        slide.ready().get(60, TimeUnit.SECONDS);
        store = new AnnotationStore(dir.resolve("data"));
        pane = newPane(new ViewState(2000, 1500, 2, 0, false));
        c = Edt.call(() -> new AnnotationController(pane, store));
        c.loading().get(60, TimeUnit.SECONDS);
    }

    TilePane newPane(ViewState view) {
        return Edt.call(() -> {
            TilePane p = new TilePane(pipeline);
            p.setSize(W, H);
            p.setSlide(slide, view);
            return p;
        });
    }

    @AfterEach
    void close() throws Exception {
        Edt.call(() -> {
            pane.dispose();
            return null;
        });
        c.dispose();
        assertTrue(c.awaitStopped(30, TimeUnit.SECONDS), "the last save is written");
        pipeline.close();
    }

    Tool tool(String name) {
        return c.tools().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    void use(String name) {
        Edt.call(() -> {
            pane.setTool(tool(name));
            return null;
        });
    }

    void view(ViewState v) {
        Edt.call(() -> {
            pane.setView(v);
            return null;
        });
    }

    static MouseEvent event(TilePane p, int id, double x, double y, int clicks, int extraModifiers) {
        int mods = (id == MouseEvent.MOUSE_RELEASED || id == MouseEvent.MOUSE_CLICKED ? 0 : InputEvent.BUTTON1_DOWN_MASK)
                | extraModifiers;
        return new MouseEvent(p, id, System.currentTimeMillis(), mods, (int) Math.round(x), (int) Math.round(y), clicks,
                false, MouseEvent.BUTTON1);
    }

    /** Press at the first point, drag through the rest, release at the last (a click when there is one point). */
    void gesture(int modifiers, double... xy) {
        Edt.call(() -> {
            pane.dispatchEvent(event(pane, MouseEvent.MOUSE_PRESSED, xy[0], xy[1], 1, modifiers));
            for (int i = 2; i < xy.length; i += 2) {
                pane.dispatchEvent(event(pane, MouseEvent.MOUSE_DRAGGED, xy[i], xy[i + 1], 1, modifiers));
            }
            double ex = xy[xy.length - 2];
            double ey = xy[xy.length - 1];
            pane.dispatchEvent(event(pane, MouseEvent.MOUSE_RELEASED, ex, ey, 1, modifiers));
            if (xy.length == 2) {
                pane.dispatchEvent(event(pane, MouseEvent.MOUSE_CLICKED, ex, ey, 1, modifiers));
            }
            return null;
        });
    }

    void doubleClick(double x, double y) {
        Edt.call(() -> {
            pane.dispatchEvent(event(pane, MouseEvent.MOUSE_PRESSED, x, y, 2, 0));
            pane.dispatchEvent(event(pane, MouseEvent.MOUSE_RELEASED, x, y, 2, 0));
            pane.dispatchEvent(event(pane, MouseEvent.MOUSE_CLICKED, x, y, 2, 0));
            return null;
        });
    }

    Point2D slide(double sx, double sy) {
        return Edt.call(() -> pane.view().screenToSlide(sx, sy, W, H));
    }

    List<Annotation> all() {
        return c.set().all();
    }

    Annotation last() {
        List<Annotation> all = all();
        return all.getLast();
    }

    @Test
    void rectangleEllipseAndLineAtEveryRotation() {
        for (int turns = 0; turns < 4; turns++) {
            view(new ViewState(2000, 1500, 2, turns, turns == 2));
            Point2D a = slide(300, 200);
            Point2D b = slide(500, 350);
            Envelope expected = new Envelope(a.getX(), b.getX(), a.getY(), b.getY());

            use("Rectangle");
            gesture(0, 300, 200, 400, 300, 500, 350);
            Annotation rect = last();
            assertEquals(Annotation.Shape.RECTANGLE, rect.shape(), "turns " + turns);
            assertEquals(expected, rect.geometry().getEnvelopeInternal(), "turns " + turns);
            assertEquals(400 * 300, rect.area(), 1e-6, "200x150 screen px at 2 slide px each");
            assertEquals(List.of(rect), c.selection(), "a new annotation is selected");

            use("Ellipse");
            gesture(0, 300, 200, 500, 350);
            Annotation ellipse = last();
            assertEquals(Annotation.Shape.ELLIPSE, ellipse.shape());
            assertEquals(Math.PI * 200 * 150, ellipse.area(), Math.PI * 200 * 150 * 0.002);
            assertEquals(expected, ellipse.geometry().getEnvelopeInternal());

            use("Line");
            gesture(0, 300, 200, 500, 350);
            LineString line = assertInstanceOf(LineString.class, last().geometry());
            assertEquals(a.getX(), line.getCoordinateN(0).x, 1e-9);
            assertEquals(b.getY(), line.getCoordinateN(1).y, 1e-9);
            assertEquals(500, last().length(), 1e-6, "250 screen px at 2 slide px each");
        }
        assertEquals(12, all().size());
        use("Rectangle");
        gesture(0, 100, 100);
        assertEquals(12, all().size(), "a click draws no rectangle");
    }

    @Test
    void polygonByClicksAndFreehand() {
        view(new ViewState(2000, 1500, 1, 1, false));
        use("Polygon");
        gesture(0, 100, 100);
        gesture(0, 300, 100);
        gesture(0, 300, 300);
        doubleClick(300, 300);
        Polygon p = assertInstanceOf(Polygon.class, last().geometry());
        assertEquals(4, p.getExteriorRing().getNumPoints(), "three vertices, closed");
        assertEquals(200 * 200 / 2.0, p.getArea(), 1e-6);

        // freehand: a square traced in one drag
        gesture(0, 400, 100, 500, 100, 500, 200, 400, 200, 400, 110);
        Annotation free = last();
        assertEquals(Annotation.Shape.POLYGON, free.shape());
        assertEquals(100 * 100, free.area(), 100 * 10, "about the traced square");
        assertEquals(2, all().size());

        // a bow tie crosses itself: JTS makes it valid (two triangles)
        gesture(0, 100, 400, 200, 500, 200, 400, 100, 500, 100, 401);
        assertTrue(last().isValid(), "made valid");
        assertEquals(2, last().geometry().getNumGeometries());
    }

    @Test
    void pointsBuildOneSetBrushPaintsAddsAndErases() {
        use("Points");
        gesture(0, 100, 100);
        gesture(0, 150, 120);
        gesture(0, 200, 140);
        assertEquals(1, all().size(), "one point set");
        MultiPoint mp = assertInstanceOf(MultiPoint.class, last().geometry());
        assertEquals(3, mp.getNumGeometries());
        assertEquals(slide(200, 140), new Point2D.Double(mp.getGeometryN(2).getCoordinate().x,
                mp.getGeometryN(2).getCoordinate().y));

        use("Brush");
        gesture(0, 400, 300, 500, 300);
        Annotation stroke = last();
        double r = BrushTool.RADIUS_PIXELS * 2; // slide px at downsample 2
        double expected = 200 * 2 * r + Math.PI * r * r;
        assertEquals(expected, stroke.area(), expected * 0.02, "a 100 px stroke with round ends");
        assertEquals(List.of(stroke), c.selection());
        gesture(0, 450, 300, 450, 400);
        Annotation grown = c.set().get(stroke.id());
        assertTrue(grown.area() > stroke.area() * 1.3, "a stroke from inside the selection adds to it");
        assertEquals(2, all().size(), "and makes no new annotation");
        gesture(InputEvent.ALT_DOWN_MASK, 420, 300, 600, 300);
        Annotation cut = c.set().get(stroke.id());
        assertTrue(cut.area() < grown.area() * 0.75, "alt erases: " + cut.area() + " of " + grown.area());
    }

    @Test
    void moveToolSelectsMovesReshapesAndUndoes() {
        view(new ViewState(2000, 1500, 2, 3, false));
        use("Rectangle");
        gesture(0, 300, 200, 500, 350);
        Annotation rect = last();
        use("Move");
        gesture(0, 700, 500);
        assertTrue(c.selection().isEmpty(), "a click on nothing clears the selection");
        gesture(0, 400, 300);
        assertEquals(List.of(rect), c.selection(), "a click selects");

        ViewState before = Edt.call(pane::view);
        gesture(0, 400, 300, 450, 320, 460, 330);
        Annotation moved = c.set().get(rect.id());
        Point2D from = slide(400, 300);
        Point2D to = slide(460, 330);
        assertEquals(rect.geometry().getEnvelopeInternal().getMinX() + to.getX() - from.getX(),
                moved.geometry().getEnvelopeInternal().getMinX(), 1e-6, "moved by the drag, in slide px");
        assertEquals(Annotation.Shape.RECTANGLE, moved.shape());
        assertEquals(before, Edt.call(pane::view), "dragging a selected annotation does not pan");

        // the handle at the box's top-left corner (slide coordinates) resizes from the opposite one
        Envelope e = moved.geometry().getEnvelopeInternal();
        Point2D corner = Edt.call(() -> pane.view().slideToScreen(W, H).transform(new Point2D.Double(e.getMinX(), e.getMinY()), null));
        Point2D out = Edt.call(() -> pane.view().slideToScreen(W, H).transform(new Point2D.Double(e.getMinX() - 40, e.getMinY() - 40), null));
        gesture(0, corner.getX(), corner.getY(), out.getX(), out.getY());
        Annotation resized = c.set().get(rect.id());
        assertEquals(Annotation.Shape.RECTANGLE, resized.shape());
        Envelope r = resized.geometry().getEnvelopeInternal();
        assertEquals(e.getMaxX(), r.getMaxX(), 1e-6, "the opposite corner stays");
        assertEquals(e.getMaxY(), r.getMaxY(), 1e-6);
        assertEquals(e.getMinX() - 40, r.getMinX(), 1.5, "the dragged corner follows the mouse (to a screen pixel)");
        assertEquals(e.getMinY() - 40, r.getMinY(), 1.5);

        Edt.call(() -> {
            c.undo();
            return null;
        });
        assertEquals(moved, c.set().get(rect.id()));
        Edt.call(() -> {
            c.undo();
            return null;
        });
        assertEquals(rect, c.set().get(rect.id()));
        Edt.call(() -> {
            c.redo();
            return null;
        });
        assertEquals(moved, c.set().get(rect.id()));

        // locked: a drag pans the view instead, and delete keeps it
        Edt.call(() -> {
            c.toggleLock();
            return null;
        });
        assertTrue(c.set().get(rect.id()).locked());
        gesture(0, 430, 315, 480, 340);
        assertEquals(moved.geometry(), c.set().get(rect.id()).geometry(), "locked: not moved");
        assertFalse(before.equals(Edt.call(pane::view)), "the drag panned");
        Edt.call(() -> {
            c.deleteSelected();
            return null;
        });
        assertEquals(1, all().size());
        assertTrue(c.message().contains("locked"), c.message());
        Edt.call(() -> {
            c.toggleLock();
            c.deleteSelected();
            return null;
        });
        assertEquals(0, all().size(), "unlocked, it goes");
        assertTrue(c.selection().isEmpty());
        Edt.call(() -> {
            c.undo();
            return null;
        });
        assertEquals(1, all().size(), "and undo brings it back");
    }

    @Test
    void editsAreSavedAndSurviveARestart() throws Exception {
        use("Rectangle");
        gesture(0, 300, 200, 500, 350);
        use("Polygon");
        gesture(0, 100, 100, 200, 100, 200, 200, 100, 200, 100, 101);
        Edt.call(() -> {
            c.select(all().getFirst(), false);
            c.rename("Tumour");
            c.classify(org.tilescope.engine.annotation.AnnotationClass.named("Tumor"));
            return null;
        });
        List<Annotation> made = all();
        c.flush();
        Path saved = store.file(org.tilescope.engine.slide.ContentFingerprint.of(
                org.tilescope.engine.slide.Slides.open(slide.location())));
        assertEquals(2, GeoJsonReader.read(saved).size(), "on disk without closing anything");

        // a second pane and controller over the same store: what a restart does
        TilePane again = newPane(null);
        AnnotationController c2 = Edt.call(() -> new AnnotationController(again, store));
        try {
            c2.loading().get(60, TimeUnit.SECONDS);
            assertNotNull(c2.set());
            List<Annotation> back = c2.set().all();
            assertEquals(made.size(), back.size());
            assertEquals("Tumour", back.getFirst().name());
            assertEquals("Tumor", back.getFirst().classification().name());
            assertEquals(made.getFirst().id(), back.getFirst().id());
            assertTrue(made.get(1).geometry().equalsExact(back.get(1).geometry(), 0.001));
        } finally {
            Edt.call(() -> {
                again.dispose();
                return null;
            });
            c2.dispose();
            assertTrue(c2.awaitStopped(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aSlideOnlyLookedAtLeavesNoFile() throws Exception {
        Path file = store.file(org.tilescope.engine.slide.ContentFingerprint.of(
                org.tilescope.engine.slide.Slides.open(slide.location())));
        view(new ViewState(1000, 1000, 4, 1, false));
        c.dispose();
        assertTrue(c.awaitStopped(30, TimeUnit.SECONDS));
        assertFalse(java.nio.file.Files.exists(file), "nothing changed, nothing written: a sidecar stays in charge");
    }

    @Test
    void importIsOneUndoableEditAndABadFileChangesNothing() throws Exception {
        Path good = dir.resolve("good.geojson");
        java.nio.file.Files.writeString(good, """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","geometry":{"type":"Point","coordinates":[10,10]},"properties":{"name":"a"}},
                 {"type":"Feature","geometry":{"type":"Point","coordinates":[20,20]},"properties":{"name":"b"}}]}""");
        Path bad = dir.resolve("bad.geojson");
        java.nio.file.Files.writeString(bad, """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","geometry":{"type":"Point","coordinates":[10,10]}},
                 {"type":"Feature","id":"x9","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]}}]}""");
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        c.setErrorSink((title, text) -> errors.add(title + ": " + text));
        assertEquals(2, c.importFile(good, false).get(30, TimeUnit.SECONDS));
        assertEquals(2, c.importFile(good, false).get(30, TimeUnit.SECONDS), "again: fresh ids, no clash");
        assertEquals(4, all().size());
        var failed = c.importFile(bad, false);
        assertTrue(assertThrowsCause(failed).getMessage().contains("feature 1 (id x9)"));
        Edt.call(() -> null); // the error reaches the sink on the EDT
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.getFirst().contains("bad.geojson"), errors.toString());
        assertEquals(4, all().size(), "nothing of the bad file");
        assertEquals(2, c.importFile(good, true).get(30, TimeUnit.SECONDS));
        assertEquals(2, all().size(), "replace");
        Edt.call(() -> {
            c.undo();
            return null;
        });
        assertEquals(4, all().size(), "undo brings back what the import replaced");

        Path out = dir.resolve("out.geojson");
        assertEquals(4, c.exportFile(out, false).get(30, TimeUnit.SECONDS));
        assertEquals(4, GeoJsonReader.read(out).size());
    }

    private static Throwable assertThrowsCause(java.util.concurrent.CompletableFuture<?> f) {
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                () -> f.get(30, TimeUnit.SECONDS));
        return e.getCause();
    }
}
