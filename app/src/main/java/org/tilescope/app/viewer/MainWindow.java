package org.tilescope.app.viewer;

import org.tilescope.app.annotate.AnnotationUi;
import org.tilescope.app.jobs.MetricsView;
import org.tilescope.app.jobs.ProgressPanel;
import org.tilescope.app.navigator.SlideNavigator;
import org.tilescope.app.render.Adjustments;
import org.tilescope.app.render.SlideRenderer;
import org.tilescope.app.render.ViewState;
import org.tilescope.app.settings.Settings;
import org.tilescope.app.settings.Theme;
import org.tilescope.app.swing.Edt;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.GraphicsDevice;
import java.awt.Toolkit;
import java.awt.datatransfer.DataFlavor;
import java.awt.event.ActionEvent;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.awt.geom.Point2D;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import javax.swing.AbstractAction;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.ButtonGroup;
import javax.swing.JCheckBoxMenuItem;
import javax.swing.JComponent;
import javax.swing.JFileChooser;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JMenu;
import javax.swing.JMenuBar;
import javax.swing.JMenuItem;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import javax.swing.JRadioButtonMenuItem;
import javax.swing.JSplitPane;
import javax.swing.KeyStroke;
import javax.swing.TransferHandler;
import org.tilescope.engine.jobs.JobHandle;
import org.tilescope.engine.jobs.JobManager;
import org.tilescope.engine.jobs.JobSnapshot;
import org.tilescope.engine.jobs.JobState;
import org.tilescope.engine.metrics.Metrics;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.preload.BulkPreloader;
import org.tilescope.engine.slide.SlideFolder;
import org.tilescope.engine.slide.SlideInfo;

/** The main window: navigator, tile pane with its overlays, info panel, status bar, menus. */
public final class MainWindow extends JFrame {
    private static final System.Logger LOG = System.getLogger(MainWindow.class.getName());
    static final double[] MAGNIFICATIONS = {1, 2, 5, 10, 20, 40};
    /** Preload depth choices: levels from the coarsest, and what the menu calls them. */
    static final int[] PRELOAD_DEPTHS = {BulkPreloader.ALL_LEVELS, 6, 3};
    static final String[] PRELOAD_DEPTH_LABELS = {"All Levels", "Coarse: 6 Levels", "Coarse: 3 Levels"};
    public static final String PRELOAD_SETTING = "preloadFolder";
    static final String PRELOAD_DEPTH_SETTING = "preloadDepth";

