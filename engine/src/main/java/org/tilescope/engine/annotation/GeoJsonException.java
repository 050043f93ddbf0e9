package org.tilescope.engine.annotation;

import java.io.IOException;

/**
 * A GeoJSON file that cannot be imported, with where: the file, the feature's index and id when
 * known, and the line and column. Nothing of such a file is imported.
 */
public final class GeoJsonException extends IOException {
    private final int featureIndex;

    public GeoJsonException(String message, int featureIndex) {
        super(message);
        this.featureIndex = featureIndex;
    }

    public GeoJsonException(String message, int featureIndex, Throwable cause) {
        super(message, cause);
        this.featureIndex = featureIndex;
    }

    /** The index (from 0) of the feature at fault, or -1 when the fault is outside any feature. */
    public int featureIndex() {
        return featureIndex;
    }
}
