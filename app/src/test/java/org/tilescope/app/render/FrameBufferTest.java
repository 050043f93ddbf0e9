package org.tilescope.app.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.app.TestSlides;
import org.tilescope.engine.cache.CacheSizes;
import org.tilescope.engine.cache.Priority;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TileKey;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.view.PaintPlan;
import org.tilescope.engine.view.TileScheduler;

/** A panned frame that moves its pixels equals a full repaint of the same plan, pixel for pixel. */
class FrameBufferTest {
    static final int W = 640;
    static final int H = 480;

    @TempDir
    static Path dir;
    static Path dzi;

    @BeforeAll
    static void slide() throws Exception {
        dzi = TestSlides.writeDzi(dir, "s", 2400, 1600, 128, 1);
    }

    static TilePipeline pipeline;

    @AfterAll
    static void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /** Whole, fractional and diagonal pans, one that leaves nothing to keep, and tiny ones. */
    static final double[][] PANS = {{13.4, 0}, {0, -7.7}, {-21.25, 9.5}, {0.3, 0.2}, {0.3, 0.2}, {150, 80},
        {-3, -3}, {W + 5, 0}, {-40.6, 0}, {0, 31.1}, {17, -17}, {-2.5, 1.5}, {64, 0}, {0, -64}};

    @Test
    void panningAtOneToOneNearestEqualsFullRepaints() throws Exception {
        pans(new ViewState(900, 700, 1.0, 0, false), false, null);
    }

    @Test
    void panningZoomedOutTurnedAndFlippedWithBilinearAndAdjustmentsEqualsFullRepaints() throws Exception {
        pans(new ViewState(1300, 800, 1.37, 1, true), true, new Adjustments(0.1, 1.3, 0.8).table());
    }

    @Test
    void panningMagnifiedEqualsFullRepaints() throws Exception {
        pans(new ViewState(1000, 900, 0.4, 3, false), false, null);
    }

    /**
     * Pans frame by frame; between frames one missing visible tile is let in (tiles that arrive
     * while the buffer is shifted), and once the decoded cache is emptied (tiles leave the plan).
     */
    private void pans(ViewState start, boolean smooth, int[] lut) throws Exception {
        pipeline = new TilePipeline(new CacheSizes(256L << 20, 256L << 20), TileDecoder.standard(), 2, 4, 16);
        SlideHandle slide = pipeline.open(dzi);
        slide.ready().get(30, TimeUnit.SECONDS);
        TileScheduler scheduler = new TileScheduler(pipeline, slide);
        FrameBuffer moving = new FrameBuffer();
        ViewState v = start;
        int shifted = 0;
        int partial = 0;
        int arrivedMidPan = 0;
        int joinedWhileShifted = 0;
        java.util.Set<TileKey> previous = java.util.Set.of();
        for (int i = 0; i <= PANS.length; i++) {
            AffineTransform t = FrameBuffer.snapped(v.slideToScreen(W, H));
            var vp = SlideRenderer.viewport(t, W, H, v.downsample(), 0, 0, i + 1);
            PaintPlan plan = scheduler.update(vp);
            BufferedImage got = moving.paint(slide.id(), slide.info(), t, plan, W, H, smooth, lut);
            int bands = 0;
            while (moving.pending()) { // a smooth frame comes band by band over the next frames
                moving.paint(slide.id(), slide.info(), t, plan, W, H, smooth, lut);
                assertTrue(++bands <= FrameBuffer.SMOOTH_BANDS, "smooth within " + FrameBuffer.SMOOTH_BANDS + " frames");
            }
            BufferedImage want = fullRepaint(slide, t, plan, smooth, lut);
            assertEquals(0, differing(want, got), "frame " + i + " differs from a full repaint of its plan");
            shifted += moving.lastShifted() ? 1 : 0;
            java.util.Set<TileKey> now = new java.util.HashSet<>();
            plan.tiles().forEach(p -> now.add(p.key()));
            if (moving.lastShifted() && !previous.containsAll(now)) {
                joinedWhileShifted++;
            }
            previous = now;
            partial += moving.repaintedPixels() < (long) W * H ? 1 : 0;
            if (i == PANS.length) {
                break;
            }
            if (i == 6) {
                pipeline.clearDecoded();
            } else {
                for (TileKey k : scheduler.visibleTiles(vp)) {
                    if (pipeline.cached(k) == null) {
                        pipeline.request(slide, k, Priority.VISIBLE, null, 0).get(30, TimeUnit.SECONDS);
                        arrivedMidPan++;
                        break;
                    }
                }
            }
            v = v.panByScreen(PANS[i][0], PANS[i][1], W, H);
        }
        pipeline.close();
        pipeline = null;
        assertTrue(shifted >= 5, "pans moved the pixels: " + shifted);
        assertTrue(partial >= 5, "frames repainted only part: " + partial);
        assertTrue(arrivedMidPan + joinedWhileShifted > 0, "tiles joined the plan of a moved frame");
    }

