package org.tilescope.engine.slide;

import java.io.IOException;

/**
 * One slide format, found through {@link java.util.ServiceLoader} (register the implementation in
 * {@code META-INF/services/org.tilescope.engine.slide.SlideProvider}). {@link Slides#open} asks
 * every provider how well it supports a location and opens it with the best.
 *
 * <p>Providers tell formats by content, not by name: a TIFF called {@code .dzi} is still a TIFF.
 */
public interface SlideProvider {

    /** Short format name, as in {@link SlideInfo#format()}: "deepzoom", "fastpath", "tiff". */
    String name();

    /**
     * How well this provider reads the location: 0 when it cannot, higher is better (the built-in
     * formats answer 1 for a sure match). Cheap: looks at {@link SlideProbe#head()} and the folder
     * layout, never parses the whole slide.
     *
     * @throws SlideException when the location is plainly meant for this format but broken (a
     *                        {@code .fastpath} folder without its metadata); reported when no
     *                        provider supports the location
     */
    double support(SlideProbe probe) throws IOException;

    /**
     * Opens the slide.
     *
     * @throws SlideException naming the location and what is wrong with it
     */
    SlideSource open(SlideProbe probe) throws IOException;
}
