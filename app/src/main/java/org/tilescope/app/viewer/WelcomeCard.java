package org.tilescope.app.viewer;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.RoundRectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.swing.JComponent;
import javax.swing.SwingUtilities;
import org.tilescope.app.swing.Edt;

/**
 * What the tile pane shows while it has no slide: a centred card that says what is happening.
 * Before anything is asked for, how to open a slide; while the demo slide is made on first run,
 * what it is, where it goes, and how far along the build is. Without it a first start was a dark,
 * empty pane for most of a minute.
 *
 * <p>It is the window's glass pane, so the main window needs no change: it paints only over the
 * tile pane's bounds, only while that pane has no slide, and has no mouse listeners, so every
 * click and drop goes through to the components below.
 */
final class WelcomeCard extends JComponent {
    private static final Color CARD = new Color(0x3A3D42);
    private static final Color BORDER = new Color(0x55595F);
    private static final Color TEXT = new Color(0xE6E8EB);
    private static final Color MUTED = new Color(0xA9AEB5);
    private static final Color BAR = new Color(0x4C8DDB);

    private final MainWindow window;
    private String title = "Drop a slide or a folder here";
    private List<String> lines = List.of(
            "or use File › Open Slide… (Ctrl+O) or File › Open Folder… (Ctrl+Shift+O).",
            "Deep Zoom (.dzi), FastPATH folders, pyramidal TIFF (.tif, .tiff) and Aperio SVS (.svs).",
            "Help › Keyboard Shortcuts lists the keys.");
    /** Build progress from 0 to 1, or negative for no bar. */
    private double progress = -1;

    private WelcomeCard(MainWindow window) {
        this.window = window;
        setOpaque(false);
    }

    /** Makes a card the window's glass pane; it shows itself while the tile pane has no slide. */
    static WelcomeCard install(MainWindow w) {
        Edt.assertEdt();
        WelcomeCard card = new WelcomeCard(w);
        w.setGlassPane(card);
        card.setVisible(w.pane().slide() == null);
        w.pane().addViewListener(p -> card.setVisible(p.slide() == null));
        return card;
    }

    /** Shows the demo build: what is being made and how far it is. Call on the EDT. */
    void showDemoBuild(String where, long done, long total) {
        Edt.assertEdt();
        title = "Making the demo slide";
        double share = total <= 0 ? 0 : Math.min(1, (double) done / total);
        lines = List.of(
                "A 24,000 × 18,000 px H&E-like tissue section, drawn once on this computer",
                "into " + where + ". It opens by itself when it is ready.",
                String.format(Locale.ROOT, "%d%%  ·  %,d of %,d tiles", Math.round(share * 100), done, total),
                "Meanwhile you can open your own slide: File › Open Slide… or drop it here.");
        progress = share;
        repaint();
    }

    /** Back to the "how to open a slide" text (the demo could not be made, say). */
    void showEmpty(String note) {
        Edt.assertEdt();
        title = "Drop a slide or a folder here";
        List<String> l = new ArrayList<>();
        if (note != null && !note.isBlank()) {
            l.add(note);
        }
        l.add("or use File › Open Slide… (Ctrl+O) or File › Open Folder… (Ctrl+Shift+O).");
        l.add("Deep Zoom (.dzi), FastPATH folders, pyramidal TIFF (.tif, .tiff) and Aperio SVS (.svs).");
        lines = List.copyOf(l);
        progress = -1;
        repaint();
    }

    String title() {
        return title;
    }

    List<String> lines() {
        return lines;
    }

    @Override
    public boolean contains(int x, int y) {
        return false;   // never the target of a mouse event: the window below gets them all
    }

    @Override
    protected void paintComponent(Graphics g0) {
        TilePane pane = window.pane();
        if (pane.slide() != null || !pane.isShowing()) {
            return;
        }
        Rectangle area = SwingUtilities.convertRectangle(pane.getParent(), pane.getBounds(), this);
        Graphics2D g = (Graphics2D) g0.create();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.clipRect(area.x, area.y, area.width, area.height);
            Font base = getFont() != null ? getFont() : pane.getFont();
            Font titleFont = base.deriveFont(Font.BOLD, base.getSize2D() * 1.5f);
            FontMetrics tm = g.getFontMetrics(titleFont);
            FontMetrics lm = g.getFontMetrics(base);
            int pad = lm.getHeight();
            int width = tm.stringWidth(title);
            for (String l : lines) {
                width = Math.max(width, lm.stringWidth(l));
            }
            int barHeight = progress >= 0 ? lm.getHeight() / 2 + pad : 0;
            int w = Math.min(area.width - 2 * pad, width + 2 * pad);
            int h = pad + tm.getHeight() + pad / 2 + lines.size() * lm.getHeight() + barHeight + pad;
            int x = area.x + (area.width - w) / 2;
            int y = area.y + (area.height - h) / 2;
            g.setColor(CARD);
            g.fill(new RoundRectangle2D.Float(x, y, w, h, pad, pad));
            g.setColor(BORDER);
            g.setStroke(new BasicStroke(1f));
            g.draw(new RoundRectangle2D.Float(x, y, w, h, pad, pad));
            int ty = y + pad + tm.getAscent();
            g.setFont(titleFont);
            g.setColor(TEXT);
            g.drawString(title, x + pad, ty);
            ty += tm.getDescent() + pad / 2;
            g.setFont(base);
            for (int i = 0; i < lines.size(); i++) {
                g.setColor(i == 0 ? TEXT : MUTED);
                g.drawString(lines.get(i), x + pad, ty + lm.getAscent());
                ty += lm.getHeight();
            }
            if (progress >= 0) {
                int bh = lm.getHeight() / 2;
                int by = ty + pad / 2;
                int bw = w - 2 * pad;
                g.setColor(BORDER);
                g.fillRoundRect(x + pad, by, bw, bh, bh, bh);
                g.setColor(BAR);
                g.fillRoundRect(x + pad, by, (int) Math.round(bw * progress), bh, bh, bh);
            }
        } finally {
            g.dispose();
        }
    }
}
