package org.tilescope.app.viewer;

import org.tilescope.app.render.Adjustments;
import org.tilescope.app.render.FrameBuffer;
import org.tilescope.app.render.ScreenCopy;
import org.tilescope.app.render.LayerContext;
import org.tilescope.app.render.LayerStack;
import org.tilescope.app.render.OverviewLayer;
import org.tilescope.app.render.ScaleBarLayer;
import org.tilescope.app.render.SlideRenderer;
import org.tilescope.app.render.ViewState;
import org.tilescope.app.swing.Edt;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.awt.event.MouseWheelEvent;
import java.awt.geom.AffineTransform;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.swing.JComponent;
import javax.swing.Timer;
import org.tilescope.engine.view.PaintPlan;
import org.tilescope.engine.cache.PipelineStats;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TileListener;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.view.TileScheduler;
import org.tilescope.engine.slide.SlideInfo;

/**
 * The slide view. It paints only what the scheduler says is paintable (cached tiles, coarser
 * tiles scaled up, the held thumbnail), so paint never waits; tiles that land repaint at most
 * once a frame. The mouse drives the active {@link Tool} (pan and zoom by default); the wheel
 * zooms about the cursor. Overlays are {@link LayerStack layers}: overview map, scale bar, cache HUD.
 */
public final class TilePane extends JComponent {
    static final int FRAME_MS = 16;
    /** After the last view change, the next frame is drawn smooth once this long has passed. */
    static final long MOTION_SETTLE_NANOS = 120_000_000L;
    /** Momentum: speed cap (screen px/s) and decay time constant (s). */
    static final double MAX_FLING_SPEED = 6000;
    static final double FLING_TAU = 0.325;

    private final TilePipeline pipeline;
    private SlideHandle slide;
    private TileScheduler scheduler;
    private ViewState view;
    private long generation;
    private long lastChangeNanos;
    private volatile long lastPaintNanos;
    private boolean smoothPending;
    private final AtomicBoolean dirty = new AtomicBoolean();
    /** The last frame's level and how many of its visible tiles it lacked; tiles of that level landed since. */
    private volatile int lastFrameLevel = -1;
    private volatile int lastFrameMissing;
    private final java.util.concurrent.atomic.AtomicInteger landedSinceFrame = new java.util.concurrent.atomic.AtomicInteger();
    private final TileListener tileListener;
    private final Timer frameTimer;
    private final List<Consumer<TilePane>> viewListeners = new ArrayList<>();

    // momentum, screen pixels per second
    private double flingVx;
    private double flingVy;
    private long lastFrameNanos;
    /** A press that landed on the overview map: the drag steers there instead of the tool. */
    private boolean draggingOverview;

    private final LayerStack layers = new LayerStack();
    private final ScaleBarLayer scaleBar = new ScaleBarLayer();
    private final OverviewLayer overview = new OverviewLayer();
    private final HudLayer hud;
    private final List<Tool> tools = new ArrayList<>();
    private Tool tool;
    private Adjustments adjustments = Adjustments.NONE;
    private int[] lut;
    private final FrameBuffer frame = new FrameBuffer();
    /** The frame where the screen is drawn: a pan sends only its strips. */
    private final ScreenCopy screen = new ScreenCopy();
    private Point2D cursorSlide;
    private PaintPlan lastPlan;
    private PipelineStats hudStats;
    private java.util.function.LongConsumer frameObserver;
    private long hudStatsAt;
    /** Runs once after the first sharp frame (or when its timer fires first); see {@link #whenSharp}. */
    private Runnable onSharp;
    private Timer onSharpTimer;

