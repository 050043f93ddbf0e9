package org.tilescope.app.jobs;

import org.tilescope.app.swing.Edt;
import java.awt.BasicStroke;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Dialog;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.awt.RenderingHints;
import java.awt.Window;
import java.awt.geom.Path2D;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.swing.BorderFactory;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.Timer;
import javax.swing.UIManager;
import org.tilescope.engine.metrics.Metrics;

/**
 * Memory and workers, live: heap, L1/L2, pools and CPU, with sparklines of heap used and L2 bytes
 * over the last minutes. History is sampled once a second while the window lives (so the lines
 * have a past when the dialog opens) and four times a second while the dialog shows. Sampling
 * reads counters and MXBeans only: no disk, no locks a worker holds.
 */
public final class MetricsView {
    static final int HISTORY_SECONDS = 300;
    static final int CAPACITY = HISTORY_SECONDS * 4 + 16;

    /** Preload work in flight and waiting, as the UI last heard it. */
    public record PreloadLoad(int active, int queued) {
    }

    private final Metrics metrics;
    private final Supplier<PreloadLoad> preload;
    private final History history = new History(CAPACITY);
    private final Timer background = new Timer(1000, e -> sample());
    private final Timer live = new Timer(250, e -> refresh());
    private JDialog dialog;
    private final JLabel[] values = new JLabel[ROWS.length];
    /** One row per pool that exists, in the order the registry lists them; rebuilt when the set changes. */
    private final JPanel poolRows = new JPanel(new GridBagLayout());
    private final java.util.Map<String, JLabel> poolValues = new java.util.LinkedHashMap<>();
    private final Sparkline heapLine = new Sparkline(new Color(0x1E88E5));
    private final Sparkline l2Line = new Sparkline(new Color(0x43A047));
    private Metrics.Snapshot last;
    /** Width of the fixed rows' names: the pool rows' names get it too, so the values line up. */
    private int nameWidth;

    /** Fixed rows; the pools between the caches and the process are listed as they exist. */
    static final String[] ROWS = {"Heap used", "Heap committed", "Heap max", "Peak heap", "L1 (decoded)",
        "L2 (encoded)", "Process CPU", "Source reads"};
    private static final int POOLS_BEFORE = 6;

    public MetricsView(Metrics metrics, Supplier<PreloadLoad> preload) {
        this.metrics = metrics;
        this.preload = preload;
        background.start();
    }

    /** Takes one sample into the history (EDT). */
    Metrics.Snapshot sample() {
        Edt.assertEdt();
        PreloadLoad p = preload.get();
        Metrics.Snapshot s = metrics.sample(p.active(), p.queued());
        history.add(System.nanoTime(), s.heapUsed(), s.l2Bytes());
        last = s;
        return s;
    }

    /** Shows the dialog (made on first use; non-modal). */
    public void show(Window owner) {
        Edt.assertEdt();
        if (dialog == null) {
            dialog = build(owner);
        }
        refresh();
        dialog.setVisible(true);
        dialog.toFront();
        live.start();
    }

    public boolean isShowing() {
        return dialog != null && dialog.isVisible();
    }

    JDialog dialog() {
        return dialog;
    }

    /** The latest sample, or null before the first. */
    Metrics.Snapshot last() {
        return last;
    }

    private void refresh() {
        if (dialog == null || !dialog.isVisible()) {
            live.stop();
            return;
        }
        fill(sample());
    }

    private void fill(Metrics.Snapshot s) {
        String[] text = {
            mb(s.heapUsed()) + pct(s.heapUsed(), s.heapMax()),
            mb(s.heapCommitted()),
            mb(s.heapMax()),
            mb(s.heapPeak()),
            mb(s.l1Bytes()) + " of " + mb(s.pipeline().l1().maxBytes()) + String.format(Locale.ROOT, "  ·  %,d tiles",
                    s.pipeline().l1().entries()),
            mb(s.l2Bytes()) + " of " + mb(s.pipeline().l2().maxBytes()) + String.format(Locale.ROOT, "  ·  %,d tiles",
                    s.pipeline().l2().entries()),
            s.processCpu() < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f %%", s.processCpu() * 100),
            String.format(Locale.ROOT, "%,d tiles  ·  %,d failed", s.pipeline().sourceReads(), s.pipeline().failedTiles()),
        };
        for (int i = 0; i < text.length; i++) {
            values[i].setText(text[i]);
        }
        fillPools(s);
        long now = System.nanoTime();
        // heap against what the JVM holds; L2 against its own recent peak, so small fills still show a shape
        heapLine.set(history, now, 0, s.heapCommitted(), "heap used " + mb(s.heapUsed()) + " of " + mb(s.heapCommitted())
                + " committed");
        l2Line.set(history, now, 1, 0, "L2 " + mb(s.l2Bytes()) + " of " + mb(s.pipeline().l2().maxBytes()));
    }