    @Test
    void movedFrameRepaintsOnlyTheExposedStripsWhenNothingElseChanged() throws Exception {
        pipeline = new TilePipeline(new CacheSizes(256L << 20, 256L << 20), TileDecoder.standard(), 2, 4, 16);
        SlideHandle slide = pipeline.open(dzi);
        slide.ready().get(30, TimeUnit.SECONDS);
        TileScheduler scheduler = new TileScheduler(pipeline, slide);
        ViewState v = new ViewState(1200, 800, 1.0, 0, false);
        // all tiles of both views in, so the plan does not change between the frames
        for (ViewState s : List.of(v, v.panByScreen(10, 4, W, H))) {
            var vp = SlideRenderer.viewport(FrameBuffer.snapped(s.slideToScreen(W, H)), W, H, 1, 0, 0, 1);
            for (TileKey k : scheduler.visibleTiles(vp)) {
                pipeline.request(slide, k, Priority.VISIBLE, null, 0).get(30, TimeUnit.SECONDS);
            }
        }
        FrameBuffer fb = new FrameBuffer();
        for (ViewState s : List.of(v, v.panByScreen(10, 4, W, H))) {
            AffineTransform t = FrameBuffer.snapped(s.slideToScreen(W, H));
            PaintPlan plan = scheduler.update(SlideRenderer.viewport(t, W, H, 1, 0, 0, 2));
            assertTrue(plan.complete());
            fb.paint(slide.id(), slide.info(), t, plan, W, H, false, null);
        }
        assertTrue(fb.lastShifted());
        assertEquals(10L * H + 4L * W, fb.repaintedPixels(), "a 10 px wide and a 4 px high strip");
        // the pixel under the view centre is the slide's own, at its place on the screen
        var at = FrameBuffer.snapped(v.panByScreen(10, 4, W, H).slideToScreen(W, H)).inverseTransform(
                new java.awt.geom.Point2D.Double(W / 2 + 0.5, H / 2 + 0.5), null);
        assertEquals(TestSlides.pixel((int) Math.floor(at.getX()), (int) Math.floor(at.getY())) & 0xFFFFFF,
                fb.image().getRGB(W / 2, H / 2) & 0xFFFFFF);
        pipeline.close();
        pipeline = null;
    }

    /**
     * Zoom steps (every pixel changes) across levels, nearest-neighbour as in motion and a smooth
     * one at rest, with the chosen level's tiles in, partly in over coarser cover, or partly
     * missing with no cover (the thumbnail shows there): each frame equals the frame painted the
     * plain way (window colour, underlay, thumbnail, then every tile of the plan over them),
     * though a frame whose tiles cover the view paints neither the underlay nor the thumbnail.
     */
    @Test
    void zoomStepsEqualThePlainPaintOfTheirPlan() throws Exception {
        zoomSteps(new ViewState(1100, 760, 3.4, 0, false));
    }

