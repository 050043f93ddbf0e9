package org.tilescope.engine.slide.http;

import java.time.Duration;

/**
 * How {@link HttpFetcher} talks to servers. Every request ends: a connection that does not open
 * within {@code connectTimeout}, headers that do not come within {@code headerTimeout}, or a body
 * that is not complete within {@code attemptDeadline} of the request's start ends the attempt.
 *
 * @param connectTimeout   longest wait for a TCP (and TLS) connection
 * @param headerTimeout    longest wait for the response headers once the request is sent
 * @param attemptDeadline  longest one attempt may take, body included: a stalled body ends too
 * @param maxAttempts      attempts per request for transient failures (timeouts, 5xx, 429), at least 1
 * @param backoffBase      wait before the first retry; doubles with each further retry
 * @param backoffMax       the longest backoff between attempts (before jitter)
 * @param maxRetryAfter    the longest {@code Retry-After} honoured; a server asking more gives up at once
 * @param perHostRequests  requests in flight at once to one host (scheme, host and port)
 * @param revalidateEvery  how often a remote slide may ask its server whether it changed
 */
public record HttpOptions(Duration connectTimeout, Duration headerTimeout, Duration attemptDeadline,
                          int maxAttempts, Duration backoffBase, Duration backoffMax, Duration maxRetryAfter,
                          int perHostRequests, Duration revalidateEvery) {

    public HttpOptions {
        if (maxAttempts < 1 || perHostRequests < 1) {
            throw new IllegalArgumentException("maxAttempts and perHostRequests must be at least 1");
        }
        for (Duration d : new Duration[] {connectTimeout, headerTimeout, attemptDeadline, backoffBase,
                backoffMax, maxRetryAfter, revalidateEvery}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative duration " + d);
            }
        }
        if (connectTimeout.isZero() || headerTimeout.isZero() || attemptDeadline.isZero()) {
            throw new IllegalArgumentException("timeouts must be above zero");
        }
    }

    /**
     * Defaults for a viewer: a tile that is not in within 20 s is tried again (up to 4 times), and
     * 8 requests per host keep an HTTP/1.1 server's connections busy without flooding it.
     */
    public static HttpOptions defaults() {
        return new HttpOptions(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20),
                4, Duration.ofMillis(250), Duration.ofSeconds(4), Duration.ofSeconds(30), 8, Duration.ofSeconds(5));
    }

    public HttpOptions withTimeouts(Duration connect, Duration header, Duration deadline) {
        return new HttpOptions(connect, header, deadline, maxAttempts, backoffBase, backoffMax, maxRetryAfter,
                perHostRequests, revalidateEvery);
    }

    public HttpOptions withRetries(int attempts, Duration base, Duration max, Duration retryAfterCap) {
        return new HttpOptions(connectTimeout, headerTimeout, attemptDeadline, attempts, base, max, retryAfterCap,
                perHostRequests, revalidateEvery);
    }

    public HttpOptions withPerHostRequests(int n) {
        return new HttpOptions(connectTimeout, headerTimeout, attemptDeadline, maxAttempts, backoffBase, backoffMax,
                maxRetryAfter, n, revalidateEvery);
    }

    public HttpOptions withRevalidateEvery(Duration d) {
        return new HttpOptions(connectTimeout, headerTimeout, attemptDeadline, maxAttempts, backoffBase, backoffMax,
                maxRetryAfter, perHostRequests, d);
    }
}
