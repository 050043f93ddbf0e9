package org.tilescope.engine.view;

import org.tilescope.engine.cache.DecodedTile;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import org.tilescope.engine.slide.PixelRect;

/**
 * Paints a {@link PaintPlan} with Java2D: the same code for the screen and for exports.
 */
public final class TilePainter {
    private TilePainter() {
    }

    /**
     * Paints the plan. The graphics' transform must map level-0 pixels to device pixels;
     * each layer is scaled bilinearly from its level to level 0.
     */
    public static void paint(Graphics2D g, PaintPlan plan) {
        paint(g, plan, true);
    }

    /**
     * Paints the plan. When every wanted tile is sharp the thumbnail and cover layers are
     * skipped: they would be painted over. With {@code smooth} false every layer is drawn
     * nearest-neighbour: for frames in motion (a pan, a zoom step, the first frames of a slide),
     * where bilinear costs several times more per pixel and the difference is not seen; the view
     * is drawn smooth once it rests.
     */
    public static void paint(Graphics2D g, PaintPlan plan, boolean smooth) {
        Object oldInterp = g.getRenderingHint(RenderingHints.KEY_INTERPOLATION);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, smooth ? RenderingHints.VALUE_INTERPOLATION_BILINEAR
                : RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        AffineTransform at = g.getTransform();
        boolean complete = plan.complete();
        try {
            if (plan.base() != null && !complete) {
                g.scale(plan.baseDownsample(), plan.baseDownsample());
                g.drawImage(plan.base(), 0, 0, null);
                g.setTransform(at);
            }
            for (PaintPlan.PaintTile p : plan.tiles()) {
                if (p.key().level() != plan.level() && complete) {
                    continue;
                }
                paintTile(g, p.tile(), p.downsample());
                g.setTransform(at);
            }
        } finally {
            g.setTransform(at);
            if (oldInterp != null) {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, oldInterp);
            }
        }
    }

    /** Paints the owned part of one tile; g maps level-0 pixels to device, and is left scaled. */
    static void paintTile(Graphics2D g, DecodedTile t, double downsample) {
        PixelRect o = t.owned();
        g.scale(downsample, downsample);
        int sx = o.x() - t.originX();
        int sy = o.y() - t.originY();
        int w = Math.min(o.width(), t.image().getWidth() - sx);
        int h = Math.min(o.height(), t.image().getHeight() - sy);
        if (w <= 0 || h <= 0) {
            return;
        }
        g.drawImage(t.image(), o.x(), o.y(), o.x() + w, o.y() + h, sx, sy, sx + w, sy + h, null);
    }
}
