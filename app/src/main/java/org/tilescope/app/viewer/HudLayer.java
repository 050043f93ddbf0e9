package org.tilescope.app.viewer;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.util.Locale;
import java.util.function.Supplier;
import org.tilescope.app.render.Layer;
import org.tilescope.app.render.LayerContext;
import org.tilescope.engine.cache.PipelineStats;
import org.tilescope.engine.view.PaintPlan;

/** The cache HUD (key h): L1/L2 hit ratios and bytes, work in flight, decoder, heap, the level shown. */
final class HudLayer implements Layer {
    private final Supplier<PipelineStats> stats;
    private final Supplier<PaintPlan> plan;
    private volatile boolean visible;

    HudLayer(Supplier<PipelineStats> stats, Supplier<PaintPlan> plan) {
        this.stats = stats;
        this.plan = plan;
    }

    @Override
    public String name() {
        return "cache HUD";
    }

    @Override
    public Space space() {
        return Space.SCREEN;
    }

    @Override
    public int zOrder() {
        return 300;
    }

    @Override
    public boolean visible() {
        return visible;
    }

    void setVisible(boolean visible) {
        this.visible = visible;
    }

    @Override
    public void paint(Graphics2D g, LayerContext ctx) {
        PipelineStats s = stats.get();
        PaintPlan p = plan.get();
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        String[] lines = {
            String.format(Locale.ROOT, "L1  %5.1f%% hit  %,7d MB / %,d MB  %,d tiles", s.l1().hitRatio() * 100,
                    s.l1().bytes() >> 20, s.l1().maxBytes() >> 20, s.l1().entries()),
            String.format(Locale.ROOT, "L2  %5.1f%% hit  %,7d MB / %,d MB  %,d tiles", s.l2().hitRatio() * 100,
                    s.l2().bytes() >> 20, s.l2().maxBytes() >> 20, s.l2().entries()),
            String.format(Locale.ROOT, "in flight: %d reads, %d decodes   failed tiles: %d", s.readsInFlight(),
                    s.decodesInFlight(), s.failedTiles()),
            String.format(Locale.ROOT, "decoder: %s   heap %,d / %,d MB", s.decoder(), used >> 20, rt.maxMemory() >> 20),
            p == null ? "" : String.format(Locale.ROOT, "level %d   sharp %d / %d tiles", p.level(), p.sharp(), p.wanted()),
        };
        g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int lh = fm.getHeight();
        int bw = 0;
        for (String l : lines) {
            bw = Math.max(bw, fm.stringWidth(l));
        }
        g.setColor(new Color(0, 0, 0, 170));
        g.fillRoundRect(8, 8, bw + 16, lh * lines.length + 12, 8, 8);
        g.setColor(new Color(0xE8F5E9));
        for (int i = 0; i < lines.length; i++) {
            g.drawString(lines[i], 16, 8 + 6 + fm.getAscent() + i * lh);
        }
    }
}
