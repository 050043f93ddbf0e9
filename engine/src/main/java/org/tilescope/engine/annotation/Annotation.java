package org.tilescope.engine.annotation;

import java.util.Objects;
import java.util.UUID;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Lineal;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.geom.Puntal;

/**
 * One annotation: a geometry in level-0 pixels and what is said about it. Immutable; an edit is a
 * new value with the same id. The geometry is never changed in place.
 *
 * @param id             unique within a slide; QuPath's UUIDs are kept, new ones are random UUIDs
 * @param geometry       level-0 pixel coordinates, y down (as QuPath writes them)
 * @param shape          how it was drawn; rectangles and ellipses are polygons that remember it
 * @param objectType     QuPath's object type: "annotation" unless the file said "detection", "cell"...
 * @param name           a name, or null
 * @param classification its class, or null when unclassified
 * @param locked         locked objects cannot be moved, reshaped or deleted (name and class still change)
 * @param measurements   measurements carried from the file, not recomputed
 * @param foreign        members of the file this program does not interpret, written back on export
 */
public record Annotation(String id, Geometry geometry, Shape shape, String objectType, String name,
                         AnnotationClass classification, boolean locked, Measurements measurements,
                         Foreign foreign) {

    public static final String ANNOTATION = "annotation";

    /** How the geometry was drawn; decides export details (ellipses) and the editing handles. */
    public enum Shape {
        /** Point or MultiPoint. */
        POINTS,
        /** LineString or MultiLineString. */
        LINE,
        /** An axis-aligned rectangle polygon. */
        RECTANGLE,
        /** A polygon approximating an axis-aligned ellipse. */
        ELLIPSE,
        /** Polygon (holes allowed) or MultiPolygon. */
        POLYGON,
        /** A GeometryCollection of mixed parts. */
        COLLECTION;

        /** The shape a geometry is by its type alone. */
        public static Shape of(Geometry g) {
            if (g instanceof Puntal) {
                return POINTS;
            }
            if (g instanceof Lineal) {
                return LINE;
            }
            if (g instanceof Polygonal) {
                return POLYGON;
            }
            return COLLECTION;
        }

        boolean fits(Geometry g) {
            return switch (this) {
                case RECTANGLE, ELLIPSE -> g instanceof Polygon;
                default -> of(g) == this;
            };
        }
    }

    public Annotation {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an annotation needs an id");
        }
        Objects.requireNonNull(geometry, "geometry");
        if (geometry.isEmpty()) {
            throw new IllegalArgumentException("annotation " + id + " has an empty geometry");
        }
        if (shape == null) {
            shape = Shape.of(geometry);
        }
        if (!shape.fits(geometry)) {
            throw new IllegalArgumentException("annotation " + id + ": a " + geometry.getGeometryType()
                    + " cannot be a " + shape);
        }
        objectType = objectType == null || objectType.isBlank() ? ANNOTATION : objectType;
        measurements = measurements == null ? Measurements.NONE : measurements;
        foreign = foreign == null ? Foreign.NONE : foreign;
    }

    /** A new unnamed, unclassified, unlocked annotation with a fresh id. */
    public static Annotation of(Geometry geometry, Shape shape) {
        return new Annotation(UUID.randomUUID().toString(), geometry, shape, ANNOTATION, null, null, false,
                Measurements.NONE, Foreign.NONE);
    }

    /**
     * The same annotation with a new geometry, of the shape that geometry is: a rectangle stays
     * one while it is one, an ellipse (which cannot be told from its outline) becomes a polygon.
     * A move that keeps the shape passes it to {@link #withGeometry(Geometry, Shape)}.
     */
    public Annotation withGeometry(Geometry g) {
        Shape s = shape == Shape.RECTANGLE && Geometries.isRectangle(g) ? shape : Shape.of(g);
        return new Annotation(id, g, s, objectType, name, classification, locked, measurements, foreign);
    }

    public Annotation withGeometry(Geometry g, Shape s) {
        return new Annotation(id, g, s, objectType, name, classification, locked, measurements, foreign);
    }

    public Annotation withName(String n) {
        return new Annotation(id, geometry, shape, objectType, n == null || n.isBlank() ? null : n, classification,
                locked, measurements, foreign);
    }

    public Annotation withClassification(AnnotationClass c) {
        return new Annotation(id, geometry, shape, objectType, name, c, locked, measurements, foreign);
    }

    public Annotation withLocked(boolean l) {
        return new Annotation(id, geometry, shape, objectType, name, classification, l, measurements, foreign);
    }

    /** True for polygons, rectangles, ellipses and multipolygons: they have an area. */
    public boolean isArea() {
        return geometry instanceof Polygonal;
    }

    /** Area in level-0 pixels² (JTS); 0 for points and lines. */
    public double area() {
        return geometry.getArea();
    }

    /** Perimeter of an area or length of a line in level-0 pixels (JTS); 0 for points. */
    public double length() {
        return geometry.getLength();
    }

    /** JTS validity: rings that do not cross themselves, holes inside their shell. */
    public boolean isValid() {
        return geometry.isValid();
    }

    /** A short label for lists and messages: the name, else the class, else the shape. */
    public String label() {
        if (name != null) {
            return name;
        }
        if (classification != null) {
            return classification.name();
        }
        return shape.name().charAt(0) + shape.name().substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
