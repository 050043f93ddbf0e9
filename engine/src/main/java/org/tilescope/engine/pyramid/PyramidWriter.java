package org.tilescope.engine.pyramid;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The one pyramid writer: streams a {@link RowSource} band by band into a Deep Zoom folder or a
 * pyramidal tiled TIFF. Each level is built from the level below by 2x box reduction as its rows
 * arrive, so memory holds a band of rows per level, never a whole image. Tiles are JPEG-encoded
 * on a pool of platform threads ({@link EncoderPool}); a bounded number of tiles may wait for an
 * encoder, so the reader slows down to the encoders' pace instead of filling the heap
 * (backpressure).
 */
public final class PyramidWriter {
    private static final System.Logger LOG = System.getLogger(PyramidWriter.class.getName());

    /** Output format. */
    public enum Format {
        /** {@code NAME.dzi} + {@code NAME_files}. */
        DEEPZOOM,
        /** One pyramidal tiled TIFF (BigTIFF when it passes 4 GB); tiles a multiple of 16 px, no overlap. */
        TIFF
    }

    /**
     * How to write.
     *
     * @param format   output format
     * @param tileSize tile side (Deep Zoom: any from 16; TIFF: a multiple of 16)
     * @param overlap  pixels repeated on each inner side (Deep Zoom only)
     * @param quality  JPEG quality, 1-100
     * @param workers  the most encoder threads: fewer when the heap cannot hold their tiles
     *                 (see {@link EncoderPool.Plan})
     */
    public record Options(Format format, int tileSize, int overlap, int quality, int workers) {
        public Options {
            if (format == Format.TIFF && (tileSize % 16 != 0 || overlap != 0)) {
                throw new IllegalArgumentException("a TIFF's tiles are a multiple of 16 px without overlap (got "
                        + tileSize + " px, overlap " + overlap + ")");
            }
            if (quality < 1 || quality > 100) {
                throw new IllegalArgumentException("quality " + quality + " must be 1 to 100");
            }
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1");
            }
        }
    }

    /**
     * What the writer is doing, for a progress display and the report: read by any thread at any
     * time. Every figure is counted from the work done (tiles encoded, bytes written, nanoseconds
     * spent), none is estimated.
     */
    public static final class Stats {
        final AtomicLong rowsRead = new AtomicLong();
        final AtomicLong tilesDone = new AtomicLong();
        final AtomicLong bytesOut = new AtomicLong();
        final AtomicLong pixelBytes = new AtomicLong();
        final AtomicInteger queued = new AtomicInteger();
        final AtomicInteger peakQueued = new AtomicInteger();
        final AtomicInteger busyWorkers = new AtomicInteger();
        final AtomicLong encodeNanos = new AtomicLong();
        final AtomicLong storeNanos = new AtomicLong();
        final AtomicLong readNanos = new AtomicLong();
        final AtomicLong buildNanos = new AtomicLong();
        final AtomicLong waitNanos = new AtomicLong();
        final AtomicLong writerCpuNanos = new AtomicLong();
        final AtomicLong encoderCpuNanos = new AtomicLong();
        volatile long tilesTotal;
        volatile long lastProgressNanos = System.nanoTime();
        private volatile EncoderPool.Plan plan;
        private volatile String encoder = "";
        private volatile AtomicLongArray workerTasks = new AtomicLongArray(0);
        private volatile AtomicLongArray workerNanos = new AtomicLongArray(0);

        void start(EncoderPool.Plan p, String encoderName) {
            workerTasks = new AtomicLongArray(p.workers());
            workerNanos = new AtomicLongArray(p.workers());
            encoder = encoderName;
            plan = p;
        }

        void queued(int depth) {
            queued.set(depth);
            peakQueued.accumulateAndGet(depth, Math::max);
        }

        void tileDone(int worker, long pixelBytesIn, int jpegBytes, long encode, long store) {
            workerTasks.incrementAndGet(worker);
            workerNanos.addAndGet(worker, encode + store);
            pixelBytes.addAndGet(pixelBytesIn);
            bytesOut.addAndGet(jpegBytes);
            encodeNanos.addAndGet(encode);
            storeNanos.addAndGet(store);
            tilesDone.incrementAndGet();
            lastProgressNanos = System.nanoTime();
        }

        public long rowsRead() {
            return rowsRead.get();
        }

        public long tilesDone() {
            return tilesDone.get();
        }

        public long tilesTotal() {
            return tilesTotal;
        }

        /** JPEG bytes of the tiles written so far. */
        public long bytesOut() {
            return bytesOut.get();
        }

        /** Tiles cut and waiting for an encoder: the depth of the queue between the reader and the encoders. */
        public int queued() {
            return queued.get();
        }

        /** The deepest the queue has been. */
        public int peakQueued() {
            return peakQueued.get();
        }

        /** Encoders busy with a tile now. */
        public int busyWorkers() {
            return busyWorkers.get();
        }

        /** The pool's size and why, or null before the write starts. */
        public EncoderPool.Plan plan() {
            return plan;
        }

        /** Mean encode time a tile, in milliseconds, or 0 before the first. */
        public double meanEncodeMillis() {
            long n = tilesDone.get();
            return n == 0 ? 0 : encodeNanos.get() / 1e6 / n;
        }

        /** When a row was last read or a tile last written (System.nanoTime). */
        public long lastProgressNanos() {
            return lastProgressNanos;
        }

        /** The figures now, as one value. */
        public Summary summary() {
            AtomicLongArray tasks = workerTasks;
            AtomicLongArray nanos = workerNanos;
            List<WorkerLoad> loads = new ArrayList<>();
            for (int i = 0; i < tasks.length(); i++) {
                long n = tasks.get(i);
                loads.add(new WorkerLoad(n, n == 0 ? 0 : nanos.get(i) / 1e6 / n));
            }
            return new Summary(encoder, plan, tilesDone.get(), tilesTotal, pixelBytes.get(), bytesOut.get(),
                    peakQueued.get(), loads, readNanos.get() / 1e9, buildNanos.get() / 1e9, waitNanos.get() / 1e9,
                    encodeNanos.get() / 1e9, storeNanos.get() / 1e9, writerCpuNanos.get() / 1e9,
                    encoderCpuNanos.get() / 1e9);
        }
    }

    /**
     * One encoder thread's share.
     *
     * @param tasks      tiles it encoded and stored
     * @param meanMillis its mean time a tile (encode and store), in milliseconds
     */
    public record WorkerLoad(long tasks, double meanMillis) {
    }

    /**
     * What a write did and where its time went. The stage times are wall time of the thread that
     * spent it: the writer thread reads bands ({@code readSeconds}: waiting for decoded rows when
     * the reader decodes on its own thread), reduces levels and cuts tiles ({@code buildSeconds})
     * and waits for room in the queue ({@code waitSeconds}); encoders encode and store, summed
     * over encoder threads.
     *
     * @param encoder           "libjpeg-turbo" or "imageio"
     * @param plan              the pool's size and why (null when the write never started)
     * @param tiles             tiles written
     * @param tilesTotal        tiles the pyramid has
     * @param pixelBytes        RGB bytes (3 a pixel) of the tiles given to the encoders
     * @param bytesOut          JPEG bytes of the tiles
     * @param peakQueued        the deepest the queue between the reader and the encoders was
     * @param workers           each encoder thread's tasks and mean time
     * @param readSeconds       writer thread: getting bands of rows from the source
     * @param buildSeconds      writer thread: reducing levels and cutting tiles
     * @param waitSeconds       writer thread: waiting for room in the queue (backpressure)
     * @param encodeSeconds     encoder threads: JPEG encoding
     * @param storeSeconds      encoder threads: storing tiles (files, TIFF)
     * @param writerCpuSeconds  CPU time of the writer thread
     * @param encoderCpuSeconds CPU time of the encoder threads
     */
    public record Summary(String encoder, EncoderPool.Plan plan, long tiles, long tilesTotal, long pixelBytes,
                          long bytesOut, int peakQueued, List<WorkerLoad> workers, double readSeconds,
                          double buildSeconds, double waitSeconds, double encodeSeconds, double storeSeconds,
                          double writerCpuSeconds, double encoderCpuSeconds) {
        public Summary {
            workers = List.copyOf(workers);
        }
    }

    private final Options options;

    public PyramidWriter(Options options) {
        this.options = options;
    }

    /**
     * Writes the pyramid of {@code source} into {@code dir} as {@code name.dzi} + {@code name_files}
     * or {@code name.tif}. The caller writes into a temporary folder and moves the result into
     * place when this returns: this method leaves partial output behind when it fails or is
     * cancelled.
     *
     * @throws CancellationException when {@code cancelled} turns true (or the calling thread is
     *                               interrupted); the writer stops within a band
     */
    public void write(RowSource source, Path dir, String name, Stats stats, BooleanSupplier cancelled)
            throws IOException {
        if (!Thread.currentThread().isVirtual()) {
            writeHere(source, dir, name, stats, cancelled);
            return;
        }
        // Jobs run on virtual threads. Reducing and cutting is seconds of CPU work, which belongs on
        // a platform thread (it would hold a carrier thread anyway), and there its CPU time can be
        // measured (a virtual thread's cannot).
        Thread caller = Thread.currentThread();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean interrupted = new AtomicBoolean(caller.isInterrupted());
        Thread writer = Thread.ofPlatform().name("tilescope-write-" + name).start(() -> {
            try {
                writeHere(source, dir, name, stats, () -> cancelled.getAsBoolean() || interrupted.get());
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        while (true) {
            try {
                writer.join();
                break;
            } catch (InterruptedException e) {
                interrupted.set(true); // the writer stops at its next tile
            }
        }
        if (interrupted.get()) {
            caller.interrupt();
        }
        switch (thrown.get()) {
            case null -> {
            }
            case IOException io -> throw io;
            case RuntimeException re -> throw re;
            case Error e -> throw e;
            case Throwable t -> throw new IOException(t);
        }
    }

    private void writeHere(RowSource source, Path dir, String name, Stats stats, BooleanSupplier cancelled)
            throws IOException {
        PyramidGeometry g = new PyramidGeometry(source.width(), source.height(), options.tileSize(),
                options.format() == Format.TIFF ? 0 : options.overlap());
        int lastLevel = g.levels() - 1;
        if (options.format() == Format.TIFF) {
            // a TIFF pyramid stops at the first level that fits one tile
            lastLevel = 0;
            while (g.cols(lastLevel) > 1 || g.rows(lastLevel) > 1) {
                lastLevel++;
            }
        }
        long total = 0;
        for (int l = 0; l <= lastLevel; l++) {
            total += (long) g.cols(l) * g.rows(l);
        }
        stats.tilesTotal = total;
        boolean tiff = options.format() == Format.TIFF;
        int band = Math.max(1, Math.min(source.preferredBand(), source.height()));
        EncoderPool.Plan plan;
        try {
            plan = plan(options, g, band, source.bandsHeld(), Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory());
        } catch (IllegalArgumentException e) {
            throw new IOException(source.width() + "x" + source.height() + " image: " + e.getMessage(), e);
        }
        LOG.log(System.Logger.Level.DEBUG, "{0}: {1}", name, plan.describe());
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu0 = mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : -1;
        try (TileSink sink = tiff ? new TiffSink(g, lastLevel + 1, dir.resolve(name + ".tif"))
                : new DeepZoomSink(g, dir, name);
             EncoderPool pool = new EncoderPool(plan, new TileEncoder(options.quality()), sink, stats, name)) {
            LevelBuilder.TileOut out = (level, col, row, px, w, h) -> {
                boolean pad = tiff && (w != g.tileSize() || h != g.tileSize());
                pool.submit(level, col, row, pad ? padded(px, w, h, g.tileSize()) : px,
                        pad ? g.tileSize() : w, pad ? g.tileSize() : h, cancelled);
            };
            LevelBuilder top = new LevelBuilder(g, 0, lastLevel, out);
            int[] rows = new int[Math.multiplyExact(band, source.width())];
            for (int y = 0; y < source.height(); y += band) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("cancelled");
                }
                int n = Math.min(band, source.height() - y);
                long t0 = System.nanoTime();
                source.read(y, n, rows);
                long t1 = System.nanoTime();
                stats.readNanos.addAndGet(t1 - t0);
                stats.rowsRead.addAndGet(n);
                stats.lastProgressNanos = t1;
                long waited = stats.waitNanos.get();
                for (int i = 0; i < n; i++) {
                    top.accept(rows, i * source.width());
                }
                stats.buildNanos.addAndGet(System.nanoTime() - t1 - (stats.waitNanos.get() - waited));
            }
            long t0 = System.nanoTime();
            long waited = stats.waitNanos.get();
            top.finish();
            stats.buildNanos.addAndGet(System.nanoTime() - t0 - (stats.waitNanos.get() - waited));
            pool.finish(cancelled);
            sink.finish();
        } finally {
            if (cpu0 >= 0) {
                stats.writerCpuNanos.addAndGet(mx.getCurrentThreadCpuTime() - cpu0);
            }
        }
    }

    /**
     * The encoder pool for writing an image of geometry {@code g} in bands of {@code band} rows.
     * The bands held whatever the pool's size are the band the writer reads into, the
     * {@code sourceBands} the source holds (decoded ahead, queued), and each level's rows of one
     * tile row plus the rows it passes down; a tile in flight holds its pixels (twice for a padded
     * TIFF edge tile) and its JPEG.
     */
    static EncoderPool.Plan plan(Options options, PyramidGeometry g, int band, int sourceBands, int cores,
                                 long heapBytes) {
        long readBands = (1L + sourceBands) * band * g.width() * Integer.BYTES;
        long levelBands = 0;
        for (int l = 0; l < g.levels(); l++) {
            levelBands += (g.tileSize() + 2L * g.overlap() + 3) * g.levelWidth(l) * Integer.BYTES;
        }
        long side = g.tileSize() + 2L * g.overlap();
        long tileBytes = side * side * Integer.BYTES * (options.format() == Format.TIFF ? 2 : 1) + side * side;
        return EncoderPool.Plan.of(options.workers(), cores, heapBytes, readBands + levelBands, tileBytes);
    }

    /** A full-size TIFF tile from an edge tile: the last column and row repeated (no visible seam when scaled). */
    static int[] padded(int[] px, int w, int h, int size) {
        int[] out = new int[size * size];
        for (int y = 0; y < size; y++) {
            int sy = Math.min(y, h - 1);
            System.arraycopy(px, sy * w, out, y * size, w);
            Arrays.fill(out, y * size + w, (y + 1) * size, px[sy * w + w - 1]);
        }
        return out;
    }
}
