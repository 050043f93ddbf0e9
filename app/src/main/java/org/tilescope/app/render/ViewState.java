package org.tilescope.app.render;

import java.awt.geom.AffineTransform;
import java.awt.geom.NoninvertibleTransformException;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;

/**
 * Where a view looks: the slide point at the centre of the screen, level-0 pixels per screen
 * pixel, quarter turns and a horizontal flip. Immutable; every change is a new state.
 */
public record ViewState(double centreX, double centreY, double downsample, int quarterTurns, boolean flipped) {
    /** Closest zoom in: 16 screen pixels per slide pixel. */
    public static final double MIN_DOWNSAMPLE = 1.0 / 16;

    public ViewState {
        quarterTurns = Math.floorMod(quarterTurns, 4);
    }

    /** The whole slide centred in a w x h screen, with a small margin. */
    public static ViewState fit(int slideW, int slideH, int screenW, int screenH, int quarterTurns, boolean flipped) {
        boolean sideways = Math.floorMod(quarterTurns, 2) == 1;
        double sw = sideways ? slideH : slideW;
        double sh = sideways ? slideW : slideH;
        double ds = Math.max(sw / Math.max(1, screenW), sh / Math.max(1, screenH)) * 1.04;
        return new ViewState(slideW / 2.0, slideH / 2.0, Math.max(MIN_DOWNSAMPLE, ds), quarterTurns, flipped);
    }

    public ViewState withCentre(double x, double y) {
        return new ViewState(x, y, downsample, quarterTurns, flipped);
    }

    public ViewState withDownsample(double ds) {
        return new ViewState(centreX, centreY, ds, quarterTurns, flipped);
    }

    public ViewState rotated(int turns) {
        return new ViewState(centreX, centreY, downsample, quarterTurns + turns, flipped);
    }

    public ViewState toggledFlip() {
        return new ViewState(centreX, centreY, downsample, quarterTurns, !flipped);
    }

    /** Slide (level-0) coordinates to screen coordinates of a w x h component. */
    public AffineTransform slideToScreen(int w, int h) {
        AffineTransform t = new AffineTransform();
        t.translate(w / 2.0, h / 2.0);
        t.quadrantRotate(quarterTurns);
        if (flipped) {
            t.scale(-1, 1);
        }
        t.scale(1 / downsample, 1 / downsample);
        t.translate(-centreX, -centreY);
        return t;
    }

    public Point2D screenToSlide(double sx, double sy, int w, int h) {
        try {
            return slideToScreen(w, h).inverseTransform(new Point2D.Double(sx, sy), null);
        } catch (NoninvertibleTransformException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The slide rectangle a w x h screen shows (axis-aligned in slide coordinates). */
    public Rectangle2D visibleSlideRect(int w, int h) {
        try {
            return slideToScreen(w, h).createInverse().createTransformedShape(new Rectangle2D.Double(0, 0, w, h))
                    .getBounds2D();
        } catch (NoninvertibleTransformException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Zooms by {@code factor} (> 1 zooms in) keeping the slide point under (sx, sy) in place. */
    public ViewState zoomAbout(double factor, double sx, double sy, int w, int h, double maxDownsample) {
        double ds = Math.clamp(downsample / factor, MIN_DOWNSAMPLE, Math.max(MIN_DOWNSAMPLE, maxDownsample));
        Point2D anchor = screenToSlide(sx, sy, w, h);
        ViewState zoomed = withDownsample(ds);
        Point2D moved = zoomed.screenToSlide(sx, sy, w, h);
        return zoomed.withCentre(centreX + anchor.getX() - moved.getX(), centreY + anchor.getY() - moved.getY());
    }

    /** Moves the content by (dx, dy) screen pixels (drag direction). */
    public ViewState panByScreen(double dx, double dy, int w, int h) {
        Point2D a = screenToSlide(w / 2.0, h / 2.0, w, h);
        Point2D b = screenToSlide(w / 2.0 - dx, h / 2.0 - dy, w, h);
        return withCentre(centreX + b.getX() - a.getX(), centreY + b.getY() - a.getY());
    }
}
