package org.tilescope.engine.annotation;

import java.util.List;
import java.util.Locale;

/**
 * A class an annotation belongs to ("Tumor", "Stroma"): its name and display colour. QuPath's
 * derived classes ("Tumor: Positive") are one name here, joined with ": " as QuPath prints them.
 *
 * @param name the class name, never blank
 * @param argb the colour as 0xAARRGGBB; alpha 255 unless the file gave one
 */
public record AnnotationClass(String name, int argb) {

    /** Classes a new slide offers before any are used: the names QuPath starts with. */
    public static final List<AnnotationClass> DEFAULTS = List.of(
            new AnnotationClass("Tumor", 0xFFC80000),
            new AnnotationClass("Stroma", 0xFF96C896),
            new AnnotationClass("Immune cells", 0xFFA05AA0),
            new AnnotationClass("Necrosis", 0xFF323232),
            new AnnotationClass("Other", 0xFFFFC800),
            new AnnotationClass("Region*", 0xFF0000B4),
            new AnnotationClass("Ignore*", 0xFFB4B4B4),
            new AnnotationClass("Positive", 0xFFC83232),
            new AnnotationClass("Negative", 0xFF7070E1));

    public AnnotationClass {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a class needs a name");
        }
    }

    /**
     * A class given by name only (QuPath accepts a plain string): the colour of the default class
     * of that name, else one picked from the name so the same name always gets the same colour.
     */
    public static AnnotationClass named(String name) {
        for (AnnotationClass c : DEFAULTS) {
            if (c.name.equalsIgnoreCase(name)) {
                return new AnnotationClass(name, c.argb);
            }
        }
        // hue from the name's hash: stable across runs, well spread, never grey
        float hue = (name.toLowerCase(Locale.ROOT).hashCode() & 0xFFFF) / 65536f;
        return new AnnotationClass(name, java.awt.Color.HSBtoRGB(hue, 0.75f, 0.85f) | 0xFF000000);
    }

    public int red() {
        return (argb >> 16) & 0xFF;
    }

    public int green() {
        return (argb >> 8) & 0xFF;
    }

    public int blue() {
        return argb & 0xFF;
    }

    public int alpha() {
        return (argb >>> 24) & 0xFF;
    }
}