    public TilePane(TilePipeline pipeline) {
        this.pipeline = pipeline;
        setOpaque(true);
        setFocusable(true);
        setPreferredSize(new Dimension(1024, 720));
        tileListener = (key, owned) -> {
            SlideHandle s = slide;
            if (s != null && key.slideId() == s.id() && key.level() == lastFrameLevel
                    && landedSinceFrame.incrementAndGet() == lastFrameMissing) {
                // as many tiles of the view's level as the last frame lacked: the view may be
                // sharp now, and its frame goes out at once rather than at the frame timer
                dirty.set(false);
                repaint();
            } else if (s != null && key.slideId() == s.id() && !dirty.getAndSet(true)
                    && System.nanoTime() - lastPaintNanos > FRAME_MS * 1_000_000L) {
                // the first tile after a quiet frame paints at once (repaint is thread-safe);
                // later ones in the same frame wait for the frame timer
                dirty.set(false);
                repaint();
            }
        };
        pipeline.addListener(tileListener);
        hud = new HudLayer(() -> hudStats != null ? hudStats : pipeline.stats(), () -> lastPlan);
        layers.add(scaleBar).add(overview).add(hud);
        addTool(new PanZoomTool());
        frameTimer = new Timer(FRAME_MS, e -> onFrame());
        frameTimer.setCoalesce(true);
        frameTimer.start();
        MouseAdapter mouse = new Mouse();
        addMouseListener(mouse);
        addMouseMotionListener(mouse);
        addMouseWheelListener(mouse);
        KeyBindings.install(this);
        setTool(tools.getFirst());
    }

    // ---------------------------------------------------------------- layers and tools

    /** The layers drawn over the slide: scale bar, overview and HUD, and whatever is added. */
    public LayerStack layers() {
        return layers;
    }

    /** What a layer paints against in this pane now, or null without a slide. */
    public LayerContext layerContext() {
        if (slide == null || view == null) {
            return null;
        }
        return new LayerContext(slide.info(), view, getWidth(), getHeight(), slide.thumbnail(), getFont());
    }

    /**
     * The layers an export of the view carries: what is visible except the screen's own chrome
     * (overview map, HUD), so the scale bar and drawn objects come along.
     */
    public LayerStack exportLayers() {
        LayerStack out = new LayerStack();
        for (var l : layers.layers()) {
            if (l.visible() && l != overview && l != hud) {
                out.add(l);
            }
        }
        return out;
    }

    /** Offers a tool; its key selects it. The first tool added (pan and zoom) is active at first. */
    public void addTool(Tool t) {
        tools.add(t);
        String id = "tool-" + t.name();
        getActionMap().put(id, new javax.swing.AbstractAction() {
            @Override
            public void actionPerformed(java.awt.event.ActionEvent e) {
                var focus = java.awt.KeyboardFocusManager.getCurrentKeyboardFocusManager().getFocusOwner();
                if (!(focus instanceof javax.swing.text.JTextComponent)) {
                    setTool(t);
                }
            }
        });
        getInputMap(JComponent.WHEN_IN_FOCUSED_WINDOW).put(t.key(), id);
    }

    public List<Tool> tools() {
        return List.copyOf(tools);
    }

    public Tool tool() {
        return tool;
    }

    public void setTool(Tool t) {
        Edt.assertEdt();
        if (t == tool) {
            return;
        }
        if (tool != null) {
            tool.deactivated(this);
        }
        tool = t;
        setCursor(t.cursor());
        t.activated(this);
        viewListeners.forEach(l -> l.accept(this));
    }

    // ---------------------------------------------------------------- state

    public SlideHandle slide() {
        return slide;
    }

    public ViewState view() {
        return view;
    }

    public TilePipeline pipeline() {
        return pipeline;
    }

    /** Shows a slide; {@code initial} null means fit to the window. */
    public void setSlide(SlideHandle handle, ViewState initial) {
        Edt.assertEdt();
        if (scheduler != null) {
            scheduler.generation().next(); // everything the old slide asked for is stale now
        }
        slide = handle;
        scheduler = handle == null ? null : new TileScheduler(pipeline, handle);
        flingVx = 0;
        flingVy = 0;
        lastPlan = null;
        if (handle != null) {
            handle.ready().whenComplete((img, err) -> repaint()); // the thumbnail: the cover, shown at once
            setView(initial != null ? initial : fitView(view == null ? 0 : view.quarterTurns(),
                    view != null && view.flipped()));
        } else {
            view = null;
            repaint();
        }
    }

    public void setView(ViewState v) {
        Edt.assertEdt();
        if (slide != null) {
            SlideInfo info = slide.info();
            double cx = Math.clamp(v.centreX(), 0, info.width());
            double cy = Math.clamp(v.centreY(), 0, info.height());
            double ds = Math.clamp(v.downsample(), ViewState.MIN_DOWNSAMPLE, maxDownsample());
            v = new ViewState(cx, cy, ds, v.quarterTurns(), v.flipped());
        }
        view = v;
        generation++;
        lastChangeNanos = System.nanoTime();
        smoothPending = true;
        repaint();
        viewListeners.forEach(l -> l.accept(this));
    }