    /** A row per pool in the sample; the rows are made again only when the pools that exist change. */
    private void fillPools(Metrics.Snapshot s) {
        List<String> names = s.pools().stream().map(Metrics.PoolLoad::pool).toList();
        if (!names.equals(List.copyOf(poolValues.keySet()))) {
            poolRows.removeAll();
            poolValues.clear();
            GridBagConstraints c = new GridBagConstraints();
            c.anchor = GridBagConstraints.WEST;
            c.insets = new Insets(1, 10, 1, 16);
            int y = 0;
            for (String name : names) {
                c.gridx = 0;
                c.gridy = y++;
                c.weightx = 0;
                JLabel poolName = new JLabel(label(name));
                poolName.setPreferredSize(new Dimension(Math.max(nameWidth, poolName.getPreferredSize().width),
                        poolName.getPreferredSize().height));
                poolRows.add(poolName, c);
                JLabel v = new JLabel("–");
                c.gridx = 1;
                c.weightx = 1;
                poolRows.add(v, c);
                poolValues.put(name, v);
            }
            poolRows.revalidate();
            if (dialog != null && dialog.isVisible()) {
                dialog.pack(); // a pool came or went: room for its row
            }
        }
        for (Metrics.PoolLoad p : s.pools()) {
            poolValues.get(p.pool()).setText(p.active() + " active  ·  " + p.queued()
                    + (p.pool().equals("preload") ? " tiles left" : " queued"));
        }
    }

    /** The pools shown now, by name (tests). */
    List<String> poolsShown() {
        return List.copyOf(poolValues.keySet());
    }

    private static String label(String pool) {
        return pool.isEmpty() ? pool : pool.substring(0, 1).toUpperCase(Locale.ROOT) + pool.substring(1);
    }

    private static String pct(long part, long whole) {
        return whole <= 0 ? "" : String.format(Locale.ROOT, "  (%.0f %%)", 100.0 * part / whole);
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%,.1f MB", bytes / (double) (1L << 20));
    }

    private JDialog build(Window owner) {
        JDialog d = new JDialog(owner, "Memory and Workers", Dialog.ModalityType.MODELESS);
        d.setDefaultCloseOperation(JDialog.HIDE_ON_CLOSE);
        JPanel form = new JPanel(new GridBagLayout());
        form.setBorder(BorderFactory.createEmptyBorder(10, 12, 6, 12));
        GridBagConstraints c = new GridBagConstraints();
        c.anchor = GridBagConstraints.WEST;
        c.insets = new Insets(2, 0, 2, 16);
        Font bold = new JLabel().getFont().deriveFont(Font.BOLD);
        for (String row : ROWS) {
            nameWidth = Math.max(nameWidth, new JLabel(row).getPreferredSize().width);
        }
        poolValues.clear(); // the pool rows are made again with that width
        int y = 0;
        for (int i = 0; i < ROWS.length; i++) {
            if (i == POOLS_BEFORE) {
                JLabel section = new JLabel("Pools (active · waiting)");
                section.setFont(bold);
                c.gridx = 0;
                c.gridy = y++;
                c.gridwidth = 2;
                c.insets = new Insets(8, 0, 2, 16);
                form.add(section, c);
                poolRows.setOpaque(false);
                c.gridy = y++;
                c.insets = new Insets(0, 0, 0, 0);
                c.fill = GridBagConstraints.HORIZONTAL;
                form.add(poolRows, c);
                c.fill = GridBagConstraints.NONE;
                c.gridwidth = 1;
            }
            if (i == 0 || i == 4 || i == POOLS_BEFORE) {
                JLabel section = new JLabel(switch (i) {
                    case 0 -> "Memory";
                    case 4 -> "Caches";
                    default -> "Process";
                });
                section.setFont(bold);
                c.gridx = 0;
                c.gridy = y++;
                c.gridwidth = 2;
                c.insets = new Insets(i == 0 ? 0 : 8, 0, 2, 16);
                form.add(section, c);
                c.gridwidth = 1;
                c.insets = new Insets(1, 10, 1, 16);
            }
            c.gridx = 0;
            c.gridy = y;
            form.add(new JLabel(ROWS[i]), c);
            values[i] = new JLabel("–");
            c.gridx = 1;
            form.add(values[i], c);
            y++;
        }
        JPanel lines = new JPanel(new GridBagLayout());
        lines.setBorder(BorderFactory.createEmptyBorder(4, 12, 12, 12));
        GridBagConstraints lc = new GridBagConstraints();
        lc.gridx = 0;
        lc.fill = GridBagConstraints.HORIZONTAL;
        lc.weightx = 1;
        lc.insets = new Insets(4, 0, 0, 0);
        JLabel title = new JLabel("Last " + HISTORY_SECONDS / 60 + " minutes");
        title.setFont(bold);
        lines.add(title, lc);
        lines.add(heapLine, lc);
        lines.add(l2Line, lc);
        JPanel content = new JPanel(new BorderLayout());
        content.add(form, BorderLayout.NORTH);
        content.add(lines, BorderLayout.CENTER);
        d.setContentPane(content);
        fill(sample()); // real values before packing, so the columns get their width
        d.pack();
        d.setSize(d.getWidth() + 60, d.getHeight());
        d.setMinimumSize(d.getSize());
        d.setLocationRelativeTo(owner);
        return d;
    }

