package org.tilescope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.annotation.GeoJsonReader;

/** {@code tilescope annotations} lists, imports and exports; {@code view --layers annotations} draws them. */
class AnnotationsCommandTest {
    static final String TWO = """
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "id": "11111111-2222-4333-8444-555555555555",
               "geometry": {"type": "Polygon", "coordinates": [[[100, 100], [500, 100], [500, 400], [100, 400], [100, 100]]]},
               "properties": {"objectType": "annotation", "name": "Tumour", "classification": {"name": "Tumor", "color": [200, 0, 0]},
                              "isLocked": true}},
              {"type": "Feature",
               "geometry": {"type": "LineString", "coordinates": [[600, 100], [600, 400]]},
               "properties": {"objectType": "annotation", "name": "Margin"}}
            ]}
            """;

    @TempDir
    Path dir;
    String previous;

    @BeforeEach
    void ownDataFolder() {
        previous = System.getProperty("tilescope.data");
        System.setProperty("tilescope.data", dir.resolve("data").toString());
    }

    @AfterEach
    void restore() {
        if (previous == null) {
            System.clearProperty("tilescope.data");
        } else {
            System.setProperty("tilescope.data", previous);
        }
    }

    @Test
    void importListExportAndDraw() throws Exception {
        Path dzi = CommandLineTest.writeDzi(dir, "s", 1200, 900, 256, 1);
        Path geo = dir.resolve("in.geojson");
        Files.writeString(geo, TWO);

        var empty = CommandLineTest.run("annotations", dzi.toString());
        assertEquals(0, empty.code(), empty.err());
        assertTrue(empty.out().startsWith("0 annotations"), empty.out());

        var imported = CommandLineTest.run("annotations", dzi.toString(), "--import", geo.toString());
        assertEquals(0, imported.code(), imported.err());
        assertTrue(imported.out().contains("Imported 2 annotation(s)"), imported.out());
        assertFalse(Files.exists(dir.resolve("s.geojson")), "nothing written beside the slide");

        var listed = CommandLineTest.run("annotations", dzi.toString());
        assertTrue(listed.out().startsWith("2 annotations (in "), listed.out());
        assertTrue(listed.out().contains("Tumour") && listed.out().contains("area 120,000 px²") && listed.out().contains("locked"),
                listed.out());
        assertTrue(listed.out().contains("length 300.0 px"), listed.out());

        var json = CommandLineTest.run("annotations", dzi.toString(), "--json");
        var tree = new ObjectMapper().readTree(json.out());
        assertEquals(2, tree.size());
        assertEquals(120_000, tree.get(0).get("areaPx").asDouble(), 1e-9);
        assertEquals("Tumor", tree.get(0).get("class").asText());

        Path out = dir.resolve("out.geojson");
        var exported = CommandLineTest.run("annotations", dzi.toString(), "--export", out.toString());
        assertEquals(0, exported.code(), exported.err());
        assertEquals(2, GeoJsonReader.read(out).size());

        var again = CommandLineTest.run("annotations", dzi.toString(), "--import", geo.toString(), "--replace");
        assertTrue(again.out().contains("now has 2"), again.out());

        // the view draws the stored annotations where asked, and only then
        Path plain = dir.resolve("plain.png");
        Path drawn = dir.resolve("drawn.png");
        CommandLineTest.run("view", dzi.toString(), "--center", "300,250", "--zoom", "1", "--size", "600x500",
                "--out", plain.toString());
        var v = CommandLineTest.run("view", dzi.toString(), "--center", "300,250", "--zoom", "1", "--size", "600x500",
                "--layers", "annotations", "--out", drawn.toString());
        assertEquals(0, v.code(), v.err());
        BufferedImage a = ImageIO.read(plain.toFile());
        BufferedImage b = ImageIO.read(drawn.toFile());
        // the polygon's top edge runs along y = 100 from x 100 to 500: screen (0..600, 0..500) starts at slide (0, 0)
        int edge = b.getRGB(300, 100) & 0xFFFFFF;
        assertEquals(0xC8, (edge >> 16) & 0xFF, 30, "the Tumor class's red outline: " + Integer.toHexString(edge));
        assertNotEquals(a.getRGB(300, 100), b.getRGB(300, 100));
        assertEquals(a.getRGB(50, 450), b.getRGB(50, 450), "outside the annotations the slide is untouched");
    }

    @Test
    void aBadFileIsRefusedNamingTheFeatureAndChangesNothing() throws Exception {
        Path dzi = CommandLineTest.writeDzi(dir, "s", 600, 400, 256, 0);
        Path bad = dir.resolve("bad.geojson");
        Files.writeString(bad, "[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,1]}},"
                + "{\"type\":\"Feature\",\"id\":\"broken\",\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[1,1]]}}]");
        var r = CommandLineTest.run("annotations", dzi.toString(), "--import", bad.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("bad.geojson: feature 1 (id broken): the line has one position"), r.err());
        assertTrue(CommandLineTest.run("annotations", dzi.toString()).out().startsWith("0 annotations"));
        var v = CommandLineTest.run("view", dzi.toString(), "--center", "300,200", "--size", "100x100",
                "--annotations", bad.toString(), "--out", dir.resolve("x.png").toString());
        assertEquals(1, v.code());
        assertTrue(v.err().contains("feature 1"), v.err());
        assertFalse(Files.exists(dir.resolve("x.png")));
    }
}
