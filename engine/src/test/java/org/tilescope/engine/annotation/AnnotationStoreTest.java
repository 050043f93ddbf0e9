package org.tilescope.engine.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.slide.ContentFingerprint;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.testing.Fixtures;

class AnnotationStoreTest {
    @TempDir
    Path dir;

    static ContentFingerprint fingerprint(Path slide) throws Exception {
        try (SlideSource s = Slides.open(slide)) {
            return ContentFingerprint.of(s);
        }
    }

    static List<Annotation> sample() {
        return List.of(
                Annotation.of(Geometries.rectangle(10, 10, 200, 100), Annotation.Shape.RECTANGLE).withName("box")
                        .withClassification(AnnotationClass.named("Tumor")).withLocked(true),
                Annotation.of(Geometries.ellipse(300, 300, 400, 350), Annotation.Shape.ELLIPSE),
                Annotation.of(Geometries.line(0, 0, 50, 60), null));
    }

    @Test
    void annotationsSurviveARestartAndFollowACopiedSlide() throws Exception {
        Path slides = Files.createDirectories(dir.resolve("slides"));
        var dz = Fixtures.deepZoom(slides, "case", Fixtures.drawSource(900, 700), 256, 1, "jpg");
        ContentFingerprint fp = fingerprint(dz.dzi());
        Path data = dir.resolve("data");

        List<Annotation> saved = sample();
        new AnnotationStore(data).save(fp, "case.dzi", saved);
        assertFalse(Files.exists(slides.resolve("case.geojson")), "never written next to the slide");
        try (var listing = Files.list(data.resolve("annotations"))) {
            assertEquals(List.of(fp + ".geojson"), listing.map(p -> p.getFileName().toString()).toList(),
                    "one file, no temporary left behind");
        }

        // a new store (a restart) over the same folder, and the slide copied under another name
        Path copies = Files.createDirectories(dir.resolve("copies"));
        Files.copy(dz.dzi(), copies.resolve("renamed.dzi"));
        copyTree(dz.filesDir(), copies.resolve("renamed_files"));
        ContentFingerprint copyFp = fingerprint(copies.resolve("renamed.dzi"));
        assertEquals(fp, copyFp, "the copy has the same content fingerprint");
        AnnotationStore.Loaded loaded = new AnnotationStore(data).load(copyFp, copies.resolve("renamed.dzi"));
        assertEquals(AnnotationStore.Origin.STORED, loaded.origin());
        assertSameAnnotations(saved, loaded.annotations());
        assertTrue(loaded.annotations().getFirst().locked());
        assertEquals(Annotation.Shape.ELLIPSE, loaded.annotations().get(1).shape());
        String text = Files.readString(data.resolve("annotations").resolve(fp + ".geojson"));
        assertTrue(text.contains("\"fingerprint\":\"" + fp + "\""), "the file says which slide it is for");

        // another slide (other pixels) does not see them
        var other = Fixtures.deepZoom(slides, "other", Fixtures.drawSource(901, 700), 256, 1, "jpg");
        assertEquals(AnnotationStore.Origin.NONE, new AnnotationStore(data).load(fingerprint(other.dzi()), other.dzi()).origin());
    }

    @Test
    void aSidecarIsTheInitialSetUntilSomethingIsStored() throws Exception {
        Path slide = dir.resolve("case.svs");
        Files.writeString(slide, "not read here");
        ByteArrayOutputStreamHolder.write(dir.resolve("case.geojson"), sample());
        ContentFingerprint fp = new ContentFingerprint(100, 100, 42);
        AnnotationStore store = new AnnotationStore(dir.resolve("data"));
        AnnotationStore.Loaded first = store.load(fp, slide);
        assertEquals(AnnotationStore.Origin.SIDECAR, first.origin());
        assertEquals(List.of(dir.resolve("case.geojson")), first.files());
        assertEquals(3, first.annotations().size());

        store.save(fp, "case.svs", List.of());
        AnnotationStore.Loaded after = store.load(fp, slide);
        assertEquals(AnnotationStore.Origin.STORED, after.origin(), "an emptied set stays empty");
        assertEquals(0, after.annotations().size());
    }

    @Test
    void aFastPathFolderBringsItsAnnotationsFolder() throws Exception {
        Path fp = Files.createDirectories(dir.resolve("s.fastpath").resolve("annotations"));
        ByteArrayOutputStreamHolder.write(fp.resolve("b.geojson"), sample().subList(0, 1));
        ByteArrayOutputStreamHolder.write(fp.resolve("a.geojson"), sample());
        List<Path> cars = AnnotationStore.sidecars(dir.resolve("s.fastpath"));
        assertEquals(List.of(fp.resolve("a.geojson"), fp.resolve("b.geojson")), cars);
        var loaded = new AnnotationStore(dir.resolve("data")).load(new ContentFingerprint(1, 1, 1), dir.resolve("s.fastpath"));
        assertEquals(4, loaded.annotations().size());
        assertEquals(4, loaded.annotations().stream().map(Annotation::id).distinct().count(), "ids made unique");
    }

    @Test
    void aBrokenStoredFileIsAnErrorNotAnEmptySet() throws Exception {
        AnnotationStore store = new AnnotationStore(dir);
        ContentFingerprint fp = new ContentFingerprint(5, 5, 5);
        Files.createDirectories(store.file(fp).getParent());
        Files.writeString(store.file(fp), "{\"type\":\"FeatureCollection\",\"features\":[{\"geometry\":7}]}");
        var e = assertThrows(GeoJsonException.class, () -> store.load(fp, null));
        assertTrue(e.getMessage().contains(store.file(fp).toString()), e.getMessage());
        assertTrue(e.getMessage().contains("feature 0"), e.getMessage());
    }

    @Test
    void replacingIsAtomic() throws Exception {
        AnnotationStore store = new AnnotationStore(dir);
        ContentFingerprint fp = new ContentFingerprint(5, 5, 6);
        store.save(fp, "s", sample());
        for (int i = 0; i < 20; i++) {
            store.save(fp, "s", sample().subList(0, 1 + i % 3));
            assertEquals(1 + i % 3, GeoJsonReader.read(store.file(fp)).size());
        }
        try (var listing = Files.list(store.file(fp).getParent())) {
            assertEquals(1, listing.count());
        }
    }

    /** Equal but for coordinates, which the file keeps to a thousandth of a pixel. */
    static void assertSameAnnotations(List<Annotation> expected, List<Annotation> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            Annotation e = expected.get(i);
            Annotation a = actual.get(i);
            assertTrue(e.geometry().equalsExact(a.geometry(), 0.001), e.id() + " geometry");
            assertEquals(e, a.withGeometry(e.geometry(), a.shape()), "everything else, ids, names, classes, locks, shapes");
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    /** Writes GeoJSON to a file. */
    static final class ByteArrayOutputStreamHolder {
        static void write(Path file, List<Annotation> list) throws Exception {
            try (var out = Files.newOutputStream(file)) {
                GeoJsonWriter.write(out, list);
            }
        }
    }
}
