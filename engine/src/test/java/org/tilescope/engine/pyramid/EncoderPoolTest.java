package org.tilescope.engine.pyramid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.decode.TileEncoder.Subsampling;

/** The encoder pool's size from cores, heap and bands, and the figures a write reports against the work it did. */
class EncoderPoolTest {
    private static final long MB = 1L << 20;

    @TempDir
    Path dir;

    /** Rows of a smooth picture with a grid, the band size chosen by the test. */
    private record Picture(int width, int height, int band) implements RowSource {
        @Override
        public int preferredBand() {
            return band;
        }

        @Override
        public void read(int y, int rows, int[] out) {
            for (int r = 0; r < rows; r++) {
                for (int x = 0; x < width; x++) {
                    int yy = y + r;
                    boolean line = x % 50 == 0 || yy % 40 == 0;
                    out[r * width + x] = line ? 0x202020 : ((x * 255 / width) << 16) | ((yy * 255 / height) << 8) | 0x80;
                }
            }
        }
    }

    @Test
    void theCoresOrTheUsersCountWhenTheHeapHoldsTheirTiles() {
        EncoderPool.Plan byCores = EncoderPool.Plan.of(2, 2, 1024 * MB, 100 * MB, MB);
        assertEquals(2, byCores.workers());
        assertEquals("cores", byCores.limitedBy());
        assertEquals(2 * EncoderPool.QUEUE_PER_WORKER, byCores.queuedTiles());
        EncoderPool.Plan byUser = EncoderPool.Plan.of(1, 8, 1024 * MB, 100 * MB, MB);
        assertEquals(1, byUser.workers());
        assertEquals("--workers", byUser.limitedBy());
        // more than the cores when asked: --workers is an upper bound, not clamped to the cores
        assertEquals(6, EncoderPool.Plan.of(6, 2, 1024 * MB, 100 * MB, MB).workers());
    }

    @Test
    void aSmallHeapGetsFewerWorkersAndAShorterQueueNeverMoreInFlightThanItHolds() {
        // half of 64 MB is 32 MB; the bands take 20, leaving 12 one-MB tiles in flight
        EncoderPool.Plan p = EncoderPool.Plan.of(8, 8, 64 * MB, 20 * MB, MB);
        assertEquals("heap", p.limitedBy());
        assertEquals(2, p.workers(), "12 tiles hold 2 workers with a tile in hand and 4 waiting each");
        long inFlight = (long) (p.workers() + p.queuedTiles()) * p.tileBytes();
        assertTrue(inFlight + p.bandBytes() <= 64 * MB * EncoderPool.HEAP_SHARE, p.describe());
        // barely room for two tiles: one worker, one waiting
        EncoderPool.Plan tight = EncoderPool.Plan.of(8, 8, 64 * MB, 30 * MB, MB);
        assertEquals(1, tight.workers());
        assertEquals(1, tight.queuedTiles());
    }

