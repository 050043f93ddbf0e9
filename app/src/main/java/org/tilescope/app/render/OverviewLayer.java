package org.tilescope.app.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.NoninvertibleTransformException;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import org.tilescope.engine.slide.SlideInfo;

/**
 * The overview map at the top right: the whole slide with the view's outline (rotated with the
 * view). Its hit test answers the slide point under the mouse, so a click or drag there moves the
 * view.
 */
public final class OverviewLayer implements Layer {
    /** Longest side of the overview map, in screen pixels. */
    public static final int MAX_SIDE = 220;
    private volatile boolean visible = true;
    /** The thumbnail scaled to the map's size, made again only when either changes (scaling it per frame costs ms). */
    private BufferedImage scaled;
    private BufferedImage scaledFrom;

    @Override
    public String name() {
        return "overview";
    }

    @Override
    public Space space() {
        return Space.SCREEN;
    }

    @Override
    public int zOrder() {
        return 200;
    }

    @Override
    public boolean visible() {
        return visible;
    }

    public void setVisible(boolean visible) {
        this.visible = visible;
    }

    /** Where the map sits, or null when there is no thumbnail yet. */
    public Rectangle bounds(LayerContext ctx) {
        if (ctx.thumbnail() == null) {
            return null;
        }
        SlideInfo info = ctx.info();
        double s = Math.min((double) MAX_SIDE / info.width(), (double) MAX_SIDE / info.height());
        int ow = Math.max(8, (int) Math.round(info.width() * s));
        int oh = Math.max(8, (int) Math.round(info.height() * s));
        return new Rectangle(ctx.width() - ow - 12, 12, ow, oh);
    }

    @Override
    public void paint(Graphics2D g, LayerContext ctx) {
        Rectangle r = bounds(ctx);
        if (r == null) {
            return;
        }
        g.setColor(new Color(0, 0, 0, 120));
        g.fillRoundRect(r.x - 4, r.y - 4, r.width + 8, r.height + 8, 8, 8);
        g.drawImage(scaled(ctx.thumbnail(), r.width, r.height), r.x, r.y, null);
        SlideInfo info = ctx.info();
        AffineTransform toOverview = new AffineTransform();
        toOverview.translate(r.x, r.y);
        toOverview.scale((double) r.width / info.width(), (double) r.height / info.height());
        try {
            Shape screenInSlide = ctx.slideToScreen().createInverse()
                    .createTransformedShape(new Rectangle(0, 0, ctx.width(), ctx.height()));
            g.clip(r);
            g.setStroke(new BasicStroke(2f));
            g.setColor(new Color(0xFF3B30));
            g.draw(toOverview.createTransformedShape(screenInSlide));
        } catch (NoninvertibleTransformException ignored) {
            // a degenerate view has no outline to draw
        }
    }

    private synchronized BufferedImage scaled(BufferedImage thumbnail, int w, int h) {
        if (scaled == null || scaledFrom != thumbnail || scaled.getWidth() != w || scaled.getHeight() != h) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(thumbnail, 0, 0, w, h, null);
            } finally {
                g.dispose();
            }
            scaled = img;
            scaledFrom = thumbnail;
        }
        return scaled;
    }

    /** The slide point shown at a screen point on the map, or null off it. */
    @Override
    public Point2D hitTest(double x, double y, LayerContext ctx) {
        Rectangle r = bounds(ctx);
        if (r == null || !r.contains(x, y)) {
            return null;
        }
        return toSlide(r, x, y, ctx.info());
    }

    /** The slide point for a drag that began on the map: clamped to it, so a drag past its edge still steers. */
    public Point2D dragTo(double x, double y, LayerContext ctx) {
        Rectangle r = bounds(ctx);
        if (r == null) {
            return null;
        }
        return toSlide(r, Math.clamp(x, r.x, r.x + r.width), Math.clamp(y, r.y, r.y + r.height), ctx.info());
    }

    private static Point2D toSlide(Rectangle r, double x, double y, SlideInfo info) {
        return new Point2D.Double((x - r.x) * info.width() / r.width, (y - r.y) * info.height() / r.height);
    }
}
