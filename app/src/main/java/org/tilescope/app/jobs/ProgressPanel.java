package org.tilescope.app.jobs;

import org.tilescope.app.swing.Edt;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.swing.BorderFactory;
import javax.swing.BoxLayout;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.JToggleButton;
import javax.swing.ScrollPaneConstants;
import javax.swing.Timer;
import javax.swing.UIManager;
import org.tilescope.engine.jobs.JobHandle;
import org.tilescope.engine.jobs.JobListener;
import org.tilescope.engine.jobs.JobManager;
import org.tilescope.engine.jobs.JobSnapshot;
import org.tilescope.engine.jobs.JobState;

/**
 * The background jobs, docked above the status bar: one row per job with its name and state, a
 * progress bar, items, bytes, rate and ETA, its failures (expandable), cancel, and pause/resume
 * where the job supports it. Hidden when no job runs or recently finished; a finished row stays a
 * few seconds (a failed one until dismissed). Snapshots arrive off the EDT and are marshalled.
 */
public final class ProgressPanel extends JPanel {
    /** How long a done or cancelled row stays. */
    static final long DEFAULT_LINGER_MS = 6000;
    static final int MAX_VISIBLE_ROWS = 4;
    static final Color FAILED_RED = new Color(0xD32F2F);
    static final Color CANCELLED_AMBER = new Color(0xE08E0B);
    static final Color DONE_GREEN = new Color(0x2E9D4A);

    private final JobManager jobs;
    private final JobListener listener;
    private final Map<Long, Row> rows = new LinkedHashMap<>();
    private final JPanel list = new RowList();
    private final JScrollPane scroll;
    private final JButton indicator = new JButton();
    private final List<Consumer<JobSnapshot>> snapshotListeners = new ArrayList<>();
    private final Timer sweeper = new Timer(500, e -> sweep());
    private long lingerNanos = TimeUnit.MILLISECONDS.toNanos(DEFAULT_LINGER_MS);
    /** The user closed the panel with the indicator; it stays closed until the jobs are all gone. */
    private boolean userHidden;
    private boolean disposed;
    private Function<JobSnapshot, Overall> overall = s -> null;

    public ProgressPanel(JobManager jobs) {
        super(new BorderLayout());
        this.jobs = jobs;
        list.setLayout(new BoxLayout(list, BoxLayout.Y_AXIS));
        scroll = new JScrollPane(list, ScrollPaneConstants.VERTICAL_SCROLLBAR_AS_NEEDED,
                ScrollPaneConstants.HORIZONTAL_SCROLLBAR_NEVER);
        scroll.setBorder(null);
        setBorder(BorderFactory.createCompoundBorder(
                BorderFactory.createMatteBorder(1, 0, 1, 0, separatorColor()),
                BorderFactory.createEmptyBorder(2, 0, 2, 0)));
        JLabel title = new JLabel("Background jobs");
        title.setFont(title.getFont().deriveFont(Font.BOLD, title.getFont().getSize2D() - 1));
        title.setBorder(BorderFactory.createEmptyBorder(2, 10, 2, 10));
        JButton hide = new JButton("Hide");
        hide.putClientProperty("JButton.buttonType", "borderless");
        hide.setToolTipText("Hide the panel; the status bar's job indicator shows it again");
        hide.addActionListener(e -> toggleByUser());
        JPanel head = new JPanel(new BorderLayout());
        head.add(title, BorderLayout.WEST);
        head.add(hide, BorderLayout.EAST);
        add(head, BorderLayout.NORTH);
        add(scroll, BorderLayout.CENTER);
        setVisible(false);

        indicator.putClientProperty("JButton.buttonType", "borderless");
        indicator.setFocusable(false);
        indicator.setVisible(false);
        indicator.setToolTipText("Background jobs: click to show or hide the progress panel");
        indicator.addActionListener(e -> toggleByUser());

        listener = s -> Edt.run(() -> update(s));
        jobs.addListener(listener);
        // jobs submitted before the panel existed
        jobs.snapshots().forEach(this::update);
    }

    private static Color separatorColor() {
        Color c = UIManager.getColor("Separator.foreground");
        return c == null ? Color.GRAY : c;
    }

