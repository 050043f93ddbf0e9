package org.tilescope.engine.annotation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongConsumer;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.impl.PackedCoordinateSequenceFactory;

/**
 * Reads GeoJSON as QuPath writes it: a FeatureCollection, an array of Features, or one Feature;
 * {@code properties.objectType} (or the older {@code object_type}, or a v0.2 type name in
 * {@code id}), {@code name}, {@code classification} (an object with {@code name} or {@code names}
 * and {@code color} [r, g, b(, a)] or the older {@code colorRGB}, or a plain string),
 * {@code isLocked}, {@code measurements} (an object, or the older array of {name, value}), and an
 * {@code isEllipse} flag on ellipse polygons. Everything else is kept in {@link Foreign}.
 *
 * <p>It streams (Jackson's parser, coordinates straight into packed arrays), so the file is never
 * held whole; what it builds is bounded by {@link Limits}. Any fault throws a
 * {@link GeoJsonException} naming the feature, and then nothing is returned: a file is imported
 * whole or not at all.
 */
public final class GeoJsonReader {
    /**
     * Bounds on what one file may bring in, so a huge or hostile file is refused with a message
     * instead of exhausting the heap. The defaults need about 40 bytes per vertex and 300 bytes per
     * feature: at most about 1 GB.
     *
     * @param maxFeatures           features in the file
     * @param maxVerticesPerFeature coordinate positions in one feature's geometry
     * @param maxVertices           coordinate positions in the whole file
     * @param maxExtraPerFeature    measurements plus values of uninterpreted members, in one feature
     * @param maxExtra              the same in the whole file
     */
    public record Limits(int maxFeatures, int maxVerticesPerFeature, long maxVertices, int maxExtraPerFeature,
                         long maxExtra) {
        public static final Limits DEFAULT = new Limits(1_000_000, 2_000_000, 10_000_000, 100_000, 20_000_000);
    }

    private static final JsonFactory JSON = JsonFactory.builder()
            // QuPath writes NaN for missing measurements (Gson with special floating point values)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    /** QuPath 0.2 put the object's class name in the feature id. */
    private static final Map<String, String> LEGACY_TYPE_IDS = Map.of(
            "PathAnnotationObject", "annotation", "PathDetectionObject", "detection", "PathCellObject", "cell",
            "PathTileObject", "tile", "TMACoreObject", "tmaCore", "PathRootObject", "root");
    private static final int PROGRESS_STEP = 1 << 20;

    private final JsonParser p;
    private final String source;
    private final Limits limits;
    private final List<Annotation> out = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    /** Measurement names repeat in every feature: one String each. */
    private final Map<String, String> names = new HashMap<>();
    private long vertices;
    private long extra;
    private int featureVertices;
    private int featureExtra;
    private int featureIndex = -1;
    private String featureId;

    private GeoJsonReader(JsonParser p, String source, Limits limits) {
        this.p = p;
        this.source = source;
        this.limits = limits;
    }

    /** Reads a whole file with the default limits. */
    public static List<Annotation> read(Path file) throws IOException {
        return read(file, Limits.DEFAULT, null);
    }

