package org.tilescope.app.swing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.Test;

/** The watchdog catches an event that holds the EDT, and names where the EDT was stuck. */
class EdtWatchdogTest {

    /** Stands for blocking work on the EDT (a dead mount, a process): parks well past the limit. */
    static void blockTheEdt() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(EdtWatchdog.LIMIT_MS * 3));
    }

    @Test
    void anEventHoldingTheEdtIsReportedWithTheEdtStack() throws Exception {
        try (EdtWatchdog w = EdtWatchdog.install()) {
            SwingUtilities.invokeAndWait(EdtWatchdogTest::blockTheEdt);
            SwingUtilities.invokeAndWait(() -> { });
            assertEquals(1, w.stalls().size(), w.report());
            EdtWatchdog.Stall s = w.stalls().getFirst();
            assertTrue(s.millis() > EdtWatchdog.LIMIT_MS, s.describe());
            assertTrue(s.stack().stream().anyMatch(e -> e.getMethodName().equals("blockTheEdt")),
                    "the stack shows the blocking method: " + s.describe());
            assertTrue(s.event().contains("InvocationEvent"), s.event());
        }
    }

    @Test
    void aNestedDispatchCountsForTheNestedEventOnly() throws Exception {
        try (EdtWatchdog w = EdtWatchdog.install()) {
            // a secondary loop, as a modal dialog runs one: the outer event waits while the inner one blocks
            SwingUtilities.invokeAndWait(() -> {
                var loop = java.awt.Toolkit.getDefaultToolkit().getSystemEventQueue().createSecondaryLoop();
                SwingUtilities.invokeLater(() -> {
                    blockTheEdt();
                    loop.exit();
                });
                loop.enter();
            });
            assertEquals(1, w.stalls().size(), w.report());
            assertTrue(w.stalls().getFirst().stack().stream().anyMatch(e -> e.getMethodName().equals("blockTheEdt")),
                    w.report());
        }
    }
}
