package org.tilescope.engine.pyramid;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The platform threads that encode and store the tiles of a pyramid being written, fed through a
 * bounded queue: when the queue is full, the thread that cuts tiles waits (backpressure), so the
 * reader goes at the encoders' pace instead of filling the heap. How many threads and how many
 * waiting tiles is a {@link Plan}, made from the cores, the heap and the size of a band of rows.
 */
public final class EncoderPool implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EncoderPool.class.getName());

    /** Tiles that may wait for an encoder, per encoder thread, when the heap allows. */
    static final int QUEUE_PER_WORKER = 4;
    /**
     * Share of the heap that the bands and tiles of a write may fill: the rest is for the garbage
     * collector's headroom (every tile is a fresh array) and for what else the process holds.
     */
    static final double HEAP_SHARE = 0.5;

    /**
     * How a write's encoding is sized.
     *
     * @param workers     encoder threads
     * @param queuedTiles tiles that may wait for an encoder (the queue's capacity)
     * @param tileBytes   heap one tile in flight takes: its pixels and its JPEG
     * @param bandBytes   heap the bands of rows take whatever the pool's size: the reader's and each level's
     * @param heapBytes   the heap's limit (Runtime.maxMemory)
     * @param limitedBy   what set the number of workers: "cores", "--workers", or "heap"
     */
    public record Plan(int workers, int queuedTiles, long tileBytes, long bandBytes, long heapBytes,
                       String limitedBy) {

        /**
         * The pool for a write: {@code requested} workers (the cores, or the user's {@code --workers})
         * as an upper bound, fewer when the heap left after the bands cannot hold a tile in hand and
         * {@value #QUEUE_PER_WORKER} waiting for each; the queue shrinks to what the heap holds.
         *
         * @param requested  the most encoder threads wanted
         * @param cores      the processors the JVM may use
         * @param heapBytes  the heap's limit
         * @param bandBytes  heap the bands of rows take (reader and levels)
         * @param tileBytes  heap one tile in flight takes
         * @throws IllegalArgumentException when the bands alone do not fit in the heap: the message
         *                                  says how much they need and how much there is
         */
        public static Plan of(int requested, int cores, long heapBytes, long bandBytes, long tileBytes) {
            if (requested < 1 || cores < 1 || tileBytes < 1) {
                throw new IllegalArgumentException("workers " + requested + ", cores " + cores + ", tile " + tileBytes);
            }
            long budget = (long) (heapBytes * HEAP_SHARE) - bandBytes;
            long inFlight = budget / tileBytes;
            if (inFlight < 2) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "needs about %d MB of heap for its bands of rows, and the Java heap is %d MB: "
                                + "give Java a bigger heap (-Xmx)", Math.ceilDiv(2 * (bandBytes + 2 * tileBytes), 1 << 20),
                        heapBytes >> 20));
            }
            int byHeap = (int) Math.min(Integer.MAX_VALUE, inFlight / (1 + QUEUE_PER_WORKER));
            int workers = Math.max(1, Math.min(requested, byHeap));
            String limitedBy = workers < requested ? "heap" : requested < cores ? "--workers" : "cores";
            int queued = (int) Math.max(1, Math.min((long) workers * QUEUE_PER_WORKER, inFlight - workers));
            return new Plan(workers, queued, tileBytes, bandBytes, heapBytes, limitedBy);
        }

        /** "2 encoders (cores), queue 8 tiles; bands 170 MB of a 1024 MB heap", for logs. */
        public String describe() {
            return String.format(Locale.ROOT, "%d encoder%s (%s), queue %d tiles; bands %d MB of a %d MB heap",
                    workers, workers == 1 ? "" : "s", limitedBy, queuedTiles, bandBytes >> 20, heapBytes >> 20);
        }
    }

    /** A tile waiting to be encoded; {@link #STOP} tells a worker to end. */
    private record Tile(int level, int col, int row, int[] pixels, int width, int height) {
    }

    private static final Tile STOP = new Tile(-1, -1, -1, new int[0], 0, 0);

    private final TileEncoder encoder;
    private final TileSink sink;
    private final PyramidWriter.Stats stats;
    private final BlockingQueue<Tile> queue;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    EncoderPool(Plan plan, TileEncoder encoder, TileSink sink, PyramidWriter.Stats stats, String name) {
        this.encoder = encoder;
        this.sink = sink;
        this.stats = stats;
        this.queue = new ArrayBlockingQueue<>(plan.queuedTiles());
        stats.start(plan, encoder.name());
        for (int i = 0; i < plan.workers(); i++) {
            int index = i;
            Thread t = Thread.ofPlatform().daemon().name("tilescope-encode-" + name + "-" + (i + 1))
                    .priority(Thread.NORM_PRIORITY - 1).unstarted(() -> work(index));
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    /**
     * Queues a tile for encoding, waiting while the queue is full. The pool may keep the array.
     *
     * @throws CancellationException when {@code cancelled} turns true while waiting
     * @throws IOException           when an encoder or the sink failed
     */
    void submit(int level, int col, int row, int[] pixels, int w, int h, BooleanSupplier cancelled) throws IOException {
        Tile tile = new Tile(level, col, row, pixels, w, h);
        rethrow(cancelled);
        if (!queue.offer(tile)) {
            long t0 = System.nanoTime();
            try {
                while (!queue.offer(tile, 100, TimeUnit.MILLISECONDS)) {
                    rethrow(cancelled);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted");
            } finally {
                stats.waitNanos.addAndGet(System.nanoTime() - t0);
            }
        }
        stats.queued(queue.size());
    }

    /** Waits until every queued tile is encoded and stored, then rethrows the first failure. */
    void finish(BooleanSupplier cancelled) throws IOException {
        stopWorkers();
        rethrow(cancelled);
    }

    /** Stops the workers without waiting for the queue (after a failure or a cancel). */
    @Override
    public void close() {
        queue.clear();
        failure.compareAndSet(null, new CancellationException("closed"));
        stopWorkers();
    }

    /** One STOP for each worker after the tiles already queued, then waits for them all to end. */
    private void stopWorkers() {
        boolean interrupted = false;
        int stops = 0;
        while (stops < threads.size() && threads.stream().anyMatch(Thread::isAlive)) {
            try {
                if (queue.offer(STOP, 50, TimeUnit.MILLISECONDS)) {
                    stops++;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        threads.clear();
        stats.queued.set(0); // every worker ended: nothing waits (the gauge last showed the workers' STOPs)
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void rethrow(BooleanSupplier cancelled) throws IOException {
        Throwable t = failure.get();
        switch (t) {
            case null -> {
            }
            case IOException io -> throw io;
            case RuntimeException re -> throw re;
            case Error e -> throw e;
            default -> throw new IOException(t);
        }
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("cancelled");
        }
    }

    private void work(int index) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean cpu = mx.isCurrentThreadCpuTimeSupported();
        long cpu0 = cpu ? mx.getCurrentThreadCpuTime() : 0;
        try {
            while (true) {
                Tile tile;
                try {
                    tile = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                if (tile == STOP) {
                    return;
                }
                stats.queued(queue.size());
                if (failure.get() != null) {
                    continue; // drain: the writer stops at its next tile
                }
                stats.busyWorkers.incrementAndGet();
                try {
                    long t0 = System.nanoTime();
                    byte[] jpeg = encoder.jpeg(tile.pixels(), tile.width(), tile.height());
                    long t1 = System.nanoTime();
                    sink.put(tile.level(), tile.col(), tile.row(), jpeg);
                    long t2 = System.nanoTime();
                    stats.tileDone(index, (long) tile.width() * tile.height() * 3, jpeg.length, t1 - t0, t2 - t1);
                } catch (Throwable t) {
                    if (failure.compareAndSet(null, t) && !(t instanceof IOException)) {
                        LOG.log(System.Logger.Level.WARNING, "tile encoder failed", t);
                    }
                } finally {
                    stats.busyWorkers.decrementAndGet();
                }
            }
        } finally {
            if (cpu) {
                stats.encoderCpuNanos.addAndGet(mx.getCurrentThreadCpuTime() - cpu0);
            }
        }
    }
}
