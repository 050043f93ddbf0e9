package org.tilescope.engine.slide.fastpath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.region.RegionReader;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideProbe;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.slide.TileException;
import org.tilescope.engine.slide.http.HttpFetcher;
import org.tilescope.engine.slide.http.HttpOptions;
import org.tilescope.engine.testing.Fixtures;
import org.tilescope.engine.testing.LocalHttpServer;
import org.tilescope.engine.testing.Pixels;

/** FastPATH folders served as static files: Range requests into the packs, or per-tile files. */
class FastPathHttpSourceTest {
    @TempDir
    Path dir;
    private LocalHttpServer server;
    private HttpFetcher fetcher;

    @BeforeEach
    void start() throws IOException {
        server = LocalHttpServer.start();
        fetcher = new HttpFetcher(HttpOptions.defaults()
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(3))
                .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(2)));
    }

    @AfterEach
    void stop() {
        fetcher.close();
        server.close();
    }

    private static void assertSameSlide(SlideSource local, SlideSource remote) throws IOException {
        assertEquals(local.info().levels(), remote.info().levels());
        assertEquals(local.info().mpp(), remote.info().mpp());
        for (LevelInfo l : local.info().levels()) {
            for (int r = 0; r < l.rows(); r++) {
                for (int c = 0; c < l.cols(); c++) {
                    assertArrayEquals(local.readTile(l.index(), c, r), remote.readTile(l.index(), c, r),
                            "tile " + l.index() + "/" + c + "," + r);
                }
            }
        }
        Pixels.assertSame(new RegionReader(local).read(0, 30, 20, 250, 170).image(),
                new RegionReader(remote).read(0, 30, 20, 250, 170).image(), "region");
    }

    @Test
    void packedTilesAreReadByRangeRequests() throws IOException {
        Fixtures.FastPath fp = Fixtures.fastPath(dir.resolve("s.fastpath"), Fixtures.drawSource(300, 200), 64, 3,
                Fixtures.FastPathLayout.PACK_V2);
        server.serveFiles("/fp", dir);
        URI url = server.uri("/fp/s.fastpath/");
        try (SlideSource remote = Slides.open(url); SlideSource local = Slides.open(fp.dir())) {
            assertInstanceOf(FastPathHttpSource.class, remote);
            assertEquals("fastpath", remote.info().format());
            assertSameSlide(local, remote);
        }
        assertTrue(server.hits("/fp/s.fastpath/tiles/level_2.pack").stream()
                .allMatch(h -> h.headers().getFirst("Range") != null), "every pack read is a Range request");
        assertEquals(1, server.hits("/fp/s.fastpath/tiles/level_2.idx").size(), "each index is read once");
    }

    @Test
    void perTileFoldersAreReadByPlainRequests() throws IOException {
        Fixtures.FastPath fp = Fixtures.fastPath(dir.resolve("t.fastpath"), Fixtures.drawSource(300, 200), 64, 3,
                Fixtures.FastPathLayout.PER_TILE);
        server.serveFiles("/fp", dir, false);
        try (SlideSource remote = FastPathHttpSource.open(server.uri("/fp/t.fastpath/metadata.json"), fetcher);
             SlideSource local = Slides.open(fp.dir())) {
            assertSameSlide(local, remote);
        }
    }

    @Test
    void aServerWithoutRangesIsRefusedWithAClearError() throws IOException {
        Fixtures.fastPath(dir.resolve("s.fastpath"), Fixtures.drawSource(300, 200), 64, 3,
                Fixtures.FastPathLayout.PACK_V2);
        server.serveFiles("/norange", dir, false);
        SlideException e = assertThrows(SlideException.class,
                () -> FastPathHttpSource.open(server.uri("/norange/s.fastpath"), fetcher));
        assertTrue(e.getMessage().contains("ignores HTTP Range requests"), e.getMessage());
        assertTrue(e.getMessage().contains("level_0.pack"), e.getMessage());
    }

    @Test
    void aMissingIndexAndAnEmptyEntry() throws IOException {
        Fixtures.FastPath fp = Fixtures.fastPath(dir.resolve("s.fastpath"), Fixtures.drawSource(300, 200), 64, 3,
                Fixtures.FastPathLayout.PACK_V2);
        server.serveFiles("/fp", dir);
        Path idx = fp.dir().resolve("tiles/level_2.idx");
        byte[] saved = Files.readAllBytes(idx);
        Files.delete(idx);
        SlideException missing = assertThrows(SlideException.class,
                () -> FastPathHttpSource.open(server.uri("/fp/s.fastpath"), fetcher));
        assertTrue(missing.getMessage().contains("level_2.idx: missing index file"), missing.getMessage());
        Files.write(idx, saved);
        Fixtures.patchIndexEntry(idx, 3, 0, 0);
        try (FastPathHttpSource src = FastPathHttpSource.open(server.uri("/fp/s.fastpath"), fetcher)) {
            TileException t = assertThrows(TileException.class, () -> src.readTile(0, 3, 0));
            assertTrue(t.getMessage().contains("empty entry"), t.getMessage());
        }
    }

    @Test
    void theProviderTakesFastPathUrls() throws IOException {
        FastPathHttpProvider p = new FastPathHttpProvider();
        assertEquals(1, p.support(SlideProbe.of(URI.create("http://h/a/s.fastpath"))));
        assertEquals(1, p.support(SlideProbe.of(URI.create("https://h/a/S.FASTPATH/"))));
        assertEquals(1, p.support(SlideProbe.of(URI.create("http://h/a/s/metadata.json"))));
        assertEquals(0, p.support(SlideProbe.of(URI.create("http://h/a/s.dzi"))));
        assertEquals("http://h/a/s.fastpath/", FastPathHttpSource.folderOf(URI.create("http://h/a/s.fastpath")));
        assertEquals("http://h/a/s/", FastPathHttpSource.folderOf(URI.create("http://h/a/s/metadata.json")));
    }
}
