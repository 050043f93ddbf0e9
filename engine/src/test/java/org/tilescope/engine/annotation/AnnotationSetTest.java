package org.tilescope.engine.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Polygon;

class AnnotationSetTest {

    @Test
    void hitTestPrefersPointsThenTheSmallestAreaAndMissesHoles() {
        Polygon outer = Geometries.rectangle(0, 0, 1000, 1000);
        Polygon donut = Geometries.FACTORY.createPolygon(
                outer.getExteriorRing(), new org.locationtech.jts.geom.LinearRing[] {
                    Geometries.rectangle(400, 400, 600, 600).getExteriorRing()});
        Annotation big = Annotation.of(donut, Annotation.Shape.POLYGON);
        Annotation small = Annotation.of(Geometries.ellipse(100, 100, 300, 200), Annotation.Shape.ELLIPSE);
        Annotation dot = Annotation.of(Geometries.point(150, 150), null);
        Annotation line = Annotation.of(Geometries.line(700, 100, 900, 300), null);
        AnnotationSet set = new AnnotationSet(List.of(big, small, dot, line));

        assertSame(dot, set.hit(152, 151, 5), "a point near the cursor wins over the areas around it");
        assertSame(small, set.hit(200, 180, 5), "inside the ellipse and the big polygon: the smaller");
        assertSame(big, set.hit(800, 800, 5));
        assertNull(set.hit(500, 500, 5), "inside the hole is not inside the polygon");
        assertSame(big, set.hit(500, 397, 5), "but near the hole's edge is within tolerance");
        assertSame(line, set.hit(801, 199, 3), "on the line");
        assertNull(set.hit(2000, 2000, 5));
        assertEquals(Math.PI * 100 * 50, small.area(), Math.PI * 100 * 50 * 0.002, "ellipse area (96-gon)");
    }

    @Test
    void undoAndRedoWalkTheHistory() {
        AnnotationSet set = new AnnotationSet();
        AtomicInteger heard = new AtomicInteger();
        set.addListener(s -> heard.incrementAndGet());
        Annotation a = Annotation.of(Geometries.rectangle(0, 0, 10, 10), Annotation.Shape.RECTANGLE);
        set.apply(Edit.add("Rectangle", a));
        Annotation moved = a.withGeometry(Geometries.translate(a.geometry(), 5, 0));
        assertEquals(Annotation.Shape.RECTANGLE, moved.shape(), "a moved rectangle is still one");
        set.apply(Edit.replace("Move", a, moved));
        Annotation named = moved.withName("first");
        set.apply(Edit.replace("Rename", moved, named));
        assertEquals("Rename", set.undoLabel());
        assertEquals(3, heard.get());

        assertTrue(set.undo());
        assertEquals(moved, set.get(a.id()));
        assertTrue(set.undo());
        assertEquals(a, set.get(a.id()));
        assertEquals("Move", set.redoLabel());
        assertTrue(set.redo());
        assertEquals(moved, set.get(a.id()));
        assertTrue(set.undo());
        assertTrue(set.undo());
        assertEquals(0, set.size());
        assertFalse(set.undo(), "nothing left to undo");
        assertTrue(set.redo());
        assertEquals(a, set.get(a.id()));
        assertEquals(1, set.query(new Envelope(0, 1, 0, 1)).size(), "the index follows undo and redo");

        // a new edit drops what could be redone
        set.apply(Edit.delete("Delete", List.of(a)));
        assertNull(set.redoLabel());
        assertEquals(0, set.query(new Envelope(0, 100, 0, 100)).size());
    }

    @Test
    void undoDepthIsBounded() {
        AnnotationSet set = new AnnotationSet(3);
        for (int i = 0; i < 5; i++) {
            set.apply(Edit.add("Point " + i, Annotation.of(Geometries.point(i, i), null)));
        }
        int undone = 0;
        while (set.undo()) {
            undone++;
        }
        assertEquals(3, undone);
        assertEquals(2, set.size());
    }

    @Test
    void lockedObjectsCannotMoveOrGoButCanBeRenamed() {
        Annotation a = Annotation.of(Geometries.rectangle(0, 0, 10, 10), null).withLocked(true);
        AnnotationSet set = new AnnotationSet(List.of(a));
        Annotation moved = a.withGeometry(Geometries.translate(a.geometry(), 1, 1));
        var e = assertThrows(IllegalStateException.class, () -> set.apply(Edit.replace("Move", a, moved)));
        assertTrue(e.getMessage().contains("is locked"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> set.apply(Edit.delete("Delete", List.of(a))));
        set.apply(Edit.replace("Class", a, a.withClassification(AnnotationClass.named("Tumor"))));
        assertEquals("Tumor", set.get(a.id()).classification().name());
        Annotation current = set.get(a.id());
        set.apply(new Edit("Replace all", List.of(current), List.of(), true));
        assertEquals(0, set.size(), "an edit that overrides locks may delete");
    }

    @Test
    void staleEditsAreRefused() {
        Annotation a = Annotation.of(Geometries.point(1, 1), null);
        AnnotationSet set = new AnnotationSet(List.of(a));
        set.apply(Edit.replace("Rename", a, a.withName("x")));
        assertThrows(IllegalStateException.class, () -> set.apply(Edit.replace("Rename", a, a.withName("y"))),
                "an edit made against an old version");
        assertThrows(IllegalArgumentException.class, () -> set.apply(Edit.add("Add", a.withName("dup"))));
    }

    /** Thousands of random edits: every query answers what a scan of all() answers, through index repacks. */
    @Test
    void indexAgreesWithAScanThroughManyEdits() {
        Random rnd = new Random(42);
        List<Annotation> initial = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            double x = rnd.nextDouble() * 10_000;
            double y = rnd.nextDouble() * 10_000;
            initial.add(Annotation.of(Geometries.rectangle(x, y, x + 1 + rnd.nextDouble() * 50, y + 1 + rnd.nextDouble() * 50), null));
        }
        AnnotationSet set = new AnnotationSet(initial);
        for (int step = 0; step < 3000; step++) {
            List<Annotation> all = set.all();
            Annotation pick = all.get(rnd.nextInt(all.size()));
            switch (rnd.nextInt(3)) {
                case 0 -> set.apply(Edit.replace("Move", pick,
                        pick.withGeometry(Geometries.translate(pick.geometry(), rnd.nextGaussian() * 500, rnd.nextGaussian() * 500))));
                case 1 -> set.apply(Edit.delete("Delete", List.of(pick)));
                default -> {
                    double x = rnd.nextDouble() * 10_000;
                    set.apply(Edit.add("Add", Annotation.of(Geometries.point(x, x), null)));
                }
            }
            if (step % 97 == 0) {
                set.undo();
            }
            if (step % 50 == 0) {
                double x = rnd.nextDouble() * 9000;
                double y = rnd.nextDouble() * 9000;
                Envelope env = new Envelope(x, x + 1000, y, y + 1000);
                Set<String> expected = new HashSet<>();
                for (Annotation a : set.all()) {
                    if (a.geometry().getEnvelopeInternal().intersects(env)) {
                        expected.add(a.id());
                    }
                }
                Set<String> got = new HashSet<>();
                for (Annotation a : set.query(env)) {
                    assertSame(set.get(a.id()), a, "the index gives the current version");
                    assertTrue(got.add(a.id()), "once each");
                }
                assertEquals(expected, got, "step " + step);
            }
        }
    }
}
