package org.tilescope.engine.slide.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.deepzoom.DeepZoomHttpSource;
import org.tilescope.engine.testing.Fixtures;
import org.tilescope.engine.testing.LocalHttpServer;

/** The on-disk L3 for remote tiles: a reopened slide asks its server for no tile. */
class DiskTileCacheTest {
    @TempDir
    Path dir;
    private LocalHttpServer server;
    private HttpFetcher fetcher;
    private Fixtures.DeepZoom dz;

    @BeforeEach
    void start() throws IOException {
        dz = Fixtures.deepZoom(Files.createDirectories(dir.resolve("www")), "s", Fixtures.drawSource(300, 200), 64, 1, "jpg");
        server = LocalHttpServer.start().serveFiles("/www", dir.resolve("www"));
        fetcher = new HttpFetcher(HttpOptions.defaults().withRevalidateEvery(Duration.ZERO));
    }

    @AfterEach
    void stop() {
        DiskTileCache.disable();
        fetcher.close();
        server.close();
    }

    private URI url() {
        return server.uri("/www/s.dzi");
    }

    private static int readAll(SlideSource s) throws IOException {
        int n = 0;
        for (LevelInfo l : s.info().levels()) {
            for (int r = 0; r < l.rows(); r++) {
                for (int c = 0; c < l.cols(); c++) {
                    assertTrue(s.readTile(l.index(), c, r).length > 0);
                    n++;
                }
            }
        }
        return n;
    }

    private long tileRequests() {
        return server.hits("/www/s_files/").stream().filter(h -> !h.target().contains("vips-properties")).count();
    }

    @Test
    void aReopenedSlideReadsEveryTileFromDisk() throws IOException {
        DiskTileCache l3 = DiskTileCache.enable(dir.resolve("l3"), 64 << 20);
        int tiles;
        try (SlideSource first = DeepZoomHttpSource.open(url(), fetcher)) {
            tiles = readAll(first);
        }
        assertEquals(tiles, tileRequests());
        assertEquals(0, l3.stats().hits());
        // as after a restart: a new L3 over the same folder, a new source
        DiskTileCache again = DiskTileCache.enable(dir.resolve("l3"), 64 << 20);
        assertEquals(l3.stats().bytes(), again.stats().bytes(), "the size on disk is found again");
        try (SlideSource second = DeepZoomHttpSource.open(url(), fetcher)) {
            assertEquals(tiles, readAll(second));
            assertArrayEquals(Files.readAllBytes(dz.tile(0, 1, 1)), second.readTile(0, 1, 1));
        }
        assertEquals(tiles, tileRequests(), "no tile asked of the server again");
        assertEquals(tiles + 1, again.stats().hits());
    }

    @Test
    void aChangedSlideIsNotServedFromDisk() throws IOException {
        DiskTileCache l3 = DiskTileCache.enable(dir.resolve("l3"), 64 << 20);
        try (SlideSource first = DeepZoomHttpSource.open(url(), fetcher)) {
            first.readTile(0, 0, 0);
        }
        Files.write(dz.tile(0, 0, 0), Fixtures.encode(Fixtures.drawSource(64, 64), "png"));
        Files.setLastModifiedTime(dz.dzi(), FileTime.from(Instant.now().plusSeconds(60))); // the writer rewrote it
        try (SlideSource second = DeepZoomHttpSource.open(url(), fetcher)) {
            assertArrayEquals(Files.readAllBytes(dz.tile(0, 0, 0)), second.readTile(0, 0, 0));
        }
        assertEquals(2, tileRequests());
        assertEquals(0, l3.stats().hits());
    }

    @Test
    void theFolderStaysUnderItsBoundDroppingTheLeastRecentlyUsed() throws IOException {
        long bound = 12_000;
        DiskTileCache l3 = DiskTileCache.enable(dir.resolve("l3"), bound);
        try (SlideSource s = DeepZoomHttpSource.open(url(), fetcher)) {
            for (int round = 0; round < 2; round++) {
                readAll(s);
                s.readTile(0, 0, 0); // kept in use
            }
        }
        long allTiles;
        try (Stream<Path> files = Files.walk(dz.filesDir())) {
            allTiles = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertTrue(allTiles > 2 * bound, "the slide (" + allTiles + " bytes) does not fit: eviction is tested");
        long onDisk;
        try (Stream<Path> files = Files.walk(dir.resolve("l3"))) {
            onDisk = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertTrue(onDisk <= bound, onDisk + " bytes on disk, bound " + bound);
        assertTrue(l3.stats().bytes() <= bound);
        long hits = l3.stats().hits();
        try (SlideSource s = DeepZoomHttpSource.open(url(), fetcher)) {
            s.readTile(0, 0, 0);
        }
        assertEquals(hits + 1, l3.stats().hits(), "the tile used last is still there");
    }

    @Test
    void aDamagedFileIsAMissAndIsReplaced() throws IOException {
        DiskTileCache l3 = DiskTileCache.enable(dir.resolve("l3"), 64 << 20);
        try (SlideSource s = DeepZoomHttpSource.open(url(), fetcher)) {
            s.readTile(0, 2, 1);
        }
        try (Stream<Path> files = Files.walk(dir.resolve("l3"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.write(f, new byte[0]);
            }
        }
        try (SlideSource s = DeepZoomHttpSource.open(url(), fetcher)) {
            assertArrayEquals(Files.readAllBytes(dz.tile(0, 2, 1)), s.readTile(0, 2, 1));
        }
        assertEquals(2, tileRequests());
        assertEquals(0, l3.stats().hits());
        assertEquals(2, l3.stats().misses());
    }

    @Test
    void offByDefault() throws IOException {
        assertTrue(DiskTileCache.shared().isEmpty());
        try (SlideSource s = DeepZoomHttpSource.open(url(), fetcher)) {
            readAll(s);
        }
        assertNull(DiskTileCache.shared().orElse(null));
        assertTrue(Files.notExists(dir.resolve("l3")));
    }
}
