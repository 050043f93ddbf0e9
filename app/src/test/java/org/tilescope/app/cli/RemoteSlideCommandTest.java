package org.tilescope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.app.TestSlides;

/** Every slide subcommand takes a URL: the same answers over HTTP as from the file. */
class RemoteSlideCommandTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private ExecutorService executor;
    private Path dzi;
    private String url;

    @BeforeEach
    void serve() throws IOException {
        dzi = TestSlides.writeDzi(dir, "s", 600, 400, 128, 1);
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
                ex.getResponseHeaders().set("Content-Type", f.toString().endsWith(".dzi") ? "application/xml"
                        : f.toString().endsWith(".png") ? "image/png" : "image/jpeg");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/s.dzi";
    }

    @AfterEach
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Test
    void infoOfAUrl() throws IOException {
        CommandLineTest.Result r = CommandLineTest.run("info", "--json", url);
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(url, j.get("path").asText());
        assertEquals("deepzoom", j.get("format").asText());
        assertEquals(600, j.get("width").asInt());
        CommandLineTest.Result text = CommandLineTest.run("info", url);
        assertTrue(text.out().contains(url), text.out());
    }

    @Test
    void regionThumbnailAndViewOfAUrlMatchTheFile() throws IOException {
        for (String[] cmd : new String[][] {
                {"region", "--x", "100", "--y", "60", "--width", "300", "--height", "200"},
                {"thumbnail", "--max", "200"},
                {"view", "--center", "300,200", "--zoom", "0.5", "--size", "320x240"}}) {
            Path local = dir.resolve(cmd[0] + "-local.png");
            Path remote = dir.resolve(cmd[0] + "-remote.png");
            CommandLineTest.Result a = CommandLineTest.run(args(cmd, dzi.toString(), local));
            CommandLineTest.Result b = CommandLineTest.run(args(cmd, url, remote));
            assertEquals(0, a.code(), a.err());
            assertEquals(0, b.code(), b.err());
            BufferedImage ia = ImageIO.read(local.toFile());
            BufferedImage ib = ImageIO.read(remote.toFile());
            assertEquals(ia.getWidth(), ib.getWidth());
            assertEquals(ia.getHeight(), ib.getHeight());
            for (int y = 0; y < ia.getHeight(); y++) {
                for (int x = 0; x < ia.getWidth(); x++) {
                    if (ia.getRGB(x, y) != ib.getRGB(x, y)) {
                        throw new AssertionError(cmd[0] + ": pixel " + x + "," + y + " differs");
                    }
                }
            }
        }
    }

    private static String[] args(String[] cmd, String slide, Path out) {
        String[] all = new String[cmd.length + 3];
        all[0] = cmd[0];
        all[1] = slide;
        System.arraycopy(cmd, 1, all, 2, cmd.length - 1);
        all[cmd.length + 1] = "--out";
        all[cmd.length + 2] = out.toString();
        return all;
    }

    @Test
    void aMissingUrlIsOneClearLine() {
        String missing = url.replace("s.dzi", "nope.dzi");
        CommandLineTest.Result r = CommandLineTest.run("info", missing);
        assertEquals(1, r.code());
        assertEquals("tilescope: " + missing + ": missing on the server (HTTP 404)", r.err().strip());
        CommandLineTest.Result unknown = CommandLineTest.run("info", "http://127.0.0.1:1/some/page.html");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("not a slide Tilescope can read"), unknown.err());
    }

    @Test
    void slideArgumentsAreUrlsWhenTheyHaveAScheme() {
        assertTrue(SlideLocations.isUrl("http://h/a.dzi"));
        assertTrue(SlideLocations.isUrl("https://h/iiif/x/info.json"));
        assertTrue(SlideLocations.isUrl("file:///tmp/a.dzi"));
        assertFalse(SlideLocations.isUrl("/tmp/a.dzi"));
        assertFalse(SlideLocations.isUrl("slides/a.dzi"));
        assertFalse(SlideLocations.isUrl("C:\\slides\\a.svs"));
        assertEquals(URI.create("http://h/a%20b.dzi?x=1"), SlideLocations.of("http://h/a%20b.dzi?x=1"));
        assertEquals(Path.of("rel/a.dzi").toAbsolutePath().toUri(), SlideLocations.of("rel/a.dzi"));
        assertEquals(Path.of("/tmp/x/../a.dzi").normalize().toUri(), SlideLocations.of("file:///tmp/x/../a.dzi"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> SlideLocations.of("http://h/a b.dzi"));
        assertTrue(bad.getMessage().startsWith("http://h/a b.dzi: not a valid URL"), bad.getMessage());
    }

    @Test
    void displayNamesOfUrls() {
        assertEquals("case.dzi", SlideLocations.displayName(URI.create("http://h/slides/case.dzi")));
        assertEquals("case.tif", SlideLocations.displayName(URI.create("http://h/iiif/case.tif/info.json")));
        assertEquals("case.tif", SlideLocations.displayName(
                URI.create("http://h/fcgi-bin/iipsrv.fcgi?IIIF=/data/case.tif/info.json")));
        assertEquals("case.tif.dzi", SlideLocations.displayName(
                URI.create("http://h/fcgi-bin/iipsrv.fcgi?DeepZoom=/data/case.tif.dzi")));
        assertEquals("a.dzi", SlideLocations.displayName(Path.of("/tmp/a.dzi").toUri()));
    }
}