    public void addViewListener(Consumer<TilePane> l) {
        viewListeners.add(l);
    }

    double maxDownsample() {
        if (slide == null) {
            return 1;
        }
        ViewState fit = fitView(0, false);
        return Math.max(fit.downsample() * 4, 1);
    }

    public ViewState fitView(int turns, boolean flipped) {
        SlideInfo info = slide.info();
        return ViewState.fit(info.width(), info.height(), Math.max(1, getWidth()), Math.max(1, getHeight()),
                turns, flipped);
    }

    public void fit() {
        if (slide != null) {
            setView(fitView(view.quarterTurns(), view.flipped()));
        }
    }

    public void zoomBy(double factor) {
        if (view != null) {
            setView(view.zoomAbout(factor, getWidth() / 2.0, getHeight() / 2.0, getWidth(), getHeight(),
                    maxDownsample()));
        }
    }

    public void setDownsample(double ds) {
        if (view != null) {
            setView(view.withDownsample(ds));
        }
    }

    public void panByScreen(double dx, double dy) {
        if (view != null) {
            setView(view.panByScreen(dx, dy, getWidth(), getHeight()));
        }
    }

    public void rotate(int turns) {
        if (view != null) {
            setView(view.rotated(turns));
        }
    }

    public void flip() {
        if (view != null) {
            setView(view.toggledFlip());
        }
    }

    public void setShowOverview(boolean b) {
        overview.setVisible(b);
        repaint();
    }

    public boolean showOverview() {
        return overview.visible();
    }

    public void setShowHud(boolean b) {
        hud.setVisible(b);
        repaint();
    }

    public boolean showHud() {
        return hud.visible();
    }

    /** Zooms by a factor about a screen point, within the slide's zoom range. */
    public void zoomAbout(double factor, double sx, double sy) {
        if (view != null) {
            setView(view.zoomAbout(factor, sx, sy, getWidth(), getHeight(), maxDownsample()));
        }
    }

    public void setAdjustments(Adjustments a) {
        adjustments = a;
        lut = a.isIdentity() ? null : a.table();
        repaint();
    }

    public Adjustments adjustments() {
        return adjustments;
    }

    /** The slide point under the mouse, or null. */
    public Point2D cursorSlide() {
        return cursorSlide;
    }

    /**
     * Runs {@code action} on the EDT right after the first frame that has every visible tile,
     * or after {@code maxMillis} when none has by then: work that can wait for the sharp frame
     * (a switch's panels and menus) does not hold up the frames before it. An action still
     * pending when another is given runs first.
     */
    public void whenSharp(Runnable action, int maxMillis) {
        Edt.assertEdt();
        runOnSharp();
        onSharp = action;
        onSharpTimer = new Timer(maxMillis, e -> runOnSharp());
        onSharpTimer.setRepeats(false);
        onSharpTimer.start();
    }

    private void runOnSharp() {
        Runnable action = onSharp;
        if (action != null) {
            onSharp = null;
            onSharpTimer.stop();
            action.run();
        }
    }

    /** Hears how long each frame's slide painting took, in nanoseconds (benchmarks). */
    public void setFrameObserver(java.util.function.LongConsumer observer) {
        frameObserver = observer;
    }

    /** Runs just before each frame's slide painting is timed (benchmarks read clocks there). */
    public void setFrameStartObserver(Runnable observer) {
        frameStartObserver = observer;
    }

    private Runnable frameStartObserver;

    /** The slide pixels of the last frame, in device pixels, before the layers over them (tests, benchmarks). */
    public BufferedImage frameImage() {
        return frame.image();
    }

    /** True once the last frame is final: every wanted tile sharp, and smooth if the view rests (benchmarks). */
    public boolean frameFinished() {
        return lastPlan != null && lastPlan.complete() && !frame.pending() && !(smoothPending && !inMotion());
    }

    /** The back buffer and what its last frame repainted (tests). */
    FrameBuffer frameBuffer() {
        return frame;
    }

