package org.tilescope.app.render;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The layers over one view, kept in z-order; painted bottom-up and hit-tested top-down. */
public final class LayerStack {
    private final List<Layer> layers = new CopyOnWriteArrayList<>();

    /** A layer and what of it lies under the point. */
    public record Hit(Layer layer, Object what) {
    }

    public LayerStack add(Layer layer) {
        layers.add(layer);
        layers.sort(Comparator.comparingInt(Layer::zOrder));
        return this;
    }

    public void remove(Layer layer) {
        layers.remove(layer);
    }

    /** The layers, bottom first. */
    public List<Layer> layers() {
        return List.copyOf(layers);
    }

    /** Paints every visible layer over what is already in {@code g}, which is left as it was. */
    public void paint(Graphics2D g, LayerContext ctx) {
        Graphics2D lg = (Graphics2D) g.create();
        try {
            lg.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            lg.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            AffineTransform screen = lg.getTransform();
            for (Layer l : layers) {
                if (!l.visible()) {
                    continue;
                }
                lg.setTransform(screen);
                if (l.space() == Layer.Space.SLIDE) {
                    lg.transform(ctx.slideToScreen());
                }
                l.paint(lg, ctx);
            }
        } finally {
            lg.dispose();
        }
    }

    /** The topmost visible layer that has something under the point, or null. */
    public Hit hitTest(double screenX, double screenY, LayerContext ctx) {
        List<Layer> topDown = new ArrayList<>(layers);
        for (Layer l : topDown.reversed()) {
            if (!l.visible()) {
                continue;
            }
            Object what = l.hitTest(screenX, screenY, ctx);
            if (what != null) {
                return new Hit(l, what);
            }
        }
        return null;
    }
}
