package org.tilescope.app.swing;

import java.awt.HeadlessException;
import java.awt.Toolkit;
import java.awt.datatransfer.StringSelection;
import java.util.function.Consumer;

/**
 * Puts text on the system clipboard off the EDT: on X11 {@code setContents} waits for a round
 * trip to the X server, which took over 250 ms on a busy machine, and the window must not freeze
 * for a copy button.
 */
public final class Clipboard {
    private static final System.Logger LOG = System.getLogger(Clipboard.class.getName());

    private Clipboard() {
    }

    /** Sets the clipboard now, on the calling thread; false (and logged) when it is busy or missing. */
    public static boolean put(String text) {
        try {
            Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new StringSelection(text), null);
            return true;
        } catch (IllegalStateException | HeadlessException e) {
            LOG.log(System.Logger.Level.WARNING, "clipboard unavailable: " + e.getMessage());
            return false;
        }
    }

    /** Sets the clipboard on a background thread; {@code done} gets whether it worked, on the EDT. */
    public static void putLater(String text, Consumer<Boolean> done) {
        Thread.ofVirtual().name("tilescope-clipboard").start(() -> {
            boolean ok = put(text);
            Edt.run(() -> done.accept(ok));
        });
    }
}
