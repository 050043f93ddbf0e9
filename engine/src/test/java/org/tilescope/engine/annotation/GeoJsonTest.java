package org.tilescope.engine.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.MultiPoint;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

class GeoJsonTest {

    /**
     * Shaped like a QuPath 0.5 "Export objects as GeoJSON" (FeatureCollection, pretty printed):
     * a locked tumour polygon with a hole, a stroma multipolygon, an ellipse, a point set, a
     * line, a rectangle, a detection with NaN measurements and a nucleus, and a geometry plane.
     */
    static final String QUPATH = """
            {
              "type": "FeatureCollection",
              "features": [
                {
                  "type": "Feature",
                  "id": "6d2a3c1e-4b7f-4f0e-9d1a-0c8b7e5f4a21",
                  "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                      [[1000, 1000], [5000, 1000], [5000, 4000], [1000, 4000], [1000, 1000]],
                      [[2000, 2000], [2000, 3000], [3000, 3000], [3000, 2000], [2000, 2000]]
                    ]
                  },
                  "properties": {
                    "objectType": "annotation",
                    "name": "Tumour core",
                    "classification": {"name": "Tumor", "color": [200, 0, 0]},
                    "isLocked": true,
                    "measurements": {"Num Detections": 12, "Mean intensity": 0.75}
                  }
                },
                {
                  "type": "Feature",
                  "id": "a1b2c3d4-0000-4000-8000-000000000002",
                  "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [
                      [[[6000, 1000], [7000, 1000], [6500, 2000], [6000, 1000]]],
                      [[[8000, 1000], [9000, 1000], [8500, 2000.25], [8000, 1000]]]
                    ]
                  },
                  "properties": {
                    "objectType": "annotation",
                    "classification": {"names": ["Stroma", "Positive"], "color": [150, 200, 150, 128]}
                  }
                },
                {
                  "type": "Feature",
                  "id": "a1b2c3d4-0000-4000-8000-000000000003",
                  "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[1500, 6000], [1000, 5500], [500, 6000], [1000, 6500], [1500, 6000]]],
                    "isEllipse": true
                  },
                  "properties": {"objectType": "annotation", "name": "Round thing"}
                },
                {
                  "type": "Feature",
                  "id": "a1b2c3d4-0000-4000-8000-000000000004",
                  "geometry": {"type": "MultiPoint", "coordinates": [[100.5, 200.25], [300, 400], [500, 600]]},
                  "properties": {"objectType": "annotation", "classification": "Immune cells"}
                },
                {
                  "type": "Feature",
                  "id": "a1b2c3d4-0000-4000-8000-000000000005",
                  "geometry": {"type": "LineString", "coordinates": [[0, 0], [300, 400], [300, 1000]]},
                  "properties": {"objectType": "annotation", "name": "Margin", "color": [0, 0, 255]}
                },
                {
                  "type": "Feature",
                  "id": "a1b2c3d4-0000-4000-8000-000000000006",
                  "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[10, 20], [110, 20], [110, 70], [10, 70], [10, 20]]],
                    "plane": {"c": -1, "z": 2, "t": 0}
                  },
                  "properties": {"objectType": "annotation", "metadata": {"source": "scanner"}}
                },
                {
                  "type": "Feature",
                  "id": "a1b2c3d4-0000-4000-8000-000000000007",
                  "geometry": {"type": "Polygon", "coordinates": [[[20, 20], [30, 20], [30, 30], [20, 20]]]},
                  "nucleusGeometry": {"type": "Polygon", "coordinates": [[[22, 21], [28, 21], [28, 25], [22, 21]]]},
                  "properties": {
                    "objectType": "cell",
                    "classification": {"name": "Tumor", "color": [200, 0, 0]},
                    "measurements": {"Nucleus: Area": 31.5, "Cell: Eosin OD mean": NaN}
                  }
                },
                {
                  "type": "Feature",
                  "id": "a1b2c3d4-0000-4000-8000-000000000008",
                  "geometry": {"type": "Point", "coordinates": [42, 43]},
                  "properties": {"objectType": "annotation"}
                }
              ]
            }
            """;