    @Test
    void bandsThatDoNotFitTheHeapAreRefusedWithTheFigures() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EncoderPool.Plan.of(2, 2, 256 * MB, 300 * MB, MB));
        assertTrue(e.getMessage().contains("Java heap is 256 MB") && e.getMessage().contains("-Xmx"), e.getMessage());
    }

    @Test
    void theWritersPlanForThe40000PixelImportFitsAGigabyteHeap() {
        var options = new PyramidWriter.Options(PyramidWriter.Format.DEEPZOOM, 254, 1, 80, 2);
        PyramidGeometry g = new PyramidGeometry(40000, 30000, 254, 1);
        // streamed JPEG: bands of 256 rows, three held by the source
        EncoderPool.Plan p = PyramidWriter.plan(options, g, 256, 3, 2, 1024 * MB);
        assertEquals(2, p.workers(), p.describe());
        assertEquals("cores", p.limitedBy());
        // a TIFF read by regions of an eighth of the heap (838 rows), one band held by the reader
        EncoderPool.Plan strips = PyramidWriter.plan(options, g, 838, 1, 2, 1024 * MB);
        assertEquals(2, strips.workers(), strips.describe());
        // and a 400000-pixel-wide one does not fit: refused with the reason, not an OutOfMemoryError
        PyramidGeometry wide = new PyramidGeometry(400_000, 30000, 254, 1);
        assertThrows(IllegalArgumentException.class, () -> PyramidWriter.plan(options, wide, 256, 3, 2, 1024 * MB));
    }

    @Test
    void theSummaryCountsTheTilesBytesAndWorkOfTheWrite() throws IOException {
        var options = new PyramidWriter.Options(PyramidWriter.Format.DEEPZOOM, 128, 1, 75, 2);
        PyramidWriter.Stats stats = new PyramidWriter.Stats();
        new PyramidWriter(options).write(new Picture(1001, 777, 64), dir, "pic", stats, () -> false);
        PyramidWriter.Summary s = stats.summary();

        PyramidGeometry g = new PyramidGeometry(1001, 777, 128, 1);
        List<Path> tiles;
        try (Stream<Path> files = Files.walk(dir.resolve("pic_files"))) {
            tiles = files.filter(p -> p.toString().endsWith(".jpeg")).toList();
        }
        assertEquals(g.tileCount(), s.tilesTotal());
        assertEquals(tiles.size(), s.tiles(), "every tile on disk, counted once");
        assertEquals(s.tiles(), s.tilesTotal());
        long onDisk = 0;
        for (Path t : tiles) {
            onDisk += Files.size(t);
        }
        assertEquals(onDisk, s.bytesOut(), "the JPEG bytes are the tiles' sizes");
        long pixels = 0;
        for (int l = 0; l < g.levels(); l++) {
            for (int r = 0; r < g.rows(l); r++) {
                for (int c = 0; c < g.cols(l); c++) {
                    pixels += (long) (g.tileEnd(c, g.levelWidth(l)) - g.tileStart(c))
                            * (g.tileEnd(r, g.levelHeight(l)) - g.tileStart(r));
                }
            }
        }
        assertEquals(3 * pixels, s.pixelBytes(), "3 bytes for every pixel of every tile");
        assertEquals(org.tilescope.engine.decode.TileEncoder.jpeg(75, Subsampling.YCC_420).name(), s.encoder());

        assertEquals(2, s.workers().size(), s.plan().describe());
        assertEquals(s.tiles(), s.workers().stream().mapToLong(PyramidWriter.WorkerLoad::tasks).sum(),
                "the workers' tasks add up to the tiles");
        for (PyramidWriter.WorkerLoad w : s.workers()) {
            assertTrue(w.tasks() == 0 || w.meanMillis() > 0, w.toString());
        }
        double meanOfWorkers = s.workers().stream().mapToDouble(w -> w.tasks() * w.meanMillis()).sum() / 1e3;
        assertEquals(s.encodeSeconds() + s.storeSeconds(), meanOfWorkers, 1e-6,
                "a worker's mean time is its encode and store time over its tasks");
        assertTrue(s.peakQueued() >= 1 && s.peakQueued() <= s.plan().queuedTiles(), "peak " + s.peakQueued());
        assertEquals(0, stats.queued(), "the queue is empty at the end");
        assertEquals(0, stats.busyWorkers());
        assertTrue(s.readSeconds() > 0 && s.buildSeconds() > 0 && s.encodeSeconds() > 0 && s.storeSeconds() > 0, s.toString());
        assertTrue(s.writerCpuSeconds() > 0 && s.encoderCpuSeconds() > 0, s.toString());
        assertEquals(777, stats.rowsRead());
    }

    @Test
    void aSlowEncoderMakesTheReaderWaitWithTheQueueFull() throws IOException {
        var options = new PyramidWriter.Options(PyramidWriter.Format.DEEPZOOM, 64, 0, 75, 1);
        PyramidWriter.Stats stats = new PyramidWriter.Stats();
        // the sink is the disk; a source of many small tiles outruns one encoder, so the writer waits
        new PyramidWriter(options).write(new Picture(2048, 512, 512), dir, "many", stats, () -> false);
        PyramidWriter.Summary s = stats.summary();
        assertEquals(s.plan().queuedTiles(), s.peakQueued(), "the queue filled up to its capacity, not past it");
        assertTrue(s.waitSeconds() > 0, "the writer waited for room: " + s);
    }

    @Test
    void aCancelStopsTheWorkersAndReportsWhatWasDone() {
        var options = new PyramidWriter.Options(PyramidWriter.Format.DEEPZOOM, 64, 0, 75, 2);
        PyramidWriter.Stats stats = new PyramidWriter.Stats();
        AtomicInteger asked = new AtomicInteger();
        assertThrows(CancellationException.class, () -> new PyramidWriter(options).write(new Picture(2000, 2000, 64),
                dir, "stop", stats, () -> asked.incrementAndGet() > 40));
        PyramidWriter.Summary s = stats.summary();
        assertTrue(s.tiles() < s.tilesTotal(), s.toString());
        assertEquals(0, stats.busyWorkers());
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("tilescope-encode-stop-") && t.isAlive()), "workers ended");
    }

    @Test
    void fromAVirtualThreadTheWriterRunsOnAPlatformThreadWhoseCpuIsMeasuredAndAnInterruptCancels() throws Exception {
        var options = new PyramidWriter.Options(PyramidWriter.Format.DEEPZOOM, 128, 1, 75, 2);
        PyramidWriter.Stats stats = new PyramidWriter.Stats();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                new PyramidWriter(options).write(new Picture(900, 700, 64), dir, "virtual", stats, () -> false);
            } catch (Throwable t) {
                thrown.set(t);
            }
        }).join();
        assertEquals(null, thrown.get());
        PyramidWriter.Summary s = stats.summary();
        assertEquals(s.tilesTotal(), s.tiles());
        assertTrue(s.writerCpuSeconds() > 0, "a virtual thread's CPU time is not measurable; the writer's is: " + s);

        PyramidWriter.Stats stopped = new PyramidWriter.Stats();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                new PyramidWriter(options).write(new Picture(4000, 4000, 64), dir, "interrupted", stopped, () -> false);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        while (stopped.tilesDone() == 0 && caller.isAlive()) {
            Thread.sleep(5);
        }
        caller.interrupt();
        caller.join();
        assertTrue(thrown.get() instanceof CancellationException, String.valueOf(thrown.get()));
        assertTrue(stopped.tilesDone() < stopped.tilesTotal());
    }

    @Test
    void tiffEdgeTilesArePaddedWithTheirLastColumnAndRow() {
        int[] px = {1, 2, 3, 4, 5, 6};
        assertArrayEquals(new int[] {1, 2, 3, 3, 4, 5, 6, 6, 4, 5, 6, 6, 4, 5, 6, 6}, PyramidWriter.padded(px, 3, 2, 4));
    }
}
