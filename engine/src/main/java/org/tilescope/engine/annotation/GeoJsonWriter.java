package org.tilescope.engine.annotation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.Map;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryCollection;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.MultiLineString;
import org.locationtech.jts.geom.MultiPoint;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/**
 * Writes annotations as a GeoJSON FeatureCollection the way QuPath reads it: a UUID {@code id},
 * {@code properties.objectType}, {@code name}, {@code classification} {name, color [r, g, b]},
 * {@code isLocked} when locked, {@code measurements} as an object; ellipses as polygons marked
 * {@code "isEllipse": true}. Uninterpreted members read from a file are written back where they
 * were. Coordinates keep three decimals (a thousandth of a level-0 pixel). Streams: nothing is
 * built in memory besides what is being written.
 */
public final class GeoJsonWriter {
    private static final JsonFactory JSON = JsonFactory.builder()
            // QuPath writes and reads a bare NaN for a missing measurement
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();
    private static final ObjectMapper TREES = new ObjectMapper(JSON);

    private GeoJsonWriter() {
    }

    /** Writes a FeatureCollection of {@code annotations}. */
    public static void write(OutputStream out, Collection<Annotation> annotations) throws IOException {
        write(out, annotations, Map.of());
    }

    /**
     * As above, with extra members on the FeatureCollection itself (the store records which slide
     * the file belongs to); readers ignore members they do not know.
     */
    public static void write(OutputStream out, Collection<Annotation> annotations, Map<String, JsonNode> members)
            throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setCodec(TREES);
            g.writeStartObject();
            g.writeStringField("type", "FeatureCollection");
            for (var e : members.entrySet()) {
                g.writeFieldName(e.getKey());
                g.writeTree(e.getValue());
            }
            g.writeFieldName("features");
            g.writeStartArray();
            for (Annotation a : annotations) {
                g.writeRaw('\n');
                feature(g, a);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    private static void feature(JsonGenerator g, Annotation a) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "Feature");
        g.writeStringField("id", a.id());
        g.writeFieldName("geometry");
        g.writeStartObject();
        geometry(g, a.geometry());
        if (a.shape() == Annotation.Shape.ELLIPSE) {
            g.writeBooleanField("isEllipse", true);
        }
        members(g, a.foreign().geometry());
        g.writeEndObject();
        members(g, a.foreign().feature());
        g.writeFieldName("properties");
        g.writeStartObject();
        g.writeStringField("objectType", a.objectType());
        if (a.name() != null) {
            g.writeStringField("name", a.name());
        }
        AnnotationClass c = a.classification();
        if (c != null) {
            g.writeFieldName("classification");
            g.writeStartObject();
            String[] parts = c.name().split(": ");
            if (parts.length == 1) {
                g.writeStringField("name", c.name());
            } else {
                g.writeFieldName("names");
                g.writeArray(parts, 0, parts.length);
            }
            g.writeFieldName("color");
            g.writeStartArray();
            g.writeNumber(c.red());
            g.writeNumber(c.green());
            g.writeNumber(c.blue());
            if (c.alpha() != 255 && c.alpha() != 0) {
                g.writeNumber(c.alpha());
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        if (a.locked()) {
            g.writeBooleanField("isLocked", true);
        }
        Measurements m = a.measurements();
        if (!m.isEmpty()) {
            g.writeFieldName("measurements");
            g.writeStartObject();
            for (int i = 0; i < m.size(); i++) {
                g.writeNumberField(m.name(i), m.value(i));
            }
            g.writeEndObject();
        }
        members(g, a.foreign().properties());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void members(JsonGenerator g, Map<String, JsonNode> members) throws IOException {
        for (var e : members.entrySet()) {
            g.writeFieldName(e.getKey());
            g.writeTree(e.getValue());
        }
    }

    /** Writes type and coordinates (or geometries) into the open geometry object. */
    private static void geometry(JsonGenerator g, Geometry geom) throws IOException {
        g.writeStringField("type", geom.getGeometryType());
        if (geom.getClass() == GeometryCollection.class) {
            g.writeFieldName("geometries");
            g.writeStartArray();
            for (int i = 0; i < geom.getNumGeometries(); i++) {
                g.writeStartObject();
                geometry(g, geom.getGeometryN(i));
                g.writeEndObject();
            }
            g.writeEndArray();
            return;
        }
        g.writeFieldName("coordinates");
        coordinates(g, geom);
    }

    private static void coordinates(JsonGenerator g, Geometry geom) throws IOException {
        switch (geom) {
            case Point pt -> position(g, pt.getCoordinateSequence(), 0);
            case LineString l -> sequence(g, l.getCoordinateSequence());
            case Polygon poly -> {
                g.writeStartArray();
                sequence(g, poly.getExteriorRing().getCoordinateSequence());
                for (int i = 0; i < poly.getNumInteriorRing(); i++) {
                    sequence(g, poly.getInteriorRingN(i).getCoordinateSequence());
                }
                g.writeEndArray();
            }
            case MultiPoint mp -> {
                g.writeStartArray();
                for (int i = 0; i < mp.getNumGeometries(); i++) {
                    position(g, ((Point) mp.getGeometryN(i)).getCoordinateSequence(), 0);
                }
                g.writeEndArray();
            }
            case MultiLineString ml -> parts(g, ml);
            case MultiPolygon mp -> parts(g, mp);
            default -> throw new IOException("cannot write a " + geom.getGeometryType());
        }
    }

    private static void parts(JsonGenerator g, Geometry multi) throws IOException {
        g.writeStartArray();
        for (int i = 0; i < multi.getNumGeometries(); i++) {
            coordinates(g, multi.getGeometryN(i));
        }
        g.writeEndArray();
    }

    private static void sequence(JsonGenerator g, CoordinateSequence s) throws IOException {
        g.writeStartArray();
        for (int i = 0; i < s.size(); i++) {
            position(g, s, i);
        }
        g.writeEndArray();
    }

    private static void position(JsonGenerator g, CoordinateSequence s, int i) throws IOException {
        g.writeStartArray();
        g.writeNumber(number(s.getX(i)));
        g.writeNumber(number(s.getY(i)));
        g.writeEndArray();
    }

    /** A coordinate rounded to three decimals, without trailing zeros ("1204", "1204.5", "-3.125"). */
    static String number(double v) {
        long scaled = Math.round(v * 1000);
        if (!Double.isFinite(v) || Math.abs(scaled) >= Long.MAX_VALUE / 2) {
            return Double.toString(v);
        }
        boolean negative = scaled < 0;
        long abs = Math.abs(scaled);
        long whole = abs / 1000;
        int frac = (int) (abs % 1000);
        StringBuilder b = new StringBuilder(16);
        if (negative) {
            b.append('-');
        }
        b.append(whole);
        if (frac != 0) {
            b.append('.');
            if (frac < 100) {
                b.append('0');
            }
            if (frac < 10) {
                b.append('0');
            }
            int end = b.length();
            b.append(frac);
            int len = b.length();
            while (len > end && b.charAt(len - 1) == '0') {
                len--;
            }
            b.setLength(len);
        }
        return b.toString();
    }
}
