package org.tilescope.app.viewer;

import static org.tilescope.app.swing.Actions.item;

import org.tilescope.app.importing.ImportDialog;
import org.tilescope.app.cli.SlideLocations;
import org.tilescope.app.annotate.AnnotationUi;
import org.tilescope.app.jobs.MetricsView;
import org.tilescope.app.library.LibraryUi;
import org.tilescope.app.jobs.ProgressPanel;
import org.tilescope.app.navigator.SlideNavigator;
import org.tilescope.app.render.ViewState;
import org.tilescope.app.settings.Settings;
import org.tilescope.app.settings.Theme;
import org.tilescope.app.swing.Actions;
import org.tilescope.app.swing.Edt;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.GraphicsDevice;
import java.awt.Toolkit;
import java.awt.datatransfer.DataFlavor;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.awt.geom.Point2D;
import java.io.File;
import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
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
import org.tilescope.engine.library.LibraryFolders;
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
    /** Updates the status bar's progress while the current slide's generated levels are made (EDT). */
    private javax.swing.Timer pyramidWatch;
    private final JSplitPane right;
    private final Map<Long, ViewState> views = new HashMap<>();
    /** Hears slides rewritten on disk while open (on a background thread). */
    private final java.util.function.Consumer<TilePipeline.SlideChange> slideChanges =
            change -> Edt.run(() -> slideChanged(change));
    /** Opens slides, and nothing else: a long export or a slow disk check never queues in front of an open. */
    private final ExecutorService opener = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("tilescope-open").daemon(true).factory());
    /** Small disk checks for the UI (does a recent slide still exist?), in order, off the EDT. */
    private final ExecutorService fileChecks = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("tilescope-ui-files").daemon(true).factory());
    private final JLabel statusNotice = new JLabel();
    private final JMenu recentMenu = new JMenu("Open Recent");
    private final JobManager jobs;
    private final BulkPreloader preloader;
    private final ProgressPanel progressPanel;
    private final MetricsView metricsView;
    /** The slide library (search, tags, notes), or null for a window without one (tests). */
    private final LibraryUi library;
    /** Preload jobs' workers and tiles left, from their latest snapshots (EDT). */
    private final Map<Long, JobSnapshot> preloadSnapshots = new HashMap<>();
    private JobHandle preloadJob;
    private long preloadStarted;
    private Path opening;
    /** The URL asked for last, while {@link #opening} is null. */
    private URI openingUrl;
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
        this(pipeline, settings, jobs, null);
    }

    /**
     * @param jobs           the background jobs' queue; the window closes it when it closes
     * @param libraryFolders where the slide library lives; null: a window without a library
     */
    public MainWindow(TilePipeline pipeline, Settings settings, JobManager jobs, LibraryFolders libraryFolders) {
        super("Tilescope");
        this.pipeline = pipeline;
        this.settings = settings;
        this.jobs = jobs;
        this.preloader = new BulkPreloader(pipeline, jobs);
        this.pane = new TilePane(pipeline);
        this.navigator = new SlideNavigator(this::open);
        this.progressPanel = new ProgressPanel(jobs);
        this.metricsView = new MetricsView(new Metrics(pipeline), this::preloadLoad);
        pipeline.addSlideChangeListener(slideChanges);
        navigator.setCachedTest(preloader::isFullyCached);
        navigator.setForegroundBusy(() -> pipeline.foregroundInFlight() > 0);
        // L2 evicted (or was cleared of) a tile of a slide marked "in cache": the mark goes
        preloader.addUncachedListener(p -> Edt.run(navigator::refreshCached));
        navigator.setFolderListener((dir, slides) -> startPreload(slides));
        progressPanel.addSnapshotListener(this::heard);
        progressPanel.setOverall(this::preloadOverall);
        setDefaultCloseOperation(JFrame.DISPOSE_ON_CLOSE);
        navigator.setMinimumSize(new Dimension(240, 100));
        info.setMinimumSize(new Dimension(260, 100));
        pane.setMinimumSize(new Dimension(200, 150));
        library = libraryFolders == null ? null : new LibraryUi(libraryFolders, jobs, navigator, this::open);
        right = new JSplitPane(JSplitPane.HORIZONTAL_SPLIT, pane, library == null ? info : library.infoSide(info));
        right.setResizeWeight(1);
        right.setBorder(null);
        JSplitPane main = new JSplitPane(JSplitPane.HORIZONTAL_SPLIT, library == null ? navigator : library.navigator(), right);
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
        if (library != null) {
            library.addMenuItems(getJMenuBar(), this);
        }
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

    /** The slide library's part of the window, or null when it has none. */
    public LibraryUi library() {
        return library;
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
        if (current != null && abs.equals(current.path())) {
            return CompletableFuture.completedFuture(current);
        }
        opening = abs;
        setStatus("Opening " + abs.getFileName() + "…");
        CompletableFuture<SlideHandle> result = new CompletableFuture<>();
        opener.submit(() -> {
            try {
                Path target = abs;
                boolean folder = Files.isDirectory(abs) && !Files.isRegularFile(abs.resolve("metadata.json"));
                if (folder && library != null) {
                    library.folderOpened(abs);
                    if (SlideFolder.list(abs).isEmpty()) {
                        // a folder of folders: the library scans them; nothing to show yet
                        Edt.run(() -> {
                            opening = null;
                            setStatus(" ");
                            showNotice("Scanning " + abs.getFileName() + " into the library; search it on the left");
                            result.complete(pane.slide());
                        });
                        return;
                    }
                }
                if (folder) {
                    target = firstReadable(abs);
                }
                SlideHandle h = pipeline.open(target);
                awaitCover(h);
                Edt.run(() -> {
                    if (!abs.equals(opening)) {
                        result.cancel(false);
                        return; // the user asked for another slide meanwhile
                    }
                    show(h, folder, () -> result.complete(h));
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

    /** Longest the opener waits for a new slide's cover tile, so that its first frame shows the slide. */
    static final int COVER_WAIT_MS = 50;

    /** Waits (off the EDT) a little for the cover tile; without it the first frame is background until it lands. */
    private static void awaitCover(SlideHandle h) {
        try {
            h.coverReady().get(COVER_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // a slow source: the view asks for its tiles now all the same
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    /**
     * Longest a switch's navigator, info panel and menus wait for the new slide's sharp frame:
     * they take 20-30 ms of EDT time, which would otherwise hold up the frames as tiles arrive.
     */
    static final int PANELS_WAIT_FOR_SHARP_MS = 200;

    /**
     * @param askedForFolder the user opened a folder, and this is its first readable slide
     * @param shown          runs once the panels and menus show the slide too
     */
    private void show(SlideHandle h, boolean askedForFolder, Runnable shown) {
        SlideHandle previous = pane.slide();
        if (previous != null && pane.view() != null) {
            views.put(previous.id(), pane.view());
        }
        pane.setSlide(h, views.get(h.id()));
        // the new slide's first frame (its thumbnail, or the coarse tiles in) goes out now; the
        // info panel, menus, library and the preloader's new run wait for its sharp frame
        pane.paintImmediately(0, 0, pane.getWidth(), pane.getHeight());
        if (h.path() != null) { // a remote slide has no folder, preload run or recent entry
            // at once: the next PgDn or Ctrl+Right steps from the slide in view
            navigator.showFolderOf(h.path());
            if (askedForFolder) {
                navigator.select(h.path());
            }
        }
        setTitle(displayName(h) + " — Tilescope");
        pane.requestFocusInWindow();
        pane.whenSharp(() -> {
            showInPanels(h);
            shown.run();
        }, PANELS_WAIT_FOR_SHARP_MS);
    }

    /**
     * Brings the info panel, menus, library and the preload run up to date with {@code h}; of a
     * slide already left for another (stepped through quickly), only its place in the recent list.
     */
    private void showInPanels(SlideHandle h) {
        boolean inView = pane.slide() == h;
        if (h.path() != null) {
            settings.addRecent(h.path());
            if (!inView) {
                return;
            }
            // the run goes on from this slide outward (a new folder starts its own run once listed)
            preloader.recentre(h.path());
            rebuildRecent();
            if (library != null) {
                library.slideShown(h.path(), SlideFolder.folderOf(h.path()));
            }
        }
        if (!inView) {
            return;
        }
        info.show(h.info());
        watchPyramid(h);
        setStatus(" ");
        updateStatus();
    }

    /**
     * While the coarse levels a file lacks are being made (a slide without a pyramid), the status
     * bar shows how far; until then the view is drawn from whatever tiles are in.
     */
    private void watchPyramid(SlideHandle h) {
        if (pyramidWatch != null) {
            pyramidWatch.stop();
            pyramidWatch = null;
            showProgress("", 1, 1);
        }
        if (h.pyramidProgress().isEmpty() || h.ready().isDone()) {
            return;
        }
        javax.swing.Timer watch = new javax.swing.Timer(250, null);
        watch.addActionListener(e -> {
            var p = h.pyramidProgress().orElseThrow();
            if (pane.slide() != h || h.ready().isDone()) {
                watch.stop();
                showProgress("", 1, 1);
                return;
            }
            showProgress("Building overview", p.done(), p.total());
        });
        pyramidWatch = watch;
        watch.start();
        showProgress("Building overview", 0, Math.max(1, h.pyramidProgress().orElseThrow().total()));
    }

    private void failedToOpen(Path p, Exception e) {
        failedToOpen(p.toString(), String.valueOf(p.getFileName()), e);
    }

    private void failedToOpen(String where, String name, Exception e) {
        LOG.log(System.Logger.Level.WARNING, "cannot open " + where + ": " + e.getMessage());
        setStatus(" ");
        SlideHandle current = pane.slide();
        if (current != null && current.path() != null) {
            navigator.select(current.path());
        }
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        errorDialog.accept("Cannot open " + name, wrap(msg));
    }

    /**
     * Opens a remote slide (a {@code .dzi} or IIIF {@code info.json} URL) in the background; with
     * null, asks for the URL first. On failure the previous slide stays and a dialog says why.
     */
    public CompletableFuture<SlideHandle> openUrl(URI url) {
        Edt.assertEdt();
        if (url == null) {
            String typed = JOptionPane.showInputDialog(this,
                    "URL of a Deep Zoom .dzi, an IIIF info.json, a .fastpath folder, or a server's ?DeepZoom=…dzi:",
                    "Open URL", JOptionPane.PLAIN_MESSAGE);
            if (typed == null || typed.isBlank()) {
                return CompletableFuture.completedFuture(pane.slide());
            }
            try {
                url = SlideLocations.of(typed.strip());
            } catch (IllegalArgumentException e) {
                failedToOpen(typed, typed, e);
                return CompletableFuture.failedFuture(e);
            }
        }
        URI target = url;
        SlideHandle current = pane.slide();
        if (current != null && current.location().equals(target)) {
            return CompletableFuture.completedFuture(current);
        }
        opening = null; // a path asked for earlier must not replace this slide when it arrives
        openingUrl = target;
        setStatus("Opening " + SlideLocations.displayName(target) + "…");
        CompletableFuture<SlideHandle> result = new CompletableFuture<>();
        opener.submit(() -> {
            try {
                SlideHandle h = pipeline.open(target);
                awaitCover(h);
                Edt.run(() -> {
                    if (opening != null || !target.equals(openingUrl)) {
                        result.cancel(false);
                        return; // the user asked for another slide meanwhile
                    }
                    show(h, false, () -> result.complete(h));
                });
            } catch (Exception e) {
                Edt.run(() -> {
                    failedToOpen(target.toString(), SlideLocations.displayName(target), e);
                    result.completeExceptionally(e);
                });
            }
        });
        return result;
    }

    /** A slide's name for titles: the file name, or the image's name in its URL. */
    private static String displayName(SlideHandle h) {
        return h.path() != null ? String.valueOf(h.path().getFileName()) : SlideLocations.displayName(h.location());
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
        statusNotice.setVisible(false);
        east.add(statusNotice);
        JButton indicator = progressPanel.indicator();
        indicator.setMargin(new java.awt.Insets(0, 6, 0, 6));
        east.add(statusAnnotation);
        east.add(indicator);
        east.add(progress);
        bar.add(east, BorderLayout.EAST);
        return bar;
    }

    /**
     * A one-line notice in the status bar that stays until the next one (export finished, out of
     * memory): unlike the cursor position, moving the mouse does not wipe it.
     */
    public void showNotice(String text) {
        Edt.assertEdt();
        statusNotice.setText(text);
        statusNotice.setToolTipText(text);
        statusNotice.setVisible(text != null && !text.isEmpty());
    }

    /** The notice shown, or "" (tests). */
    public String notice() {
        return statusNotice.isVisible() ? statusNotice.getText() : "";
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
        } else if (opening == null || opening.equals(h.path())) {
            statusPosition.setText(" ");
        }
        int level = si.bestLevelForDownsample(v.downsample());
        statusZoom.setText(String.format(Locale.ROOT, "zoom %s   (%.3g slide px per screen px)   level %d of %d",
                pane.zoomLabel(), v.downsample(), level, si.levelCount() - 1));
    }

    /** The status bar's progress text while it shows, else null (tests). */
    String statusProgress() {
        Edt.assertEdt();
        return progress.isVisible() ? progress.getString() : null;
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
        file.add(item("Open URL…", KeyStroke.getKeyStroke(KeyEvent.VK_L, menuKey), e -> openUrl(null)));
        file.add(recentMenu);
        rebuildRecent();
        file.add(item("Import Images…", KeyStroke.getKeyStroke(KeyEvent.VK_I, menuKey | InputEvent.SHIFT_DOWN_MASK),
                e -> ImportDialog.show(this, jobs, this::open)));
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
        JCheckBoxMenuItem remoteDisk = new JCheckBoxMenuItem("Keep Remote Tiles on Disk",
                Boolean.parseBoolean(settings.get(ViewerApp.REMOTE_DISK_CACHE_SETTING, "false")));
        remoteDisk.setToolTipText("Stores the tiles of slides opened by URL in the cache folder (up to 2 GB), "
                + "so they show at once after a restart");
        remoteDisk.addActionListener(e -> {
            settings.put(ViewerApp.REMOTE_DISK_CACHE_SETTING, Boolean.toString(remoteDisk.isSelected()));
            boolean on = remoteDisk.isSelected();
            // turning it on sums the folder's size: not on the EDT
            Thread.ofVirtual().name("tilescope-l3").start(() -> ViewerApp.applyRemoteDiskCache(on));
        });
        tools.add(remoteDisk);
        tools.addSeparator();
        tools.add(item("Show / Hide Background Jobs", KeyStroke.getKeyStroke(KeyEvent.VK_J, menuKey),
                e -> progressPanel.toggleByUser()));
        bar.add(tools);

        bar.add(org.tilescope.app.help.HelpMenu.create(this,
                () -> ViewerApp.openDemo(this, org.tilescope.engine.demo.DemoSlide.defaultCacheDir())));
        return bar;
    }

    private void installWindowKeys() {
        JComponent root = getRootPane();
        var in = root.getInputMap(JComponent.WHEN_IN_FOCUSED_WINDOW);
        var am = root.getActionMap();
        am.put("prev-slide", Actions.action(e -> step(-1)));
        am.put("next-slide", Actions.action(e -> step(1)));
        am.put("fullscreen", Actions.action(e -> toggleFullscreen()));
        in.put(KeyStroke.getKeyStroke(KeyEvent.VK_LEFT, InputEvent.CTRL_DOWN_MASK), "prev-slide");
        in.put(KeyStroke.getKeyStroke(KeyEvent.VK_RIGHT, InputEvent.CTRL_DOWN_MASK), "next-slide");
        in.put(KeyStroke.getKeyStroke(KeyEvent.VK_PAGE_UP, 0), "prev-slide");
        in.put(KeyStroke.getKeyStroke(KeyEvent.VK_PAGE_DOWN, 0), "next-slide");
        in.put(KeyStroke.getKeyStroke(KeyEvent.VK_F11, 0), "fullscreen");
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

    /** Asks the disk which recent slides still exist (off the EDT), then fills the menu on the EDT. */
    private void rebuildRecent() {
        try {
            fileChecks.submit(() -> {
                List<Path> recent = settings.recent();
                Edt.run(() -> fillRecent(recent));
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the window is closing
        }
    }

    private void fillRecent(List<Path> recent) {
        recentMenu.removeAll();
        for (Path p : recent) {
            recentMenu.add(item(p.getFileName().toString() + "  —  " + p.getParent(), null, e -> open(p)));
        }
        recentMenu.setEnabled(recentMenu.getItemCount() > 0);
    }

    /** The "Open Recent" menu (tests). */
    JMenu recentMenu() {
        return recentMenu;
    }

    private void chooseAndOpen(boolean folder) {
        JFileChooser fc = new JFileChooser(navigator.folder() == null ? null : navigator.folder().toFile());
        fc.setFileSelectionMode(folder ? JFileChooser.DIRECTORIES_ONLY : JFileChooser.FILES_AND_DIRECTORIES);
        fc.setDialogTitle(folder ? "Open a folder of slides" : "Open a slide (.dzi, .fastpath, .tif, .svs)");
        if (!folder) {
            org.tilescope.app.swing.SlideFileFilter.install(fc);
        }
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
        fc.setSelectedFile(new File(displayName(h).replaceAll("\\.[^.]*$", "") + "-view.png"));
        if (fc.showSaveDialog(this) != JFileChooser.APPROVE_OPTION) {
            return;
        }
        Path out = fc.getSelectedFile().toPath();
        if (!out.getFileName().toString().contains(".")) {
            out = out.resolveSibling(out.getFileName() + ".png");
        }
        export(h, v, pane.getWidth(), pane.getHeight(), out);
    }

    /**
     * Exports a view of a slide to a PNG or JPEG as a background job: its progress and a cancel
     * button show in the progress panel; opening slides goes on meanwhile.
     */
    public JobHandle export(SlideHandle h, ViewState v, int w, int hh, Path out) {
        Edt.assertEdt();
        ExportJob job = new ExportJob(pipeline, h, v, w, hh, pane.adjustments(), pane.exportLayers(), out);
        JobHandle handle = jobs.submit(job);
        showNotice("Exporting " + out.getFileName() + "…");
        handle.done().whenComplete((s, e) -> Edt.run(() -> {
            if (s != null && s.state() == JobState.DONE) {
                showNotice("Exported " + out);
            } else if (s != null && s.state() == JobState.CANCELLED) {
                showNotice("Export of " + out.getFileName() + " cancelled");
            } else {
                String why = s != null ? s.reason() : String.valueOf(e);
                showNotice("Export of " + out.getFileName() + " failed");
                errorDialog.accept("Export failed", wrap(out + ": " + why));
            }
        }));
        return handle;
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

    /**
     * The slide in view was rewritten on disk: the pipeline reopened it under a new id (its old
     * tiles are never mixed with the new file's), so the view moves to the new handle where it
     * was, and one line says what happened.
     */
    private void slideChanged(TilePipeline.SlideChange change) {
        SlideHandle shown = pane.slide();
        if (shown == null || shown.id() != change.old().id()) {
            return; // not in view: the next open of it finds the new one
        }
        if (change.replacement() != null) {
            if (pane.view() != null) {
                views.put(change.replacement().id(), pane.view());
            }
            show(change.replacement(), false, () -> { });
        }
        showNotice(change.message());
    }

    private void shutdown() {
        pipeline.removeSlideChangeListener(slideChanges);
        if (library != null) {
            library.close(); // saves a note being typed and writes the library, off the EDT
        }
        // cancels the preload and every other job; their reads end against the still-open pipeline
        progressPanel.dispose();
        metricsView.dispose();
        jobs.close();
        preloader.close();
        pane.dispose();
        navigator.shutdown();
        opener.shutdownNow();
        fileChecks.shutdownNow();
    }
}
