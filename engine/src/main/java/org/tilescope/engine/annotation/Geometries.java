package org.tilescope.engine.annotation;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.geom.impl.PackedCoordinateSequenceFactory;
import org.locationtech.jts.geom.util.AffineTransformation;
import org.locationtech.jts.operation.buffer.BufferParameters;
import org.locationtech.jts.util.GeometricShapeFactory;

/**
 * Makes annotation geometries in level-0 pixel coordinates, all with one factory whose coordinates
 * are packed doubles (16 bytes a vertex rather than a Coordinate object each: a million vertices
 * fit in 16 MB). Geometry operations are JTS's.
 */
public final class Geometries {
    /** Floating precision, no SRID, packed x/y coordinates. */
    public static final GeometryFactory FACTORY = new GeometryFactory(new PrecisionModel(), 0,
            PackedCoordinateSequenceFactory.DOUBLE_FACTORY);
    /** Vertices of an ellipse's outline; QuPath also stores ellipses as polygons in GeoJSON. */
    public static final int ELLIPSE_POINTS = 96;

    private Geometries() {
    }

    public static Point point(double x, double y) {
        return FACTORY.createPoint(new Coordinate(x, y));
    }

    /** The axis-aligned rectangle between two corners, in either order. */
    public static Polygon rectangle(double x0, double y0, double x1, double y1) {
        return (Polygon) FACTORY.toGeometry(new Envelope(x0, x1, y0, y1));
    }

    /** The ellipse inscribed in the rectangle between two corners. */
    public static Polygon ellipse(double x0, double y0, double x1, double y1) {
        GeometricShapeFactory f = new GeometricShapeFactory(FACTORY);
        f.setEnvelope(new Envelope(x0, x1, y0, y1));
        f.setNumPoints(ELLIPSE_POINTS);
        return f.createEllipse();
    }

    /** A polyline through x0, y0, x1, y1, ... (at least two points). */
    public static LineString line(double... xy) {
        return FACTORY.createLineString(sequence(xy, false));
    }

    /** A polygon through x0, y0, x1, y1, ... (at least three points); the ring is closed here. */
    public static Polygon polygon(double... xy) {
        return FACTORY.createPolygon(sequence(xy, true));
    }

    /**
     * A brush stroke: the path x0, y0, x1, y1, ... widened by {@code radius} on each side with
     * round ends (JTS buffer), so a single point is a disc.
     */
    public static Geometry brush(double radius, double... xy) {
        Geometry path = xy.length == 2 ? point(xy[0], xy[1]) : line(xy);
        return path.buffer(radius, BufferParameters.DEFAULT_QUADRANT_SEGMENTS, BufferParameters.CAP_ROUND);
    }

    public static Geometry translate(Geometry g, double dx, double dy) {
        return AffineTransformation.translationInstance(dx, dy).transform(g);
    }

    /**
     * The vertices a user can drag, in order: every position of every part, a ring's closing
     * position (the same as its first) left out.
     */
    public static java.util.List<Coordinate> vertices(Geometry g) {
        java.util.List<Coordinate> out = new java.util.ArrayList<>();
        forEachSequence(g, (seq, closed) -> {
            int n = closed ? seq.size() - 1 : seq.size();
            for (int i = 0; i < n; i++) {
                out.add(new Coordinate(seq.getX(i), seq.getY(i)));
            }
        });
        return out;
    }

    /** A copy of {@code g} with vertex {@code index} (as {@link #vertices} counts) moved to (x, y). */
    public static Geometry withVertex(Geometry g, int index, double x, double y) {
        Geometry copy = g.copy();
        int[] left = {index};
        forEachSequence(copy, (seq, closed) -> {
            int n = closed ? seq.size() - 1 : seq.size();
            if (left[0] >= 0 && left[0] < n) {
                int i = left[0];
                seq.setOrdinate(i, 0, x);
                seq.setOrdinate(i, 1, y);
                if (closed && i == 0) {
                    seq.setOrdinate(n, 0, x); // a ring stays closed
                    seq.setOrdinate(n, 1, y);
                }
            }
            left[0] -= n;
        });
        if (left[0] >= 0) {
            throw new IllegalArgumentException("vertex " + index + " of " + vertices(g).size());
        }
        copy.geometryChanged();
        return copy;
    }

    /** Each coordinate sequence of a geometry, parts in order; {@code closed} for polygon rings. */
    public static void forEachSequence(Geometry g, SequenceVisitor v) {
        for (int i = 0; i < g.getNumGeometries(); i++) {
            Geometry part = g.getGeometryN(i);
            if (part instanceof Polygon poly) {
                v.visit(poly.getExteriorRing().getCoordinateSequence(), true);
                for (int h = 0; h < poly.getNumInteriorRing(); h++) {
                    v.visit(poly.getInteriorRingN(h).getCoordinateSequence(), true);
                }
            } else if (part instanceof LineString line) {
                v.visit(line.getCoordinateSequence(), false);
            } else if (part instanceof Point p) {
                v.visit(p.getCoordinateSequence(), false);
            } else if (part != g) {
                forEachSequence(part, v);
            }
        }
    }

    /** Visits one coordinate sequence. */
    @FunctionalInterface
    public interface SequenceVisitor {
        void visit(CoordinateSequence seq, boolean closed);
    }

    /** True for a polygon without holes whose outline is an axis-aligned rectangle (QuPath's rectangles). */
    public static boolean isRectangle(Geometry g) {
        if (!(g instanceof Polygon p) || p.getNumInteriorRing() != 0) {
            return false;
        }
        CoordinateSequence s = p.getExteriorRing().getCoordinateSequence();
        if (s.size() != 5) {
            return false;
        }
        Envelope e = p.getEnvelopeInternal();
        if (e.getWidth() <= 0 || e.getHeight() <= 0) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            double x = s.getX(i);
            double y = s.getY(i);
            boolean corner = (x == e.getMinX() || x == e.getMaxX()) && (y == e.getMinY() || y == e.getMaxY());
            // neighbours share an x or a y: no diagonal edges
            boolean axisEdge = x == s.getX(i + 1) || y == s.getY(i + 1);
            if (!corner || !axisEdge) {
                return false;
            }
        }
        return true;
    }

    private static CoordinateSequence sequence(double[] xy, boolean close) {
        if (xy.length % 2 != 0) {
            throw new IllegalArgumentException("coordinates come in x, y pairs");
        }
        int n = xy.length / 2;
        boolean closed = n > 0 && xy[0] == xy[xy.length - 2] && xy[1] == xy[xy.length - 1];
        int size = close && !closed ? n + 1 : n;
        double[] packed = java.util.Arrays.copyOf(xy, size * 2);
        if (size > n) {
            packed[n * 2] = xy[0];
            packed[n * 2 + 1] = xy[1];
        }
        return PackedCoordinateSequenceFactory.DOUBLE_FACTORY.create(packed, 2);
    }
}