    private final TilePipeline pipeline;
    private final Settings settings;
    private final TilePane pane;
    private final SlideNavigator navigator;
    private final InfoPanel info = new InfoPanel();
    private final JLabel statusPosition = new JLabel(" ");
    private final JLabel statusZoom = new JLabel(" ");
    /** What annotation is selected and its measurements, or the annotations' latest message. */
    private final JLabel statusAnnotation = new JLabel(" ");
    private final AnnotationUi annotations;
    private final JProgressBar progress = new JProgressBar();
    private final JSplitPane right;
    private final Map<Long, ViewState> views = new HashMap<>();
    private final ExecutorService opener = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("tilescope-open").daemon(true).factory());
    private final JMenu recentMenu = new JMenu("Open Recent");
    private final JobManager jobs;
    private final BulkPreloader preloader;
    private final ProgressPanel progressPanel;
    private final MetricsView metricsView;
    /** Preload jobs' workers and tiles left, from their latest snapshots (EDT). */
    private final Map<Long, JobSnapshot> preloadSnapshots = new HashMap<>();
    private JobHandle preloadJob;
    private long preloadStarted;
    private Path opening;
    private boolean fullscreen;
    private java.util.function.BiConsumer<String, String> errorDialog = (title, msg) ->
            JOptionPane.showMessageDialog(this, msg, title, JOptionPane.ERROR_MESSAGE);

    public MainWindow(TilePipeline pipeline, Settings settings) {
        this(pipeline, settings, new JobManager(2));
    }

    /**
     * @param jobs the background jobs' queue; the window closes it when it closes
     */
    public MainWindow(TilePipeline pipeline, Settings settings, JobManager jobs) {
        super("Tilescope");
        this.pipeline = pipeline;
        this.settings = settings;
        this.jobs = jobs;
        this.preloader = new BulkPreloader(pipeline, jobs);
        this.pane = new TilePane(pipeline);
        this.navigator = new SlideNavigator(this::open);
        this.progressPanel = new ProgressPanel(jobs);
        this.metricsView = new MetricsView(new Metrics(pipeline), this::preloadLoad);
        navigator.setCachedTest(preloader::isFullyCached);
        navigator.setFolderListener((dir, slides) -> startPreload(slides));
        progressPanel.addSnapshotListener(this::heard);
        progressPanel.setOverall(this::preloadOverall);
        setDefaultCloseOperation(JFrame.DISPOSE_ON_CLOSE);
        navigator.setMinimumSize(new Dimension(240, 100));
        info.setMinimumSize(new Dimension(260, 100));
        pane.setMinimumSize(new Dimension(200, 150));
        right = new JSplitPane(JSplitPane.HORIZONTAL_SPLIT, pane, info);
        right.setResizeWeight(1);
        right.setBorder(null);
        JSplitPane main = new JSplitPane(JSplitPane.HORIZONTAL_SPLIT, navigator, right);
        main.setBorder(null);
        main.setResizeWeight(0);
        main.setDividerLocation(270);
        // split panes bind arrows, Home and End to move their divider; here those keys belong to the slide
        for (JSplitPane sp : new JSplitPane[] {main, right}) {
            sp.setInputMap(JComponent.WHEN_ANCESTOR_OF_FOCUSED_COMPONENT, new javax.swing.InputMap());
        }
        // the slide gets all extra width; the side panels keep their size
        addComponentListener(new java.awt.event.ComponentAdapter() {
            private boolean placed;

            @Override
            public void componentResized(java.awt.event.ComponentEvent e) {
                if (!placed && right.getWidth() > 0) {
                    placed = true;
                    right.setDividerLocation(Math.max(200, right.getWidth() - 320));
                }
            }
        });
        add(main, BorderLayout.CENTER);
        JPanel south = new JPanel(new BorderLayout());
        south.add(progressPanel, BorderLayout.CENTER);
        south.add(statusBar(), BorderLayout.SOUTH);
        add(south, BorderLayout.SOUTH);
        setJMenuBar(menus());
        annotations = new AnnotationUi(this, pane, statusAnnotation);
        installWindowKeys();
        setTransferHandler(new DropHandler());
        pane.addViewListener(p -> updateStatus());
        setSize(new Dimension(1400, 900));
        setLocationByPlatform(true);
        addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosed(WindowEvent e) {
                shutdown();
            }
        });
        info.setVisible(Boolean.parseBoolean(settings.get("infoPanel", "true")));
        // the navigator's list pages through slides with the window keys, not by scrolling
        navigator.slideList().getInputMap(JComponent.WHEN_ANCESTOR_OF_FOCUSED_COMPONENT).put(
                KeyStroke.getKeyStroke(KeyEvent.VK_PAGE_DOWN, 0), "none");
        navigator.slideList().getInputMap(JComponent.WHEN_ANCESTOR_OF_FOCUSED_COMPONENT).put(
                KeyStroke.getKeyStroke(KeyEvent.VK_PAGE_UP, 0), "none");
        navigator.slideList().getInputMap(JComponent.WHEN_FOCUSED).put(KeyStroke.getKeyStroke(KeyEvent.VK_PAGE_DOWN, 0), "none");
        navigator.slideList().getInputMap(JComponent.WHEN_FOCUSED).put(KeyStroke.getKeyStroke(KeyEvent.VK_PAGE_UP, 0), "none");
    }

    /** Where open errors go: a dialog, or a recorder in tests. */
    public void setErrorDialog(java.util.function.BiConsumer<String, String> d) {
        errorDialog = d;
    }

    public TilePane pane() {
        return pane;
    }

    public SlideNavigator navigator() {
        return navigator;
    }

    public InfoPanel infoPanel() {
        return info;
    }

    public JLabel statusPosition() {
        return statusPosition;
    }

    public AnnotationUi annotations() {
        return annotations;
    }

    public JLabel statusZoom() {
        return statusZoom;
    }

    public JobManager jobs() {
        return jobs;
    }

    public BulkPreloader preloader() {
        return preloader;
    }

    public ProgressPanel progressPanel() {
        return progressPanel;
    }

    public MetricsView metricsView() {
        return metricsView;
    }

    // ---------------------------------------------------------------- background preload

    boolean preloadEnabled() {
        return Boolean.parseBoolean(settings.get(PRELOAD_SETTING, "true"));
    }

    int preloadDepth() {
        try {
            return Integer.parseInt(settings.get(PRELOAD_DEPTH_SETTING, Integer.toString(BulkPreloader.ALL_LEVELS)));
        } catch (NumberFormatException e) {
            return BulkPreloader.ALL_LEVELS;
        }
    }

    /** A folder was listed: preload its slides from the current one outward (the old run is cancelled). */
    private void startPreload(List<Path> slides) {
        Edt.assertEdt();
        if (!preloadEnabled() || slides.isEmpty() || !isDisplayable()) {
            return; // off, nothing to do, or the window (and its job manager) is closed
        }
        SlideHandle h = pane.slide();
        Path centre = h != null && slides.contains(h.path()) ? h.path() : slides.getFirst();
        preloadJob = preloader.start(slides, centre, preloadDepth(), BulkPreloader.DEFAULT_MAX_IN_FLIGHT);
        preloadStarted = System.nanoTime();
    }

    /** The setting or the depth changed: start over on the folder shown, or stop. */
    private void preloadSettingsChanged() {
        if (preloadEnabled()) {
            startPreload(navigator.slides());
        } else if (preloadJob != null) {
            preloadJob.cancel();
        }
    }

    /** Every job snapshot, on the EDT: preload progress marks cached slides in the navigator. */
    private void heard(JobSnapshot s) {
        if (!"preload".equals(s.kind())) {
            return;
        }
        if (s.state().isFinal()) {
            preloadSnapshots.remove(s.id());
        } else {
            preloadSnapshots.put(s.id(), s);
        }
        navigator.refreshCached();
    }

    /**
     * The preload's tile counts grow slide by slide, so its bar and ETA go by slides: done of all,
     * and the time per slide so far times the slides left.
     */
    private ProgressPanel.Overall preloadOverall(JobSnapshot s) {
        if (preloadJob == null || s.id() != preloadJob.id()) {
            return null;
        }
        BulkPreloader.Status st = preloader.status();
        if (st == null || st.slidesTotal() == 0) {
            return null;
        }
        int done = Math.min(st.slidesDone(), st.slidesTotal());
        // a run that stopped early (L2 full) keeps its real share
        double fraction = s.state() == JobState.DONE && st.stoppedBecause().isEmpty() ? 1
                : (double) done / st.slidesTotal();
        java.util.OptionalLong eta = java.util.OptionalLong.empty();
        if (done > 0 && done < st.slidesTotal()) {
            long elapsedMs = (System.nanoTime() - preloadStarted) / 1_000_000L;
            eta = java.util.OptionalLong.of(elapsedMs * (st.slidesTotal() - done) / done);
        }
        return new ProgressPanel.Overall(fraction, done + " / " + st.slidesTotal() + " slides", eta);
    }

    private MetricsView.PreloadLoad preloadLoad() {
        int active = 0;
        long left = 0;
        for (JobSnapshot s : preloadSnapshots.values()) {
            active += s.activeWorkers();
            left += Math.max(0, s.itemsTotal() - s.itemsDone());
        }
        return new MetricsView.PreloadLoad(active, (int) Math.min(Integer.MAX_VALUE, left));
    }

    // ---------------------------------------------------------------- opening

    /**
     * Opens a slide, or the first readable slide of a folder, in the background. On failure the
     * previous slide stays and a dialog says what is wrong.
     */
    public CompletableFuture<SlideHandle> open(Path path) {
        Edt.assertEdt();
        Path abs = path.toAbsolutePath().normalize();
        SlideHandle current = pane.slide();
        if (current != null && current.path().equals(abs)) {
            return CompletableFuture.completedFuture(current);
        }
        opening = abs;
        setStatus("Opening " + abs.getFileName() + "…");
        CompletableFuture<SlideHandle> result = new CompletableFuture<>();
        opener.submit(() -> {
            try {
                Path target = abs;
                if (Files.isDirectory(abs) && !Files.isRegularFile(abs.resolve("metadata.json"))) {
                    target = firstReadable(abs);
                }
                SlideHandle h = pipeline.open(target);
                Edt.run(() -> {
                    if (!abs.equals(opening)) {
                        result.cancel(false);
                        return; // the user asked for another slide meanwhile
                    }
                    show(h, abs);
                    result.complete(h);
                });
            } catch (Exception e) {
                Edt.run(() -> {
                    failedToOpen(abs, e);
                    result.completeExceptionally(e);
                });
            }
        });
        return result;
    }

    private Path firstReadable(Path dir) throws Exception {
        List<Path> slides = SlideFolder.list(dir);
        Exception last = null;
        for (Path p : slides) {
            try {
                pipeline.open(p);
                return p;
            } catch (Exception e) {
                last = e;
            }
        }
        if (last != null) {
            throw last;
        }
        throw new java.io.IOException(dir + ": no slides in this folder");
    }

    private void show(SlideHandle h, Path asked) {
        SlideHandle previous = pane.slide();
        if (previous != null && pane.view() != null) {
            views.put(previous.id(), pane.view());
        }
        pane.setSlide(h, views.get(h.id()));
        navigator.showFolderOf(h.path());
        // the run goes on from this slide outward (a new folder starts its own run once listed)
        preloader.recentre(h.path());
        if (Files.isDirectory(asked) && !asked.equals(h.path())) {
            navigator.select(h.path());
        }
        info.show(h.info());
        settings.addRecent(h.path());
        rebuildRecent();
        setTitle(h.path().getFileName() + " — Tilescope");
        setStatus(" ");
        pane.requestFocusInWindow();
        updateStatus();
    }

    private void failedToOpen(Path p, Exception e) {
        LOG.log(System.Logger.Level.WARNING, "cannot open " + p + ": " + e.getMessage());
        setStatus(" ");
        SlideHandle current = pane.slide();
        if (current != null) {
            navigator.select(current.path());
        }
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        errorDialog.accept("Cannot open " + p.getFileName(), wrap(msg));
    }

    private static String wrap(String s) {
        StringBuilder b = new StringBuilder();
        int col = 0;
        for (String word : s.split(" ")) {
            if (col + word.length() > 90) {
                b.append('\n');
                col = 0;
            }
            b.append(word).append(' ');
            col += word.length() + 1;
        }
        return b.toString().trim();
    }

    /** Opens the slide {@code step} entries away in the navigator. */
    public void step(int step) {
        Path next = navigator.neighbour(step);
        if (next != null) {
            navigator.select(next);
            open(next);
        }
    }

    // ---------------------------------------------------------------- status

    private JPanel statusBar() {
        JPanel bar = new JPanel(new BorderLayout(16, 0));
        bar.setBorder(BorderFactory.createEmptyBorder(3, 8, 3, 8));
        bar.add(statusPosition, BorderLayout.WEST);
        bar.add(statusZoom, BorderLayout.CENTER);
        progress.setVisible(false);
        progress.setPreferredSize(new Dimension(220, 14));
        progress.setStringPainted(true);
        JPanel east = new JPanel(new java.awt.FlowLayout(java.awt.FlowLayout.RIGHT, 8, 0));
        east.setOpaque(false);
        JButton indicator = progressPanel.indicator();
        indicator.setMargin(new java.awt.Insets(0, 6, 0, 6));
        east.add(statusAnnotation);
        east.add(indicator);
        east.add(progress);
        bar.add(east, BorderLayout.EAST);
        return bar;
    }

    private void setStatus(String s) {
        statusPosition.setText(s);
    }

    void updateStatus() {
        SlideHandle h = pane.slide();
        ViewState v = pane.view();
        if (h == null || v == null) {
            return;
        }
        SlideInfo si = h.info();
        Point2D c = pane.cursorSlide();
        if (c != null && c.getX() >= 0 && c.getY() >= 0 && c.getX() < si.width() && c.getY() < si.height()) {
            statusPosition.setText(si.mpp().isPresent()
                    ? String.format(Locale.ROOT, "x %,.1f µm   y %,.1f µm   (%,d, %,d px)", c.getX() * si.mpp().getAsDouble(),
                            c.getY() * si.mpp().getAsDouble(), (long) c.getX(), (long) c.getY())
                    : String.format(Locale.ROOT, "x %,d px   y %,d px", (long) c.getX(), (long) c.getY()));
        } else if (opening == null || h.path().equals(opening)) {
            statusPosition.setText(" ");
        }
        int level = si.bestLevelForDownsample(v.downsample());
        statusZoom.setText(String.format(Locale.ROOT, "zoom %s   (%.3g slide px per screen px)   level %d of %d",
                pane.zoomLabel(), v.downsample(), level, si.levelCount() - 1));
    }

    /** Shows a progress bar in the status bar (e.g. while the demo slide is made). */
    public void showProgress(String label, long done, long total) {
        Edt.assertEdt();
        progress.setVisible(total > 0 && done < total);
        progress.setMaximum(1000);
        progress.setValue(total <= 0 ? 0 : (int) (1000 * done / total));
        progress.setString(label + " " + (total <= 0 ? "" : (100 * done / total) + "%"));
    }

    // ---------------------------------------------------------------- menus and keys

    private JMenuBar menus() {
        JMenuBar bar = new JMenuBar();
        int menuKey = Toolkit.getDefaultToolkit().getMenuShortcutKeyMaskEx();

        JMenu file = new JMenu("File");
        file.add(item("Open Slide…", KeyStroke.getKeyStroke(KeyEvent.VK_O, menuKey), e -> chooseAndOpen(false)));
        file.add(item("Open Folder…", KeyStroke.getKeyStroke(KeyEvent.VK_O, menuKey | InputEvent.SHIFT_DOWN_MASK),
                e -> chooseAndOpen(true)));
        file.add(recentMenu);
        rebuildRecent();
        file.addSeparator();
        file.add(item("Export View as PNG…", KeyStroke.getKeyStroke(KeyEvent.VK_E, menuKey), e -> exportView()));
        file.addSeparator();
        file.add(item("Quit", KeyStroke.getKeyStroke(KeyEvent.VK_Q, menuKey), e -> dispose()));
        bar.add(file);

        JMenu view = new JMenu("View");
        view.add(item("Fit Slide", KeyStroke.getKeyStroke('0'), e -> pane.fit()));
        view.add(item("Actual Pixels (1:1)", KeyStroke.getKeyStroke('1'), e -> pane.setDownsample(1)));
        view.add(item("Zoom In", KeyStroke.getKeyStroke('+'), e -> pane.zoomBy(KeyBindings.ZOOM_STEP)));
        view.add(item("Zoom Out", KeyStroke.getKeyStroke('-'), e -> pane.zoomBy(1 / KeyBindings.ZOOM_STEP)));
        JMenu mag = new JMenu("Magnification");
        for (double m : MAGNIFICATIONS) {
            mag.add(item(String.format(Locale.ROOT, "%.0f×", m), null, e -> setMagnification(m)));
        }
        mag.add(item("Fit", null, e -> pane.fit()));
        view.add(mag);
        view.addSeparator();
        view.add(item("Rotate Clockwise", KeyStroke.getKeyStroke('r'), e -> pane.rotate(1)));
        view.add(item("Rotate Counter-clockwise", KeyStroke.getKeyStroke('R'), e -> pane.rotate(-1)));
        view.add(item("Flip Horizontally", KeyStroke.getKeyStroke('f'), e -> pane.flip()));
        view.addSeparator();
        JCheckBoxMenuItem overview = new JCheckBoxMenuItem("Overview Map", true);
        overview.addActionListener(e -> pane.setShowOverview(overview.isSelected()));
        view.add(overview);
        JCheckBoxMenuItem hud = new JCheckBoxMenuItem("Cache HUD");
        hud.setAccelerator(KeyStroke.getKeyStroke('h'));
        hud.addActionListener(e -> pane.setShowHud(hud.isSelected()));
        pane.addViewListener(p -> hud.setSelected(p.showHud()));
        view.add(hud);
        JCheckBoxMenuItem infoItem = new JCheckBoxMenuItem("Slide Info", info.isVisible());
        infoItem.setAccelerator(KeyStroke.getKeyStroke(KeyEvent.VK_I, menuKey));
        infoItem.addActionListener(e -> {
            info.setVisible(infoItem.isSelected());
            settings.put("infoPanel", Boolean.toString(infoItem.isSelected()));
            right.resetToPreferredSizes();
        });
        view.add(infoItem);
        view.add(item("Brightness / Contrast / Gamma…", KeyStroke.getKeyStroke(KeyEvent.VK_B, menuKey),
                e -> AdjustDialog.show(this, pane)));
        view.addSeparator();
        JMenu theme = new JMenu("Theme");
        ButtonGroup group = new ButtonGroup();
        for (Theme t : Theme.values()) {
            JRadioButtonMenuItem ti = new JRadioButtonMenuItem(t.label(), t.name().equals(settings.get("theme", Theme.SYSTEM.name())));
            ti.addActionListener(e -> {
                settings.put("theme", t.name());
                Theme.apply(t);
            });
            group.add(ti);
            theme.add(ti);
        }
        view.add(theme);
        view.add(item("Full Screen", KeyStroke.getKeyStroke(KeyEvent.VK_F11, 0), e -> toggleFullscreen()));
        view.addSeparator();
        view.add(item("Memory and Workers…", KeyStroke.getKeyStroke(KeyEvent.VK_M, menuKey | InputEvent.SHIFT_DOWN_MASK),
                e -> metricsView.show(this)));
        bar.add(view);

        JMenu go = new JMenu("Go");
        go.add(item("Previous Slide", KeyStroke.getKeyStroke(KeyEvent.VK_PAGE_UP, 0), e -> step(-1)));
        go.add(item("Next Slide", KeyStroke.getKeyStroke(KeyEvent.VK_PAGE_DOWN, 0), e -> step(1)));
        bar.add(go);

        JMenu tools = new JMenu("Tools");
        JCheckBoxMenuItem preload = new JCheckBoxMenuItem("Preload Folder in Background", preloadEnabled());
        preload.setToolTipText("Loads the tiles of every slide of the folder into the memory cache while you work");
        preload.addActionListener(e -> {
            settings.put(PRELOAD_SETTING, Boolean.toString(preload.isSelected()));
            preloadSettingsChanged();
        });
        tools.add(preload);
        JMenu depth = new JMenu("Preload Depth");
        ButtonGroup depths = new ButtonGroup();
        for (int i = 0; i < PRELOAD_DEPTHS.length; i++) {
            int d = PRELOAD_DEPTHS[i];
            JRadioButtonMenuItem di = new JRadioButtonMenuItem(PRELOAD_DEPTH_LABELS[i], d == preloadDepth());
            di.addActionListener(e -> {
                settings.put(PRELOAD_DEPTH_SETTING, Integer.toString(d));
                preloadSettingsChanged();
            });
            depths.add(di);
            depth.add(di);
        }
        tools.add(depth);
        tools.addSeparator();
        tools.add(item("Show / Hide Background Jobs", KeyStroke.getKeyStroke(KeyEvent.VK_J, menuKey),
                e -> progressPanel.toggleByUser()));
        bar.add(tools);

        JMenu help = new JMenu("Help");
        help.add(item("Keys", null, e -> JOptionPane.showMessageDialog(this, KEYS, "Keys", JOptionPane.INFORMATION_MESSAGE)));
        bar.add(help);
        return bar;
    }

    static final String KEYS = """
            Drag: pan (release while moving: momentum)      Wheel: zoom about the cursor
            Double-click: zoom in      Shift+double-click: zoom out
            Arrows / WASD: pan      Shift: pan faster
            + / -: zoom      0 or Home: fit      1: actual pixels (1:1)
            r / R: rotate 90° clockwise / counter-clockwise      f: flip
            h: cache HUD      F11: full screen
            PgUp / PgDn or Ctrl+← / Ctrl+→: previous / next slide
            Ctrl+J: background jobs      Ctrl+Shift+M: memory and workers
            Overview map: click or drag to move the view""";

    private void installWindowKeys() {
        JComponent root = getRootPane();
        var in = root.getInputMap(JComponent.WHEN_IN_FOCUSED_WINDOW);
        var am = root.getActionMap();
        am.put("prev-slide", action(e -> step(-1)));
        am.put("next-slide", action(e -> step(1)));
        am.put("fullscreen", action(e -> toggleFullscreen()));
        in.put(KeyStroke.getKeyStroke(KeyEvent.VK_LEFT, InputEvent.CTRL_DOWN_MASK), "prev-slide");
        in.put(KeyStroke.getKeyStroke(KeyEvent.VK_RIGHT, InputEvent.CTRL_DOWN_MASK), "next-slide");
        in.put(KeyStroke.getKeyStroke(KeyEvent.VK_PAGE_UP, 0), "prev-slide");
        in.put(KeyStroke.getKeyStroke(KeyEvent.VK_PAGE_DOWN, 0), "next-slide");
        in.put(KeyStroke.getKeyStroke(KeyEvent.VK_F11, 0), "fullscreen");
    }

    private static AbstractAction action(Consumer<ActionEvent> a) {
        return new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent e) {
                a.accept(e);
            }
        };
    }

    private static JMenuItem item(String label, KeyStroke key, Consumer<ActionEvent> a) {
        JMenuItem i = new JMenuItem(label);
        if (key != null && key.getKeyCode() != KeyEvent.VK_UNDEFINED) {
            i.setAccelerator(key);
        }
        i.addActionListener(a::accept);
        return i;
    }

    /** Sets the view to an objective magnification, clamped to what the slide has. */
    public void setMagnification(double m) {
        SlideHandle h = pane.slide();
        if (h == null) {
            return;
        }
        // without a known objective, level 0 is taken as 40x; a preset above the slide's own
        // magnification shows its full resolution (1:1) rather than empty magnification
        double base = h.info().magnification().orElse(40);
        pane.setDownsample(Math.max(base / m, 1));
    }

    public void toggleFullscreen() {
        GraphicsDevice dev = getGraphicsConfiguration().getDevice();
        fullscreen = !fullscreen;
        if (dev.isFullScreenSupported()) {
            dev.setFullScreenWindow(fullscreen ? this : null);
        } else {
            setExtendedState(fullscreen ? MAXIMIZED_BOTH : NORMAL);
        }
    }

    public boolean isFullscreen() {
        return fullscreen;
    }

    private void rebuildRecent() {
        recentMenu.removeAll();
        for (Path p : settings.recent()) {
            recentMenu.add(item(p.getFileName().toString() + "  —  " + p.getParent(), null, e -> open(p)));
        }
        recentMenu.setEnabled(recentMenu.getItemCount() > 0);
    }

    private void chooseAndOpen(boolean folder) {
        JFileChooser fc = new JFileChooser(navigator.folder() == null ? null : navigator.folder().toFile());
        fc.setFileSelectionMode(folder ? JFileChooser.DIRECTORIES_ONLY : JFileChooser.FILES_AND_DIRECTORIES);
        fc.setDialogTitle(folder ? "Open a folder of slides" : "Open a slide (.dzi, .fastpath, .tif, .svs)");
        if (fc.showOpenDialog(this) == JFileChooser.APPROVE_OPTION) {
            open(fc.getSelectedFile().toPath());
        }
    }

    private void exportView() {
        SlideHandle h = pane.slide();
        ViewState v = pane.view();
        if (h == null || v == null) {
            return;
        }
        JFileChooser fc = new JFileChooser();
        fc.setSelectedFile(new File(h.path().getFileName().toString().replaceAll("\\.[^.]*$", "") + "-view.png"));
        if (fc.showSaveDialog(this) != JFileChooser.APPROVE_OPTION) {
            return;
        }
        Path out = fc.getSelectedFile().toPath();
        int w = pane.getWidth();
        int hh = pane.getHeight();
        setStatus("Exporting " + out.getFileName() + "…");
        opener.submit(() -> {
            try {
                var img = SlideRenderer.export(pipeline, h, v, w, hh);
                Adjustments a = pane.adjustments();
                if (!a.isIdentity()) {
                    int[] px = ((java.awt.image.DataBufferInt) img.getRaster().getDataBuffer()).getData();
                    Adjustments.apply(a.table(), px, 0, px.length);
                }
                SlideRenderer.paintLayers(img, h, v, pane.exportLayers());
                ImageIO.write(img, "png", out.toFile());
                Edt.run(() -> setStatus("Exported " + out));
            } catch (Exception e) {
                Edt.run(() -> JOptionPane.showMessageDialog(this, e.getMessage(), "Export failed",
                        JOptionPane.ERROR_MESSAGE));
            }
        });
    }

    private final class DropHandler extends TransferHandler {
        @Override
        public boolean canImport(TransferSupport s) {
            return s.isDataFlavorSupported(DataFlavor.javaFileListFlavor);
        }

        @Override
        public boolean importData(TransferSupport s) {
            try {
                @SuppressWarnings("unchecked")
                List<File> files = (List<File>) s.getTransferable().getTransferData(DataFlavor.javaFileListFlavor);
                if (!files.isEmpty()) {
                    open(files.getFirst().toPath());
                    return true;
                }
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "drop failed: " + e.getMessage());
            }
            return false;
        }
    }

    private void shutdown() {
        // cancels the preload and every other job; their reads end against the still-open pipeline
        progressPanel.dispose();
        metricsView.dispose();
        jobs.close();
        pane.dispose();
        navigator.shutdown();
        opener.shutdownNow();
    }
}
