package org.tilescope.app.render;

import java.awt.Font;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.Locale;
import org.tilescope.engine.slide.SlideInfo;

/**
 * What a layer paints against: the slide, the view, the screen size.
 *
 * @param info      the slide shown
 * @param view      where it is shown
 * @param width     screen width in pixels
 * @param height    screen height in pixels
 * @param thumbnail the whole slide as held by the pipeline, or null until it exists
 * @param font      the base font for labels
 */
public record LayerContext(SlideInfo info, ViewState view, int width, int height, BufferedImage thumbnail,
                           Font font) {

    public AffineTransform slideToScreen() {
        return view.slideToScreen(width, height);
    }

    /** "20.0×" when the slide's magnification is known, else the zoom as a percentage. */
    public String zoomLabel() {
        var mag = info.magnification();
        if (mag.isPresent()) {
            return String.format(Locale.ROOT, "%.1f×", mag.getAsDouble() / view.downsample());
        }
        return String.format(Locale.ROOT, "%.1f%%", 100 / view.downsample());
    }
}
