package org.tilescope.engine.slide.deepzoom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.region.Region;
import org.tilescope.engine.region.RegionReader;
import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideProbe;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.slide.TileException;
import org.tilescope.engine.slide.http.HttpFailure;
import org.tilescope.engine.slide.http.HttpFetcher;
import org.tilescope.engine.slide.http.HttpOptions;
import org.tilescope.engine.testing.Fixtures;
import org.tilescope.engine.testing.LocalHttpServer;
import org.tilescope.engine.testing.Pixels;

/** Deep Zoom slides served as static files, and through a server's query endpoint. */
class DeepZoomHttpSourceTest {
    @TempDir
    Path dir;

    private LocalHttpServer server;
    private HttpFetcher fetcher;
    private Fixtures.DeepZoom dz;

    @BeforeEach
    void start() throws IOException {
        dz = Fixtures.deepZoom(dir, "slide", Fixtures.drawSource(300, 200), 64, 1, "png");
        server = LocalHttpServer.start().serveFiles("/slides", dir);
        fetcher = new HttpFetcher(HttpOptions.defaults()
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(3))
                .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(2))
                .withRevalidateEvery(Duration.ZERO));
    }

    @AfterEach
    void stop() {
        fetcher.close();
        server.close();
    }

    @Test
    void theProviderIsChosenByTheUrl() throws IOException {
        DeepZoomHttpProvider p = new DeepZoomHttpProvider();
        assertEquals(1, p.support(SlideProbe.of(URI.create("http://h/a/b.dzi"))));
        assertEquals(1, p.support(SlideProbe.of(URI.create("https://h/a/B.DZI?token=1"))));
        assertEquals(1, p.support(SlideProbe.of(URI.create("http://h/fcgi-bin/iipsrv.fcgi?DeepZoom=/d/s.tif.dzi"))));
        assertEquals(0, p.support(SlideProbe.of(URI.create("http://h/a/info.json"))));
        assertEquals(0, p.support(SlideProbe.of(URI.create("ftp://h/a/b.dzi"))));
        assertEquals(0, p.support(SlideProbe.of(dz.dzi())), "a local .dzi is the local provider's");
    }

    @Test
    void tilesAndRegionsAreTheFilesBytesAndPixels() throws IOException {
        URI url = server.uri("/slides/slide.dzi");
        try (SlideSource remote = Slides.open(url); SlideSource local = Slides.open(dz.dzi())) {
            assertInstanceOf(DeepZoomHttpSource.class, remote);
            assertEquals(url, remote.info().location());
            assertEquals(local.info().levels(), remote.info().levels());
            assertEquals(1, remote.info().overlap());
            for (int level = 0; level < local.info().levelCount(); level++) {
                var l = local.info().level(level);
                for (int r = 0; r < l.rows(); r++) {
                    for (int c = 0; c < l.cols(); c++) {
                        assertArrayEquals(local.readTile(level, c, r), remote.readTile(level, c, r),
                                "tile " + level + "/" + c + "_" + r);
                    }
                }
            }
            Region a = new RegionReader(local).read(0, 17, 9, 250, 180);
            Region b = new RegionReader(remote).read(0, 17, 9, 250, 180);
            assertTrue(b.failures().isEmpty());
            Pixels.assertSame(a.image(), b.image(), "region over HTTP");
        }
    }

    @Test
    void tileUrlsKeepWhatFollowsTheDzi() throws IOException {
        server.handle("/signed", ex -> {
            String p = ex.getRequestURI().getPath().substring("/signed".length());
            if (!"token=abc".equals(ex.getRequestURI().getQuery())) {
                LocalHttpServer.send(ex, 403, "text/plain", "no token".getBytes());
                return;
            }
            Path f = dir.resolve(p.substring(1));
            LocalHttpServer.send(ex, 200, LocalHttpServer.contentType(f), Files.readAllBytes(f));
        });
        try (DeepZoomHttpSource src = DeepZoomHttpSource.open(server.uri("/signed/slide.dzi?token=abc"), fetcher)) {
            assertEquals(server.uri("/signed/slide_files/9/1_2.png?token=abc"), src.tileUri(0, 1, 2));
            assertArrayEquals(Files.readAllBytes(dz.tile(0, 1, 2)), src.readTile(0, 1, 2));
        }
    }

    @Test
    void aServerEndpointWithTheDescriptorInTheQuery() throws IOException {
        // iipsrv's form: ?DeepZoom=/path/image.dzi, tiles at ?DeepZoom=/path/image_files/L/C_R.ext
        server.handle("/fcgi-bin/iipsrv.fcgi", ex -> {
            String q = ex.getRequestURI().getQuery();
            String name = q.substring("DeepZoom=/data/".length());
            Path f = dir.resolve(name);
            if (!Files.isRegularFile(f)) {
                LocalHttpServer.send(ex, 404, "text/plain", "none".getBytes());
                return;
            }
            LocalHttpServer.send(ex, 200, LocalHttpServer.contentType(f), Files.readAllBytes(f));
        });
        URI url = server.uri("/fcgi-bin/iipsrv.fcgi?DeepZoom=/data/slide.dzi");
        try (SlideSource src = Slides.open(url); SlideSource local = Slides.open(dz.dzi())) {
            assertEquals(server.uri("/fcgi-bin/iipsrv.fcgi?DeepZoom=/data/slide_files/8/0_1.png"),
                    ((DeepZoomHttpSource) src).tileUri(1, 0, 1));
            Pixels.assertSame(new RegionReader(local).read(1, 0, 0, 150, 100).image(),
                    new RegionReader(src).read(1, 0, 0, 150, 100).image(), "level 1 through the endpoint");
        }
        assertTrue(server.hits("/slides/").isEmpty());
        assertTrue(server.hits().stream().noneMatch(h -> h.target().contains("vips-properties")),
                "an endpoint is not asked for a file beside the tiles");
    }

    @Test
    void aMissingTileIsATileExceptionAndTheRegionIsFilled() throws IOException {
        Files.delete(dz.tile(0, 2, 1));
        try (DeepZoomHttpSource src = DeepZoomHttpSource.open(server.uri("/slides/slide.dzi"), fetcher)) {
            TileException e = assertThrows(TileException.class, () -> src.readTile(0, 2, 1));
            assertTrue(e.getMessage().contains("missing on the server (HTTP 404)"), e.getMessage());
            assertTrue(e.getMessage().contains("slide_files/9/2_1.png"), e.getMessage());
            Region r = new RegionReader(src).read(0, 0, 0, 300, 200);
            assertEquals(1, r.failures().size());
            assertEquals(2, server.hits("/slides/slide_files/9/2_1.png").size(), "one request per read: a 404 is not retried");
        }
    }

    @Test
    void truncatedAndMistypedTilesAreDamaged() throws IOException {
        server.handle("/slides/slide_files/9/0_0.png", ex -> {
            ex.getResponseHeaders().set("Content-Type", "image/png");
            ex.sendResponseHeaders(200, 5000);
            ex.getResponseBody().write(new byte[100]);
            ex.getResponseBody().flush();
        });
        server.handle("/slides/slide_files/9/1_0.png", ex -> LocalHttpServer.send(ex, 200, "text/html; charset=utf-8",
                "<html>maintenance</html>".getBytes()));
        try (DeepZoomHttpSource src = DeepZoomHttpSource.open(server.uri("/slides/slide.dzi"), fetcher)) {
            TileException cut = assertThrows(TileException.class, () -> src.readTile(0, 0, 0));
            assertTrue(cut.getMessage().contains("damaged in transfer"), cut.getMessage());
            assertTrue(cut.getMessage().contains("100 of 5000"), cut.getMessage());
            TileException html = assertThrows(TileException.class, () -> src.readTile(0, 1, 0));
            assertTrue(html.getMessage().contains("not an image (Content-Type text/html)"), html.getMessage());
        }
    }

    @Test
    void anUnreachableTileIsTransient() throws IOException {
        server.handle("/slides/slide_files/9/0_0.png", ex -> LocalHttpServer.send(ex, 500, "text/plain", "x".getBytes()));
        try (DeepZoomHttpSource src = DeepZoomHttpSource.open(server.uri("/slides/slide.dzi"), fetcher)) {
            IOException e = assertThrows(IOException.class, () -> src.readTile(0, 0, 0));
            assertFalse(e instanceof TileException, e.toString());
            assertEquals(HttpFailure.Kind.TRANSIENT, ((HttpFailure) e).kind());
        }
    }

    @Test
    void badDescriptorsAreSlideExceptionsNamingTheUrl() throws IOException {
        Files.writeString(dir.resolve("html.dzi"), "<html><body>Sign in</body></html>");
        Files.writeString(dir.resolve("dtd.dzi"), "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"y\">]><Image/>");
        URI html = server.uri("/slides/html.dzi");
        SlideException e1 = assertThrows(SlideException.class, () -> DeepZoomHttpSource.open(html, fetcher));
        assertTrue(e1.getMessage().startsWith(html + ": not a Deep Zoom descriptor"), e1.getMessage());
        SlideException e2 = assertThrows(SlideException.class,
                () -> DeepZoomHttpSource.open(server.uri("/slides/dtd.dzi"), fetcher));
        assertTrue(e2.getMessage().contains("DOCTYPE is refused"), e2.getMessage());
        SlideException e3 = assertThrows(SlideException.class,
                () -> DeepZoomHttpSource.open(server.uri("/slides/none.dzi"), fetcher));
        assertTrue(e3.getMessage().contains("missing on the server (HTTP 404)"), e3.getMessage());
    }

    @Test
    void mppComesFromVipsPropertiesBesideTheTiles() throws IOException {
        Files.writeString(dz.filesDir().resolve("vips-properties.xml"), """
                <?xml version="1.0"?>
                <image xmlns="http://www.vips.ecs.soton.ac.uk//dzsave" date="2024-01-01" version="8.14">
                  <properties>
                    <property><name>openslide.mpp-x</name><value type="gchararray">0.2527</value></property>
                    <property><name>openslide.objective-power</name><value type="gchararray">40</value></property>
                  </properties>
                </image>
                """);
        try (DeepZoomHttpSource src = DeepZoomHttpSource.open(server.uri("/slides/slide.dzi"), fetcher)) {
            assertEquals(0.2527, src.info().mpp().orElseThrow(), 1e-9);
            assertEquals(40, src.info().magnification().orElseThrow(), 1e-9);
        }
    }

    @Test
    void aRewrittenDescriptorIsAChangedSlide() throws IOException {
        URI url = server.uri("/slides/slide.dzi");
        try (DeepZoomHttpSource src = DeepZoomHttpSource.open(url, fetcher)) {
            assertTrue(src.identity().startsWith(url + "\u0000etag "), src.identity());
            assertFalse(src.changedOnDisk());
            assertTrue(server.hits(url.getPath()).getLast().headers().containsKey("If-None-Match"),
                    "revalidation is a conditional request");
            Files.setLastModifiedTime(dz.dzi(), FileTime.from(Instant.now().plusSeconds(60)));
            assertTrue(src.changedOnDisk());
            try (DeepZoomHttpSource again = DeepZoomHttpSource.open(url, fetcher)) {
                assertNotEquals(src.identity(), again.identity());
            }
        }
    }
}
