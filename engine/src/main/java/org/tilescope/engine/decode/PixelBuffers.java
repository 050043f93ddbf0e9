package org.tilescope.engine.decode;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.lang.ref.Cleaner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded pool of int pixel arrays for decoded tiles: a decode takes the array of a tile nobody
 * can paint any more instead of allocating (and zeroing) a new one, and the garbage a stream of
 * decodes makes drops with it.
 *
 * <p>Why a recycled array never shows through a live tile: an array goes back to the pool only
 * when the {@link DataBufferInt} around it has become unreachable, by a {@link Cleaner} registered
 * on that data buffer whose action holds the array and this pool, never the buffer or the image.
 * The data buffer is reachable from the image and its raster, so whoever can still draw or read the
 * tile through Java2D keeps its array out of the pool; L1 eviction merely drops the cache's own
 * reference. Code that takes the bare {@code int[]} out of such an image
 * ({@code DataBufferInt.getData()}) must keep the image reachable for as long as it uses the array
 * ({@link java.lang.ref.Reference#reachabilityFence}).
 *
 * <p>The pool owns at most {@link #maximumBytes()} of arrays, in use or free. Only those are
 * registered for recycling: when none is free and the pool owns all it may, a decode gets a plain
 * new array that the garbage collector takes as before. That matters because recycling waits for a
 * collection to find the old data buffer unreachable: an array held for recycling survives that
 * collection (and is copied by a young one), which only pays off for arrays that are used again,
 * so the pool keeps a fixed population (old-generation arrays after their first collections) and
 * does not register every array it hands out. Arrays are pooled by exact length (a slide has one
 * or two tile sizes), most recently freed first. Thread-safe.
 */
public final class PixelBuffers {
    /** Arrays a cache of {@code l1Bytes} owns at most: an eighth of it. */
    static final int SHARE_OF_CACHE = 8;

    /**
     * Shared by every image over a pooled or decoded array: {@code new BufferedImage(w, h,
     * TYPE_INT_RGB)} builds a new colour model each time, a noticeable cost next to a 256 px tile's
     * decode. Java2D still recognises the result as TYPE_INT_RGB.
     */
    private static final DirectColorModel RGB = new DirectColorModel(24, 0xFF0000, 0xFF00, 0xFF);
    private static final int[] RGB_MASKS = {0xFF0000, 0xFF00, 0xFF};

    private static final Cleaner RECYCLER = Cleaner.create(
            Thread.ofPlatform().name("tilescope-pixel-recycler").daemon(true).factory());

    private final ConcurrentHashMap<Integer, ConcurrentLinkedDeque<int[]>> free = new ConcurrentHashMap<>();
    private final AtomicLong freeBytes = new AtomicLong();
    /** Bytes of the arrays this pool owns: free, or in an image that will give them back. */
    private final AtomicLong ownedBytes = new AtomicLong();
    private volatile long maximumBytes;
    private final LongAdder reused = new LongAdder();
    private final LongAdder adopted = new LongAdder();
    private final LongAdder unpooled = new LongAdder();
    private final LongAdder returned = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    /**
     * Counters since the pool was made: arrays handed out again, made new for the pool, made new
     * outside it (the pool owned all it may), given back, and let go (over the bound); and the
     * bytes free and owned now.
     */
    public record Counts(long reused, long adopted, long unpooled, long returned, long dropped, long freeBytes,
                         long ownedBytes) {
    }

    /** An array for one image, and whether it belongs to the pool (then it comes back). */
    record Lease(int[] pixels, boolean pooled) {
    }

    /** The action that gives an array back; holds the array and the pool, never the image. */
    private record GiveBack(PixelBuffers pool, int[] pixels) implements Runnable {
        @Override
        public void run() {
            pool.giveBack(pixels);
        }
    }

    /** @param maximumBytes arrays the pool may own, in bytes */
    public PixelBuffers(long maximumBytes) {
        setMaximumBytes(maximumBytes);
    }

    /** The pool for a decoded-tile cache of {@code l1Bytes}: an eighth of it. */
    public static PixelBuffers forCache(long l1Bytes) {
        return new PixelBuffers(l1Bytes / SHARE_OF_CACHE);
    }

    /** An eighth of the cache's new size, as {@link #forCache}; free arrays over it are let go now. */
    public void cacheResized(long l1Bytes) {
        setMaximumBytes(l1Bytes / SHARE_OF_CACHE);
    }

    public void setMaximumBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("pool size must not be negative: " + bytes);
        }
        maximumBytes = bytes;
        for (ConcurrentLinkedDeque<int[]> q : free.values()) {
            while (ownedBytes.get() > bytes) {
                int[] a = q.pollLast();
                if (a == null) {
                    break;
                }
                freeBytes.addAndGet(-4L * a.length);
                ownedBytes.addAndGet(-4L * a.length);
                dropped.increment();
            }
        }
    }

    public long maximumBytes() {
        return maximumBytes;
    }

    public Counts counts() {
        return new Counts(reused.sum(), adopted.sum(), unpooled.sum(), returned.sum(), dropped.sum(), freeBytes.get(),
                ownedBytes.get());
    }

    /**
     * An array of exactly {@code length} ints: a free one of the pool's (holding an old tile's
     * pixels: the caller overwrites every element), a new one for the pool while it owns less than
     * its bound, else a new one of its own. Hand it out only through {@link #image}.
     */
    Lease take(int length) {
        ConcurrentLinkedDeque<int[]> q = free.get(length);
        int[] a = q == null ? null : q.pollFirst();
        if (a != null) {
            freeBytes.addAndGet(-4L * length);
            reused.increment();
            return new Lease(a, true);
        }
        long bytes = 4L * length;
        if (ownedBytes.addAndGet(bytes) <= maximumBytes) {
            adopted.increment();
            return new Lease(new int[length], true);
        }
        ownedBytes.addAndGet(-bytes);
        unpooled.increment();
        return new Lease(new int[length], false);
    }

    /**
     * An int-RGB image over the leased array; a pooled array comes back here once nothing can
     * reach the image's data buffer any more.
     */
    BufferedImage image(Lease lease, int w, int h) {
        int[] pixels = lease.pixels();
        DataBufferInt data = new DataBufferInt(pixels, pixels.length);
        if (lease.pooled()) {
            RECYCLER.register(data, new GiveBack(this, pixels));
        }
        return intRgb(data, w, h);
    }

    private void giveBack(int[] a) {
        returned.increment();
        long bytes = 4L * a.length;
        if (ownedBytes.get() > maximumBytes) {
            // the bound shrank while this array was out: let it go
            ownedBytes.addAndGet(-bytes);
            dropped.increment();
            return;
        }
        freeBytes.addAndGet(bytes);
        free.computeIfAbsent(a.length, k -> new ConcurrentLinkedDeque<>()).offerFirst(a);
    }

    /**
     * An int-RGB image over {@code data}, with the shared colour model. Java2D treats an image over
     * an array it did not allocate as "untrackable" (no cached accelerated copy), as it does once
     * anyone calls getData(), so nothing is lost.
     */
    static BufferedImage intRgb(DataBufferInt data, int w, int h) {
        return new BufferedImage(RGB, Raster.createPackedRaster(data, w, h, w, RGB_MASKS, null), false, null);
    }
}
