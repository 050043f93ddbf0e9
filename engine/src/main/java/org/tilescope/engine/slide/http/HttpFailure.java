package org.tilescope.engine.slide.http;

import java.io.IOException;
import java.net.URI;

/**
 * A request that did not give a usable response. {@link #permanent()} tells a slide what to do
 * with it: a permanent failure (404, other 4xx, a body over the limit, one that kept arriving
 * cut short) is the resource's own fault and asking again will not help; a transient one
 * (timeouts, 5xx, 429, dropped connections, after every retry) may go away.
 */
public final class HttpFailure extends IOException {

    /** What went wrong. */
    public enum Kind {
        /** 404 or 410: the resource is not there. */
        NOT_FOUND(true),
        /** Any other 4xx (except 429): the server refuses this request. */
        REFUSED(true),
        /** The body is larger than the caller accepts (declared or grown past it). */
        TOO_LARGE(true),
        /** The body ended before its declared length, on every attempt. */
        TRUNCATED(true),
        /** Timeouts, 5xx, 429 and dropped connections, after the retries were used up. */
        TRANSIENT(false);

        private final boolean permanent;

        Kind(boolean permanent) {
            this.permanent = permanent;
        }
    }

    private final URI uri;
    private final Kind kind;
    private final int status;
    private final int attempts;

    /**
     * @param status   the HTTP status of the last response, or -1 when there was none
     * @param attempts how many attempts were made
     */
    public HttpFailure(URI uri, Kind kind, int status, int attempts, String problem, Throwable cause) {
        super(uri + ": " + problem + (attempts > 1 ? " (" + attempts + " attempts)" : ""), cause);
        this.uri = uri;
        this.kind = kind;
        this.status = status;
        this.attempts = attempts;
    }

    public URI uri() {
        return uri;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status of the last response, or -1 when none came (timeout, connection lost). */
    public int status() {
        return status;
    }

    public int attempts() {
        return attempts;
    }

    /** True when asking again will not help. */
    public boolean permanent() {
        return kind.permanent;
    }
}
