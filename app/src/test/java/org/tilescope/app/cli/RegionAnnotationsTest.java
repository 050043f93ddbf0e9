package org.tilescope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code region --annotations} draws annotations where they lie on the slide, at any level. */
class RegionAnnotationsTest {
    @TempDir
    Path dir;

    @Test
    void annotationsAreDrawnOverTheRegionAtTheirPlace() throws IOException {
        Path dzi = CommandLineTest.writeDzi(dir, "s", 1200, 900, 256, 1);
        Path geojson = Files.writeString(dir.resolve("a.geojson"), """
                {"type": "FeatureCollection", "features": [{"type": "Feature",
                  "geometry": {"type": "Polygon", "coordinates": [[[100, 100], [400, 100], [400, 300], [100, 300], [100, 100]]]},
                  "properties": {"objectType": "annotation", "classification": {"name": "Tumor", "color": [200, 0, 0]}}}]}
                """);
        Path plain = dir.resolve("plain.png");
        Path drawn = dir.resolve("drawn.png");
        Path coarse = dir.resolve("coarse.png");
        var r1 = CommandLineTest.run("region", dzi.toString(), "--x", "0", "--y", "0", "--width", "500", "--height", "400",
                "--out", plain.toString());
        var r2 = CommandLineTest.run("region", dzi.toString(), "--x", "0", "--y", "0", "--width", "500", "--height", "400",
                "--annotations", geojson.toString(), "--out", drawn.toString());
        var r3 = CommandLineTest.run("region", dzi.toString(), "--level", "1", "--x", "0", "--y", "0", "--width", "250",
                "--height", "200", "--annotations", geojson.toString(), "--out", coarse.toString());
        assertEquals(0, r1.code(), r1.err());
        assertEquals(0, r2.code(), r2.err());
        assertEquals(0, r3.code(), r3.err());
        BufferedImage a = ImageIO.read(plain.toFile());
        BufferedImage b = ImageIO.read(drawn.toFile());
        BufferedImage c = ImageIO.read(coarse.toFile());
        assertNotEquals(a.getRGB(250, 100), b.getRGB(250, 100), "the outline at level 0");
        assertEquals(a.getRGB(250, 360), b.getRGB(250, 360), "below the annotation the slide is untouched");
        int red = (c.getRGB(125, 50) >> 16) & 0xFF;
        assertTrue(red > ((c.getRGB(125, 50) >> 8) & 0xFF), "the outline at level 1 lies at half the coordinates");
    }

    @Test
    void aBadAnnotationFileFailsBeforeAnyRegionIsWritten() throws IOException {
        Path dzi = CommandLineTest.writeDzi(dir, "s", 600, 400, 256, 0);
        Path bad = Files.writeString(dir.resolve("bad.geojson"), "{\"type\": \"FeatureCollection\", \"features\": [{]}");
        Path out = dir.resolve("x.png");
        var r = CommandLineTest.run("region", dzi.toString(), "--x", "0", "--y", "0", "--width", "100", "--height", "100",
                "--annotations", bad.toString(), "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("bad.geojson"), r.err());
        assertTrue(Files.notExists(out));
    }
}
