package org.tilescope.engine.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.testing.Corpus;
import org.tilescope.engine.testing.Pixels;

/** The 8 Deep Zoom slides of {@code shared/corpus/library} against an independent reference decode. */
class CorpusDeepZoomTest {

    private static List<Path> slides() throws IOException {
        Path library = Corpus.root().resolve("library");
        try (Stream<Path> files = Files.list(library)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".dzi")).sorted().toList();
        }
    }

    @Test
    void everySlideOpensWithItsDescriptorsGeometry() throws IOException {
        List<Path> slides = slides();
        assertEquals(8, slides.size(), slides.toString());
        for (Path dzi : slides) {
            Corpus.Dzi d = Corpus.readDzi(dzi);
            try (SlideSource s = Slides.open(dzi)) {
                SlideInfo info = s.info();
                String name = dzi.getFileName().toString();
                assertEquals(d.width(), info.width(), name);
                assertEquals(d.height(), info.height(), name);
                assertEquals(Math.max(d.width(), d.height()), 4000, name + " is 4000x3000 or 3000x4000");
                assertEquals(Math.min(d.width(), d.height()), 3000, name);
                assertEquals(13, info.levelCount(), name + ": max level 12 means 13 levels");
                assertEquals(1, info.overlap(), name);
                assertEquals(254, info.tileWidth(), name);
                for (int i = 0; i < info.levelCount(); i++) {
                    LevelInfo l = info.level(i);
                    assertEquals(d.levelWidth(i), l.width(), name + " level " + i);
                    assertEquals(d.levelHeight(i), l.height(), name + " level " + i);
                }
                assertEquals(1, info.level(12).width());
                assertEquals(1, info.level(12).height());
            }
        }
    }

    @Test
    void regionsEqualTheReferenceDecode() throws IOException {
        for (Path dzi : slides()) {
            Corpus.Reference ref = new Corpus.Reference(dzi);
            int w = ref.dzi().width();
            int h = ref.dzi().height();
            try (SlideSource s = Slides.open(dzi)) {
                RegionReader reader = new RegionReader(s);
                // level 0: one whole tile, the corner of four overlapped tiles, a strip across many, the far corner
                check(reader, ref, 0, 0, 0, 254, 254);
                check(reader, ref, 0, 250, 250, 10, 10);
                check(reader, ref, 0, 1016 - 3, 762 - 5, 6, 300);
                check(reader, ref, 0, 100, 507, 1500, 3);
                check(reader, ref, 0, w - 100, h - 60, 150, 100);
                // level 1: across tile borders, and past the edge
                check(reader, ref, 1, 250, 250, 20, 20);
                check(reader, ref, 1, 500, 700, 300, 80);
                check(reader, ref, 1, Math.ceilDiv(w, 2) - 30, Math.ceilDiv(h, 2) - 30, 64, 64);
                // level 2: the whole level
                check(reader, ref, 2, 0, 0, Math.ceilDiv(w, 4), Math.ceilDiv(h, 4));
            }
        }
    }

    private static void check(RegionReader reader, Corpus.Reference ref, int level, int x, int y, int w, int h)
            throws IOException {
        long ds = 1L << level;
        Region r = reader.read(level, x * ds, y * ds, w, h);
        assertTrue(r.failures().isEmpty(), r.failures().toString());
        Pixels.assertSame(ref.region(level, x, y, w, h, -1, -1), r.image(),
                "level " + level + " region " + x + "," + y + " " + w + "x" + h);
    }
}