    /**
     * A job's progress as a whole, where the job's own counters only cover what it has seen so far
     * (the preloader counts a slide's tiles when it reaches the slide).
     *
     * @param fraction  0..1 for the bar
     * @param prefix    put before the numbers ("3 / 8 slides")
     * @param etaMillis time left, in place of the snapshot's
     */
    public record Overall(double fraction, String prefix, OptionalLong etaMillis) {
    }

    /** Gives the overall progress of some jobs (null for the rest); called on the EDT, must be cheap. */
    public void setOverall(Function<JobSnapshot, Overall> f) {
        overall = f;
    }

    /** The status bar's "⟳ 1 job" button. */
    public JButton indicator() {
        return indicator;
    }

    /** Hears every snapshot on the EDT, after the panel has shown it. */
    public void addSnapshotListener(Consumer<JobSnapshot> l) {
        snapshotListeners.add(l);
    }

    /** How long a done or cancelled row stays (tests and screenshots keep them longer). */
    void setLinger(long millis) {
        lingerNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** The latest snapshot of every row shown, oldest first. */
    public List<JobSnapshot> shown() {
        Edt.assertEdt();
        return rows.values().stream().map(r -> r.last).toList();
    }

    Row row(long id) {
        return rows.get(id);
    }

    /** Shows or hides the panel, as the indicator does. */
    public void toggleByUser() {
        Edt.assertEdt();
        userHidden = isVisible();
        refreshVisibility();
    }

    void update(JobSnapshot s) {
        Edt.assertEdt();
        if (disposed) {
            return;
        }
        Row r = rows.get(s.id());
        if (r == null) {
            if (s.state().isFinal() && s.at().isBefore(java.time.Instant.now().minusMillis(
                    TimeUnit.NANOSECONDS.toMillis(lingerNanos)))) {
                return; // long finished before the panel heard of it
            }
            r = new Row(s.id());
            rows.put(s.id(), r);
            list.add(r);
            scroll.setPreferredSize(null);
            revalidate();
        }
        r.show(s);
        if (s.state().isFinal() && !sweeper.isRunning()) {
            sweeper.start();
        }
        refreshVisibility();
        for (Consumer<JobSnapshot> l : snapshotListeners) {
            l.accept(s);
        }
    }

    /** Drops done and cancelled rows that have stayed their time. */
    private void sweep() {
        long now = System.nanoTime();
        boolean waiting = false;
        for (Row r : List.copyOf(rows.values())) {
            if (r.finishedAt == 0 || r.last.state() == JobState.FAILED) {
                continue;
            }
            if (now - r.finishedAt >= lingerNanos) {
                dropRow(r);
            } else {
                waiting = true;
            }
        }
        if (!waiting) {
            sweeper.stop();
        }
    }

    private void dropRow(Row r) {
        rows.remove(r.id);
        list.remove(r);
        list.revalidate();
        list.repaint();
        refreshVisibility();
    }

    private void refreshVisibility() {
        if (rows.isEmpty()) {
            userHidden = false;
        }
        long running = rows.values().stream().filter(r -> !r.last.state().isFinal()).count();
        indicator.setVisible(!rows.isEmpty());
        indicator.setText(running > 0 ? "⟳ " + running + (running == 1 ? " job" : " jobs") : "✓ jobs");
        boolean show = !rows.isEmpty() && !userHidden;
        // a few rows show at once; more scroll
        int height = rows.values().stream().mapToInt(r -> r.getPreferredSize().height).sum();
        int base = rows.isEmpty() ? 0 : rows.values().iterator().next().getPreferredSize().height
                - rows.values().iterator().next().extraHeight();
        scroll.setPreferredSize(new Dimension(10, Math.min(height, MAX_VISIBLE_ROWS * base + 120) + 2));
        if (show != isVisible()) {
            setVisible(show);
        }
        revalidate();
    }

    public void dispose() {
        Edt.assertEdt();
        disposed = true;
        jobs.removeListener(listener);
        sweeper.stop();
    }

    private JobHandle handle(long id) {
        for (JobHandle h : jobs.active()) {
            if (h.id() == id) {
                return h;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- one job

    /** One job's row: name and state, bar, numbers, failures, buttons. */
    final class Row extends JPanel {
        final long id;
        final JLabel name = new JLabel();
        final JLabel state = new JLabel();
        final JProgressBar bar = new JProgressBar(0, 1000);
        final JLabel numbers = new JLabel();
        final JToggleButton failures = new JToggleButton();
        final JButton pause = new JButton("Pause");
        final JButton cancel = new JButton("Cancel");
        final JButton dismiss = new JButton("Dismiss");
        final JLabel detail = new JLabel();
        final JTextArea failureList = new JTextArea();
        JobSnapshot last;
        final long seenAt = System.nanoTime();
        long finishedAt;

        Row(long id) {
            super(new GridBagLayout());
            this.id = id;
            setBorder(BorderFactory.createEmptyBorder(3, 10, 3, 6));
            name.setFont(name.getFont().deriveFont(Font.BOLD));
            Font small = detail.getFont().deriveFont(detail.getFont().getSize2D() - 1);
            detail.setFont(small);
            detail.setForeground(UIManager.getColor("Label.disabledForeground"));
            state.setFont(small);
            numbers.setFont(small);
            bar.setStringPainted(true);
            bar.setPreferredSize(new Dimension(160, 16));
            bar.setMinimumSize(new Dimension(80, 16));
            failures.setFont(small);
            failures.setVisible(false);
            failures.setToolTipText("Show or hide the first failures");
            failures.addActionListener(e -> {
                failureList.setVisible(failures.isSelected());
                refreshFailuresLabel();
                refreshVisibility();
            });
            failureList.setEditable(false);
            failureList.setFont(small);
            failureList.setForeground(FAILED_RED);
            failureList.setOpaque(false);
            failureList.setVisible(false);
            failureList.setBorder(BorderFactory.createEmptyBorder(2, 12, 2, 0));
            pause.addActionListener(e -> {
                JobHandle h = handle(id);
                if (h != null) {
                    if (last.state() == JobState.PAUSED) {
                        h.resume();
                    } else {
                        h.pause();
                    }
                }
            });
            cancel.addActionListener(e -> {
                JobHandle h = handle(id);
                if (h != null) {
                    h.cancel();
                    cancel.setEnabled(false);
                    cancel.setText("Cancelling…");
                }
            });
            dismiss.setVisible(false);
            dismiss.addActionListener(e -> dropRow(this));
            for (JButton b : new JButton[] {pause, cancel, dismiss}) {
                b.putClientProperty("JButton.buttonType", "roundRect");
                b.setFocusable(false);
                b.setMargin(new Insets(1, 8, 1, 8));
            }

            // fixed-width slots, so the bars of all rows line up and take the width that is left
            GridBagConstraints c = new GridBagConstraints();
            c.gridy = 0;
            c.anchor = GridBagConstraints.WEST;
            c.insets = new Insets(0, 0, 0, 12);
            JPanel title = new JPanel(new BorderLayout(8, 0));
            title.setOpaque(false);
            title.add(name, BorderLayout.CENTER);
            title.add(state, BorderLayout.EAST);
            c.gridx = 0;
            add(slot(title, 300, 180), c);
            c.gridx = 1;
            c.weightx = 1;
            c.fill = GridBagConstraints.HORIZONTAL;
            add(bar, c);
            c.weightx = 0;
            c.gridx = 2;
            add(slot(numbers, 420, 200), c);
            c.gridx = 3;
            add(slot(failures, 110, 110), c);
            JPanel buttons = new JPanel(new java.awt.FlowLayout(java.awt.FlowLayout.RIGHT, 4, 0));
            buttons.setOpaque(false);
            buttons.add(pause);
            buttons.add(cancel);
            buttons.add(dismiss);
            c.gridx = 4;
            c.insets = new Insets(0, 0, 0, 0);
            add(slot(buttons, 170, 170), c); // never narrower: Pause and Cancel stay on one line
            // second line: what it does now; third: the failures when expanded
            c.gridy = 1;
            c.gridx = 0;
            c.gridwidth = 5;
            c.anchor = GridBagConstraints.WEST;
            c.fill = GridBagConstraints.HORIZONTAL;
            add(detail, c);
            c.gridy = 2;
            add(failureList, c);
        }

        int extraHeight() {
            return failureList.isVisible() ? failureList.getPreferredSize().height : 0;
        }

        void show(JobSnapshot s) {
            JobSnapshot before = last;
            last = s;
            if (s.state().isFinal() && finishedAt == 0) {
                finishedAt = System.nanoTime();
            }
            name.setText(s.name());
            name.setToolTipText(s.name());
            state.setText(stateText(s));
            Color tone = switch (s.state()) {
                case FAILED -> FAILED_RED;
                case CANCELLED, PAUSED -> CANCELLED_AMBER;
                case DONE -> DONE_GREEN;
                default -> null;
            };
            state.setForeground(tone == null ? UIManager.getColor("Label.foreground") : tone);
            bar.setForeground(tone == null ? UIManager.getColor("ProgressBar.foreground") : tone);
            Overall o = s.state() == JobState.DONE || !s.state().isFinal() ? overall.apply(s) : null;
            double f = o != null ? o.fraction() : s.fraction();
            boolean indeterminate = f < 0 && !s.state().isFinal();
            if (bar.isIndeterminate() != indeterminate) {
                bar.setIndeterminate(indeterminate);
            }
            if (s.state() == JobState.DONE && o == null) {
                f = 1;
            }
            bar.setValue(f < 0 ? 0 : (int) Math.round(f * 1000));
            bar.setString(indeterminate ? "" : String.format(Locale.ROOT, "%.0f%%", Math.max(0, f) * 100));
            numbers.setText(o != null ? o.prefix() + " · " + numbersText(s, o.etaMillis()) : numbersText(s));
            numbers.setToolTipText(numbers.getText());
            String d = s.detail();
            if (s.stalledSince().isPresent() && !s.state().isFinal()) {
                d = "no progress for " + duration(java.time.Duration.between(s.stalledSince().get(), s.at()).toMillis())
                        + (d.isEmpty() ? "" : " · " + d);
            }
            if (s.state() == JobState.FAILED && !s.reason().isEmpty()) {
                d = s.reason();
            } else if (s.state() == JobState.DONE) {
                // what it was doing last is history now; a stop reason (say, L2 full) stays readable
                d = "finished after " + duration(TimeUnit.NANOSECONDS.toMillis(finishedAt - seenAt))
                        + (d.isEmpty() ? "" : " · last: " + d);
            }
            detail.setText(d.isEmpty() ? " " : d);
            detail.setToolTipText(d.isEmpty() ? null : d);
            boolean hasFailures = s.failures() > 0;
            failures.setVisible(hasFailures);
            if (hasFailures && (before == null || !before.firstFailures().equals(s.firstFailures())
                    || before.failures() != s.failures())) {
                StringBuilder b = new StringBuilder();
                for (String r : s.firstFailures()) {
                    b.append(b.isEmpty() ? "" : "\n").append("• ").append(r);
                }
                if (s.failures() > s.firstFailures().size()) {
                    b.append("\n… and ").append(s.failures() - s.firstFailures().size()).append(" more");
                }
                failureList.setText(b.toString());
                failures.setToolTipText("<html>" + b.toString().replace("&", "&amp;").replace("<", "&lt;")
                        .replace("\n", "<br>") + "</html>");
                refreshFailuresLabel();
            }
            boolean running = !s.state().isFinal();
            pause.setVisible(running && jobSupportsPause(s));
            pause.setText(s.state() == JobState.PAUSED ? "Resume" : "Pause");
            cancel.setVisible(running);
            dismiss.setVisible(!running);
        }

        private boolean jobSupportsPause(JobSnapshot s) {
            if (pauseKnown == null) {
                JobHandle h = handle(s.id());
                pauseKnown = h != null && h.job().supportsPause();
            }
            return pauseKnown;
        }

        private Boolean pauseKnown;

        private void refreshFailuresLabel() {
            long n = last == null ? 0 : last.failures();
            failures.setText((failures.isSelected() ? "▾ " : "▸ ") + n + (n == 1 ? " failure" : " failures"));
        }
    }

    /** The rows, as wide as the panel (never wider: the buttons stay on screen), scrolling vertically. */
    private static final class RowList extends JPanel implements javax.swing.Scrollable {
        @Override
        public Dimension getPreferredScrollableViewportSize() {
            return getPreferredSize();
        }

        @Override
        public int getScrollableUnitIncrement(java.awt.Rectangle r, int orientation, int direction) {
            return 16;
        }

        @Override
        public int getScrollableBlockIncrement(java.awt.Rectangle r, int orientation, int direction) {
            return Math.max(16, r.height - 16);
        }

        @Override
        public boolean getScrollableTracksViewportWidth() {
            return true;
        }

        @Override
        public boolean getScrollableTracksViewportHeight() {
            return false;
        }
    }

    /** {@code c} in a slot of this width, shrinking to {@code min} when the window is narrow. */
    private static JComponent slot(JComponent c, int width, int min) {
        JPanel p = new JPanel(new BorderLayout()) {
            @Override
            public Dimension getPreferredSize() {
                return new Dimension(width, super.getPreferredSize().height);
            }

            @Override
            public Dimension getMinimumSize() {
                return new Dimension(min, super.getPreferredSize().height);
            }
        };
        p.setOpaque(false);
        p.add(c, BorderLayout.CENTER);
        return p;
    }

    // ---------------------------------------------------------------- text

    static String stateText(JobSnapshot s) {
        return switch (s.state()) {
            case QUEUED -> "queued";
            case RUNNING -> s.stalledSince().isPresent() ? "stalled" : "running";
            case PAUSED -> "paused";
            case DONE -> "done";
            case FAILED -> "failed";
            case CANCELLED -> "cancelled";
        };
    }

    /** "1,234 / 5,000 items · 120.5 MB · 12.3 MB/s · ETA 1 min 20 s". */
    static String numbersText(JobSnapshot s) {
        return numbersText(s, s.etaMillis());
    }

    static String numbersText(JobSnapshot s, OptionalLong eta) {
        StringBuilder b = new StringBuilder();
        String unit = "preload".equals(s.kind()) ? "tiles" : "items";
        if (s.itemsTotal() >= 0) {
            b.append(String.format(Locale.ROOT, "%,d / %,d %s", s.itemsDone(), s.itemsTotal(), unit));
        } else {
            b.append(String.format(Locale.ROOT, "%,d %s", s.itemsDone(), unit));
        }
        if (s.bytesDone() > 0 || s.bytesTotal() > 0) {
            b.append(" · ").append(bytes(s.bytesDone()));
            if (s.bytesTotal() > 0) {
                b.append(" / ").append(bytes(s.bytesTotal()));
            }
        }
        if (!s.state().isFinal()) {
            if (s.bytesPerSecond() > 0) {
                b.append(" · ").append(bytes((long) s.bytesPerSecond())).append("/s");
            } else if (s.itemsPerSecond() > 0) {
                b.append(String.format(Locale.ROOT, " · %,.1f %s/s", s.itemsPerSecond(), unit));
            }
            if (eta.isPresent() && s.state() == JobState.RUNNING) {
                b.append(" · ETA ").append(duration(eta.getAsLong()));
            }
            if (s.activeWorkers() > 0) {
                b.append(" · ").append(s.activeWorkers()).append(s.activeWorkers() == 1 ? " worker" : " workers");
            }
        }
        return b.toString();
    }

    /** "< 1 s", "45 s", "1 min 20 s", "2 h 5 min". */
    static String duration(long millis) {
        if (millis < 1000) {
            return "< 1 s";
        }
        long s = Math.round(millis / 1000.0);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            long m = s / 60;
            long rest = s % 60;
            return rest == 0 ? m + " min" : m + " min " + rest + " s";
        }
        long h = s / 3600;
        long m = (s % 3600) / 60;
        return m == 0 ? h + " h" : h + " h " + m + " min";
    }

    /** "812 KB", "120.5 MB", "1.2 GB". */
    static String bytes(long b) {
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", b / (double) (1L << 30));
        }
        if (b >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MB", b / (double) (1L << 20));
        }
        if (b >= 1L << 10) {
            return String.format(Locale.ROOT, "%.0f KB", b / (double) (1L << 10));
        }
        return b + " B";
    }

    /** For tests: the components of a row. */
    static JComponent[] parts(Row r) {
        return new JComponent[] {r.name, r.state, r.bar, r.numbers, r.failures, r.pause, r.cancel, r.dismiss};
    }
}
