package org.tilescope.engine.region;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.pyramid.generated.Pyramids;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;

/** Whole-slide thumbnails rendered from the pyramid. */
public final class Thumbnails {
    private Thumbnails() {
    }

    /**
     * The whole slide scaled to fit {@code max} x {@code max}, aspect kept. Reads the coarsest
     * level that is still at least that large, then halves step by step (bilinear halving keeps
     * detail without the aliasing of one big jump). A slide without coarse levels gets them
     * generated tile by tile ({@link Pyramids}), so the level read is never much larger than the
     * thumbnail, whatever the slide's size. The caller still owns (and closes) {@code source}.
     */
    public static Region render(SlideSource slide, TileDecoder decoder, int max) {
        if (max <= 0 || max > 16384) {
            throw new IllegalArgumentException("thumbnail size must be 1..16384, not " + max);
        }
        SlideSource source = Pyramids.complete(slide, decoder);
        SlideInfo info = source.info();
        double scale = Math.min(1.0, (double) max / Math.max(info.width(), info.height()));
        int tw = Math.max(1, (int) Math.round(info.width() * scale));
        int th = Math.max(1, (int) Math.round(info.height() * scale));
        int level = 0;
        for (LevelInfo l : info.levels()) {
            if (l.width() >= tw && l.height() >= th) {
                level = l.index();
            }
        }
        LevelInfo l = info.level(level);
        Region full = new RegionReader(source, decoder).read(level, 0, 0, l.width(), l.height());
        return new Region(downscale(full.image(), tw, th), full.failures());
    }

    /** Scales down to exactly w x h by successive halving then one bilinear step. */
    public static BufferedImage downscale(BufferedImage img, int w, int h) {
        BufferedImage cur = img;
        while (cur.getWidth() / 2 >= w && cur.getHeight() / 2 >= h) {
            cur = scale(cur, Math.max(w, cur.getWidth() / 2), Math.max(h, cur.getHeight() / 2));
        }
        if (cur.getWidth() != w || cur.getHeight() != h) {
            cur = scale(cur, w, h);
        }
        return cur;
    }

    private static BufferedImage scale(BufferedImage src, int w, int h) {
        BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return dst;
    }
}
