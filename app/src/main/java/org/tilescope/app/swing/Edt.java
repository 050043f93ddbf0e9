package org.tilescope.app.swing;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.SwingUtilities;

/** EDT helpers in one place: UI state changes only here. */
public final class Edt {
    private Edt() {
    }

    /** Runs on the EDT: now if already there, else later. */
    public static void run(Runnable r) {
        if (SwingUtilities.isEventDispatchThread()) {
            r.run();
        } else {
            SwingUtilities.invokeLater(r);
        }
    }

    /** Runs on the EDT and waits (tests and startup only; never from a worker holding a lock). */
    public static <T> T call(Callable<T> c) {
        if (SwingUtilities.isEventDispatchThread()) {
            try {
                return c.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        AtomicReference<T> out = new AtomicReference<>();
        try {
            SwingUtilities.invokeAndWait(() -> {
                try {
                    out.set(c.call());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        }
        return out.get();
    }

    /**
     * For work that may block on the disk or a process: on the EDT it would freeze the window
     * (a {@code Files.exists} on a dead network mount never returns).
     */
    public static void assertOffEdt() {
        if (SwingUtilities.isEventDispatchThread()) {
            throw new IllegalStateException("blocking work on the EDT");
        }
    }

    public static void assertEdt() {
        if (!SwingUtilities.isEventDispatchThread()) {
            throw new IllegalStateException("UI touched off the EDT: " + Thread.currentThread().getName());
        }
    }
}