    /** The plan of the last painted frame (tests, benchmarks). */
    public PaintPlan lastPlan() {
        return lastPlan;
    }

    /** The level shown now. */
    public int currentLevel() {
        return lastPlan == null ? -1 : lastPlan.level();
    }

    public void dispose() {
        frameTimer.stop();
        screen.release();
        pipeline.removeListener(tileListener);
    }

    // ---------------------------------------------------------------- frames

    private void onFrame() {
        long now = System.nanoTime();
        double dt = lastFrameNanos == 0 ? FRAME_MS / 1000.0 : Math.min(0.1, (now - lastFrameNanos) / 1e9);
        lastFrameNanos = now;
        if (flingVx != 0 || flingVy != 0) {
            panByScreen(flingVx * dt, flingVy * dt);
            double decay = Math.exp(-dt / FLING_TAU);
            flingVx *= decay;
            flingVy *= decay;
            if (Math.hypot(flingVx, flingVy) < 20) {
                flingVx = 0;
                flingVy = 0;
                generation++;
                repaint(); // a last frame with zero velocity: prefetch stops stretching
            }
        }
        if (hud.visible() && now - hudStatsAt > 250_000_000L) {
            hudStatsAt = now;
            hudStats = pipeline.stats();
            repaint();
        }
        if (dirty.getAndSet(false)) {
            repaint();
        }
        if (smoothPending && !inMotion()) {
            smoothPending = false;
            repaint(); // the view came to rest: one smooth frame
        }
    }

    /** Level-0 pixels per second the view is moving, for prefetch. */
    private double[] slideVelocity() {
        if (view == null || (flingVx == 0 && flingVy == 0)) {
            return new double[] {0, 0};
        }
        AffineTransform inv;
        try {
            inv = view.slideToScreen(getWidth(), getHeight()).createInverse();
        } catch (java.awt.geom.NoninvertibleTransformException e) {
            return new double[] {0, 0};
        }
        Point2D v = inv.deltaTransform(new Point2D.Double(-flingVx, -flingVy), null);
        return new double[] {v.getX(), v.getY()};
    }

    @Override
    protected void paintComponent(Graphics g0) {
        Graphics2D g = (Graphics2D) g0.create();
        try {
            int w = getWidth();
            int h = getHeight();
            if (slide == null || view == null) {
                g.setColor(SlideRenderer.BACKGROUND);
                g.fillRect(0, 0, w, h);
                return;
            }
            double deviceScale = g.getTransform().getScaleX();
            if (frameStartObserver != null) {
                frameStartObserver.run();
            }
            long t0 = System.nanoTime();
            lastPaintNanos = t0;
            paintBuffered(g, w, h, deviceScale);
            if (frameObserver != null) {
                frameObserver.accept(System.nanoTime() - t0);
            }
            if (onSharp != null && lastPlan != null && lastPlan.complete()) {
                Runnable due = onSharp;
                javax.swing.SwingUtilities.invokeLater(() -> { // after this frame is on the screen
                    if (onSharp == due) {
                        runOnSharp();
                    }
                });
            }
            layers.paint(g, layerContext());
        } finally {
            g.dispose();
        }
    }

    /** Paints the slide into {@code g}, whose user space is this component's. */
    public void paintSlide(Graphics2D g, int w, int h, double deviceScale) {
        double[] vel = slideVelocity();
        PaintPlan plan = scheduler.update(SlideRenderer.viewport(view, w, h, deviceScale, vel[0], vel[1], generation));
        lastPlan = plan;
        SlideRenderer.paint(g, slide.info(), view, plan, w, h, !inMotion());
        if (plan.tiles().isEmpty() && plan.base() == null && slide.ready().isCompletedExceptionally()) {
            paintUnreadable(g, w, h, slide.ready().exceptionNow());
        }
    }