    public void dispose() {
        background.stop();
        live.stop();
        if (dialog != null) {
            dialog.dispose();
        }
    }

    // ---------------------------------------------------------------- history

    /** A ring of (time, heap used, L2 bytes) samples. EDT only. */
    static final class History {
        final long[] times;
        final long[][] series;
        int start;
        int size;

        History(int capacity) {
            times = new long[capacity];
            series = new long[2][capacity];
        }

        void add(long nanos, long a, long b) {
            int i = (start + size) % times.length;
            if (size == times.length) {
                start = (start + 1) % times.length;
            } else {
                size++;
            }
            times[i] = nanos;
            series[0][i] = a;
            series[1][i] = b;
        }

        long time(int k) {
            return times[(start + k) % times.length];
        }

        long value(int s, int k) {
            return series[s][(start + k) % times.length];
        }
    }

    /** A polyline of one series over the last {@link #HISTORY_SECONDS}, scaled to its ceiling. */
    static final class Sparkline extends JComponent {
        private final Color color;
        private History history;
        private long now;
        private int series;
        private long ceiling;
        private String label = "";

        Sparkline(Color color) {
            this.color = color;
            setPreferredSize(new Dimension(360, 64));
        }

        void set(History h, long nowNanos, int s, long max, String text) {
            history = h;
            now = nowNanos;
            series = s;
            ceiling = max;
            label = text;
            repaint();
        }

        @Override
        protected void paintComponent(Graphics g0) {
            Graphics2D g = (Graphics2D) g0.create();
            try {
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                int w = getWidth();
                int h = getHeight();
                Color bg = UIManager.getColor("TextField.background");
                g.setColor(bg == null ? Color.WHITE : bg);
                g.fillRect(0, 0, w, h);
                Color line = UIManager.getColor("Component.borderColor");
                g.setColor(line == null ? Color.LIGHT_GRAY : line);
                g.drawRect(0, 0, w - 1, h - 1);
                if (history == null || history.size == 0) {
                    return;
                }
                long top = ceiling;
                for (int k = 0; k < history.size; k++) {
                    top = Math.max(top, history.value(series, k));
                }
                top = Math.max(1, ceiling > 0 ? top : top + top / 4);
                long span = TimeUnit.SECONDS.toNanos(HISTORY_SECONDS);
                Path2D.Double p = new Path2D.Double();
                boolean first = true;
                for (int k = 0; k < history.size; k++) {
                    long age = now - history.time(k);
                    if (age > span) {
                        continue;
                    }
                    double x = (w - 2) * (1 - age / (double) span) + 1;
                    // the top 18 px hold the labels
                    double y = h - 2 - (h - 20) * (history.value(series, k) / (double) top);
                    if (first) {
                        p.moveTo(x, y);
                        first = false;
                    } else {
                        p.lineTo(x, y);
                    }
                }
                Path2D.Double fill = new Path2D.Double(p);
                if (!first) {
                    fill.lineTo(fill.getCurrentPoint().getX(), h - 1);
                    fill.lineTo(p.getBounds2D().getMinX(), h - 1);
                    fill.closePath();
                    g.setColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 40));
                    g.fill(fill);
                }
                g.setColor(color);
                g.setStroke(new BasicStroke(1.5f));
                g.draw(p);
                g.setFont(getFont() == null ? g.getFont() : getFont().deriveFont(11f));
                Color fg = UIManager.getColor("Label.foreground");
                g.setColor(fg == null ? Color.DARK_GRAY : fg);
                g.drawString(label, 6, 14);
                String scale = "top " + mb(top);
                g.drawString(scale, w - 6 - g.getFontMetrics().stringWidth(scale), 14);
            } finally {
                g.dispose();
            }
        }

        @Override
        public Font getFont() {
            Font f = super.getFont();
            return f != null ? f : UIManager.getFont("Label.font");
        }
    }
}
