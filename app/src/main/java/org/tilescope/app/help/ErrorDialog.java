package org.tilescope.app.help;

import java.awt.Component;
import javax.swing.JButton;
import javax.swing.JOptionPane;
import org.tilescope.app.swing.Clipboard;

/**
 * An error message with a "Copy Details" button: the message and the {@link SystemReport}, ready
 * to paste into a bug report. The button copies without closing the dialog.
 */
public final class ErrorDialog {
    private ErrorDialog() {
    }

    /** Shows the dialog; blocks like any modal dialog. Call on the EDT. */
    public static void show(Component parent, String title, String message) {
        JButton copy = new JButton("Copy Details");
        copy.addActionListener(e -> Clipboard.putLater(details(title, message),
                ok -> copy.setText(ok ? "Copied" : "Clipboard busy")));
        Object[] options = {copy, "OK"};
        JOptionPane.showOptionDialog(parent, message, title, JOptionPane.DEFAULT_OPTION, JOptionPane.ERROR_MESSAGE,
                null, options, options[1]);
    }

    /** What "Copy Details" puts on the clipboard. */
    static String details(String title, String message) {
        return title + "\n" + message + "\n\n" + SystemReport.text();
    }
}
