package org.tilescope.engine.slide.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.cache.CacheSizes;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.region.Region;
import org.tilescope.engine.region.RegionReader;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.slide.TileException;
import org.tilescope.engine.slide.deepzoom.DeepZoomHttpSource;
import org.tilescope.engine.slide.iiif.IiifSource;
import org.tilescope.engine.testing.Corpus;
import org.tilescope.engine.testing.Lighttpd;
import org.tilescope.engine.testing.Pixels;

/**
 * Remote slides against real servers from Debian packages: iipsrv (IIPImage, FastCGI behind
 * lighttpd) serving the corpus TIFF over IIIF and Deep Zoom, and lighttpd serving the corpus
 * Deep Zoom and FastPATH folders as static files (FastPATH packs by Range requests). What is read through a server agrees with the local file:
 * within 35 dB PSNR where the server re-encodes, exactly where it serves the files.
 */
class RealServerIntegrationTest {
    static final String TIFF = "C24-0350_prostate_HE.tif";
    static final String DZI = "C24-0112_liver_HE";
    /** iipsrv re-encodes every tile; at its default quality 75 a region stays above 35 dB. */
    static final double MIN_PSNR = 35;

    @TempDir
    static Path tmp;
    static Path corpus;
    static Lighttpd server;

    @BeforeAll
    static void start() throws IOException {
        Lighttpd.assumeInstalled(true);
        corpus = Corpus.root();
        server = Lighttpd.start(tmp, corpus, corpus.resolve("tiff"), 75);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static URI iiif() {
        return server.uri(Lighttpd.IIPSRV_PATH + "?IIIF=/" + TIFF + "/info.json");
    }

    static URI iipDeepZoom() {
        return server.uri(Lighttpd.IIPSRV_PATH + "?DeepZoom=/" + TIFF + ".dzi");
    }

    @Test
    void iiifRegionsAgreeWithTheLocalTiff() throws IOException {
        try (SlideSource remote = Slides.open(iiif()); SlideSource local = Slides.open(corpus.resolve("tiff/" + TIFF))) {
            assertInstanceOf(IiifSource.class, remote, server.log());
            assertEquals(2, ((IiifSource) remote).iiif().version());
            assertEquals(local.info().width(), remote.info().width());
            assertEquals(local.info().height(), remote.info().height());
            assertTrue(remote.identity().contains("last-modified "), remote.identity());
            compare(local, remote, 0, 1000, 800, 1024, 768);
            compare(local, remote, 0, 5800, 4300, 300, 300); // over the image's corner: white beyond
            compare(local, remote, 2, 0, 0, 1500, 1125);
        }
    }

    @Test
    void iipsrvDeepZoomAgreesWithTheLocalTiff() throws IOException {
        try (SlideSource remote = Slides.open(iipDeepZoom()); SlideSource local = Slides.open(corpus.resolve("tiff/" + TIFF))) {
            assertInstanceOf(DeepZoomHttpSource.class, remote);
            assertEquals(local.info().width(), remote.info().width());
            compare(local, remote, 0, 2000, 1500, 1024, 768);
            compare(local, remote, 1, 0, 0, 3000, 2250);
        }
    }

    @Test
    void aMissingIiifImageAndAMissingTile() throws IOException {
        URI none = server.uri(Lighttpd.IIPSRV_PATH + "?IIIF=/no-such.tif/info.json");
        IOException e = assertThrows(IOException.class, () -> Slides.open(none));
        assertTrue(e.getMessage().startsWith(none + ": "), e.getMessage());
        try (SlideSource dz = Slides.open(iipDeepZoom())) {
            // iipsrv answers 404 for a tile outside its grid; asked directly, as a broken client would
            URI outside = ((DeepZoomHttpSource) dz).tileUri(0, 99, 99);
            TileException t = assertThrows(TileException.class,
                    () -> RemoteReads.tile(HttpFetcher.shared(), dz.info().location(), outside, 0, 99, 99));
            assertTrue(t.getMessage().contains("HTTP 404"), t.getMessage());
        }
    }

    @Test
    void staticDeepZoomIsExact() throws IOException {
        URI url = server.uri("/library/" + DZI + ".dzi");
        Path file = corpus.resolve("library/" + DZI + ".dzi");
        try (SlideSource remote = Slides.open(url); SlideSource local = Slides.open(file)) {
            assertInstanceOf(DeepZoomHttpSource.class, remote);
            assertEquals(local.info().levels(), remote.info().levels());
            assertTrue(remote.identity().contains("etag "), remote.identity());
            for (int[] t : new int[][] {{0, 0, 0}, {0, 7, 5}, {2, 1, 1}, {remote.info().levelCount() - 1, 0, 0}}) {
                assertArrayEquals(local.readTile(t[0], t[1], t[2]), remote.readTile(t[0], t[1], t[2]));
            }
            for (int[] r : new int[][] {{0, 1234, 987, 1024, 768}, {1, 0, 0, 2000, 1500}}) {
                Region a = new RegionReader(local).read(r[0], r[1], r[2], r[3], r[4]);
                Region b = new RegionReader(remote).read(r[0], r[1], r[2], r[3], r[4]);
                assertTrue(b.failures().isEmpty(), b.failures().toString());
                Pixels.assertSame(a.image(), b.image(), "region " + java.util.Arrays.toString(r));
            }
        }
    }

    @Test
    void fastPathFoldersOverLighttpdAreExact() throws IOException {
        for (String name : new String[] {"C24-0401_stomach_HE.fastpath", "C24-0402_stomach_HE_tiles.fastpath"}) {
            try (SlideSource remote = Slides.open(server.uri("/fastpath/" + name + "/"));
                 SlideSource local = Slides.open(corpus.resolve("fastpath/" + name))) {
                assertInstanceOf(org.tilescope.engine.slide.fastpath.FastPathHttpSource.class, remote);
                assertEquals(local.info().levels(), remote.info().levels());
                for (var l : local.info().levels()) {
                    assertArrayEquals(local.readTile(l.index(), l.cols() - 1, l.rows() - 1),
                            remote.readTile(l.index(), l.cols() - 1, l.rows() - 1), name + " level " + l.index());
                }
                Region a = new RegionReader(local).read(0, 1000, 700, 1024, 768);
                Region b = new RegionReader(remote).read(0, 1000, 700, 1024, 768);
                assertTrue(b.failures().isEmpty(), b.failures().toString());
                Pixels.assertSame(a.image(), b.image(), name);
            }
        }
    }

    @Test
    void lighttpdIsSpokenToOverHttp2() throws IOException {
        try (HttpFetcher f = new HttpFetcher(HttpOptions.defaults())) {
            HttpFetcher.Response first = f.get(server.uri("/library/" + DZI + ".dzi"), 1 << 20);
            HttpFetcher.Response second = f.get(server.uri("/library/" + DZI + "_files/0/0_0.jpg"), 1 << 20);
            assertEquals(200, first.status());
            assertEquals(HttpClient.Version.HTTP_2, second.version(), "h2c upgrade on the first request");
        }
    }

    @Test
    void thePipelineShowsAnIiifSlideAndKnowsItAgain() throws Exception {
        try (TilePipeline pipeline = new TilePipeline(new CacheSizes(128 << 20, 128 << 20), TileDecoder.standard(), 2, 8, 8)) {
            SlideHandle h = pipeline.open(iiif());
            BufferedImage thumb = h.ready().get(60, TimeUnit.SECONDS);
            assertTrue(thumb.getWidth() >= 375, "the coarse cover is in");
            assertEquals(0, pipeline.stats().failedTiles());
            assertEquals(h.id(), pipeline.open(iiif()).id());
            assertNotEquals(h.id(), pipeline.open(iipDeepZoom()).id(), "another URL is another slide");
        }
    }

    private static void compare(SlideSource local, SlideSource remote, int level, long x, long y, int w, int h) {
        Region a = new RegionReader(local).read(level, x, y, w, h);
        Region b = new RegionReader(remote).read(level, x, y, w, h);
        assertTrue(b.failures().isEmpty(), b.failures().toString());
        double psnr = Pixels.psnr(a.image(), b.image());
        String what = remote.info().format() + " level " + level + " at " + x + "," + y + " " + w + "x" + h;
        System.out.printf(java.util.Locale.ROOT, "%s: PSNR %.1f dB%n", what, psnr);
        assertTrue(psnr >= MIN_PSNR, what + ": PSNR " + psnr + " dB");
    }
}