    @Test
    void zoomStepsTurnedAndFlippedEqualThePlainPaintOfTheirPlan() throws Exception {
        zoomSteps(new ViewState(1250, 690, 3.1, 1, true));
    }

    private void zoomSteps(ViewState start) throws Exception {
        pipeline = new TilePipeline(new CacheSizes(256L << 20, 256L << 20), TileDecoder.standard(), 2, 4, 16);
        SlideHandle slide = pipeline.open(dzi);
        slide.ready().get(30, TimeUnit.SECONDS);
        TileScheduler scheduler = new TileScheduler(pipeline, slide);
        var info = slide.info();
        FrameBuffer fb = new FrameBuffer();
        ViewState v = start;
        int covered = 0;
        int coveredIncomplete = 0;
        int plain = 0;
        for (int i = 0; i < 25; i++) {
            boolean smooth = i == 24;
            AffineTransform t = FrameBuffer.snapped(v.slideToScreen(W, H));
            var vp = SlideRenderer.viewport(t, W, H, v.downsample(), 0, 0, i + 1);
            List<TileKey> keys = scheduler.visibleTiles(vp);
            int level = keys.getFirst().level();
            for (TileKey k : keys) {
                pipeline.request(slide, k, Priority.VISIBLE, null, 0).get(30, TimeUnit.SECONDS);
            }
            // the whole next coarser level, the cover of whatever is left out below
            List<PaintPlan.PaintTile> cover = new java.util.ArrayList<>();
            if (level + 1 < info.levelCount()) {
                var c = info.level(level + 1);
                for (int r = 0; r < c.rows(); r++) {
                    for (int col = 0; col < c.cols(); col++) {
                        TileKey k = slide.key(level + 1, col, r);
                        cover.add(new PaintPlan.PaintTile(k, pipeline.request(slide, k, Priority.VISIBLE, null, 0)
                                .get(30, TimeUnit.SECONDS), c.downsample()));
                    }
                }
            }
            // step by step: all in; every third left out over cover; every third left out, uncovered;
            // only one row wanted, as the scheduler wants only the middle of a view that needs too many
            int variant = cover.isEmpty() ? 0 : i % 4;
            if (variant == 3) {
                int middle = keys.get(keys.size() / 2).row();
                keys = keys.stream().filter(k -> k.row() == middle).toList();
            }
            List<PaintPlan.PaintTile> tiles = new java.util.ArrayList<>(variant == 1 ? cover : List.of());
            int left = 0;
            for (int j = 0; j < keys.size(); j++) {
                if ((variant == 1 || variant == 2) && j % 3 == 1) {
                    left++;
                } else {
                    tiles.add(new PaintPlan.PaintTile(keys.get(j), pipeline.cached(keys.get(j)), info.level(level).downsample()));
                }
            }
            PaintPlan plan = new PaintPlan(level, slide.thumbnail(), info.level(slide.thumbnailLevel()).downsample(), tiles,
                    keys.size(), keys.size() - left, variant == 2 ? left : 0);
            fb.paint(slide.id(), info, t, plan, W, H, smooth, null);
            while (fb.pending()) {
                fb.paint(slide.id(), info, t, plan, W, H, smooth, null);
            }
            assertEquals(0, differing(plainPaint(slide, t, plan, smooth), fb.image()), "zoom step " + i);
            if (SlideRenderer.tilesCoverView(info, t, plan, W, H)) {
                covered++;
                coveredIncomplete += plan.complete() ? 0 : 1;
            } else {
                plain++;
            }
            v = v.zoomAbout(i < 12 ? 1.25 : 1 / 1.2, W * 0.3, H * 0.6, W, H, 8);
        }
        pipeline.close();
        pipeline = null;
        assertTrue(covered >= 10 && coveredIncomplete >= 4, "frames whose tiles covered the view: " + covered
                + ", of them over cover: " + coveredIncomplete);
        assertTrue(plain >= 8, "frames with the underlay or thumbnail showing: " + plain);
    }

