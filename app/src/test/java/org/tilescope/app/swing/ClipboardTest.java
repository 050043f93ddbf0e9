package org.tilescope.app.swing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.Toolkit;
import java.awt.datatransfer.DataFlavor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ClipboardTest {

    @Test
    void textSetInTheBackgroundIsOnTheClipboardWhenTheEdtHearsOfIt() throws Exception {
        Assumptions.assumeFalse(GraphicsEnvironment.isHeadless(), "needs a display (Xvfb)");
        String text = "case S24-0112 " + System.nanoTime();
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        Clipboard.putLater(text, ok -> {
            assertTrue(SwingUtilities.isEventDispatchThread(), "told on the EDT");
            done.complete(ok);
        });
        assertTrue(done.get(30, TimeUnit.SECONDS), "the clipboard took the text");
        String back = Edt.call(() -> (String) Toolkit.getDefaultToolkit().getSystemClipboard().getData(DataFlavor.stringFlavor));
        assertEquals(text, back);
    }
}
