package org.tilescope.engine.pyramid;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The one pyramid writer: streams a {@link RowSource} band by band into a Deep Zoom folder or a
 * pyramidal tiled TIFF. Each level is built from the level below by 2x box reduction as its rows
 * arrive, so memory holds a band of rows per level, never a whole image. Tiles are JPEG-encoded
 * on a pool of platform threads; a bounded number of tiles may wait for an encoder, so the reader
 * slows down to the encoders' pace instead of filling the heap (backpressure).
 */
public final class PyramidWriter {
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
     * @param workers  encoder threads
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

    /** What the writer is doing, for a progress display: read by any thread at any time. */
    public static final class Stats {
        final AtomicLong rowsRead = new AtomicLong();
        final AtomicLong tilesDone = new AtomicLong();
        final AtomicLong bytesOut = new AtomicLong();
        final AtomicInteger queued = new AtomicInteger();
        final AtomicInteger busyWorkers = new AtomicInteger();
        final AtomicLong encodeNanos = new AtomicLong();
        volatile long tilesTotal;
        volatile long lastProgressNanos = System.nanoTime();

        public long rowsRead() {
            return rowsRead.get();
        }

        public long tilesDone() {
            return tilesDone.get();
        }

        public long tilesTotal() {
            return tilesTotal;
        }

        public long bytesOut() {
            return bytesOut.get();
        }

        /** Tiles cut and waiting for an encoder: the queue between the reader and the encoders. */
        public int queued() {
            return queued.get();
        }

        public int busyWorkers() {
            return busyWorkers.get();
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
    }

    private final Options options;

    public PyramidWriter(Options options) {
        this.options = options;
    }

    /** Tiles that may wait for an encoder at once, per encoder thread. */
    static final int QUEUE_PER_WORKER = 4;

    /**
     * Writes the pyramid of {@code source} into {@code dir} as {@code name.dzi} + {@code name_files}
     * or {@code name.tif}. The caller writes into a temporary folder and moves the result into
     * place when this returns: this method leaves partial output behind when it fails or is
     * cancelled.
     *
     * @throws CancellationException when {@code cancelled} turns true; the writer stops within a band
     */
    public void write(RowSource source, Path dir, String name, Stats stats, BooleanSupplier cancelled)
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
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Semaphore room = new Semaphore(options.workers() * QUEUE_PER_WORKER);
        ThreadLocal<TileEncoder> encoders = new ThreadLocal<>();
        java.util.List<TileEncoder> allEncoders = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(options.workers(), threads(name));
        boolean tiff = options.format() == Format.TIFF;
        try (TileSink sink = tiff ? new TiffSink(g, lastLevel + 1, dir.resolve(name + ".tif"))
                : new DeepZoomSink(g, dir, name)) {
            LevelBuilder.TileOut out = (level, col, row, px, w, h) -> {
                stopIfNeeded(failure, cancelled);
                try {
                    while (!room.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        stopIfNeeded(failure, cancelled);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted");
                }
                stats.queued.incrementAndGet();
                int[] pixels = tiff && (w != g.tileSize() || h != g.tileSize()) ? padded(px, w, h, g.tileSize()) : px;
                int ew = tiff ? g.tileSize() : w;
                int eh = tiff ? g.tileSize() : h;
                pool.execute(() -> {
                    stats.queued.decrementAndGet();
                    stats.busyWorkers.incrementAndGet();
                    long t0 = System.nanoTime();
                    try {
                        if (failure.get() == null) {
                            TileEncoder enc = encoders.get();
                            if (enc == null) {
                                enc = new TileEncoder(options.quality());
                                encoders.set(enc);
                                allEncoders.add(enc);
                            }
                            byte[] jpeg = enc.jpeg(pixels, ew, eh);
                            sink.put(level, col, row, jpeg);
                            stats.bytesOut.addAndGet(jpeg.length);
                            stats.encodeNanos.addAndGet(System.nanoTime() - t0);
                            stats.tilesDone.incrementAndGet();
                            stats.lastProgressNanos = System.nanoTime();
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    } finally {
                        stats.busyWorkers.decrementAndGet();
                        room.release();
                    }
                });
            };
            LevelBuilder top = new LevelBuilder(g, 0, lastLevel, out);
            int band = Math.max(1, Math.min(source.preferredBand(), source.height()));
            int[] rows = new int[Math.multiplyExact(band, source.width())];
            for (int y = 0; y < source.height(); y += band) {
                stopIfNeeded(failure, cancelled);
                int n = Math.min(band, source.height() - y);
                source.read(y, n, rows);
                stats.rowsRead.addAndGet(n);
                stats.lastProgressNanos = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    top.accept(rows, i * source.width());
                }
            }
            top.finish();
            pool.shutdown();
            awaitQuietly(pool);
            stopIfNeeded(failure, cancelled);
            sink.finish();
        } finally {
            pool.shutdownNow();
            awaitQuietly(pool);
            allEncoders.forEach(TileEncoder::close);
        }
    }

    private static void stopIfNeeded(AtomicReference<Throwable> failure, BooleanSupplier cancelled) throws IOException {
        Throwable t = failure.get();
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IOException(t);
        }
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("cancelled");
        }
    }

    /** A full-size TIFF tile from an edge tile: the last column and row repeated (no visible seam when scaled). */
    static int[] padded(int[] px, int w, int h, int size) {
        int[] out = new int[size * size];
        for (int y = 0; y < size; y++) {
            int sy = Math.min(y, h - 1);
            System.arraycopy(px, sy * w, out, y * size, w);
            java.util.Arrays.fill(out, y * size + w, (y + 1) * size, px[sy * w + w - 1]);
        }
        return out;
    }

    private static void awaitQuietly(ExecutorService pool) {
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "tilescope-encode-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        };
    }
}
