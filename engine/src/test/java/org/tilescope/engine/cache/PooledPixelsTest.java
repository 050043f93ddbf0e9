package org.tilescope.engine.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.tilescope.engine.decode.PixelBuffers;
import org.tilescope.engine.decode.TileDecoder;

/**
 * Decoded tiles in recycled pixel arrays: with an L1 of 64 tiles and readers that keep
 * tiles after L1 dropped them, no reader ever sees another tile's pixels, the pool really recycles,
 * and it owns no more than its bound.
 */
class PooledPixelsTest {
    private static final int TILE = 64;
    private static final int GRID = 32;
    /** Decodes into recycled arrays the stress test waits for. */
    private static final int ENOUGH_REUSES = 100;

    /** Every tile one flat colour of its own, at least 8 apart from any other in some channel. */
    static int flatColour(int level, int col, int row) {
        return (col * 8) << 16 | (row * 8) << 8 | (level * 40 + 8);
    }

    /** A slide of flat JPEG tiles, so any pixel from the wrong tile shows. */
    static final class FlatJpegSlide extends FakeSlide {
        private final Map<String, byte[]> jpegs = new ConcurrentHashMap<>();

        FlatJpegSlide() {
            super(GRID * TILE, GRID * TILE, TILE, 7);
        }

        @Override
        public byte[] readTile(int level, int col, int row) {
            return jpegs.computeIfAbsent(name(level, col, row), k -> {
                var r = info.level(level).tileRect(col, row);
                BufferedImage img = new BufferedImage(r.width(), r.height(), BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < r.height(); y++) {
                    for (int x = 0; x < r.width(); x++) {
                        img.setRGB(x, y, flatColour(level, col, row));
                    }
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                    ImageIO.write(img, "jpg", out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return out.toByteArray();
            });
        }
    }

    /** Null when every pixel is the tile's colour (JPEG rounding aside), else the first wrong one. */
    static String wrongPixel(DecodedTile t, int level, int col, int row) {
        int want = flatColour(level, col, row);
        BufferedImage img = t.image();
        int[] px = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        for (int i = 0; i < px.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                if (Math.abs(((px[i] >> shift) & 0xFF) - ((want >> shift) & 0xFF)) > 3) {
                    return String.format("tile %d/%d_%d pixel %d is %06x, not %06x", level, col, row, i,
                            px[i] & 0xFFFFFF, want);
                }
            }
        }
        return null;
    }

    private record Held(DecodedTile tile, int col, int row) {
    }

    @Test
    void aRecycledArrayNeverShowsThroughALiveTile() throws Exception {
        assumeTrue(TileDecoder.turbo().isPresent(), "libjpeg-turbo unavailable: nothing is pooled");
        // L1: 64 tiles of 64 px; the pool may own an eighth of that, 8 arrays
        long l1 = 64L * TILE * TILE * 4;
        try (TilePipeline p = new TilePipeline(new CacheSizes(l1, 64L << 20), TileDecoder.turbo().get(), 2, 4, 4)) {
            SlideHandle h = p.open(1, Path.of("flat"), new FlatJpegSlide());
            h.ready().get(30, TimeUnit.SECONDS);
            PixelBuffers pool = p.pixelBuffers();
            ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
            long start = System.nanoTime();
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readers.add(Thread.ofPlatform().uncaughtExceptionHandler((t, e) -> failures.add(e)).start(() -> {
                    ArrayDeque<Held> held = new ArrayDeque<>();
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    while (!stop.get()) {
                        int col = rnd.nextInt(GRID);
                        int row = rnd.nextInt(GRID);
                        DecodedTile t = p.request(h, h.key(0, col, row), Priority.VISIBLE, null, 0).join();
                        held.addLast(new Held(t, col, row));
                        if (held.size() > 8) {
                            held.removeFirst();   // this reader lets go; L1 let go long ago
                        }
                        for (Held k : held) {   // every tile still held must still be itself
                            String w = wrongPixel(k.tile(), 0, k.col(), k.row());
                            if (w != null) {
                                wrong.add(w);
                            }
                        }
                    }
                }));
            }
            // the pool refills only as collections find dropped tiles: make them happen often, for at
            // least 2 s and until arrays were reused often enough to prove something (longer on a
            // loaded machine, at most 60 s)
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2)
                    || (pool.counts().reused() < ENOUGH_REUSES && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60))) {
                System.gc();
                Thread.sleep(30);
            }
            stop.set(true);
            for (Thread t : readers) {
                t.join();
            }
            assertEquals(List.of(), List.copyOf(failures), "readers failed");
            PixelBuffers.Counts c = pool.counts();
            assertEquals(List.of(), List.copyOf(wrong).subList(0, Math.min(5, wrong.size())), wrong.size() + " wrong reads");
            assertTrue(c.reused() >= ENOUGH_REUSES, "decodes must land in recycled arrays, or this test proves nothing: " + c);
            assertTrue(c.ownedBytes() <= pool.maximumBytes() && c.freeBytes() <= pool.maximumBytes(), c.toString());
            assertEquals(l1 / 8, pool.maximumBytes());
        }
    }

    @Test
    void memoryReliefShrinksThePoolWithL1() {
        try (TilePipeline p = new TilePipeline(new CacheSizes(256L << 20, 256L << 20), TileDecoder.standard(), 1, 2, 2)) {
            assertEquals(32L << 20, p.pixelBuffers().maximumBytes());
            // L1 goes first
            assertTrue(p.relieveMemoryPressure(0.9));
            assertEquals(16L << 20, p.pixelBuffers().maximumBytes());
        }
    }
}
