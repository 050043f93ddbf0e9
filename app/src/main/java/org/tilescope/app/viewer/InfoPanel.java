package org.tilescope.app.viewer;

import org.tilescope.app.cli.SlideLocations;
import org.tilescope.app.swing.Edt;
import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javax.swing.BorderFactory;
import javax.swing.ImageIcon;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.SwingUtilities;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.app.swing.Clipboard;

/** File, format, size, levels, tiling, MPP, magnification, and buttons for associated images. */
public final class InfoPanel extends JPanel {
    private static final String[] FIELDS = {"File", "Folder", "Format", "Dimensions", "Tile size", "MPP",
        "Magnification", "Levels", "Associated"};
    private final JLabel[] values = new JLabel[FIELDS.length];
    private final javax.swing.table.DefaultTableModel levels = new javax.swing.table.DefaultTableModel(
            new Object[] {"level", "size (px)", "downsample", "tiles"}, 0) {
        @Override
        public boolean isCellEditable(int row, int column) {
            return false;
        }
    };
    /** Shows each cell's full text as its tooltip, and tracks the viewport only while wide enough. */
    private final javax.swing.JTable table = new javax.swing.JTable(levels) {
        @Override
        public String getToolTipText(java.awt.event.MouseEvent e) {
            int row = rowAtPoint(e.getPoint());
            int col = columnAtPoint(e.getPoint());
            return row < 0 || col < 0 ? null : String.valueOf(getValueAt(row, col));
        }

        @Override
        public boolean getScrollableTracksViewportWidth() {
            return getParent() == null || getPreferredSize().width <= getParent().getWidth();
        }
    };
    private final JPanel associated = new JPanel(new FlowLayout(FlowLayout.LEFT));
    private SlideInfo shown;

    /** Plain labels and a table, built once: a slide switch only sets their text (HTML panes cost tens of ms). */
    public InfoPanel() {
        super(new BorderLayout(0, 6));
        setBorder(BorderFactory.createEmptyBorder(6, 6, 6, 6));
        JPanel grid = new JPanel(new java.awt.GridBagLayout());
        java.awt.GridBagConstraints c = new java.awt.GridBagConstraints();
        c.anchor = java.awt.GridBagConstraints.WEST;
        c.insets = new java.awt.Insets(1, 2, 1, 8);
        for (int i = 0; i < FIELDS.length; i++) {
            JLabel k = new JLabel(FIELDS[i]);
            k.setFont(k.getFont().deriveFont(java.awt.Font.BOLD));
            c.gridx = 0;
            c.gridy = i;
            c.weightx = 0;
            c.fill = java.awt.GridBagConstraints.NONE;
            grid.add(k, c);
            values[i] = new JLabel(" ");
            c.gridx = 1;
            c.weightx = 1;
            c.fill = java.awt.GridBagConstraints.HORIZONTAL;
            grid.add(values[i], c);
        }
        table.setFillsViewportHeight(true);
        // Columns keep the width their longest value needs; a narrow panel scrolls sideways
        // instead of cutting "24,000 × 18,000" to "24,000 …".
        table.setAutoResizeMode(javax.swing.JTable.AUTO_RESIZE_SUBSEQUENT_COLUMNS);
        JButton copy = new JButton("Copy");
        copy.setToolTipText("Copy the slide's details and levels as text");
        copy.addActionListener(e -> Clipboard.putLater(fullText(), ok -> copy.setText(ok ? "Copy" : "Clipboard busy")));
        associated.add(copy);
        fitColumns();
        add(grid, BorderLayout.NORTH);
        add(new JScrollPane(table), BorderLayout.CENTER);
        add(associated, BorderLayout.SOUTH);
        setPreferredSize(new Dimension(300, 400));
    }

    public SlideInfo shown() {
        return shown;
    }

