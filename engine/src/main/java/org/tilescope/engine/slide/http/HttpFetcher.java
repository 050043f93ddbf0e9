package org.tilescope.engine.slide.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * GETs for remote slides: java.net.http on virtual threads, HTTP/2 when the server offers it
 * (ALPN over TLS, the h2c upgrade in the clear), keep-alive connections reused, a bound on the
 * requests in flight to each host, and every request bounded in time and size.
 *
 * <p>Transient failures (timeouts, 5xx except 501/505, 429, connections dropped before or during
 * the body) are retried with exponential backoff and jitter, or after the server's
 * {@code Retry-After}; a 4xx is never retried. When the calling thread is interrupted (the
 * pipeline dropping stale work), the HTTP exchange is cancelled at once and the call ends with an
 * {@link InterruptedIOException}, the interrupt flag set again.
 */
public final class HttpFetcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HttpFetcher.class.getName());
    /** Enough of an error page to log; the rest is not read. */
    private static final int ERROR_BODY_BYTES = 64 << 10;
    private static final String USER_AGENT = "Tilescope/0.1 (java.net.http)";

    private final HttpOptions options;
    private final HttpClient client;
    private final ConcurrentHashMap<String, Semaphore> hosts = new ConcurrentHashMap<>();
    private final LongAdder attemptsSent = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();

    public HttpFetcher(HttpOptions options) {
        this.options = options;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .executor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("tilescope-http-", 0).factory()))
                .build();
    }

    private static final class Shared {
        static final HttpFetcher INSTANCE = new HttpFetcher(HttpOptions.defaults());
    }

    /** The process-wide fetcher every remote slide uses, so connections and host bounds are shared. */
    public static HttpFetcher shared() {
        return Shared.INSTANCE;
    }

    public HttpOptions options() {
        return options;
    }

    /**
     * One GET.
     *
     * @param uri      what to fetch
     * @param maxBytes the largest body accepted (a larger one fails as {@link HttpFailure.Kind#TOO_LARGE})
     * @param headers  extra request headers (Range, If-None-Match, ...)
     * @param attempts at most this many attempts, and never more than the options allow
     */
    public record Request(URI uri, int maxBytes, Map<String, String> headers, int attempts) {
        public Request {
            headers = Map.copyOf(headers);
            if (maxBytes < 0 || attempts < 1) {
                throw new IllegalArgumentException("maxBytes must be >= 0 and attempts >= 1");
            }
        }

        public static Request get(URI uri, int maxBytes) {
            return new Request(uri, maxBytes, Map.of(), Integer.MAX_VALUE);
        }

        public Request withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Request(uri, maxBytes, h, attempts);
        }

        public Request withAttempts(int n) {
            return new Request(uri, maxBytes, headers, n);
        }
    }

    /** A response with a 2xx or 304 status, its body whole. */
    public record Response(URI uri, int status, byte[] body, HttpHeaders headers, HttpClient.Version version) {

        /** The media type without parameters, lower case ("image/jpeg"), or empty when the server sent none. */
        public Optional<String> contentType() {
            return headers.firstValue("Content-Type")
                    .map(v -> v.replaceAll(";.*", "").trim().toLowerCase(Locale.ROOT))
                    .filter(v -> !v.isEmpty());
        }

        public Optional<String> etag() {
            return headers.firstValue("ETag").map(String::trim).filter(v -> !v.isEmpty());
        }

        public Optional<String> lastModified() {
            return headers.firstValue("Last-Modified").map(String::trim).filter(v -> !v.isEmpty());
        }
    }

    /** Counts since this fetcher was made: attempts sent, retries, failed requests, body bytes. */
    public record Stats(long attempts, long retries, long failures, long bytes) {
    }

    public Stats stats() {
        return new Stats(attemptsSent.sum(), retries.sum(), failures.sum(), bytesReceived.sum());
    }

    /** {@link #get(Request)} with the default attempts and no extra headers. */
    public Response get(URI uri, int maxBytes) throws IOException {
        return get(Request.get(uri, maxBytes));
    }

    /**
     * Sends the request, retrying transient failures.
     *
     * @return a 2xx (206 for a range) or 304 response
     * @throws HttpFailure            when it failed: see {@link HttpFailure#permanent()}
     * @throws InterruptedIOException when the calling thread was interrupted (the request is cancelled)
     */
    public Response get(Request r) throws IOException {
        int maxAttempts = Math.min(r.attempts(), options.maxAttempts());
        String problem = "no attempt made";
        Throwable cause = null;
        int lastStatus = -1;
        boolean truncatedEveryTime = true;
        int attempt = 0;
        while (true) {
            attempt++;
            Duration wait;
            try {
                HttpResponse<byte[]> resp = once(r);
                int s = resp.statusCode();
                if (s / 100 == 2 || s == 304) {
                    bytesReceived.add(resp.body().length);
                    return new Response(resp.uri(), s, resp.body(), resp.headers(), resp.version());
                }
                lastStatus = s;
                truncatedEveryTime = false;
                cause = null;
                if (s == 404 || s == 410) {
                    throw fail(new HttpFailure(r.uri(), HttpFailure.Kind.NOT_FOUND, s, attempt, "not found (HTTP " + s + ")", null));
                }
                if (!retryable(s)) {
                    throw fail(new HttpFailure(r.uri(), HttpFailure.Kind.REFUSED, s, attempt, "refused (HTTP " + s + ")", null));
                }
                problem = "server busy or failing (HTTP " + s + ")";
                Optional<Duration> after = retryAfter(resp.headers(), ZonedDateTime.now());
                if (after.isPresent() && after.get().compareTo(options.maxRetryAfter()) > 0) {
                    throw fail(new HttpFailure(r.uri(), HttpFailure.Kind.TRANSIENT, s, attempt,
                            problem + ", asks to retry after " + after.get().toSeconds() + " s", null));
                }
                wait = after.isPresent() ? after.get() : backoff(options, attempt);
            } catch (BoundedBody.TooLarge e) {
                throw fail(new HttpFailure(r.uri(), HttpFailure.Kind.TOO_LARGE, -1, attempt, e.getMessage(), e));
            } catch (Retry e) {
                problem = e.getMessage();
                cause = e.getCause();
                truncatedEveryTime &= e.getCause() instanceof BoundedBody.Truncated;
                lastStatus = -1;
                wait = backoff(options, attempt);
            }
            if (attempt >= maxAttempts) {
                throw fail(new HttpFailure(r.uri(), truncatedEveryTime ? HttpFailure.Kind.TRUNCATED
                        : HttpFailure.Kind.TRANSIENT, lastStatus, attempt, problem, cause));
            }
            LOG.log(System.Logger.Level.DEBUG, "{0}: {1}; retry {2} in {3} ms", r.uri(), problem, attempt,
                    wait.toMillis());
            retries.increment();
            sleep(r.uri(), wait);
        }
    }

    private HttpFailure fail(HttpFailure f) {
        failures.increment();
        return f;
    }

    /** 5xx except Not Implemented and Version Not Supported, and 429. */
    static boolean retryable(int status) {
        return status == 429 || (status >= 500 && status <= 599 && status != 501 && status != 505);
    }

    /** A transient failure of one attempt. */
    private static final class Retry extends Exception {
        Retry(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private HttpResponse<byte[]> once(Request r) throws IOException, Retry {
        Semaphore permit = hosts.computeIfAbsent(hostKey(r.uri()), k -> new Semaphore(options.perHostRequests(), true));
        try {
            permit.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("cancelled while waiting for a connection to " + r.uri().getHost());
        }
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(r.uri()).GET().timeout(options.headerTimeout())
                    .header("User-Agent", USER_AGENT);
            r.headers().forEach(b::header);
            attemptsSent.increment();
            AtomicReference<BoundedBody> body = new AtomicReference<>();
            CompletableFuture<HttpResponse<byte[]>> f = client.sendAsync(b.build(), info -> {
                boolean ok = info.statusCode() / 100 == 2;
                long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
                BoundedBody sub = new BoundedBody(ok ? r.maxBytes() : ERROR_BODY_BYTES, declared, !ok);
                body.set(sub);
                return sub;
            });
            try {
                return f.get(options.attemptDeadline().toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                throw new Retry("no complete response within " + seconds(options.attemptDeadline()), null);
            } catch (InterruptedException e) {
                f.cancel(true);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("request cancelled: " + r.uri());
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                while (c instanceof CompletionException && c.getCause() != null) {
                    c = c.getCause();
                }
                switch (c) {
                    case BoundedBody.TooLarge t -> throw t;
                    case BoundedBody.Truncated t -> throw new Retry(t.getMessage(), t);
                    case HttpConnectTimeoutException t -> throw new Retry("no connection within "
                            + seconds(options.connectTimeout()), t);
                    case HttpTimeoutException t -> throw new Retry("no response within "
                            + seconds(options.headerTimeout()), t);
                    case IOException t when body.get() != null && body.get().cutShort() -> {
                        // the client may report the early end itself rather than through the body
                        BoundedBody.Truncated cut = body.get().truncation(t);
                        throw new Retry(cut.getMessage(), cut);
                    }
                    case java.net.ConnectException t -> throw new Retry("cannot connect to " + r.uri().getHost()
                            + (r.uri().getPort() >= 0 ? ":" + r.uri().getPort() : "")
                            + (t.getMessage() == null ? "" : " (" + t.getMessage() + ")"), t);
                    case IOException t -> throw new Retry("connection failed: " + describe(t), t);
                    default -> throw new IOException(r.uri() + ": request failed: " + describe(c), c);
                }
            }
        } finally {
            permit.release();
        }
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    static String hostKey(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        return scheme + "://" + String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static void sleep(URI uri, Duration d) throws InterruptedIOException {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("cancelled while waiting to retry " + uri);
        }
    }

    /**
     * The wait before retry number {@code retry} (1 for the first): the base doubled per retry,
     * capped, then "equal jitter" (half fixed, half random) so clients that failed together do not
     * come back together.
     */
    static Duration backoff(HttpOptions o, int retry) {
        long base = o.backoffBase().toNanos();
        long cap = o.backoffMax().toNanos();
        long exp = base;
        for (int i = 1; i < retry && exp < cap; i++) {
            exp *= 2;
        }
        exp = Math.min(exp, cap);
        long half = exp / 2;
        return Duration.ofNanos(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
    }

    /** A Retry-After header as a wait: delta-seconds or an HTTP date (a date in the past is no wait). */
    static Optional<Duration> retryAfter(HttpHeaders headers, ZonedDateTime now) {
        Optional<String> v = headers.firstValue("Retry-After").map(String::trim);
        if (v.isEmpty() || v.get().isEmpty()) {
            return Optional.empty();
        }
        String s = v.get();
        if (s.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(s)));
            } catch (NumberFormatException e) {
                return Optional.of(Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L));
            }
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(now, at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
