package org.tilescope.engine.slide.iiif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tilescope.engine.cache.CacheSizes;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.region.Region;
import org.tilescope.engine.region.RegionReader;
import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.slide.TileException;
import org.tilescope.engine.slide.http.HttpFailure;
import org.tilescope.engine.slide.http.HttpFetcher;
import org.tilescope.engine.slide.http.HttpOptions;
import org.tilescope.engine.testing.Fixtures;
import org.tilescope.engine.testing.LocalHttpServer;
import org.tilescope.engine.testing.Pixels;

/** IIIF services over real HTTP on 127.0.0.1: pixels, levels, missing tiles, identity. */
class IiifSourceTest {
    static final BufferedImage IMAGE = Fixtures.drawSource(300, 200);
    static final String V3_TILED = """
            {"@context": "http://iiif.io/api/image/3/context.json", "id": "http://elsewhere/ignored",
             "type": "ImageService3", "protocol": "http://iiif.io/api/image", "profile": "level2",
             "width": 300, "height": 200, "tiles": [{"width": 64, "scaleFactors": [1, 2, 4]}],
             "sizes": [{"width": 75, "height": 50}, {"width": 150, "height": 100}]}
            """;

    private LocalHttpServer server;
    private HttpFetcher fetcher;

    @BeforeEach
    void start() throws IOException {
        server = LocalHttpServer.start();
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

    private IiifTestService serve(String prefix, String info) {
        IiifTestService s = new IiifTestService(prefix, IMAGE, info);
        server.handle(prefix, s);
        return s;
    }

    @Test
    void openedByUrlThroughTheProvidersAndReadExactly() throws IOException {
        serve("/iiif/a", V3_TILED);
        URI url = server.uri("/iiif/a/info.json");
        try (SlideSource src = Slides.open(url)) {
            assertInstanceOf(IiifSource.class, src);
            assertEquals("iiif", src.info().format());
            assertEquals(url, src.info().location());
            assertEquals("info.json", src.info().name());
            assertEquals(3, src.info().levelCount());
            assertEquals(List.of(300, 150, 75), src.info().levels().stream().map(l -> l.width()).toList());
            List<BufferedImage> pyramid = Fixtures.pyramid(IMAGE);
            for (int level = 0; level < 3; level++) {
                BufferedImage expected = pyramid.get(level);
                Region r = new RegionReader(src).read(level, 0, 0, expected.getWidth(), expected.getHeight());
                assertTrue(r.failures().isEmpty(), r.failures().toString());
                Pixels.assertSame(expected, r.image(), "level " + level);
            }
        }
    }

    @Test
    void version2WithoutTilesIsCutIn512PixelTiles() throws IOException {
        IiifTestService s = serve("/iiif/v2", """
                {"@context": "http://iiif.io/api/image/2/context.json", "@id": "http://x/iiif/v2",
                 "profile": ["http://iiif.io/api/image/2/level1.json"], "width": 300, "height": 200}
                """);
        try (IiifSource src = IiifSource.open(server.uri("/iiif/v2/info.json"), fetcher)) {
            assertEquals(1, src.info().levelCount());
            assertEquals(512, src.info().tileWidth());
            Region r = new RegionReader(src).read(0, 0, 0, 300, 200);
            Pixels.assertSame(IMAGE, r.image(), "one 512 px tile, region full at full size");
            assertEquals(List.of("/full/full/0/default.jpg"), s.served);
        }
    }

    @Test
    void aLevel0ServiceWithOnlySizesReadsWholeImages() throws IOException {
        IiifTestService s = serve("/iiif/static", """
                {"@context": "http://iiif.io/api/image/3/context.json", "id": "http://x/iiif/static",
                 "type": "ImageService3", "profile": "level0", "width": 300, "height": 200,
                 "sizes": [{"width": 75, "height": 50}, {"width": 300, "height": 200}]}
                """);
        try (IiifSource src = IiifSource.open(server.uri("/iiif/static/info.json"), fetcher)) {
            assertEquals(2, src.info().levelCount());
            assertEquals(4.0, src.info().level(1).downsample());
            Pixels.assertSame(IMAGE, new RegionReader(src).read(0, 0, 0, 300, 200).image(), "full/max");
            Pixels.assertSame(Fixtures.pyramid(IMAGE).get(2), new RegionReader(src).read(1, 0, 0, 75, 50).image(),
                    "full/75,50");
            assertTrue(s.served.containsAll(List.of("/full/max/0/default.jpg", "/full/75,50/0/default.jpg")), s.served.toString());
        }
    }

    @Test
    void theThumbnailIsAListedSize() throws IOException {
        IiifTestService s = serve("/iiif/t", V3_TILED);
        try (IiifSource src = IiifSource.open(server.uri("/iiif/t/info.json"), fetcher)) {
            assertEquals(List.of("thumbnail"), src.info().associated());
            BufferedImage thumb = TileDecoder.standard().decode(src.readAssociated("thumbnail"));
            assertEquals(150, thumb.getWidth(), "the largest listed size up to 1024 px");
            assertEquals(List.of("/full/150,100/0/default.jpg"), s.served);
            assertThrows(SlideException.class, () -> src.readAssociated("label"));
        }
    }

    @Test
    void aMissingTileIsATileExceptionAndIsDrawnFromACoarserLevel() throws IOException {
        IiifTestService s = serve("/iiif/m", V3_TILED);
        s.missing.add("/64,64,64,64/max/0/default.jpg");
        try (IiifSource src = IiifSource.open(server.uri("/iiif/m/info.json"), fetcher)) {
            TileException e = assertThrows(TileException.class, () -> src.readTile(0, 1, 1));
            assertTrue(e.getMessage().contains("missing on the server (HTTP 404)"), e.getMessage());
            assertInstanceOf(HttpFailure.class, e.getCause());
            Region r = new RegionReader(src).read(0, 0, 0, 300, 200);
            assertEquals(1, r.failures().size());
            assertFalse(Pixels.allWhite(r.image(), new java.awt.Rectangle(64, 64, 64, 64)), "filled from level 1");
        }
    }

    @Test
    void aTileThatIsNotAnImageIsDamaged() throws IOException {
        serve("/iiif/h", V3_TILED);
        server.handle("/iiif/h/0,0,64,64", ex -> LocalHttpServer.send(ex, 200, "text/html",
                "<html>please log in</html>".getBytes()));
        try (IiifSource src = IiifSource.open(server.uri("/iiif/h/info.json"), fetcher)) {
            TileException e = assertThrows(TileException.class, () -> src.readTile(0, 0, 0));
            assertTrue(e.getMessage().contains("not an image (Content-Type text/html)"), e.getMessage());
        }
    }

    @Test
    void aFailingServerIsTransientNotADamagedTile() throws IOException {
        serve("/iiif/f", V3_TILED);
        server.handle("/iiif/f/0,0,64,64", ex -> LocalHttpServer.send(ex, 503, "text/plain", "busy".getBytes()));
        try (IiifSource src = IiifSource.open(server.uri("/iiif/f/info.json"), fetcher)) {
            IOException e = assertThrows(IOException.class, () -> src.readTile(0, 0, 0));
            assertFalse(e instanceof TileException, "transient: " + e);
            assertInstanceOf(HttpFailure.class, e);
        }
    }

    @Test
    void aMissingOrBrokenInfoJsonIsASlideException() {
        server.handle("/iiif/html/info.json", ex -> LocalHttpServer.send(ex, 200, "text/html",
                "<html>not json</html>".getBytes()));
        SlideException missing = assertThrows(SlideException.class,
                () -> IiifSource.open(server.uri("/iiif/none/info.json"), fetcher));
        assertTrue(missing.getMessage().startsWith(server.uri("/iiif/none/info.json") + ": missing on the server (HTTP 404)"),
                missing.getMessage());
        SlideException html = assertThrows(SlideException.class,
                () -> IiifSource.open(server.uri("/iiif/html/info.json"), fetcher));
        assertTrue(html.getMessage().contains("malformed JSON"), html.getMessage());
    }

    @Test
    void identityIsTheUrlAndTheValidatorAndAChangeIsSeen() throws IOException {
        IiifTestService s = serve("/iiif/id", V3_TILED);
        URI url = server.uri("/iiif/id/info.json");
        try (IiifSource a = IiifSource.open(url, fetcher); IiifSource b = IiifSource.open(url, fetcher)) {
            assertEquals(a.identity(), b.identity());
            assertTrue(a.identity().startsWith(url + "\u0000etag \"1\""), a.identity());
            assertFalse(a.changedOnDisk(), "304 Not Modified");
            LocalHttpServer.Hit last = server.hits("/iiif/id/info.json").getLast();
            assertEquals("\"1\"", last.headers().getFirst("If-None-Match"));
            s.setInfo(V3_TILED, "\"2\"");
            assertTrue(a.changedOnDisk());
            try (IiifSource c = IiifSource.open(url, fetcher)) {
                assertNotEquals(a.identity(), c.identity());
            }
        }
    }

    @Test
    void thePipelineOpensAUrlAndReopensAChangedSlideUnderANewId() throws Exception {
        IiifTestService s = serve("/iiif/p", V3_TILED);
        URI url = server.uri("/iiif/p/info.json");
        try (TilePipeline pipeline = new TilePipeline(new CacheSizes(64 << 20, 64 << 20), TileDecoder.standard(), 2, 4, 8)) {
            SlideHandle h = pipeline.open(url);
            BufferedImage thumb = h.ready().get(30, TimeUnit.SECONDS);
            assertEquals(url, h.location());
            assertEquals(null, h.path());
            assertTrue(thumb.getWidth() > 0);
            assertEquals(0, pipeline.stats().failedTiles());
            SlideHandle again = pipeline.open(url);
            assertEquals(h.id(), again.id(), "same validator: same slide");
            s.setInfo(V3_TILED, "\"changed\"");
            // the shared fetcher checks at most every few seconds; wait for its next look
            SlideHandle changed = again;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (changed.id() == h.id() && System.nanoTime() < until) {
                Thread.sleep(500);
                changed = pipeline.open(url);
            }
            assertNotEquals(h.id(), changed.id(), "a changed validator is a new slide");
        }
    }
}