    /** The frame painted the plain way: window colour, underlay, then the plan with its thumbnail. */
    private static BufferedImage plainPaint(SlideHandle slide, AffineTransform t, PaintPlan plan, boolean smooth) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(SlideRenderer.BACKGROUND);
        g.fillRect(0, 0, W, H);
        g.transform(t);
        g.setColor(SlideRenderer.underlay);
        g.fill(new java.awt.geom.Rectangle2D.Double(0, 0, slide.info().width(), slide.info().height()));
        g.setRenderingHint(java.awt.RenderingHints.KEY_RENDERING, java.awt.RenderingHints.VALUE_RENDER_SPEED);
        org.tilescope.engine.view.TilePainter.paint(g, plan, smooth);
        g.dispose();
        return img;
    }

    @Test
    void shiftMovesPixelsLikeCopyingThemOneByOne() {
        int w = 7;
        int h = 5;
        for (int dx = -8; dx <= 8; dx++) {
            for (int dy = -6; dy <= 6; dy++) {
                if (Math.abs(dx) >= w || Math.abs(dy) >= h) {
                    continue;
                }
                int[] px = new int[w * h];
                for (int i = 0; i < px.length; i++) {
                    px[i] = i + 1;
                }
                int[] want = px.clone();
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int sx = x - dx;
                        int sy = y - dy;
                        if (sx >= 0 && sx < w && sy >= 0 && sy < h) {
                            want[y * w + x] = px[sy * w + sx];
                        }
                    }
                }
                int[] got = px.clone();
                FrameBuffer.shift(got, w, h, dx, dy);
                // the uncovered strips are repainted afterwards: compare the moved part only
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int sx = x - dx;
                        int sy = y - dy;
                        if (!(sx >= 0 && sx < w && sy >= 0 && sy < h)) {
                            got[y * w + x] = want[y * w + x];
                        }
                    }
                }
                assertArrayEquals(want, got, "shift by " + dx + ", " + dy);
            }
        }
    }

    /** The frame painted whole, with no buffer kept between frames: what the moved frame must equal. */
    private static BufferedImage fullRepaint(SlideHandle slide, AffineTransform t, PaintPlan plan, boolean smooth, int[] lut) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        SlideRenderer.paint(g, slide.info(), t, plan, W, H, smooth);
        g.dispose();
        if (lut != null) {
            int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
            Adjustments.apply(lut, px, 0, px.length);
        }
        return img;
    }

    /**
     * Pixels of {@code got} that differ from {@code want} beyond what nearest-neighbour sampling
     * allows: where a device pixel's centre falls exactly between two slide pixels (a tie, common
     * at zooms like 2.5x), a clipped region and a full paint may pick either; the other pick is the
     * one the adjacent device pixel shows. Such ties may appear only along region edges.
     */
    private static int differing(BufferedImage want, BufferedImage got) {
        int w = want.getWidth();
        int h = want.getHeight();
        int[] pa = ((DataBufferInt) want.getRaster().getDataBuffer()).getData();
        int[] pb = ((DataBufferInt) got.getRaster().getDataBuffer()).getData();
        int wrong = 0;
        int ties = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (pa[i] == pb[i]) {
                    continue;
                }
                boolean tie = (x > 0 && pa[i - 1] == pb[i]) || (x + 1 < w && pa[i + 1] == pb[i])
                        || (y > 0 && pa[i - w] == pb[i]) || (y + 1 < h && pa[i + w] == pb[i]);
                if (tie) {
                    ties++;
                } else {
                    wrong++;
                }
            }
        }
        // two rows or columns per region edge at most: the strips' edges and the tiles' that changed
        return ties > 4 * (w + h) ? wrong + ties : wrong;
    }
}