    static List<Annotation> read(String json) throws IOException {
        return GeoJsonReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.geojson",
                GeoJsonReader.Limits.DEFAULT, null);
    }

    static String write(List<Annotation> list) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GeoJsonWriter.write(out, list);
        return out.toString(StandardCharsets.UTF_8);
    }

    static Map<String, Annotation> byName(List<Annotation> list) {
        return list.stream().collect(Collectors.toMap(Annotation::id, a -> a));
    }

    @Test
    void readsWhatQuPathWrites() throws IOException {
        List<Annotation> list = read(QUPATH);
        assertEquals(8, list.size());

        Annotation tumour = list.get(0);
        assertEquals("6d2a3c1e-4b7f-4f0e-9d1a-0c8b7e5f4a21", tumour.id());
        assertEquals("Tumour core", tumour.name());
        assertEquals(new AnnotationClass("Tumor", 0xFFC80000), tumour.classification());
        assertTrue(tumour.locked());
        Polygon withHole = assertInstanceOf(Polygon.class, tumour.geometry());
        assertEquals(1, withHole.getNumInteriorRing());
        assertEquals(Annotation.Shape.POLYGON, tumour.shape(), "a rectangle with a hole is no rectangle");
        assertEquals(4000 * 3000 - 1000 * 1000, tumour.area(), 1e-9, "area less the hole (JTS)");
        assertEquals(2 * (4000 + 3000) + 4 * 1000, tumour.length(), 1e-9, "perimeter includes the hole's");
        assertEquals(12, tumour.measurements().get("Num Detections"));
        assertEquals(0.75, tumour.measurements().get("Mean intensity"));

        Annotation stroma = list.get(1);
        assertInstanceOf(MultiPolygon.class, stroma.geometry());
        assertEquals("Stroma: Positive", stroma.classification().name());
        assertEquals(128, stroma.classification().alpha());
        assertNull(stroma.name());
        assertFalse(stroma.locked());

        Annotation ellipse = list.get(2);
        assertEquals(Annotation.Shape.ELLIPSE, ellipse.shape());
        assertEquals(Geometries.ELLIPSE_POINTS + 1, ellipse.geometry().getNumPoints(),
                "the ellipse in the outline's box, as QuPath rebuilds it (the file had a diamond)");
        assertEquals(Math.PI * 500 * 500, ellipse.area(), Math.PI * 500 * 500 * 0.002);

        Annotation points = list.get(3);
        assertEquals(3, assertInstanceOf(MultiPoint.class, points.geometry()).getNumGeometries());
        assertEquals(Annotation.Shape.POINTS, points.shape());
        assertEquals("Immune cells", points.classification().name(), "a plain-string class");
        assertEquals(0xFFA05AA0, points.classification().argb(), "a known name gets its default colour");

        Annotation line = list.get(4);
        assertInstanceOf(LineString.class, line.geometry());
        assertEquals(500 + 600, line.length(), 1e-9);
        assertEquals(0, line.area());
        assertEquals("[0,0,255]", line.foreign().properties().get("color").toString(), "object colour kept");

        Annotation rect = list.get(5);
        assertEquals(Annotation.Shape.RECTANGLE, rect.shape());
        assertEquals("{\"c\":-1,\"z\":2,\"t\":0}", rect.foreign().geometry().get("plane").toString());
        assertEquals("{\"source\":\"scanner\"}", rect.foreign().properties().get("metadata").toString());

        Annotation cell = list.get(6);
        assertEquals("cell", cell.objectType());
        assertTrue(Double.isNaN(cell.measurements().get("Cell: Eosin OD mean")));
        assertTrue(cell.foreign().feature().containsKey("nucleusGeometry"));

        assertInstanceOf(Point.class, list.get(7).geometry());
    }

    @Test
    void roundTripKeepsEverything() throws IOException {
        List<Annotation> first = read(QUPATH);
        String written = write(first);
        List<Annotation> second = read(written);
        assertEquals(first, second, "read, write, read gives the same annotations");
        assertEquals(written, write(second), "and writing again gives the same bytes");

        JsonNode tree = new ObjectMapper().readTree(written.replace("NaN", "null"));
        assertEquals("FeatureCollection", tree.get("type").asText());
        JsonNode ellipse = tree.get("features").get(2);
        assertEquals("Polygon", ellipse.at("/geometry/type").asText(), "ellipses go out as polygons");
        assertTrue(ellipse.at("/geometry/isEllipse").asBoolean(), "marked as QuPath marks them");
        JsonNode tumour = tree.get("features").get(0);
        assertEquals("annotation", tumour.at("/properties/objectType").asText());
        assertEquals("[200,0,0]", tumour.at("/properties/classification/color").toString());
        assertTrue(tumour.at("/properties/isLocked").asBoolean());
        assertEquals(12, tumour.at("/properties/measurements/Num Detections").asInt());
        assertEquals("[\"Stroma\",\"Positive\"]", tree.get("features").get(1).at("/properties/classification/names").toString());
        assertTrue(tree.get("features").get(1).at("/properties/isLocked").isMissingNode(), "unlocked: no key, as QuPath");
        assertTrue(tree.get("features").get(6).has("nucleusGeometry"), "the nucleus comes back");
        assertTrue(written.contains("\"Cell: Eosin OD mean\":NaN"), "NaN as QuPath writes it: " + written);
    }

    @Test
    void readsLegacyKeysAndArrays() throws IOException {
        // QuPath 0.2: type in 'id', 'object_type', measurements as a list, classification with colorRGB;
        // and a bare array of features rather than a collection
        String legacy = """
                [
                  {"type": "Feature", "id": "PathDetectionObject",
                   "geometry": {"type": "Point", "coordinates": [1, 2]},
                   "properties": {"isLocked": false,
                                  "measurements": [{"name": "Area", "value": 5.5}, {"name": "Perimeter", "value": null}],
                                  "classification": {"name": "Tumor", "colorRGB": -3670016}}},
                  {"type": "Feature",
                   "geometry": {"coordinates": [[0, 0], [10, 0]], "type": "LineString"},
                   "properties": {"object_type": "annotation", "classification": {"name": "Other", "colorRGB": 16762880}}},
                  {"geometry": {"type": "Point", "coordinates": [5, 5, 99]},
                   "properties": {"type": "tile"}}
                ]
                """;
        List<Annotation> list = read(legacy);
        assertEquals(3, list.size());
        Annotation det = list.get(0);
        assertEquals("detection", det.objectType(), "v0.2 type name in the id");
        assertFalse(det.id().equals("PathDetectionObject"), "and a real id instead");
        assertEquals(5.5, det.measurements().get("Area"));
        assertTrue(Double.isNaN(det.measurements().get("Perimeter")));
        assertEquals(0xFFC80000, det.classification().argb(), "colorRGB packed ARGB");
        assertEquals("annotation", list.get(1).objectType(), "object_type");
        assertEquals(0xFFFFC800, list.get(1).classification().argb(), "colorRGB without alpha is opaque");
        assertEquals("tile", list.get(2).objectType(), "'type' as an alias");
        assertEquals(5, list.get(2).geometry().getCoordinate().x, "z is dropped");
        String out = write(list);
        assertTrue(out.contains("\"objectType\":\"annotation\""), "written back with the current key");
        assertFalse(out.contains("object_type"));
    }

    @Test
    void readsASingleFeature() throws IOException {
        List<Annotation> one = read("""
                {"geometry": {"type": "Polygon", "coordinates": [[[0,0],[4,0],[0,3],[0,0]]]},
                 "properties": {"name": "tri"}, "type": "Feature"}""");
        assertEquals(1, one.size());
        assertEquals(6, one.getFirst().area(), 1e-12);
        assertEquals("tri", one.getFirst().name());
        assertEquals(0, read("{\"type\":\"FeatureCollection\",\"features\":[]}").size());
    }

    @Test
    void repeatedIdsAreMadeUnique() throws IOException {
        String f = "{\"type\":\"Feature\",\"id\":\"same\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,1]}}";
        List<Annotation> list = read("[" + f + "," + f + "]");
        assertEquals("same", list.get(0).id());
        assertFalse(list.get(1).id().equals("same"));
    }

    static GeoJsonException bad(String featureJson) {
        String json = "{\"type\":\"FeatureCollection\",\"features\":[\n"
                + "{\"type\":\"Feature\",\"id\":\"ok\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,1]}},\n"
                + featureJson + "]}";
        return assertThrows(GeoJsonException.class, () -> read(json));
    }

    @Test
    void badFeaturesAreNamedAndNothingIsImported() {
        GeoJsonException e = bad("{\"type\":\"Feature\",\"id\":\"open-ring\",\"geometry\":{\"type\":\"Polygon\","
                + "\"coordinates\":[[[0,0],[5,0],[5,5],[0,6]]]}}");
        assertEquals(1, e.featureIndex());
        assertTrue(e.getMessage().startsWith("test.geojson: feature 1 (id open-ring): the outer ring is not closed"),
                e.getMessage());
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());

        e = bad("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[5,0],[0,0]]]}}");
        assertTrue(e.getMessage().contains("feature 1: the outer ring has 3 positions"), e.getMessage());

        e = bad("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Hexagon\",\"coordinates\":[]}}");
        assertTrue(e.getMessage().contains("unknown geometry type 'Hexagon'"), e.getMessage());

        e = bad("{\"type\":\"Feature\",\"geometry\":null}");
        assertTrue(e.getMessage().contains("feature 1: the geometry is null"), e.getMessage());

        e = bad("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,\"a\"]}}");
        assertTrue(e.getMessage().contains("a position is [x, y]"), e.getMessage());

        e = bad("{\"type\":\"Feature\",\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[1,1]]}}");
        assertTrue(e.getMessage().contains("a line needs two"), e.getMessage());

        e = bad("{\"type\":\"Feature\",\"id\":7,\"properties\":{\"isLocked\":\"yes\"},"
                + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,1]}}");
        assertTrue(e.getMessage().contains("feature 1 (id 7): 'isLocked' must be true or false"), e.getMessage());

        e = bad("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,1]},"
                + "\"properties\":{\"measurements\":{\"Area\":\"big\"}}}");
        assertTrue(e.getMessage().contains("measurement 'Area' is not a number"), e.getMessage());

        e = bad("{\"type\":\"Geometry\"}");
        assertTrue(e.getMessage().contains("type is 'Geometry', expected 'Feature'"), e.getMessage());

        e = bad("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,1]}");
        assertTrue(e.getMessage().startsWith("test.geojson: not valid JSON"), e.getMessage());

        e = assertThrows(GeoJsonException.class, () -> read("{\"type\":\"Topology\"}"));
        assertTrue(e.getMessage().contains("found type 'Topology'"), e.getMessage());
        e = assertThrows(GeoJsonException.class, () -> read(""));
        assertTrue(e.getMessage().contains("the file is empty"), e.getMessage());
    }

    @Test
    void limitsRefuseHugeInputNamingTheFeature() {
        GeoJsonReader.Limits small = new GeoJsonReader.Limits(3, 100, 150, 10, 100);
        String square = "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}}";
        String many = "[" + String.join(",", Collections.nCopies(4, square)) + "]";
        var e = assertThrows(GeoJsonException.class, () -> GeoJsonReader.read(
                new ByteArrayInputStream(many.getBytes(StandardCharsets.UTF_8)), "many.geojson", small, null));
        assertTrue(e.getMessage().contains("feature 3: more than 3 features (the import limit)"), e.getMessage());

        StringBuilder ring = new StringBuilder("[[0,0]");
        for (int i = 1; i < 120; i++) {
            ring.append(",[").append(i).append(",").append(i % 7).append("]");
        }
        ring.append(",[0,0]]");
        String big = "[{\"type\":\"Feature\",\"id\":\"huge\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[" + ring + "]}}]";
        e = assertThrows(GeoJsonException.class, () -> GeoJsonReader.read(
                new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)), "big.geojson", small, null));
        assertTrue(e.getMessage().contains("feature 0 (id huge): more than 100 vertices in one feature"), e.getMessage());
        assertEquals(0, e.featureIndex());
    }

    /** A million-vertex polygon streamed from a generator: read within the default limits, then one vertex too many. */
    @Test
    void aMillionVerticesStreamIn() throws IOException {
        int n = 1_000_000;
        List<Annotation> list = GeoJsonReader.read(circle(n), "million.geojson", GeoJsonReader.Limits.DEFAULT, null);
        Polygon p = (Polygon) list.getFirst().geometry();
        assertEquals(n + 1, p.getExteriorRing().getNumPoints());
        assertEquals(Math.PI * 1e8, list.getFirst().area(), 1e8 * 1e-4, "a circle of radius 10,000");

        GeoJsonReader.Limits tight = new GeoJsonReader.Limits(10, n, 10_000_000, 10, 10);
        var e = assertThrows(GeoJsonException.class, () -> GeoJsonReader.read(circle(n + 1), "million.geojson", tight, null));
        assertTrue(e.getMessage().contains("feature 0 (id circle): more than 1,000,000 vertices"), e.getMessage());
    }

    /** A feature with an n-gon of radius 10,000, produced lazily so the test does not hold the text either. */
    static InputStream circle(int n) {
        InputStream head = new ByteArrayInputStream(
                "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":\"circle\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[["
                        .getBytes(StandardCharsets.US_ASCII));
        InputStream tail = new ByteArrayInputStream("]]}}]}".getBytes(StandardCharsets.US_ASCII));
        InputStream body = new InputStream() {
            int i;
            byte[] chunk = new byte[0];
            int pos;

            @Override
            public int read() {
                if (pos == chunk.length) {
                    if (i > n) {
                        return -1;
                    }
                    double a = 2 * Math.PI * (i % n) / n;
                    String s = (i == 0 ? "" : ",") + "[" + GeoJsonWriter.number(10_000 * Math.cos(a)) + ","
                            + GeoJsonWriter.number(10_000 * Math.sin(a)) + "]";
                    chunk = s.getBytes(StandardCharsets.US_ASCII);
                    pos = 0;
                    i++;
                }
                return chunk[pos++];
            }
        };
        return new SequenceInputStream(Collections.enumeration(List.of(head, body, tail)));
    }

    @Test
    void numbersKeepThreeDecimals() {
        assertEquals("1204", GeoJsonWriter.number(1204));
        assertEquals("1204.5", GeoJsonWriter.number(1204.5));
        assertEquals("-3.125", GeoJsonWriter.number(-3.125));
        assertEquals("0.001", GeoJsonWriter.number(0.0012));
        assertEquals("0.05", GeoJsonWriter.number(0.05));
        assertEquals("0", GeoJsonWriter.number(-0.0001));
        assertEquals("123456789.988", GeoJsonWriter.number(123456789.9876));
    }

    @Test
    void interruptedReadStops() {
        Thread.currentThread().interrupt();
        try {
            assertThrows(java.io.InterruptedIOException.class, () -> read(QUPATH));
        } finally {
            Thread.interrupted();
        }
    }
}
