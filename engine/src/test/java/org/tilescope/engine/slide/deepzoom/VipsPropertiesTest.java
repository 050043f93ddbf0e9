package org.tilescope.engine.slide.deepzoom;

import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.testing.Fixtures;

class VipsPropertiesTest {
    @TempDir
    Path dir;

    static String props(String... kv) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?>\n<image xmlns=\"http://www.vips.ecs.soton.ac.uk//dzsave\"><properties>");
        for (int i = 0; i < kv.length; i += 2) {
            b.append("<property><name>").append(kv[i]).append("</name><value type=\"gdouble\">").append(kv[i + 1])
                    .append("</value></property>");
        }
        return b.append("</properties></image>").toString();
    }

    SlideInfo open(String xml) throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "s", Fixtures.drawSource(300, 200), 64, 1, "jpg");
        if (xml != null) {
            Files.writeString(dz.filesDir().resolve("vips-properties.xml"), xml);
        }
        try (SlideSource s = Slides.open(dz.dzi())) {
            return s.info();
        }
    }

    @Test
    void openSlidePropertiesGiveMppAndMagnification() throws IOException {
        SlideInfo info = open(props("openslide.mpp-x", "0.2499", "openslide.objective-power", "20"));
        assertEquals(0.2499, info.mpp().orElseThrow(), 1e-9);
        assertEquals(20, info.magnification().orElseThrow(), 1e-9);
    }

    @Test
    void vipsResolutionGivesMppOnlyWhenItLooksLikeAMicroscope() throws IOException {
        assertEquals(0.5, open(props("xres", "2000")).mpp().orElseThrow(), 1e-9); // 2000 px/mm
        assertTrue(open(props("xres", "2.8346457481384277")).mpp().isEmpty(), "72 dpi is not a microscope");
    }

    @Test
    void missingDamagedOrHostilePropertiesMeanUnknownNotFailure() throws IOException {
        assertTrue(open(null).mpp().isEmpty());
        assertTrue(open("<image><properties><property>").mpp().isEmpty());
        assertTrue(open("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><image/>")
                .mpp().isEmpty());
        assertTrue(open(props("openslide.mpp-x", "NaN", "openslide.objective-power", "-3")).magnification().isEmpty());
    }

    @Test
    void theCorpusLibraryHasNoMicroscopeScale() throws IOException {
        Path lib = Path.of(System.getProperty("tilescope.corpus", "../../shared/corpus")).resolve("library");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(lib), "corpus not found");
        try (SlideSource s = Slides.open(lib.resolve("C24-0112_liver_HE.dzi"))) {
            assertTrue(s.info().mpp().isEmpty(), "its 72 dpi photo resolution is not an MPP");
        }
    }
}