    /** The fields as text, one "key: value" per line (tests). */
    public String text() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < FIELDS.length; i++) {
            b.append(FIELDS[i]).append(": ").append(values[i].getText()).append('\n');
        }
        return b.toString();
    }

    /** "8", or "8 (7 generated)" when the file lacks coarse levels and the engine makes them. */
    private static String levelCount(SlideInfo info) {
        long generated = info.levels().stream().filter(LevelInfo::generated).count();
        return info.levelCount() + (generated == 0 ? "" : " (" + generated + " generated)");
    }

    public void show(SlideInfo info) {
        Edt.assertEdt();
        shown = info;
        String[] v = {
            info.file().isPresent() ? info.name() : SlideLocations.displayName(info.location()),
            info.file().map(f -> String.valueOf(f.getParent())).orElse(info.where()),
            info.format(),
            String.format(Locale.ROOT, "%,d × %,d px", info.width(), info.height()),
            info.tileWidth() + " × " + info.tileHeight() + (info.overlap() > 0 ? ", overlap " + info.overlap() : ""),
            info.mpp().isPresent() ? String.format(Locale.ROOT, "%.4f µm/px", info.mpp().getAsDouble()) : "unknown",
            info.magnification().isPresent()
                    ? String.format(Locale.ROOT, "%.0f×", info.magnification().getAsDouble()) : "unknown",
            levelCount(info),
            info.associated().isEmpty() ? "none" : String.join(", ", info.associated()),
        };
        for (int i = 0; i < v.length; i++) {
            values[i].setText(v[i]);
            values[i].setToolTipText(v[i]);
        }
        levels.setRowCount(0);
        for (LevelInfo l : info.levels()) {
            levels.addRow(new Object[] {l.index(), String.format(Locale.ROOT, "%,d × %,d", l.width(), l.height()),
                downsample(l.downsample()), String.format(Locale.ROOT, "%,d × %,d", l.cols(), l.rows())});
        }
        fitColumns();
        Component copy = associated.getComponent(associated.getComponentCount() - 1);
        associated.removeAll();
        associated.add(copy);
        for (String name : info.associated()) {
            JButton view = new JButton("View " + name);
            view.addActionListener(e -> showAssociated(info, name));
            associated.add(view);
        }
        associated.revalidate();
        associated.repaint();
    }

    /** "1", "4", "1,638.4": whole downsamples as integers, the rest with one decimal, never "1.638e+03". */
    static String downsample(double d) {
        return Math.abs(d - Math.rint(d)) < 1e-6 ? String.format(Locale.ROOT, "%,d", Math.round(d))
                : String.format(Locale.ROOT, "%,.1f", d);
    }

    /** Widens each level column to its header and longest value. */
    private void fitColumns() {
        for (int c = 0; c < table.getColumnCount(); c++) {
            javax.swing.table.TableColumn column = table.getColumnModel().getColumn(c);
            Component h = table.getTableHeader().getDefaultRenderer()
                    .getTableCellRendererComponent(table, column.getHeaderValue(), false, false, -1, c);
            int width = h.getPreferredSize().width;
            for (int r = 0; r < table.getRowCount(); r++) {
                Component cell = table.prepareRenderer(table.getCellRenderer(r, c), r, c);
                width = Math.max(width, cell.getPreferredSize().width);
            }
            width += 2 * table.getIntercellSpacing().width + 8;
            column.setMinWidth(width);
            column.setPreferredWidth(width);
        }
    }

    /** The fields and the level table as plain text, for the clipboard. */
    public String fullText() {
        StringBuilder b = new StringBuilder(text());
        b.append("\nlevel\tsize\tdownsample\ttiles\n");
        for (int r = 0; r < levels.getRowCount(); r++) {
            for (int c = 0; c < levels.getColumnCount(); c++) {
                b.append(levels.getValueAt(r, c)).append(c + 1 < levels.getColumnCount() ? "\t" : "\n");
            }
        }
        return b.toString();
    }

    /** Reads the image in the background and shows it in a dialog. */
    private void showAssociated(SlideInfo info, String name) {
        CompletableFuture.supplyAsync(() -> {
            try (SlideSource src = Slides.open(info.location())) {
                return TileDecoder.standard().decode(src.readAssociated(name));
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }).whenComplete((BufferedImage img, Throwable err) -> Edt.run(() -> {
            if (err != null) {
                Throwable c = err.getCause() != null ? err.getCause() : err;
                JOptionPane.showMessageDialog(this, c.getMessage(), "Cannot show " + name, JOptionPane.ERROR_MESSAGE);
                return;
            }
            JDialog d = new JDialog(SwingUtilities.getWindowAncestor(this), name + " — " + info.name());
            d.add(new JScrollPane(new JLabel(new ImageIcon(img))));
            d.setSize(Math.min(1000, img.getWidth() + 40), Math.min(800, img.getHeight() + 60));
            d.setLocationRelativeTo(this);
            d.setVisible(true);
        }));
    }
}
