package org.tilescope.app.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import org.tilescope.engine.slide.SlideInfo;

/** The scale bar at the bottom left: a round length in µm/mm (pixels without an MPP) and the zoom. */
public final class ScaleBarLayer implements Layer {
    private volatile boolean visible = true;

    @Override
    public String name() {
        return "scale bar";
    }

    @Override
    public Space space() {
        return Space.SCREEN;
    }

    @Override
    public int zOrder() {
        return 100;
    }

    @Override
    public boolean visible() {
        return visible;
    }

    public void setVisible(boolean visible) {
        this.visible = visible;
    }

    @Override
    public void paint(Graphics2D g, LayerContext ctx) {
        SlideInfo info = ctx.info();
        double maxLen = Math.min(240, ctx.width() / 4.0);
        ScaleBar.Bar bar = info.mpp().isPresent()
                ? ScaleBar.choose(info.mpp().getAsDouble() * ctx.view().downsample(), maxLen)
                : ScaleBar.choosePixels(ctx.view().downsample(), maxLen);
        int x = 16;
        int y = ctx.height() - 28;
        int len = (int) Math.round(bar.pixels());
        g.setFont(ctx.font().deriveFont(Font.BOLD, 12f));
        FontMetrics fm = g.getFontMetrics();
        String label = bar.label() + "   " + ctx.zoomLabel();
        int boxW = Math.max(len, fm.stringWidth(label)) + 16;
        g.setColor(new Color(255, 255, 255, 200));
        g.fillRoundRect(x - 8, y - fm.getAscent() - 8, boxW, fm.getHeight() + 22, 8, 8);
        g.setColor(Color.BLACK);
        g.fillRect(x, y + 6, len, 4);
        g.fillRect(x, y + 2, 2, 10);
        g.fillRect(x + len - 2, y + 2, 2, 10);
        g.drawString(label, x, y);
    }
}
