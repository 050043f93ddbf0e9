package org.tilescope.engine.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.tilescope.engine.decode.TestJpegs.Layout;

/** Pooled pixel arrays: same pixels as a fresh array, back only once the image is gone, bounded. */
class PixelBuffersTest {
    private static final int TILE = 256;
    private static final int TILE_BYTES = TILE * TILE * 4;

    private static TileDecoder turbo() {
        return TurboJpegDecoderTest.turbo();
    }

    private static int[] pixels(BufferedImage img) {
        return ((DataBufferInt) img.getRaster().getDataBuffer()).getData().clone();
    }

    /** Collects until {@code done}, or fails after 30 s: what the Cleaner waits for. */
    private static void collectUntil(BooleanSupplier done, String what) throws InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "no " + what + " after 30 s of collections");
            System.gc();
            Thread.sleep(20);
        }
    }

    @Test
    void pooledDecodeGivesTheSamePixelsAsANewArrayAlsoInARecycledOne() throws Exception {
        TileDecoder turbo = turbo();
        PixelBuffers pool = new PixelBuffers(4L * TILE_BYTES);
        List<byte[]> jpegs = new ArrayList<>();
        for (int seed = 0; seed < 6; seed++) {
            jpegs.add(TestJpegs.jpeg(TestJpegs.picture(TILE, TILE, seed), seed % 2 == 0 ? Layout.YCC_420 : Layout.YCC_444));
        }
        // first round: new arrays owned by the pool; then drop them and let them come back
        for (byte[] j : jpegs) {
            BufferedImage pooled = turbo.decode(j, TILE, TILE, pool);
            assertEquals(BufferedImage.TYPE_INT_RGB, pooled.getType());
            assertArrayEquals(pixels(turbo.decode(j)), pixels(pooled));
        }
        collectUntil(() -> pool.counts().freeBytes() == 4L * TILE_BYTES, "arrays back in the pool");
        // second round, reversed: every decode lands in an array that held another tile's pixels
        for (int i = jpegs.size() - 1; i >= 0; i--) {
            byte[] j = jpegs.get(i);
            long reusedBefore = pool.counts().reused();
            BufferedImage pooled = turbo.decode(j, TILE, TILE, pool);
            assertArrayEquals(pixels(turbo.decode(j)), pixels(pooled), "tile " + i + " in a recycled array");
            if (i >= jpegs.size() - 4) {
                assertEquals(reusedBefore + 1, pool.counts().reused(), "the four free arrays are used first");
            }
        }
        // an odd size and a reduced decode never take the tile-size arrays, and stay right
        byte[] odd = TestJpegs.jpeg(TestJpegs.picture(253, 17, 9), Layout.YCC_420);
        assertArrayEquals(pixels(turbo.decode(odd)), pixels(turbo.decode(odd, 253, 17, pool)));
    }

    @Test
    void whatTurboJpegHandsOnStillDecodesRightWithAPool() throws IOException {
        TileDecoder turbo = turbo();
        PixelBuffers pool = new PixelBuffers(4L * TILE_BYTES);
        BufferedImage picture = TestJpegs.picture(64, 48, 3);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(picture, "png", png);
        BufferedImage fromPool = turbo.decode(png.toByteArray(), 64, 48, pool);
        assertArrayEquals(picture.getRGB(0, 0, 64, 48, null, 0, 64), fromPool.getRGB(0, 0, 64, 48, null, 0, 64));
        // the ImageIO decoder ignores the pool
        byte[] jpeg = TestJpegs.jpeg(picture, Layout.YCC_420);
        BufferedImage imageIo = TileDecoder.imageIo().decode(jpeg, 64, 48, pool);
        assertArrayEquals(pixels(TileDecoder.imageIo().decode(jpeg)), pixels(imageIo));
        assertEquals(0, pool.counts().adopted() + pool.counts().unpooled(), pool.counts().toString());
        // a refused tile takes nothing from the pool either
        assertThrows(IOException.class, () -> turbo.decode(jpeg, 32, 32, pool));
        assertEquals(0, pool.counts().adopted() + pool.counts().unpooled());
    }

    @Test
    void anArrayComesBackOnlyOnceItsImageIsUnreachable() throws Exception {
        PixelBuffers pool = new PixelBuffers(2L * TILE_BYTES);
        PixelBuffers.Lease held = pool.take(TILE * TILE);
        BufferedImage heldImage = pool.image(held, TILE, TILE);
        PixelBuffers.Lease dropped = pool.take(TILE * TILE);
        pool.image(dropped, TILE, TILE);
        collectUntil(() -> pool.counts().returned() >= 1, "array returned");
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(1, pool.counts().returned(), "the held image's array stays out");
        PixelBuffers.Lease next = pool.take(TILE * TILE);
        assertSame(dropped.pixels(), next.pixels(), "the dropped image's array is the one reused");
        assertNotSame(held.pixels(), next.pixels());
        // the raster alone keeps the array too: Java2D code that holds only the raster is safe
        var raster = heldImage.getRaster();
        heldImage = null;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(1, pool.counts().returned(), "the raster still holds the data buffer");
        Reference.reachabilityFence(raster);
        Reference.reachabilityFence(next);
    }

    @Test
    void thePoolOwnsNoMoreThanItsBound() throws Exception {
        PixelBuffers pool = new PixelBuffers(3L * TILE_BYTES);
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            images.add(pool.image(pool.take(TILE * TILE), TILE, TILE));
        }
        PixelBuffers.Counts c = pool.counts();
        assertEquals(3, c.adopted());
        assertEquals(7, c.unpooled(), "past the bound, arrays are plain garbage-collected ones");
        assertEquals(3L * TILE_BYTES, c.ownedBytes());
        images.clear();
        collectUntil(() -> pool.counts().returned() == 3, "owned arrays back");
        assertEquals(3L * TILE_BYTES, pool.counts().freeBytes());
        // a smaller cache: free arrays over the new bound go at once, and the pool owns no more than it
        pool.setMaximumBytes(TILE_BYTES);
        assertEquals(TILE_BYTES, pool.counts().freeBytes());
        assertEquals(TILE_BYTES, pool.counts().ownedBytes());
        assertEquals(2, pool.counts().dropped());
        assertThrows(IllegalArgumentException.class, () -> pool.setMaximumBytes(-1));
        assertEquals(1024L << 20 >> 3, PixelBuffers.forCache(1024L << 20).maximumBytes(), "an eighth of L1");
    }
}