    /**
     * A slide none of whose coarse tiles reads: not a white page that looks like an empty slide,
     * but a hatched one that says why (once per frame, from what the pipeline already knows).
     */
    static void paintUnreadable(Graphics2D g0, int w, int h, Throwable why) {
        Graphics2D g = (Graphics2D) g0.create();
        try {
            g.setColor(new java.awt.Color(0xE6E6E6));
            g.fillRect(0, 0, w, h);
            g.setColor(new java.awt.Color(0xC8C8C8));
            g.setStroke(new java.awt.BasicStroke(6f));
            for (int x = -h; x < w; x += 28) {
                g.drawLine(x, h, x + h, 0);
            }
            String reason = why.getMessage() == null ? why.toString() : why.getMessage();
            String[] lines = {"This slide cannot be read", reason};
            g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING,
                    java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(g.getFont().deriveFont(java.awt.Font.BOLD, 15f));
            java.awt.FontMetrics fm = g.getFontMetrics();
            int boxW = 0;
            for (String l : lines) {
                boxW = Math.max(boxW, fm.stringWidth(l));
            }
            boxW = Math.min(w - 20, boxW + 32);
            int boxH = fm.getHeight() * lines.length + 24;
            int x = (w - boxW) / 2;
            int y = (h - boxH) / 2;
            g.setColor(new java.awt.Color(255, 255, 255, 235));
            g.fillRoundRect(x, y, boxW, boxH, 12, 12);
            g.setColor(new java.awt.Color(0xB00020));
            g.drawString(lines[0], x + 16, y + 12 + fm.getAscent());
            g.setColor(java.awt.Color.DARK_GRAY);
            g.setFont(g.getFont().deriveFont(java.awt.Font.PLAIN, 13f));
            g.drawString(reason, x + 16, y + 12 + fm.getHeight() + g.getFontMetrics().getAscent());
        } finally {
            g.dispose();
        }
    }

    /** True while the view moves (drag, fling, zoom steps): frames then favour speed over smoothing. */
    boolean inMotion() {
        return isFlinging() || (tool != null && tool.moving()) || System.nanoTime() - lastChangeNanos < MOTION_SETTLE_NANOS;
    }

    /**
     * Paints the slide into a software back buffer, then blits it. Drawing scaled tiles straight
     * onto Swing's accelerated back buffer (XRender on Linux) leaves hairline seams between
     * tiles; the software loops do not, and they give exactly the pixels an export gives. The
     * buffer keeps its pixels between frames: a pan moves them and paints only what came into
     * view or changed ({@link FrameBuffer}), and only that goes to the screen ({@link ScreenCopy}).
     */
    private void paintBuffered(Graphics2D g, int w, int h, double deviceScale) {
        int bw = (int) Math.ceil(w * deviceScale);
        int bh = (int) Math.ceil(h * deviceScale);
        AffineTransform toDevice = AffineTransform.getScaleInstance(deviceScale, deviceScale);
        toDevice.concatenate(view.slideToScreen(w, h));
        toDevice = FrameBuffer.snapped(toDevice);
        double[] vel = slideVelocity();
        landedSinceFrame.set(0); // before the plan looks into L1: a tile landing meanwhile is counted, never lost
        long planStart = System.nanoTime();
        PaintPlan plan = scheduler.update(SlideRenderer.viewport(toDevice, bw, bh, view.downsample() / Math.max(1e-3, deviceScale),
                vel[0], vel[1], generation));
        lastPlanNanos = System.nanoTime() - planStart;
        lastPlan = plan;
        lastFrameLevel = plan.level();
        lastFrameMissing = plan.wanted() - plan.sharp();
        BufferedImage img = frame.paint(slide.id(), slide.info(), toDevice, plan, bw, bh, !inMotion(), lut);
        if (frame.pending()) {
            smoothPending = true; // the next frame smooths the next band
        }
        if (plan.tiles().isEmpty() && plan.base() == null && slide.ready().isCompletedExceptionally()) {
            Graphics2D bg = img.createGraphics();
            try {
                bg.scale(deviceScale, deviceScale);
                paintUnreadable(bg, w, h, slide.ready().exceptionNow());
            } finally {
                bg.dispose();
            }
            frame.invalidate(); // the notice is not slide pixels a pan could move
            screen.invalidate();
        }
        AffineTransform at = g.getTransform();
        g.scale(1 / deviceScale, 1 / deviceScale);
        long blitStart = System.nanoTime();
        if (deviceScale == 1) {
            screen.draw(g, frame, getGraphicsConfiguration());
        } else {
            // on a scaled (HiDPI) screen a surface image is sized in logical pixels and drawn into
            // through that scale, so device-pixel damage would be resampled: the buffer goes up whole
            g.drawImage(img, 0, 0, null);
            screen.invalidate();
        }
        lastBlitNanos = System.nanoTime() - blitStart;
        g.setTransform(at);
    }

