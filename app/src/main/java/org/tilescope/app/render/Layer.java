package org.tilescope.app.render;

import java.awt.Graphics2D;

/**
 * Something drawn over the slide: the scale bar, the overview map, the cache HUD, annotations.
 * The viewer, exports and the command line's {@code view} paint the same layers through a
 * {@link LayerStack}; none of them needs Swing.
 */
public interface Layer {

    /** Which coordinates {@link #paint} draws in. */
    enum Space {
        /** Screen pixels, (0, 0) at the top-left of the view. */
        SCREEN,
        /** Level-0 slide pixels: the stack applies the view's rotation, flip and zoom first. */
        SLIDE
    }

    /** A short name for menus and tests ("scale bar"). */
    String name();

    Space space();

    /** Paint order: higher paints later, on top, and is asked first by {@link #hitTest}. */
    int zOrder();

    default boolean visible() {
        return true;
    }

    void paint(Graphics2D g, LayerContext ctx);

    /**
     * What of this layer lies under a screen point: any object the layer understands (the overview
     * answers the slide point it shows there), or null when the point is not on it. Hit layers
     * take the mouse press before the active tool.
     */
    default Object hitTest(double screenX, double screenY, LayerContext ctx) {
        return null;
    }
}
