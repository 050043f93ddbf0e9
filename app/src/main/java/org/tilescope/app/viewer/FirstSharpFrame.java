package org.tilescope.app.viewer;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import javax.swing.Timer;
import org.tilescope.engine.view.PaintPlan;

/**
 * Says, once per launch, how long the user waited for a sharp picture: the time from the
 * JVM's start to the first painted frame in which every tile the view needs was sharp. This
 * is the start-up figure in benchmarks/README.md; "launch" is the JVM's start (the native
 * launcher's few milliseconds before it are not counted). It is one log line:
 * {@code first sharp frame 1234 ms after launch (tilescope-demo.dzi, level 14, 20 tiles)}.
 *
 * <p>With {@code -Dtilescope.exitWhenSharp=true} the window then closes, which ends the program:
 * the packaging script's AOT training run and the start-up measurements use that.
 */
final class FirstSharpFrame {
    static final String EXIT_PROPERTY = "tilescope.exitWhenSharp";
    private static final System.Logger LOG = System.getLogger(FirstSharpFrame.class.getName());
    /** Checked this often on the EDT; the error this adds to the figure is at most one period. */
    private static final int POLL_MS = 5;
    /** Gives up after this: nothing opened (no slide given, demo build failed), or the user left. */
    private static final Duration GIVE_UP = Duration.ofMinutes(10);

    private FirstSharpFrame() {
    }

    /** Starts watching {@code w}'s tile pane; call on the EDT once the window is shown. */
    static void watch(MainWindow w) {
        long watchStart = System.nanoTime();
        boolean exit = Boolean.getBoolean(EXIT_PROPERTY);
        Timer timer = new Timer(POLL_MS, null);
        timer.addActionListener(e -> {
            if (!w.isDisplayable() || System.nanoTime() - watchStart > GIVE_UP.toNanos()) {
                timer.stop();
                return;
            }
            PaintPlan plan = w.pane().lastPlan();
            // wanted > 0: a plan for a slide whose first level is known, not the empty pane's
            if (w.pane().slide() == null || plan == null || plan.wanted() == 0 || !plan.complete()) {
                return;
            }
            timer.stop();
            // The JVM's own start time: exact to the millisecond, where the process's start time
            // from /proc is only as exact as the kernel's boot time (a second). Read only now, so
            // loading java.management costs nothing before the first sharp frame.
            long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT,
                    "first sharp frame %d ms after launch (%s, level %d, %d tiles)", ms,
                    w.pane().slide().info().name(), plan.level(), plan.wanted()));
            if (exit) {
                w.dispose();
            }
        });
        timer.start();
    }
}
