package org.tilescope.engine.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's HTTP server on 127.0.0.1 and a free port, for tests that talk real HTTP: handlers
 * per path prefix, a log of every request, and a latch that stalled handlers wait on until the
 * server closes (so a stall never outlives its test).
 */
public final class LocalHttpServer implements AutoCloseable {
    /** One request as the server saw it. */
    public record Hit(String method, String target, int remotePort, long nanos, com.sun.net.httpserver.Headers headers) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Hit> hits = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    private LocalHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.start();
    }

    public static LocalHttpServer start() throws IOException {
        return new LocalHttpServer();
    }

    /** Routes requests under {@code prefix} to {@code handler}, logging each. */
    public LocalHttpServer handle(String prefix, HttpHandler handler) {
        server.createContext(prefix, ex -> {
            hits.add(new Hit(ex.getRequestMethod(), ex.getRequestURI().toString(), ex.getRemoteAddress().getPort(),
                    System.nanoTime(), ex.getRequestHeaders()));
            try {
                handler.handle(ex);
            } finally {
                ex.close();
            }
        });
        return this;
    }

    /** Serves the files under {@code dir} at {@code prefix}, with Content-Type, ETag and Last-Modified. */
    public LocalHttpServer serveFiles(String prefix, Path dir) {
        return serveFiles(prefix, dir, true);
    }

    /**
     * {@link #serveFiles(String, Path)}, answering a single {@code Range: bytes=A-B} with 206 when
     * {@code ranges} is true, or ignoring it (the whole file, 200) as a server without range support.
     */
    public LocalHttpServer serveFiles(String prefix, Path dir, boolean ranges) {
        return handle(prefix, ex -> {
            String rel = ex.getRequestURI().getPath().substring(prefix.length());
            Path f = dir.resolve(rel.startsWith("/") ? rel.substring(1) : rel).normalize();
            if (!f.startsWith(dir) || !Files.isRegularFile(f)) {
                send(ex, 404, "text/plain", "not found".getBytes());
                return;
            }
            long mtime = Files.getLastModifiedTime(f).toMillis();
            String etag = "\"" + Long.toHexString(mtime) + "-" + Long.toHexString(Files.size(f)) + "\"";
            ex.getResponseHeaders().set("ETag", etag);
            ex.getResponseHeaders().set("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(mtime), ZoneOffset.UTC)));
            if (etag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
                ex.sendResponseHeaders(304, -1);
                return;
            }
            byte[] all = Files.readAllBytes(f);
            String range = ex.getRequestHeaders().getFirst("Range");
            java.util.regex.Matcher m = range == null ? null
                    : java.util.regex.Pattern.compile("bytes=(\\d+)-(\\d+)").matcher(range);
            if (ranges && m != null && m.matches()) {
                long from = Long.parseLong(m.group(1));
                long to = Math.min(Long.parseLong(m.group(2)), all.length - 1L);
                if (from >= all.length || from > to) {
                    ex.getResponseHeaders().set("Content-Range", "bytes */" + all.length);
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + all.length);
                send(ex, 206, contentType(f), java.util.Arrays.copyOfRange(all, (int) from, (int) to + 1));
                return;
            }
            send(ex, 200, contentType(f), all);
        });
    }

    public static String contentType(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (n.endsWith(".png")) {
            return "image/png";
        }
        if (n.endsWith(".json")) {
            return "application/json";
        }
        if (n.endsWith(".dzi") || n.endsWith(".xml")) {
            return "application/xml";
        }
        return "application/octet-stream";
    }

    public static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            ex.getResponseHeaders().set("Content-Type", contentType);
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Blocks a handler until the server closes (at most a minute): a server that stalls. */
    public void stall() {
        try {
            closing.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Hit> hits() {
        return List.copyOf(hits);
    }

    /** Requests whose target starts with {@code prefix}. */
    public List<Hit> hits(String prefix) {
        return hits.stream().filter(h -> h.target().startsWith(prefix)).toList();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
