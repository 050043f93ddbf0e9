package org.tilescope.engine.region;

import java.awt.image.BufferedImage;
import java.util.Collections;
import java.util.List;
import org.tilescope.engine.slide.TileException;

/**
 * A rendered rectangle of a slide.
 *
 * @param image    int-RGB pixels; outside the slide is white
 * @param failures tiles that could not be read or decoded, each once
 * @param fills    what was painted in place of each failed tile, in the order of {@code failures}
 */
public record Region(BufferedImage image, List<TileException> failures, List<Fill> fills) {
    /** What a failed tile's area shows instead. */
    public enum Fill {
        COARSER_LEVEL("filled from a coarser level"),
        FINER_LEVEL("filled from a finer level"),
        NONE("left white: no other level could fill it"),
        /** Made by code that does not say (the two-argument constructor). */
        UNSPECIFIED("");

        private final String description;

        Fill(String description) {
            this.description = description;
        }

        /** "filled from a coarser level", or empty for {@link #UNSPECIFIED}. */
        public String description() {
            return description;
        }
    }

    public Region {
        failures = List.copyOf(failures);
        fills = List.copyOf(fills);
        if (fills.size() != failures.size()) {
            throw new IllegalArgumentException(failures.size() + " failures but " + fills.size() + " fills");
        }
    }

    /** A region whose failures' fills are not known. */
    public Region(BufferedImage image, List<TileException> failures) {
        this(image, failures, Collections.nCopies(failures.size(), Fill.UNSPECIFIED));
    }

    /** One line per failed tile: its problem and, when known, what fills its area. */
    public List<String> failureLines() {
        return java.util.stream.IntStream.range(0, failures.size())
                .mapToObj(i -> failures.get(i).getMessage()
                        + (fills.get(i).description().isEmpty() ? "" : " (" + fills.get(i).description() + ")"))
                .toList();
    }
}
