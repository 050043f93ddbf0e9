package org.tilescope.app.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.app.TestSlides;
import org.tilescope.app.settings.Settings;
import org.tilescope.app.swing.Edt;
import org.tilescope.engine.cache.CacheSizes;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.decode.TileDecoder;

/** File > Open URL: a slide served over HTTP shows in the window, and local slides still open after it. */
class OpenUrlWindowTest {
    @TempDir
    Path dir;
    private HttpServer server;
    private ExecutorService executor;
    private TilePipeline pipeline;
    private MainWindow window;
    private final List<String> errors = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void needsDisplay() {
        ViewerWindowTest.needsDisplay();
    }

    @BeforeEach
    void start() throws IOException {
        TestSlides.writeDzi(dir, "remote", 2000, 1500, 256, 1);
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", ex -> {
            Path f = dir.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
            try (ex) {
                if (!f.startsWith(dir) || !Files.isRegularFile(f)) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = Files.readAllBytes(f);
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        pipeline = new TilePipeline(new CacheSizes(128L << 20, 128L << 20), TileDecoder.standard(), 2, 4, 16);
        Settings settings = new Settings(dir.resolve("config"));
        window = Edt.call(() -> {
            MainWindow w = new MainWindow(pipeline, settings);
            w.setErrorDialog((title, msg) -> errors.add(title + ": " + msg));
            w.setSize(1000, 700);
            w.setVisible(true);
            return w;
        });
    }

    @AfterEach
    void stop() {
        Edt.call(() -> {
            window.dispose();
            return null;
        });
        pipeline.close();
        server.stop(0);
        executor.shutdownNow();
        assertTrue(ViewerWindowTest.VIOLATIONS.isEmpty(), "Swing touched off the EDT: " + ViewerWindowTest.VIOLATIONS);
    }

    @Test
    void aUrlOpensThenALocalSlideAfterIt() throws Exception {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/remote.dzi");
        Edt.call(() -> window.openUrl(url));
        ViewerWindowTest.waitFor(() -> window.pane().slide() != null && window.pane().slide().location().equals(url)
                && window.pane().slide().thumbnail() != null, "the remote slide to show");
        assertEquals("remote.dzi — Tilescope", Edt.call(window::getTitle));
        assertEquals(null, Edt.call(() -> window.pane().slide().path()), "a remote slide has no local path");

        Path local = TestSlides.writeDzi(Files.createDirectories(dir.resolve("lib")), "local", 800, 600, 256, 0);
        Edt.call(() -> window.open(local));
        ViewerWindowTest.waitFor(() -> window.pane().slide() != null && local.equals(window.pane().slide().path()),
                "the local slide to show after the remote one");
        assertEquals("local.dzi — Tilescope", Edt.call(window::getTitle));
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void aBadUrlSaysSoAndKeepsTheSlide() {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/remote.dzi");
        Edt.call(() -> window.openUrl(url));
        ViewerWindowTest.waitFor(() -> window.pane().slide() != null && window.pane().slide().thumbnail() != null,
                "the remote slide to show");
        URI missing = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/gone.dzi");
        SlideHandle before = Edt.call(() -> window.pane().slide());
        Edt.call(() -> window.openUrl(missing));
        ViewerWindowTest.waitFor(() -> !errors.isEmpty(), "the error dialog");
        assertTrue(errors.getFirst().startsWith("Cannot open gone.dzi: " + missing + ": missing on the server"),
                errors.getFirst());
        assertEquals(before, Edt.call(() -> window.pane().slide()));
    }
}
