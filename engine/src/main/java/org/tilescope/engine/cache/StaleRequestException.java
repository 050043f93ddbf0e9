package org.tilescope.engine.cache;

import java.util.concurrent.CancellationException;

/** The view that asked for a tile moved on before the tile was read or decoded. */
public final class StaleRequestException extends CancellationException {
    public StaleRequestException(TileKey key) {
        super("stale request dropped: " + key);
    }
}
