package org.tilescope.engine.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tilescope.engine.cache.RequestsEndTest.awaitTrue;
import static org.tilescope.engine.cache.RequestsEndTest.settled;
import static org.tilescope.engine.cache.TilePipelineTest.await;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.testing.Fixtures;
import org.tilescope.engine.testing.Pixels;
import org.tilescope.engine.view.TileScheduler;
import org.tilescope.engine.view.Viewport;

/** A slide rewritten on disk while a view shows it is reopened in place; old and new tiles never mix. */
class SlideChangeTest {
    @TempDir
    Path dir;

    /** Another picture: the source's colours swapped around, so no pixel matches the first one. */
    static BufferedImage otherPicture(int w, int h) {
        BufferedImage src = Fixtures.drawSource(w, h);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = src.getRGB(x, y);
                out.setRGB(x, y, ((p & 0xFF) << 16) | (p >> 8 & 0xFF00) | 0x40);
            }
        }
        return out;
    }

    @Test
    void aDeepZoomRewrittenUnderAnOpenViewIsReopenedUnderANewId() throws Exception {
        Fixtures.DeepZoom first = Fixtures.deepZoom(dir, "s", Fixtures.drawSource(1000, 800), 128, 1, "jpg");
        try (TilePipeline p = new TilePipeline(new CacheSizes(64L << 20, 64L << 20), TileDecoder.standard(), 2, 2, 8)) {
            List<TilePipeline.SlideChange> changes = new CopyOnWriteArrayList<>();
            p.addSlideChangeListener(changes::add);
            SlideHandle old = p.open(first.dzi());
            await(old.ready());
            TileScheduler view = new TileScheduler(p, old);
            Viewport v = Viewport.centred(500, 400, 800, 600, 1.0, 1);
            view.update(v);

            // vips dzsave over the same name: another picture, another size
            BufferedImage picture = otherPicture(1200, 900);
            Fixtures.DeepZoom second = Fixtures.deepZoom(dir, "s", picture, 128, 1, "jpg");
            Files.setLastModifiedTime(second.dzi(), FileTime.fromMillis(System.currentTimeMillis() + 10_000));

            // the view goes on reading (L1 and L2 emptied so every frame reads): its next look at the
            // disk, at most a second later, notices the change
            List<CompletableFuture<DecodedTile>> asked = new ArrayList<>();
            awaitTrue(() -> {
                p.clearAll();
                view.update(v);
                asked.add(p.request(old, old.key(0, 3, 3), Priority.VISIBLE, null, 0));
                return !changes.isEmpty();
            }, "the change to be noticed");

            TilePipeline.SlideChange change = changes.getFirst();
            assertSame(old, change.old());
            assertNull(change.failure(), () -> "reopened: " + change.failure());
            SlideHandle fresh = change.replacement();
            assertEquals("s.dzi changed on disk, reloaded", change.message());
            assertTrue(old.isRetired());
            assertNotEquals(old.id(), fresh.id());
            assertEquals(1000, old.info().width(), "the old handle keeps the layout its tiles had");
            assertEquals(1200, fresh.info().width());
            assertSame(fresh, p.open(first.dzi()), "opening the file again finds the new handle");

            // every request of the old view ends; new ones end at once, cancelled
            for (CompletableFuture<DecodedTile> f : asked) {
                settled(f);
            }
            assertInstanceOf(CancellationException.class,
                    settled(p.request(old, old.key(0, 4, 4), Priority.VISIBLE, null, 0)));
            awaitTrue(() -> p.inFlightRequests() == 0, "the in-flight map to empty");

            // nothing is left under the old id, so no tile read from the new file can show in the old layout
            for (int c = 0; c < 8; c++) {
                for (int r = 0; r < 7; r++) {
                    assertNull(p.cached(old.key(0, c, r)));
                    assertFalse(p.encodedCached(old.key(0, c, r)));
                }
            }
            // the new handle reads the new file: the tile at (2, 2) shows the new picture
            DecodedTile t = await(p.request(fresh, fresh.key(0, 2, 2), Priority.VISIBLE, null, 0));
            BufferedImage expected = Fixtures.crop(picture, 256, 256, 128, 128);
            BufferedImage got = t.image().getSubimage(256 - t.originX(), 256 - t.originY(), 128, 128);
            assertTrue(Pixels.meanDiff(expected, got) < 4, "the new picture, not the old one");
            assertNotNull(fresh.ready().handle((img, e) -> img).get(30, TimeUnit.SECONDS),
                    "the reopened slide gets its cover levels and thumbnail, as the old one had");
        }
    }
}