    /**
     * Reads a whole file.
     *
     * @param progress hears the bytes read so far, about every megabyte; may be null
     * @throws GeoJsonException     when the file is not GeoJSON this can import, or is over a limit
     * @throws InterruptedIOException when the thread is interrupted (a cancelled import)
     */
    public static List<Annotation> read(Path file, Limits limits, LongConsumer progress) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), limits, progress);
        }
    }

    /** Reads a stream; {@code source} names it in messages. */
    public static List<Annotation> read(InputStream in, String source, Limits limits, LongConsumer progress)
            throws IOException {
        InputStream counted = new Counting(new BufferedInputStream(in, 1 << 16), progress);
        try (JsonParser parser = JSON.createParser(counted)) {
            return new GeoJsonReader(parser, source, limits).readTop();
        } catch (GeoJsonException | InterruptedIOException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw new GeoJsonException(source + ": not valid JSON: " + e.getOriginalMessage() + where(e.getLocation()),
                    -1, e);
        }
    }

    // ---------------------------------------------------------------- structure

    private List<Annotation> readTop() throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw fail("the file is empty");
        }
        if (t == JsonToken.START_ARRAY) {
            readFeatureArray();
        } else if (t == JsonToken.START_OBJECT) {
            readTopObject();
        } else {
            throw fail("expected a FeatureCollection, a Feature or an array of Features, found " + describe(t));
        }
        if (p.nextToken() != null) {
            throw fail("unexpected content after the GeoJSON object");
        }
        return out;
    }

    /** An object that is a FeatureCollection or a single Feature: which one is known only from its members. */
    private void readTopObject() throws IOException {
        String type = null;
        boolean sawFeatures = false;
        FeatureParts single = new FeatureParts();
        featureIndex = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "type" -> type = string(v, "type");
                case "features" -> {
                    if (v != JsonToken.START_ARRAY) {
                        featureIndex = -1;
                        throw fail("'features' must be an array, found " + describe(v));
                    }
                    readFeatureArray();
                    sawFeatures = true;
                }
                default -> featureMember(single, name, v);
            }
        }
        if ("FeatureCollection".equals(type) || (type == null && sawFeatures)) {
            if (!sawFeatures) {
                featureIndex = -1;
                throw fail("the FeatureCollection has no 'features'");
            }
            return;
        }
        if ("Feature".equals(type)) {
            featureIndex = 0;
            finishFeature(single);
            return;
        }
        featureIndex = -1;
        throw fail(type == null ? "expected a FeatureCollection or a Feature, found an object without 'type'"
                : "expected a FeatureCollection or a Feature, found type '" + type + "'");
    }

    private void readFeatureArray() throws IOException {
        int index = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            featureIndex = index;
            featureId = null;
            if (t != JsonToken.START_OBJECT) {
                throw fail("expected a Feature object, found " + describe(t));
            }
            if (index >= limits.maxFeatures()) {
                throw fail(String.format(Locale.ROOT, "more than %,d features (the import limit)", limits.maxFeatures()));
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException(source + ": import cancelled");
            }
            featureVertices = 0;
            featureExtra = 0;
            FeatureParts f = new FeatureParts();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("type".equals(name)) {
                    String type = string(v, "type");
                    if (!"Feature".equals(type)) {
                        throw fail("type is '" + type + "', expected 'Feature'");
                    }
                } else {
                    featureMember(f, name, v);
                }
            }
            finishFeature(f);
            index++;
        }
        featureIndex = -1;
        featureId = null;
    }

    /** What one Feature said, collected member by member (their order in the file is free). */
    private static final class FeatureParts {
        String id;
        String legacyType;
        GeometryParts geometry;
        boolean geometryNull;
        PropertyParts properties = new PropertyParts();
        Map<String, JsonNode> foreign = new LinkedHashMap<>();
    }

    private void featureMember(FeatureParts f, String name, JsonToken v) throws IOException {
        switch (name) {
            case "id" -> {
                if (v == JsonToken.VALUE_STRING || v == JsonToken.VALUE_NUMBER_INT) {
                    f.id = p.getText();
                    featureId = f.id;
                    f.legacyType = LEGACY_TYPE_IDS.get(f.id);
                } else if (v != JsonToken.VALUE_NULL) {
                    throw fail("'id' must be a string or a number, found " + describe(v));
                }
            }
            case "geometry" -> {
                if (v == JsonToken.VALUE_NULL) {
                    f.geometryNull = true;
                } else if (v == JsonToken.START_OBJECT) {
                    f.geometry = readGeometry(0);
                } else {
                    throw fail("'geometry' must be an object, found " + describe(v));
                }
            }
            case "properties" -> {
                if (v == JsonToken.START_OBJECT) {
                    readProperties(f.properties);
                } else if (v != JsonToken.VALUE_NULL) {
                    throw fail("'properties' must be an object, found " + describe(v));
                }
            }
            default -> f.foreign.put(name, tree(v));
        }
    }

    private void finishFeature(FeatureParts f) throws IOException {
        if (f.geometry == null) {
            throw fail(f.geometryNull ? "the geometry is null; an annotation needs one" : "there is no 'geometry'");
        }
        Geometry g = f.geometry.built;
        if (g.isEmpty()) {
            throw fail("the " + g.getGeometryType() + " is empty");
        }
        Annotation.Shape shape = Annotation.Shape.of(g);
        if (f.geometry.ellipse && g instanceof Polygon) {
            // as QuPath reads it: the ellipse in the outline's bounding box, whatever the outline's vertices
            var e = g.getEnvelopeInternal();
            g = Geometries.ellipse(e.getMinX(), e.getMinY(), e.getMaxX(), e.getMaxY());
            shape = Annotation.Shape.ELLIPSE;
        } else if (Geometries.isRectangle(g)) {
            shape = Annotation.Shape.RECTANGLE;
        }
        PropertyParts props = f.properties;
        String type = props.objectType != null ? props.objectType
                : props.legacyObjectType != null ? props.legacyObjectType
                : props.typeAlias != null ? props.typeAlias
                : f.legacyType != null ? f.legacyType : Annotation.ANNOTATION;
        String id = f.legacyType != null ? null : f.id;
        if (id == null || !ids.add(id)) {
            // a repeated id (or none) gets a fresh one: ids key edits and must be unique
            do {
                id = UUID.randomUUID().toString();
            } while (!ids.add(id));
        }
        Measurements m = props.measurementNames.isEmpty() ? Measurements.NONE
                : Measurements.of(props.measurementNames, Arrays.copyOf(props.measurementValues, props.measurementNames.size()));
        out.add(new Annotation(id, g, shape, type, props.name, props.classification, props.locked, m,
                new Foreign(f.foreign, f.geometry.foreign, props.foreign)));
        featureVertices = 0;
        featureExtra = 0;
    }

    // ---------------------------------------------------------------- properties

    private static final class PropertyParts {
        String objectType;
        String legacyObjectType;
        String typeAlias;
        String name;
        AnnotationClass classification;
        boolean locked;
        List<String> measurementNames = new ArrayList<>();
        double[] measurementValues = new double[0];
        Map<String, JsonNode> foreign = new LinkedHashMap<>();

        void measurement(String n, double v) {
            if (measurementValues.length == measurementNames.size()) {
                measurementValues = Arrays.copyOf(measurementValues, Math.max(8, measurementValues.length * 2));
            }
            measurementValues[measurementNames.size()] = v;
            measurementNames.add(n);
        }
    }

    private void readProperties(PropertyParts pp) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "objectType" -> pp.objectType = nullableString(v, "objectType");
                case "object_type" -> pp.legacyObjectType = nullableString(v, "object_type");
                case "name" -> pp.name = nullableString(v, "name");
                case "classification" -> pp.classification = readClassification(v);
                case "isLocked" -> {
                    if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
                        throw fail("'isLocked' must be true or false, found " + describe(v));
                    }
                    pp.locked = v == JsonToken.VALUE_TRUE;
                }
                case "measurements" -> readMeasurements(pp, v);
                default -> {
                    JsonNode node = tree(v);
                    // QuPath also accepts 'type' for the object type; it stays as it was on export
                    if ("type".equals(name) && node.isTextual()) {
                        pp.typeAlias = node.asText();
                    }
                    pp.foreign.put(name, node);
                }
            }
        }
    }

    private AnnotationClass readClassification(JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v == JsonToken.VALUE_STRING) {
            String s = p.getText().trim();
            return s.isEmpty() ? null : AnnotationClass.named(s);
        }
        if (v != JsonToken.START_OBJECT) {
            throw fail("'classification' must be an object or a string, found " + describe(v));
        }
        String name = null;
        Integer argb = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "name" -> name = nullableString(t, "classification.name");
                case "names" -> {
                    if (t != JsonToken.START_ARRAY) {
                        throw fail("'classification.names' must be an array of strings, found " + describe(t));
                    }
                    List<String> parts = new ArrayList<>();
                    JsonToken e;
                    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                        parts.add(string(e, "classification.names"));
                    }
                    name = String.join(": ", parts);
                }
                case "color" -> argb = readColour(t);
                case "colorRGB" -> {
                    if (t != JsonToken.VALUE_NUMBER_INT) {
                        throw fail("'classification.colorRGB' must be an integer, found " + describe(t));
                    }
                    int packed = p.getIntValue();
                    // packed ARGB; an alpha of 0 there means "not given"
                    argb = (packed >>> 24) == 0 ? packed | 0xFF000000 : packed;
                }
                default -> skipCounted(t);
            }
        }
        if (name == null || name.isBlank()) {
            return null; // QuPath's empty class object: unclassified
        }
        return argb == null ? AnnotationClass.named(name) : new AnnotationClass(name, argb);
    }

    private int readColour(JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            int packed = p.getIntValue();
            return (packed >>> 24) == 0 ? packed | 0xFF000000 : packed;
        }
        if (t != JsonToken.START_ARRAY) {
            throw fail("a colour must be [r, g, b] or [r, g, b, a], found " + describe(t));
        }
        int[] c = new int[4];
        int n = 0;
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            if (e != JsonToken.VALUE_NUMBER_INT || n == 4) {
                throw fail("a colour must be [r, g, b] or [r, g, b, a] with integers 0-255");
            }
            c[n++] = Math.clamp(p.getIntValue(), 0, 255);
        }
        if (n < 3) {
            throw fail("a colour must be [r, g, b] or [r, g, b, a], found " + n + " numbers");
        }
        int alpha = n == 4 ? c[3] : 255;
        return alpha << 24 | c[0] << 16 | c[1] << 8 | c[2];
    }

    private void readMeasurements(PropertyParts pp, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return;
        }
        if (v == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String n = intern(p.currentName());
                pp.measurement(n, measurementValue(p.nextToken(), n));
                countExtra(1);
            }
            return;
        }
        if (v != JsonToken.START_ARRAY) {
            throw fail("'measurements' must be an object or an array, found " + describe(v));
        }
        // before QuPath 0.4: [{"name": ..., "value": ...}, ...]
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            if (e != JsonToken.START_OBJECT) {
                throw fail("a measurement must be {\"name\": ..., \"value\": ...}, found " + describe(e));
            }
            String n = null;
            double value = Double.NaN;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if ("name".equals(field)) {
                    n = intern(string(t, "measurement name"));
                } else if ("value".equals(field)) {
                    value = measurementValue(t, n == null ? "?" : n);
                } else {
                    skipCounted(t);
                }
            }
            if (n == null) {
                throw fail("a measurement has no name");
            }
            pp.measurement(n, value);
            countExtra(1);
        }
    }

    private double measurementValue(JsonToken t, String name) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        if (t == JsonToken.VALUE_NULL) {
            return Double.NaN;
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText();
            if (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity")) {
                return Double.parseDouble(s);
            }
        }
        throw fail("measurement '" + name + "' is not a number: " + describe(t));
    }

    // ---------------------------------------------------------------- geometry

    /** A geometry object, built once all its members are in (type may follow coordinates). */
    private static final class GeometryParts {
        Geometry built;
        boolean ellipse;
        Map<String, JsonNode> foreign = new LinkedHashMap<>();
    }

    private GeometryParts readGeometry(int depth) throws IOException {
        if (depth > 8) {
            throw fail("GeometryCollections nested too deep");
        }
        GeometryParts g = new GeometryParts();
        String type = null;
        Object coords = null;
        List<Geometry> parts = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "type" -> type = string(v, "geometry type");
                case "coordinates" -> {
                    if (v != JsonToken.START_ARRAY) {
                        throw fail("'coordinates' must be an array, found " + describe(v));
                    }
                    coords = readCoordinates(1);
                }
                case "geometries" -> {
                    if (v != JsonToken.START_ARRAY) {
                        throw fail("'geometries' must be an array, found " + describe(v));
                    }
                    parts = new ArrayList<>();
                    JsonToken e;
                    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (e != JsonToken.START_OBJECT) {
                            throw fail("a GeometryCollection holds geometry objects, found " + describe(e));
                        }
                        parts.add(readGeometry(depth + 1).built);
                    }
                }
                case "isEllipse" -> g.ellipse = v == JsonToken.VALUE_TRUE;
                default -> g.foreign.put(name, tree(v));
            }
        }
        if (type == null) {
            throw fail("the geometry has no 'type'");
        }
        g.built = build(type, coords, parts);
        return g;
    }

    private Geometry build(String type, Object coords, List<Geometry> parts) throws IOException {
        if (type.equals("GeometryCollection")) {
            if (parts == null) {
                throw fail("the GeometryCollection has no 'geometries'");
            }
            return Geometries.FACTORY.createGeometryCollection(parts.toArray(Geometry[]::new));
        }
        if (coords == null) {
            throw fail("the " + type + " has no 'coordinates'");
        }
        var f = Geometries.FACTORY;
        switch (type) {
            case "Point" -> {
                if (!(coords instanceof double[] pos)) {
                    throw fail("a Point's coordinates are one position [x, y]");
                }
                return f.createPoint(PackedCoordinateSequenceFactory.DOUBLE_FACTORY.create(pos, 2));
            }
            case "MultiPoint" -> {
                double[] xy = sequence(coords, "a MultiPoint's coordinates are a list of positions");
                Point[] pts = new Point[xy.length / 2];
                for (int i = 0; i < pts.length; i++) {
                    pts[i] = f.createPoint(PackedCoordinateSequenceFactory.DOUBLE_FACTORY.create(
                            new double[] {xy[2 * i], xy[2 * i + 1]}, 2));
                }
                return f.createMultiPoint(pts);
            }
            case "LineString" -> {
                return lineString(sequence(coords, "a LineString's coordinates are a list of positions"), "the line");
            }
            case "MultiLineString" -> {
                List<Object> lines = list(coords, 2, "a MultiLineString's coordinates are a list of lines");
                LineString[] ls = new LineString[lines.size()];
                for (int i = 0; i < ls.length; i++) {
                    ls[i] = lineString(sequence(lines.get(i), "each line is a list of positions"), "line " + i);
                }
                return f.createMultiLineString(ls);
            }
            case "Polygon" -> {
                return polygon(list(coords, 2, "a Polygon's coordinates are a list of rings"), "");
            }
            case "MultiPolygon" -> {
                List<Object> polys = list(coords, 3, "a MultiPolygon's coordinates are a list of polygons");
                Polygon[] ps = new Polygon[polys.size()];
                for (int i = 0; i < ps.length; i++) {
                    ps[i] = polygon(list(polys.get(i), 2, "each polygon is a list of rings"), "polygon " + i + ", ");
                }
                return f.createMultiPolygon(ps);
            }
            default -> throw fail("unknown geometry type '" + type + "'");
        }
    }

    private LineString lineString(double[] xy, String what) throws IOException {
        if (xy.length == 2) {
            throw fail(what + " has one position; a line needs two");
        }
        return Geometries.FACTORY.createLineString(PackedCoordinateSequenceFactory.DOUBLE_FACTORY.create(xy, 2));
    }

    private Polygon polygon(List<Object> rings, String where) throws IOException {
        if (rings.isEmpty()) {
            return Geometries.FACTORY.createPolygon();
        }
        LinearRing[] lr = new LinearRing[rings.size()];
        for (int i = 0; i < lr.length; i++) {
            String ring = where + (i == 0 ? "the outer ring" : "hole " + i);
            double[] xy = sequence(rings.get(i), ring + " is not a list of positions");
            int n = xy.length / 2;
            if (n < 4) {
                throw fail(ring + " has " + n + " positions; a ring needs at least 4 (the first repeated last)");
            }
            if (xy[0] != xy[xy.length - 2] || xy[1] != xy[xy.length - 1]) {
                throw fail(ring + " is not closed: its first and last positions differ");
            }
            lr[i] = Geometries.FACTORY.createLinearRing(PackedCoordinateSequenceFactory.DOUBLE_FACTORY.create(xy, 2));
        }
        return Geometries.FACTORY.createPolygon(lr[0], Arrays.copyOfRange(lr, 1, lr.length));
    }

    /** A parsed coordinate list: a position (double[2]) one level, a packed sequence (double[2n]) two. */
    private double[] sequence(Object coords, String message) throws IOException {
        if (coords instanceof Sequence s) {
            return s.xy;
        }
        if (coords instanceof List<?> l && l.isEmpty()) {
            return new double[0];
        }
        throw fail(message);
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object coords, int depth, String message) throws IOException {
        if (coords instanceof List<?> l) {
            // an empty list has no depth of its own; a full one must hold the right kind
            if (!l.isEmpty() && depth == 2 && !(l.getFirst() instanceof Sequence)) {
                throw fail(message);
            }
            if (!l.isEmpty() && depth == 3 && !(l.getFirst() instanceof List<?>)) {
                throw fail(message);
            }
            return (List<Object>) l;
        }
        throw fail(message);
    }

    /** x, y pairs of a list of positions. */
    private record Sequence(double[] xy) {
    }

    /**
     * Reads a coordinates array, the parser on its START_ARRAY: a position gives double[2], a list
     * of positions a {@link Sequence}, deeper lists a List. Positions go straight into one growing
     * array; the limits are checked as they come.
     */
    private Object readCoordinates(int depth) throws IOException {
        if (depth > 4) {
            throw fail("coordinates nested deeper than a MultiPolygon's");
        }
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_ARRAY) {
            return List.of();
        }
        if (isNumber(t)) {
            return position(t);
        }
        if (t != JsonToken.START_ARRAY) {
            throw fail("coordinates hold numbers and arrays, found " + describe(t));
        }
        Object first = readCoordinates(depth + 1);
        if (first instanceof double[] pos) {
            double[] xy = new double[16];
            xy[0] = pos[0];
            xy[1] = pos[1];
            int n = 1;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.START_ARRAY) {
                    throw fail("a list of positions holds [x, y] arrays, found " + describe(t));
                }
                JsonToken x = p.nextToken();
                if (!isNumber(x)) {
                    throw fail("a position is [x, y], found " + describe(x));
                }
                double[] q = position(x);
                if (2 * n == xy.length) {
                    xy = Arrays.copyOf(xy, xy.length * 2);
                }
                xy[2 * n] = q[0];
                xy[2 * n + 1] = q[1];
                n++;
            }
            return new Sequence(Arrays.copyOf(xy, 2 * n));
        }
        List<Object> items = new ArrayList<>();
        items.add(first);
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_ARRAY) {
                throw fail("coordinates mix arrays and " + describe(t));
            }
            Object item = readCoordinates(depth + 1);
            if (item instanceof double[] || (item instanceof List<?>) != (first instanceof List<?>)) {
                throw fail("coordinates mix positions and lists of positions");
            }
            items.add(item);
        }
        return items;
    }

    /** x and y of a position whose first number is the current token; z and further numbers are skipped. */
    private double[] position(JsonToken first) throws IOException {
        double x = p.getDoubleValue();
        JsonToken t = p.nextToken();
        if (!isNumber(t)) {
            throw fail("a position is [x, y], found " + (t == JsonToken.END_ARRAY ? "one number" : describe(t)));
        }
        double y = p.getDoubleValue();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (!isNumber(t)) {
                throw fail("a position holds numbers only, found " + describe(t));
            }
        }
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw fail("a position is not finite: [" + x + ", " + y + "]");
        }
        countVertex();
        return new double[] {x, y};
    }

    private void countVertex() throws IOException {
        if (++featureVertices > limits.maxVerticesPerFeature()) {
            throw fail(String.format(Locale.ROOT, "more than %,d vertices in one feature (the import limit)",
                    limits.maxVerticesPerFeature()));
        }
        if (++vertices > limits.maxVertices()) {
            throw fail(String.format(Locale.ROOT, "the file passes %,d vertices (the import limit) here",
                    limits.maxVertices()));
        }
    }

    // ---------------------------------------------------------------- uninterpreted members

    /** The current value as a tree, counted against the limits (members this reader keeps but does not read). */
    private JsonNode tree(JsonToken t) throws IOException {
        JsonNodeFactory nf = JsonNodeFactory.instance;
        countExtra(1);
        return switch (t) {
            case START_OBJECT -> {
                ObjectNode o = nf.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    o.set(name, tree(p.nextToken()));
                }
                yield o;
            }
            case START_ARRAY -> {
                ArrayNode a = nf.arrayNode();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    a.add(tree(e));
                }
                yield a;
            }
            case VALUE_STRING -> nf.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> nf.numberNode(p.getIntValue());
                case LONG -> nf.numberNode(p.getLongValue());
                default -> nf.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> nf.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> nf.booleanNode(true);
            case VALUE_FALSE -> nf.booleanNode(false);
            case VALUE_NULL -> nf.nullNode();
            default -> throw fail("unexpected " + describe(t));
        };
    }

    /** Skips the current value, counting it against the limits. */
    private void skipCounted(JsonToken t) throws IOException {
        tree(t);
    }

    private void countExtra(int n) throws IOException {
        featureExtra += n;
        extra += n;
        if (featureExtra > limits.maxExtraPerFeature()) {
            throw fail(String.format(Locale.ROOT,
                    "more than %,d measurements and other values in one feature (the import limit)",
                    limits.maxExtraPerFeature()));
        }
        if (extra > limits.maxExtra()) {
            throw fail(String.format(Locale.ROOT,
                    "the file passes %,d measurements and other values (the import limit) here", limits.maxExtra()));
        }
    }

    // ---------------------------------------------------------------- helpers

    private String intern(String s) {
        return names.computeIfAbsent(s, k -> k);
    }

    private static boolean isNumber(JsonToken t) {
        return t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT;
    }

    private String string(JsonToken t, String what) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw fail("'" + what + "' must be a string, found " + describe(t));
        }
        return p.getText();
    }

    private String nullableString(JsonToken t, String what) throws IOException {
        return t == JsonToken.VALUE_NULL ? null : string(t, what);
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the file";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private GeoJsonException fail(String problem) {
        StringBuilder b = new StringBuilder(source).append(": ");
        if (featureIndex >= 0) {
            b.append("feature ").append(featureIndex);
            if (featureId != null) {
                b.append(" (id ").append(featureId).append(')');
            }
            b.append(": ");
        }
        b.append(problem).append(where(p.currentTokenLocation()));
        return new GeoJsonException(b.toString(), featureIndex);
    }

    private static String where(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 0 ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    /** Counts bytes for progress and is where a cancelled import stops between features. */
    private static final class Counting extends FilterInputStream {
        private final LongConsumer progress;
        private long count;
        private long reported;

        Counting(InputStream in, LongConsumer progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                advance(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                advance(n);
            }
            return n;
        }

        private void advance(long n) throws InterruptedIOException {
            count += n;
            if (count - reported >= PROGRESS_STEP) {
                reported = count;
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("import cancelled");
                }
                if (progress != null) {
                    progress.accept(count);
                }
            }
        }
    }
}
