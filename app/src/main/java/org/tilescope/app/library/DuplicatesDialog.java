package org.tilescope.app.library;

import org.tilescope.app.swing.Edt;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Window;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.BiPredicate;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import org.tilescope.engine.library.DuplicateGroup;
import org.tilescope.engine.library.ScanReport;
import org.tilescope.engine.library.TrashReport;

/**
 * The library's duplicates: each group of copies (same content fingerprint) with the bytes the
 * extra copies take, and "Move extra copies to trash" (the first copy by path stays), asked
 * first, then what was found, moved and saved.
 */
public final class DuplicatesDialog extends JDialog {
    private final WindowLibrary library;
    private final JTextArea text = new JTextArea(18, 70);
    private final JLabel summary = new JLabel("Looking for copies…");
    private final JButton trash = new JButton("Move extra copies to trash");
    /** Asks "move N copies?"; a dialog, or a stand-in in tests. */
    private final BiPredicate<java.awt.Component, String> confirm;
    private List<DuplicateGroup> groups = List.of();
    private TrashReport report;

    DuplicatesDialog(Window owner, WindowLibrary library, BiPredicate<java.awt.Component, String> confirm) {
        super(owner, "Duplicates", ModalityType.MODELESS);
        this.library = library;
        this.confirm = confirm;
        text.setEditable(false);
        text.setFont(new java.awt.Font(java.awt.Font.MONOSPACED, java.awt.Font.PLAIN, 12));
        trash.setEnabled(false);
        trash.addActionListener(e -> moveExtras());
        JButton close = new JButton("Close");
        close.addActionListener(e -> dispose());
        JPanel south = new JPanel(new FlowLayout(FlowLayout.RIGHT));
        south.add(trash);
        south.add(close);
        summary.setBorder(BorderFactory.createEmptyBorder(8, 8, 8, 8));
        add(summary, BorderLayout.NORTH);
        add(new JScrollPane(text), BorderLayout.CENTER);
        add(south, BorderLayout.SOUTH);
        setMinimumSize(new Dimension(500, 300));
        pack();
        setLocationRelativeTo(owner);
        load();
    }

    /** Opens the dialog; it lists the groups once the library has them. */
    public static DuplicatesDialog show(Window owner, WindowLibrary library) {
        DuplicatesDialog d = new DuplicatesDialog(owner, library, (parent, question) ->
                JOptionPane.showConfirmDialog(parent, question, "Move to trash", JOptionPane.OK_CANCEL_OPTION,
                        JOptionPane.WARNING_MESSAGE) == JOptionPane.OK_OPTION);
        d.setVisible(true);
        return d;
    }

    private void load() {
        library.read(lib -> lib.duplicates(), this::showGroups, why -> summary.setText("⚠ " + why));
    }

    private void showGroups(List<DuplicateGroup> found) {
        groups = found;
        long wasted = found.stream().mapToLong(DuplicateGroup::wastedBytes).sum();
        int extras = found.stream().mapToInt(g -> g.extras().size()).sum();
        summary.setText(found.isEmpty() ? "No copies found in the library."
                : String.format(Locale.ROOT, "%d %s of copies: %d extra %s, %s wasted", found.size(),
                        found.size() == 1 ? "group" : "groups", extras, extras == 1 ? "copy" : "copies", bytes(wasted)));
        StringBuilder b = new StringBuilder();
        for (DuplicateGroup g : found) {
            b.append(String.format(Locale.ROOT, "%s wasted%n", bytes(g.wastedBytes())));
            for (Path p : g.paths()) {
                b.append(p.equals(g.kept()) ? "  keep  " : "  extra ").append(p).append('\n');
            }
            b.append('\n');
        }
        text.setText(b.toString());
        text.setCaretPosition(0);
        trash.setEnabled(extras > 0);
    }

    /** Asks, then moves every extra copy to the trash in the background, and reports. */
    public void moveExtras() {
        Edt.assertEdt();
        int extras = groups.stream().mapToInt(g -> g.extras().size()).sum();
        if (extras == 0 || !confirm.test(this, String.format(Locale.ROOT,
                "Move %d extra %s to the trash? The first copy of each group (by path) stays.", extras,
                extras == 1 ? "copy" : "copies"))) {
            return;
        }
        trash.setEnabled(false);
        summary.setText("Moving copies to the trash…");
        List<DuplicateGroup> these = groups;
        library.read(lib -> lib.moveExtraCopiesToTrash(these), this::showReport, why -> summary.setText("⚠ " + why));
    }

    private void showReport(TrashReport r) {
        report = r;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "Found %d extra %s, moved %d to the trash, %s saved.",
                r.found(), r.found() == 1 ? "copy" : "copies", r.moved(), bytes(r.bytesSaved())));
        summary.setText(b.toString());
        for (ScanReport.Failure f : r.failures()) {
            b.append("\n⚠ ").append(f.path()).append(": ").append(f.reason());
        }
        text.setText(b.toString());
        groups = List.of(); // the copies moved are gone from the library; open the dialog again to look anew
    }

    static String bytes(long n) {
        if (n >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", n / (double) (1L << 30));
        }
        if (n >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MB", n / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f kB", n / 1024.0);
    }

    // ---------------------------------------------------------------- tests

    /** A dialog whose "move to trash?" question is answered by {@code confirm} (tests). */
    public static DuplicatesDialog create(Window owner, WindowLibrary library, BiPredicate<java.awt.Component, String> confirm) {
        return new DuplicatesDialog(owner, library, confirm);
    }

    public List<DuplicateGroup> groups() {
        return groups;
    }

    public TrashReport report() {
        return report;
    }

    public String summaryText() {
        return summary.getText();
    }
}
