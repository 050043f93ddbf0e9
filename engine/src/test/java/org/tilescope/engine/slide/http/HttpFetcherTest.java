package org.tilescope.engine.slide.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tilescope.engine.testing.LocalHttpServer;

/** The HTTP layer against a real server on 127.0.0.1: timeouts, retries, bounds, cancellation. */
class HttpFetcherTest {
    private static final byte[] BODY = "0123456789abcdef".repeat(64).getBytes();

    private LocalHttpServer server;
    private HttpFetcher fetcher;

    /** Short timeouts and backoff so a test of three attempts takes a few seconds at most. */
    static HttpOptions testOptions() {
        return HttpOptions.defaults()
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(700), Duration.ofMillis(1200))
                .withRetries(3, Duration.ofMillis(20), Duration.ofMillis(80), Duration.ofSeconds(5));
    }

    @BeforeEach
    void start() throws IOException {
        server = LocalHttpServer.start();
        fetcher = new HttpFetcher(testOptions());
    }

    @AfterEach
    void stop() {
        fetcher.close();
        server.close();
    }

    @Test
    void fetchesABodyWithItsHeaders() throws IOException {
        server.handle("/ok", ex -> {
            ex.getResponseHeaders().set("ETag", "\"v1\"");
            LocalHttpServer.send(ex, 200, "image/jpeg; charset=binary", BODY);
        });
        HttpFetcher.Response r = fetcher.get(server.uri("/ok"), 1 << 20);
        assertEquals(200, r.status());
        assertArrayEquals(BODY, r.body());
        assertEquals(Optional.of("image/jpeg"), r.contentType());
        assertEquals(Optional.of("\"v1\""), r.etag());
        assertEquals(1, fetcher.stats().attempts());
        assertEquals(BODY.length, fetcher.stats().bytes());
    }

    @Test
    void reusesOneConnectionForSequentialRequests() throws IOException {
        server.handle("/ka", ex -> LocalHttpServer.send(ex, 200, "image/png", BODY));
        for (int i = 0; i < 10; i++) {
            fetcher.get(server.uri("/ka?i=" + i), 1 << 20);
        }
        long connections = server.hits("/ka").stream().mapToInt(LocalHttpServer.Hit::remotePort).distinct().count();
        assertEquals(1, connections, "keep-alive: every request on the first connection");
    }

    @Test
    void aSlowResponseWithinTheDeadlineArrives() throws IOException {
        server.handle("/slow", ex -> {
            sleep(300);
            LocalHttpServer.send(ex, 200, "image/jpeg", BODY);
        });
        assertArrayEquals(BODY, fetcher.get(server.uri("/slow"), 1 << 20).body());
    }

    @Test
    void noHeadersPastTheTimeoutIsRetriedThenTransient() {
        server.handle("/stall", ex -> server.stall());
        HttpFailure f = assertThrows(HttpFailure.class, () -> fetcher.get(server.uri("/stall"), 1 << 20));
        assertEquals(HttpFailure.Kind.TRANSIENT, f.kind());
        assertFalse(f.permanent());
        assertEquals(3, f.attempts());
        assertEquals(3, server.hits("/stall").size());
    }

    @Test
    void aBodyThatStallsEndsAtTheDeadline() {
        server.handle("/stallbody", ex -> {
            ex.getResponseHeaders().set("Content-Type", "image/jpeg");
            ex.sendResponseHeaders(200, 1000);
            OutputStream out = ex.getResponseBody();
            out.write(BODY, 0, 10);
            out.flush();
            server.stall();
        });
        HttpFailure f = assertThrows(HttpFailure.class, () -> fetcher.get(server.uri("/stallbody"), 1 << 20));
        assertEquals(HttpFailure.Kind.TRANSIENT, f.kind());
        assertTrue(f.getMessage().contains("no complete response"), f.getMessage());
        assertEquals(3, server.hits("/stallbody").size());
    }

    @Test
    void serverErrorsAreRetriedUntilSuccess() throws IOException {
        AtomicInteger n = new AtomicInteger();
        server.handle("/flaky", ex -> {
            switch (n.incrementAndGet()) {
                case 1 -> LocalHttpServer.send(ex, 500, "text/plain", "boom".getBytes());
                case 2 -> LocalHttpServer.send(ex, 503, "text/html", "<h1>busy</h1>".getBytes());
                default -> LocalHttpServer.send(ex, 200, "image/jpeg", BODY);
            }
        });
        assertArrayEquals(BODY, fetcher.get(server.uri("/flaky"), 1 << 20).body());
        assertEquals(3, server.hits("/flaky").size());
        assertEquals(2, fetcher.stats().retries());
    }

    @Test
    void serverErrorsEveryTimeEndTransientWithTheStatus() {
        server.handle("/down", ex -> LocalHttpServer.send(ex, 502, "text/plain", "bad gateway".getBytes()));
        HttpFailure f = assertThrows(HttpFailure.class, () -> fetcher.get(server.uri("/down"), 1 << 20));
        assertEquals(HttpFailure.Kind.TRANSIENT, f.kind());
        assertEquals(502, f.status());
        assertEquals(3, server.hits("/down").size());
    }

    @Test
    void tooManyRequestsWaitsForRetryAfter() throws IOException {
        AtomicInteger n = new AtomicInteger();
        server.handle("/busy", ex -> {
            if (n.incrementAndGet() == 1) {
                ex.getResponseHeaders().set("Retry-After", "1");
                LocalHttpServer.send(ex, 429, "text/plain", "slow down".getBytes());
            } else {
                LocalHttpServer.send(ex, 200, "image/jpeg", BODY);
            }
        });
        assertArrayEquals(BODY, fetcher.get(server.uri("/busy"), 1 << 20).body());
        List<LocalHttpServer.Hit> hits = server.hits("/busy");
        assertEquals(2, hits.size());
        long gapMs = (hits.get(1).nanos() - hits.get(0).nanos()) / 1_000_000;
        // the backoff alone would be under 80 ms: only Retry-After explains a wait of a second
        assertTrue(gapMs >= 950, "waited " + gapMs + " ms, Retry-After said 1 s");
    }

    @Test
    void aRetryAfterBeyondTheCapGivesUpAtOnce() {
        server.handle("/later", ex -> {
            ex.getResponseHeaders().set("Retry-After", "3600");
            LocalHttpServer.send(ex, 503, "text/plain", "maintenance".getBytes());
        });
        HttpFailure f = assertThrows(HttpFailure.class, () -> fetcher.get(server.uri("/later"), 1 << 20));
        assertEquals(HttpFailure.Kind.TRANSIENT, f.kind());
        assertEquals(1, server.hits("/later").size());
        assertTrue(f.getMessage().contains("3600"), f.getMessage());
    }

    @Test
    void clientErrorsAreNotRetried() {
        server.handle("/missing", ex -> LocalHttpServer.send(ex, 404, "text/html", "<p>no</p>".getBytes()));
        server.handle("/secret", ex -> LocalHttpServer.send(ex, 403, "text/html", "<p>no</p>".getBytes()));
        HttpFailure missing = assertThrows(HttpFailure.class, () -> fetcher.get(server.uri("/missing"), 1 << 20));
        assertEquals(HttpFailure.Kind.NOT_FOUND, missing.kind());
        assertTrue(missing.permanent());
        assertEquals(404, missing.status());
        HttpFailure secret = assertThrows(HttpFailure.class, () -> fetcher.get(server.uri("/secret"), 1 << 20));
        assertEquals(HttpFailure.Kind.REFUSED, secret.kind());
        assertEquals(1, server.hits("/missing").size());
        assertEquals(1, server.hits("/secret").size());
    }

    @Test
    void aTruncatedBodyIsRetriedThenReportedTruncated() {
        server.handle("/cut", ex -> {
            ex.sendResponseHeaders(200, 1000);
            OutputStream out = ex.getResponseBody();
            out.write(BODY, 0, 500);
            out.flush();
            // closing a fixed-length body short of its length drops the connection
        });
        HttpFailure f = assertThrows(HttpFailure.class, () -> fetcher.get(server.uri("/cut"), 1 << 20));
        assertEquals(HttpFailure.Kind.TRUNCATED, f.kind());
        assertTrue(f.permanent());
        assertTrue(f.getMessage().contains("500 of 1000"), f.getMessage());
        assertEquals(3, server.hits("/cut").size());
    }

    @Test
    void aTruncatedBodyThenAWholeOneSucceeds() throws IOException {
        AtomicInteger n = new AtomicInteger();
        server.handle("/cutonce", ex -> {
            if (n.incrementAndGet() == 1) {
                ex.sendResponseHeaders(200, BODY.length);
                ex.getResponseBody().write(BODY, 0, 100);
                ex.getResponseBody().flush();
            } else {
                LocalHttpServer.send(ex, 200, "image/jpeg", BODY);
            }
        });
        assertArrayEquals(BODY, fetcher.get(server.uri("/cutonce"), 1 << 20).body());
    }

    @Test
    void connectionsClosedWithoutAResponseAreRetried() throws IOException {
        AtomicInteger n = new AtomicInteger();
        server.handle("/drop", ex -> {
            if (n.incrementAndGet() <= 2) {
                return; // the exchange closes with no response sent: the server drops the connection
            }
            LocalHttpServer.send(ex, 200, "image/jpeg", BODY);
        });
        assertArrayEquals(BODY, fetcher.get(server.uri("/drop"), 1 << 20).body());
        assertEquals(3, server.hits("/drop").size());
    }

    @Test
    void aServerThatAlwaysClosesEndsTransient() {
        server.handle("/gone", ex -> {
        });
        HttpFailure f = assertThrows(HttpFailure.class, () -> fetcher.get(server.uri("/gone"), 1 << 20));
        assertEquals(HttpFailure.Kind.TRANSIENT, f.kind());
        assertInstanceOf(IOException.class, f.getCause());
        assertEquals(-1, f.status());
        assertEquals(3, f.attempts());
        // java.net.http itself sends a GET again once when a connection closes before any response
        int hits = server.hits("/gone").size();
        assertTrue(hits >= 3 && hits <= 6, hits + " requests");
    }

    @Test
    void nobodyListeningIsTransientAndSaysWhere() throws IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI closed = URI.create("http://127.0.0.1:" + port + "/x.dzi");
        HttpFailure f = assertThrows(HttpFailure.class, () -> fetcher.get(closed, 1 << 20));
        assertEquals(HttpFailure.Kind.TRANSIENT, f.kind());
        assertEquals(closed + ": cannot connect to 127.0.0.1:" + port + " (3 attempts)", f.getMessage());
    }

    @Test
    void aHugeContentLengthIsRefusedBeforeReading() {
        server.handle("/huge", ex -> {
            ex.getResponseHeaders().set("Content-Type", "image/jpeg");
            ex.sendResponseHeaders(200, 1L << 40);
            ex.getResponseBody().write(BODY);
            ex.getResponseBody().flush();
            server.stall(); // the rest never comes
        });
        HttpFailure f = assertThrows(HttpFailure.class, () -> fetcher.get(server.uri("/huge"), 1 << 20));
        assertEquals(HttpFailure.Kind.TOO_LARGE, f.kind());
        assertTrue(f.getMessage().contains("Content-Length " + (1L << 40)), f.getMessage());
        assertEquals(1, server.hits("/huge").size(), "a permanent failure is not retried");
    }

    @Test
    void aContentLengthThatNeverArrivesEndsAtTheDeadline() {
        server.handle("/never", ex -> {
            ex.sendResponseHeaders(200, 500_000);
            server.stall();
        });
        HttpFailure f = assertThrows(HttpFailure.class, () -> fetcher.get(server.uri("/never"), 1 << 20));
        assertEquals(HttpFailure.Kind.TRANSIENT, f.kind());
    }

    @Test
    void aBodyGrowingPastTheLimitIsCut() {
        server.handle("/grow", ex -> {
            ex.sendResponseHeaders(200, 0); // chunked: no length to refuse up front
            OutputStream out = ex.getResponseBody();
            try {
                for (int i = 0; i < 1000; i++) {
                    out.write(BODY);
                }
            } catch (IOException expected) {
                // the client dropped the connection
            }
        });
        HttpFailure f = assertThrows(HttpFailure.class, () -> fetcher.get(server.uri("/grow"), 4096));
        assertEquals(HttpFailure.Kind.TOO_LARGE, f.kind());
        assertTrue(f.getMessage().contains("grew past"), f.getMessage());
    }

    @Test
    void requestsToOneHostAreBounded() throws Exception {
        HttpOptions o = testOptions().withPerHostRequests(2)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5));
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        server.handle("/bounded", ex -> {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            sleep(100);
            now.decrementAndGet();
            LocalHttpServer.send(ex, 200, "image/jpeg", BODY);
        });
        try (HttpFetcher bounded = new HttpFetcher(o)) {
            List<Thread> threads = new ArrayList<>();
            AtomicReference<Throwable> error = new AtomicReference<>();
            for (int i = 0; i < 8; i++) {
                int k = i;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        bounded.get(server.uri("/bounded?k=" + k), 1 << 20);
                    } catch (IOException e) {
                        error.set(e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(null, error.get());
        }
        assertEquals(8, server.hits("/bounded").size());
        assertEquals(2, most.get(), "two requests at a time to one host");
    }

    @Test
    void interruptingTheReaderCancelsTheRequest() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch clientGone = new CountDownLatch(1);
        server.handle("/trickle", ex -> {
            ex.sendResponseHeaders(200, 1 << 20);
            OutputStream out = ex.getResponseBody();
            started.countDown();
            try {
                for (int i = 0; i < 3000; i++) {
                    out.write(BODY, 0, 64);
                    out.flush();
                    sleep(20);
                }
            } catch (IOException e) {
                clientGone.countDown(); // the client closed the connection under the write
            }
        });
        HttpFetcher patient = new HttpFetcher(testOptions().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(60),
                Duration.ofSeconds(60)));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                patient.get(server.uri("/trickle"), 4 << 20);
            } catch (IOException e) {
                thrown.set(e);
            }
            flag.set(Thread.currentThread().isInterrupted());
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        reader.interrupt();
        reader.join(10_000);
        assertFalse(reader.isAlive(), "the read ended");
        assertInstanceOf(InterruptedIOException.class, thrown.get());
        assertEquals(Boolean.TRUE, flag.get(), "the interrupt is kept for the caller");
        assertTrue(clientGone.await(10, TimeUnit.SECONDS), "the server saw the connection closed");
        patient.close();
    }

    @Test
    void retryAfterAsSecondsOrAnHttpDate() {
        ZonedDateTime now = ZonedDateTime.of(2025, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);
        assertEquals(Optional.of(Duration.ofSeconds(120)), HttpFetcher.retryAfter(headers("120"), now));
        String inNinety = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(90));
        assertEquals(Optional.of(Duration.ofSeconds(90)), HttpFetcher.retryAfter(headers(inNinety), now));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.minusSeconds(90));
        assertEquals(Optional.of(Duration.ZERO), HttpFetcher.retryAfter(headers(past), now));
        assertEquals(Optional.empty(), HttpFetcher.retryAfter(headers("soon"), now));
        assertEquals(Optional.empty(), HttpFetcher.retryAfter(HttpHeaders.of(Map.of(), (a, b) -> true), now));
    }

    @Test
    void backoffDoublesWithJitterUpToTheCap() {
        HttpOptions o = HttpOptions.defaults().withRetries(5, Duration.ofMillis(100), Duration.ofMillis(800),
                Duration.ofSeconds(5));
        for (int i = 0; i < 200; i++) {
            long first = HttpFetcher.backoff(o, 1).toMillis();
            long third = HttpFetcher.backoff(o, 3).toMillis();
            long tenth = HttpFetcher.backoff(o, 10).toMillis();
            assertTrue(first >= 50 && first <= 100, "first " + first);
            assertTrue(third >= 200 && third <= 400, "third " + third);
            assertTrue(tenth >= 400 && tenth <= 800, "capped " + tenth);
        }
    }

    @Test
    void retryableStatuses() {
        assertTrue(HttpFetcher.retryable(500));
        assertTrue(HttpFetcher.retryable(503));
        assertTrue(HttpFetcher.retryable(429));
        assertFalse(HttpFetcher.retryable(501));
        assertFalse(HttpFetcher.retryable(404));
        assertFalse(HttpFetcher.retryable(400));
    }

    @Test
    void hostKeysIncludeTheDefaultPort() {
        assertEquals("http://example.org:80", HttpFetcher.hostKey(URI.create("http://Example.org/a")));
        assertEquals("https://example.org:443", HttpFetcher.hostKey(URI.create("https://example.org/a")));
        assertEquals("http://127.0.0.1:8080", HttpFetcher.hostKey(URI.create("http://127.0.0.1:8080/a")));
    }

    private static HttpHeaders headers(String retryAfter) {
        return HttpHeaders.of(Map.of("Retry-After", List.of(retryAfter)), (a, b) -> true);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
