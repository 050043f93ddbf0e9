package org.tilescope.engine.region;

import java.awt.image.BufferedImage;
import java.util.List;
import org.tilescope.engine.slide.TileException;

/**
 * A rendered rectangle of a slide.
 *
 * @param image    int-RGB pixels; outside the slide is white
 * @param failures tiles that could not be read or decoded; their area was painted from a coarser
 *                 level instead
 */
public record Region(BufferedImage image, List<TileException> failures) {
    public Region {
        failures = List.copyOf(failures);
    }
}
