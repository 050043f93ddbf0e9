package org.tilescope.app.help;

import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.Font;
import java.awt.event.KeyEvent;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JMenu;
import javax.swing.JMenuItem;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTable;
import javax.swing.JTextArea;
import javax.swing.KeyStroke;
import javax.swing.table.DefaultTableModel;
import org.tilescope.app.AppVersion;
import org.tilescope.app.swing.Clipboard;

/** The Help menu: keyboard shortcuts, the demo slide, and About (what {@code doctor} prints). */
public final class HelpMenu {
    /** The README's key table, row for row. */
    static final String[][] SHORTCUTS = {
        {"drag", "pan; release while moving for momentum"},
        {"wheel / trackpad", "zoom about the cursor"},
        {"double-click / shift+double-click", "zoom in / out"},
        {"arrows, W A S D", "pan (shift: four times as far)"},
        {"+ / -", "zoom in / out"},
        {"0 or Home", "fit the slide"},
        {"1", "actual pixels (1:1)"},
        {"r / R", "rotate 90° clockwise / counter-clockwise"},
        {"f", "flip horizontally"},
        {"h", "cache HUD"},
        {"F11", "full screen"},
        {"PgUp / PgDn, Ctrl+← / Ctrl+→", "previous / next slide"},
        {"Ctrl+O / Ctrl+Shift+O", "open a slide / a folder"},
        {"Ctrl+I", "slide info panel"},
        {"Ctrl+J", "show / hide the background jobs panel"},
        {"Ctrl+Shift+M", "memory and workers"},
        {"Ctrl+L", "open a URL"},
        {"Ctrl+Shift+I", "import images into pyramids"},
        {"m", "the Move tool: drag pans, double-click zooms (drawing tools have their own keys)"},
        {"F1", "this table (Help > Keyboard Shortcuts)"},
        {"overview map", "click or drag to move the view"},
    };

    private HelpMenu() {
    }

    /**
     * @param parent   the window dialogs belong to
     * @param openDemo opens the built-in demo slide (making it first if needed)
     */
    public static JMenu create(Component parent, Runnable openDemo) {
        JMenu help = new JMenu("Help");
        JMenuItem keys = new JMenuItem("Keyboard Shortcuts");
        keys.setAccelerator(KeyStroke.getKeyStroke(KeyEvent.VK_F1, 0));
        keys.addActionListener(e -> showShortcuts(parent));
        help.add(keys);
        JMenuItem demo = new JMenuItem("Open the Demo Slide");
        demo.addActionListener(e -> openDemo.run());
        help.add(demo);
        help.addSeparator();
        JMenuItem about = new JMenuItem("About Tilescope");
        about.addActionListener(e -> showAbout(parent));
        help.add(about);
        return help;
    }

    static JTable shortcutTable() {
        DefaultTableModel model = new DefaultTableModel(SHORTCUTS, new Object[] {"key", "does"}) {
            @Override
            public boolean isCellEditable(int row, int column) {
                return false;
            }
        };
        JTable table = new JTable(model);
        table.getColumnModel().getColumn(0).setPreferredWidth(230);
        table.getColumnModel().getColumn(1).setPreferredWidth(330);
        table.setRowHeight(table.getRowHeight() + 4);
        return table;
    }

    static void showShortcuts(Component parent) {
        JTable table = shortcutTable();
        JScrollPane scroll = new JScrollPane(table);
        scroll.setPreferredSize(new java.awt.Dimension(580, Math.min(520, (SHORTCUTS.length + 2) * table.getRowHeight())));
        JOptionPane.showMessageDialog(parent, scroll, "Keyboard Shortcuts", JOptionPane.PLAIN_MESSAGE);
    }

    static void showAbout(Component parent) {
        String report = SystemReport.text();
        JTextArea text = new JTextArea(report);
        text.setEditable(false);
        text.setFont(new Font(Font.MONOSPACED, Font.PLAIN, text.getFont().getSize()));
        text.setBorder(BorderFactory.createEmptyBorder(6, 6, 6, 6));
        JPanel panel = new JPanel(new BorderLayout(0, 8));
        javax.swing.JLabel title = new javax.swing.JLabel("Tilescope " + AppVersion.current()
                + ": a viewer for gigapixel slides");
        title.setFont(title.getFont().deriveFont(Font.BOLD, title.getFont().getSize2D() * 1.2f));
        panel.add(title, BorderLayout.NORTH);
        panel.add(text, BorderLayout.CENTER);
        JButton copy = new JButton("Copy");
        copy.addActionListener(e -> Clipboard.putLater(report, ok -> copy.setText(ok ? "Copied" : "Clipboard busy")));
        Object[] options = {copy, "OK"};
        JOptionPane.showOptionDialog(parent, panel, "About Tilescope", JOptionPane.DEFAULT_OPTION,
                JOptionPane.PLAIN_MESSAGE, null, options, options[1]);
    }
}
