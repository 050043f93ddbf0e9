package org.tilescope.engine.slide.http;

import java.io.IOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.tilescope.engine.slide.Limits;

/**
 * The identity of a remote slide: its descriptor's URL and the server's validator for it (the
 * ETag, else Last-Modified, else a hash of the descriptor itself). Tells that the slide changed
 * with a conditional request, at most once per {@link HttpOptions#revalidateEvery()}, so asking
 * on every reopen costs nothing in between; an unreachable server is not a change (what is cached
 * keeps showing), a descriptor gone (404) is.
 */
public final class RemoteStamp {
    private static final System.Logger LOG = System.getLogger(RemoteStamp.class.getName());

    private final HttpFetcher fetcher;
    private final URI descriptor;
    private final String etag;
    private final String lastModified;
    private final String validator;
    private long checkedAt;
    private boolean changed;

    private RemoteStamp(HttpFetcher fetcher, URI descriptor, String etag, String lastModified, String validator) {
        this.fetcher = fetcher;
        this.descriptor = descriptor;
        this.etag = etag;
        this.lastModified = lastModified;
        this.validator = validator;
        this.checkedAt = System.nanoTime();
    }

    /** The stamp of a descriptor just fetched. */
    public static RemoteStamp of(HttpFetcher fetcher, URI descriptor, HttpFetcher.Response fetched) {
        return new RemoteStamp(fetcher, descriptor, fetched.etag().orElse(null), fetched.lastModified().orElse(null),
                validatorOf(fetched));
    }

    static String validatorOf(HttpFetcher.Response r) {
        if (r.etag().isPresent()) {
            return "etag " + r.etag().get();
        }
        if (r.lastModified().isPresent()) {
            return "last-modified " + r.lastModified().get();
        }
        try {
            return "sha-256 " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.body()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** For {@link org.tilescope.engine.slide.SlideSource#identity()}: URL and validator. */
    public String identity() {
        return descriptor + "\u0000" + validator;
    }

    /** The validator this stamp holds ("etag ...", "last-modified ..." or "sha-256 ..."). */
    public String validator() {
        return validator;
    }

    /**
     * True once the server says the descriptor is not the one stamped, or is gone. Asks the server
     * (one attempt, conditional) at most once per revalidation interval; false in between and
     * when the server cannot be reached.
     */
    public synchronized boolean changed() {
        if (changed) {
            return true;
        }
        long now = System.nanoTime();
        if (now - checkedAt < fetcher.options().revalidateEvery().toNanos()) {
            return false;
        }
        checkedAt = now;
        HttpFetcher.Request r = HttpFetcher.Request.get(descriptor, Limits.MAX_DESCRIPTOR_BYTES).withAttempts(1);
        if (etag != null) {
            r = r.withHeader("If-None-Match", etag);
        }
        if (lastModified != null) {
            r = r.withHeader("If-Modified-Since", lastModified);
        }
        try {
            HttpFetcher.Response resp = fetcher.get(r);
            changed = resp.status() != 304 && !validatorOf(resp).equals(validator);
        } catch (HttpFailure f) {
            changed = f.kind() == HttpFailure.Kind.NOT_FOUND;
            LOG.log(System.Logger.Level.DEBUG, "{0}: revalidation failed: {1}", descriptor, f.getMessage());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: revalidation failed: {1}", descriptor, e.getMessage());
        }
        return changed;
    }
}