    private long lastBlitNanos;
    private long lastPlanNanos;

    /** How long the last frame's plan (the scheduler's update) took, in nanoseconds (benchmarks). */
    public long lastPlanNanos() {
        return lastPlanNanos;
    }

    /** How long the last frame's copy of the back buffer onto Swing's surface took, in nanoseconds (benchmarks). */
    public long lastBlitNanos() {
        return lastBlitNanos;
    }

    // ---------------------------------------------------------------- overlays

    /** Where the overview map sits, or null when there is no thumbnail yet. */
    Rectangle overviewBounds(int w) {
        LayerContext ctx = layerContext();
        return ctx == null ? null : overview.bounds(ctx);
    }

    /** "20.0×" when the slide's magnification is known, else the zoom as a percentage. */
    public String zoomLabel() {
        LayerContext ctx = layerContext();
        return ctx == null ? "" : ctx.zoomLabel();
    }

    // ---------------------------------------------------------------- mouse

    /** Layers that claim a press get it first; everything else goes to the active tool. The wheel zooms always. */
    private final class Mouse extends MouseAdapter {
        @Override
        public void mousePressed(MouseEvent e) {
            requestFocusInWindow();
            flingVx = 0;
            flingVy = 0;
            LayerContext ctx = layerContext();
            LayerStack.Hit hit = ctx == null ? null : layers.hitTest(e.getX(), e.getY(), ctx);
            draggingOverview = hit != null && hit.layer() == overview;
            if (draggingOverview) {
                Point2D target = (Point2D) hit.what();
                setView(view.withCentre(target.getX(), target.getY()));
                return;
            }
            if (view != null) {
                tool.pressed(TilePane.this, e);
            }
        }

        @Override
        public void mouseDragged(MouseEvent e) {
            if (view == null) {
                return;
            }
            if (draggingOverview) {
                Point2D target = overview.dragTo(e.getX(), e.getY(), layerContext());
                if (target != null) {
                    setView(view.withCentre(target.getX(), target.getY()));
                }
                return;
            }
            tool.dragged(TilePane.this, e);
            updateCursor(e);
        }

        @Override
        public void mouseReleased(MouseEvent e) {
            if (draggingOverview) {
                draggingOverview = false;
                return;
            }
            if (view != null) {
                tool.released(TilePane.this, e);
            }
        }

        @Override
        public void mouseClicked(MouseEvent e) {
            LayerContext ctx = layerContext();
            if (view != null && (ctx == null || layers.hitTest(e.getX(), e.getY(), ctx) == null)) {
                tool.clicked(TilePane.this, e);
            }
        }

        @Override
        public void mouseMoved(MouseEvent e) {
            updateCursor(e);
            if (view != null) {
                tool.moved(TilePane.this, e);
            }
        }

        @Override
        public void mouseExited(MouseEvent e) {
            cursorSlide = null;
            viewListeners.forEach(l -> l.accept(TilePane.this));
        }

        @Override
        public void mouseWheelMoved(MouseWheelEvent e) {
            if (view == null) {
                return;
            }
            flingVx = 0;
            flingVy = 0;
            // precise rotation: trackpads send fractions, wheels send whole notches
            zoomAbout(Math.pow(1.25, -e.getPreciseWheelRotation()), e.getX(), e.getY());
            updateCursor(e);
        }

        private void updateCursor(MouseEvent e) {
            if (view != null) {
                cursorSlide = view.screenToSlide(e.getX(), e.getY(), getWidth(), getHeight());
                viewListeners.forEach(l -> l.accept(TilePane.this));
            }
        }
    }

    /** Starts a fling as a mouse release would (benchmarks and tests drive the pane with this). */
    public void fling(double vxScreen, double vyScreen) {
        double speed = Math.hypot(vxScreen, vyScreen);
        double scale = speed > MAX_FLING_SPEED ? MAX_FLING_SPEED / speed : 1;
        flingVx = vxScreen * scale;
        flingVy = vyScreen * scale;
        lastFrameNanos = 0;
    }

    public boolean isFlinging() {
        return flingVx != 0 || flingVy != 0;
    }
}
