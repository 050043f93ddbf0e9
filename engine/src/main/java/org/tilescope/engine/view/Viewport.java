package org.tilescope.engine.view;

/**
 * What a view shows, in level-0 pixels.
 *
 * @param x          left edge
 * @param y          top edge
 * @param width      width
 * @param height     height
 * @param downsample level-0 pixels per screen pixel (1 = 1:1, 4 = zoomed out 4x)
 * @param velocityX  pan speed in level-0 pixels per second (positive: content moving left, view heading right)
 * @param velocityY  pan speed in level-0 pixels per second
 * @param generation increases with every change of the view
 */
public record Viewport(double x, double y, double width, double height, double downsample,
                       double velocityX, double velocityY, long generation) {

    public Viewport {
        if (!(width > 0) || !(height > 0) || !(downsample > 0)) {
            throw new IllegalArgumentException("viewport needs a positive size and downsample");
        }
    }

    /** A still viewport of {@code screenW x screenH} pixels centred on (cx, cy). */
    public static Viewport centred(double cx, double cy, int screenW, int screenH, double downsample, long generation) {
        double w = screenW * downsample;
        double h = screenH * downsample;
        return new Viewport(cx - w / 2, cy - h / 2, w, h, downsample, 0, 0, generation);
    }

    public double centreX() {
        return x + width / 2;
    }

    public double centreY() {
        return y + height / 2;
    }
}
