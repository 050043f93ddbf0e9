package org.tilescope.app.annotate;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.tilescope.engine.annotation.Annotation;

/**
 * Areas and lengths as people read them: µm² and µm when the slide has a pixel size (mm² and mm
 * once large), px² and px without one. The numbers are JTS's, in level-0 pixels, times the MPP.
 */
public final class Measures {
    private Measures() {
    }

    public static String area(double px2, OptionalDouble mpp) {
        if (mpp.isEmpty()) {
            return String.format(Locale.ROOT, "%,.0f px²", px2);
        }
        double um2 = px2 * mpp.getAsDouble() * mpp.getAsDouble();
        return um2 >= 1e6 ? String.format(Locale.ROOT, "%,.3f mm²", um2 / 1e6)
                : String.format(Locale.ROOT, "%,.1f µm²", um2);
    }

    public static String length(double px, OptionalDouble mpp) {
        if (mpp.isEmpty()) {
            return String.format(Locale.ROOT, "%,.1f px", px);
        }
        double um = px * mpp.getAsDouble();
        return um >= 1e4 ? String.format(Locale.ROOT, "%,.3f mm", um / 1e3) : String.format(Locale.ROOT, "%,.1f µm", um);
    }

    /** One line about a selection: label, class, area and perimeter, or length, or point count. */
    public static String describe(List<Annotation> sel, OptionalDouble mpp) {
        if (sel.size() == 1) {
            Annotation a = sel.getFirst();
            StringBuilder b = new StringBuilder(a.label());
            if (a.classification() != null && a.name() != null) {
                b.append(" (").append(a.classification().name()).append(')');
            }
            if (a.isArea()) {
                b.append("   area ").append(area(a.area(), mpp)).append("   perimeter ").append(length(a.length(), mpp));
            } else if (a.shape() == Annotation.Shape.LINE) {
                b.append("   length ").append(length(a.length(), mpp));
            } else if (a.shape() == Annotation.Shape.POINTS) {
                int n = a.geometry().getNumPoints();
                b.append("   ").append(n).append(n == 1 ? " point" : " points");
            }
            if (a.locked()) {
                b.append("   locked");
            }
            return b.toString();
        }
        double area = 0;
        for (Annotation a : sel) {
            area += a.area();
        }
        return sel.size() + " selected   total area " + area(area, mpp);
    }
}
