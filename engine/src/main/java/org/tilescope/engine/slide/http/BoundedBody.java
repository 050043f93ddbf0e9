package org.tilescope.engine.slide.http;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body collected into a byte array, never past a limit: a declared
 * {@code Content-Length} over it is refused before a byte is read, and a body that grows past it
 * is cut (the connection is dropped, not drained). A body that ends before its declared length
 * fails as {@link Truncated}. Completes only when the whole body is in, so a deadline on the
 * response covers the body.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** The body is larger than the limit, by its declared length or by what arrived. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    /** The body ended before its declared length. */
    static final class Truncated extends IOException {
        Truncated(long received, long declared, Throwable cause) {
            super("body cut short: " + received + " of " + declared + " bytes", cause);
        }
    }

    private final long limit;
    private final long declared;
    private final boolean cutQuietly;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final List<ByteBuffer> parts = new ArrayList<>();
    private volatile long received;
    private Flow.Subscription subscription;

    /**
     * @param limit      most bytes accepted
     * @param declared   the response's Content-Length, or -1 when it has none
     * @param cutQuietly for bodies nobody needs whole (an error page): keep the first
     *                   {@code limit} bytes and drop the rest instead of failing
     */
    BoundedBody(long limit, long declared, boolean cutQuietly) {
        this.limit = limit;
        this.declared = declared;
        this.cutQuietly = cutQuietly;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (declared > limit && !cutQuietly) {
            s.cancel();
            result.completeExceptionally(new TooLarge("Content-Length " + declared + " is over the limit of "
                    + limit + " bytes"));
            return;
        }
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            received += b.remaining();
            if (received > limit) {
                subscription.cancel();
                if (cutQuietly) {
                    result.complete(assemble());
                } else {
                    result.completeExceptionally(new TooLarge("body grew past the limit of " + limit + " bytes"));
                }
                return;
            }
            parts.add(b);
        }
    }

    @Override
    public void onError(Throwable t) {
        if (declared >= 0 && received < declared) {
            result.completeExceptionally(new Truncated(received, declared, t));
        } else {
            result.completeExceptionally(t);
        }
    }

    @Override
    public void onComplete() {
        if (declared >= 0 && received < declared) {
            result.completeExceptionally(new Truncated(received, declared, null));
        } else {
            result.complete(assemble());
        }
    }

    /** True when the body had a declared length and less of it arrived. */
    boolean cutShort() {
        return declared >= 0 && received < declared;
    }

    Truncated truncation(Throwable cause) {
        return new Truncated(received, declared, cause);
    }

    private byte[] assemble() {
        byte[] out = new byte[(int) Math.min(received, limit)];
        int at = 0;
        for (ByteBuffer b : parts) {
            int n = Math.min(b.remaining(), out.length - at);
            b.get(out, at, n);
            at += n;
        }
        parts.clear();
        return out;
    }
}
