package org.tilescope.app.viewer;

import org.tilescope.app.render.Adjustments;
import org.tilescope.app.render.ScaleBar;
import org.tilescope.app.render.SlideRenderer;
import org.tilescope.app.render.ViewState;
import org.tilescope.app.swing.Edt;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.awt.event.MouseWheelEvent;
import java.awt.geom.AffineTransform;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * once a frame. Drag pans with momentum, the wheel zooms about the cursor. Overlays: overview
 * map, scale bar, cache HUD.
 */
public final class TilePane extends JComponent {
    static final int FRAME_MS = 16;
    /** After the last view change, the next frame is drawn smooth once this long has passed. */
    static final long MOTION_SETTLE_NANOS = 120_000_000L;
    /** Momentum: speed cap (screen px/s) and decay time constant (s). */
    static final double MAX_FLING_SPEED = 6000;
    static final double FLING_TAU = 0.325;
    static final int OVERVIEW_MAX = 220;

    private final TilePipeline pipeline;
    private SlideHandle slide;
    private TileScheduler scheduler;
    private ViewState view;
    private long generation;
    private long lastChangeNanos;
    private volatile long lastPaintNanos;
    private boolean smoothPending;
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final TileListener tileListener;
    private final Timer frameTimer;
    private final List<Consumer<TilePane>> viewListeners = new ArrayList<>();

    // momentum, screen pixels per second
    private double flingVx;
    private double flingVy;
    private long lastFrameNanos;
    private final List<double[]> dragSamples = new ArrayList<>();
    private Point dragLast;
    private boolean draggingOverview;

    private boolean showOverview = true;
    private boolean showHud;
    private Adjustments adjustments = Adjustments.NONE;
    private int[] lut;
    private BufferedImage backBuffer;
    /** The thumbnail scaled to the overview once: scaling it every frame cost tens of ms of EDT time. */
    private BufferedImage overview;
    private BufferedImage overviewOf;
    private Point2D cursorSlide;
    private PaintPlan lastPlan;
    private PipelineStats hudStats;
    private java.util.function.LongConsumer frameObserver;
    private long hudStatsAt;

    public TilePane(TilePipeline pipeline) {
        this.pipeline = pipeline;
        setOpaque(true);
        setFocusable(true);
        setPreferredSize(new Dimension(1024, 720));
        tileListener = (key, owned) -> {
            SlideHandle s = slide;
            if (s != null && key.slideId() == s.id() && !dirty.getAndSet(true)
                    && System.nanoTime() - lastPaintNanos > FRAME_MS * 1_000_000L) {
                // the first tile after a quiet frame paints at once (repaint is thread-safe);
                // later ones in the same frame wait for the frame timer
                dirty.set(false);
                repaint();
            }
        };
        pipeline.addListener(tileListener);
        frameTimer = new Timer(FRAME_MS, e -> onFrame());
        frameTimer.setCoalesce(true);
        frameTimer.start();
        MouseAdapter mouse = new Mouse();
        addMouseListener(mouse);
        addMouseMotionListener(mouse);
        addMouseWheelListener(mouse);
        KeyBindings.install(this);
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
            handle.ready().whenComplete((img, err) -> dirty.set(true));
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
        showOverview = b;
        repaint();
    }

    public boolean showOverview() {
        return showOverview;
    }

    public void setShowHud(boolean b) {
        showHud = b;
        repaint();
    }

    public boolean showHud() {
        return showHud;
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

    /** Hears how long each frame's slide painting took, in nanoseconds (benchmarks). */
    public void setFrameObserver(java.util.function.LongConsumer observer) {
        frameObserver = observer;
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
        if (showHud && now - hudStatsAt > 250_000_000L) {
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
            long t0 = System.nanoTime();
            lastPaintNanos = t0;
            paintBuffered(g, w, h, deviceScale);
            if (frameObserver != null) {
                frameObserver.accept(System.nanoTime() - t0);
            }
            paintOverlays(g, w, h);
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
    }

    /** True while the view moves (drag, fling, zoom steps): frames then favour speed over smoothing. */
    boolean inMotion() {
        return isFlinging() || dragLast != null || System.nanoTime() - lastChangeNanos < MOTION_SETTLE_NANOS;
    }

    /**
     * Paints the slide into a software back buffer, then blits it. Drawing scaled tiles straight
     * onto Swing's accelerated back buffer (XRender on Linux) leaves hairline seams between
     * tiles; the software loops do not, and they give exactly the pixels an export gives.
     */
    private void paintBuffered(Graphics2D g, int w, int h, double deviceScale) {
        int bw = (int) Math.ceil(w * deviceScale);
        int bh = (int) Math.ceil(h * deviceScale);
        if (backBuffer == null || backBuffer.getWidth() != bw || backBuffer.getHeight() != bh) {
            backBuffer = new BufferedImage(bw, bh, BufferedImage.TYPE_INT_RGB);
        }
        Graphics2D bg = backBuffer.createGraphics();
        try {
            bg.scale(deviceScale, deviceScale);
            paintSlide(bg, w, h, deviceScale);
        } finally {
            bg.dispose();
        }
        if (lut != null) {
            int[] px = ((DataBufferInt) backBuffer.getRaster().getDataBuffer()).getData();
            Adjustments.apply(lut, px, 0, px.length);
        }
        AffineTransform at = g.getTransform();
        g.scale(1 / deviceScale, 1 / deviceScale);
        g.drawImage(backBuffer, 0, 0, null);
        g.setTransform(at);
    }

    // ---------------------------------------------------------------- overlays

    private void paintOverlays(Graphics2D g, int w, int h) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        paintScaleBar(g, w, h);
        if (showOverview) {
            paintOverview(g, w);
        }
        if (showHud) {
            paintHud(g);
        }
    }

    /** Where the overview sits, or null when there is no thumbnail yet. */
    Rectangle overviewBounds(int w) {
        if (slide == null || slide.thumbnail() == null) {
            return null;
        }
        SlideInfo info = slide.info();
        double s = Math.min((double) OVERVIEW_MAX / info.width(), (double) OVERVIEW_MAX / info.height());
        int ow = Math.max(8, (int) Math.round(info.width() * s));
        int oh = Math.max(8, (int) Math.round(info.height() * s));
        return new Rectangle(w - ow - 12, 12, ow, oh);
    }

    private void paintOverview(Graphics2D g, int w) {
        Rectangle r = overviewBounds(w);
        if (r == null) {
            return;
        }
        g.setColor(new Color(0, 0, 0, 120));
        g.fillRoundRect(r.x - 4, r.y - 4, r.width + 8, r.height + 8, 8, 8);
        g.drawImage(overviewImage(slide.thumbnail(), r.width, r.height), r.x, r.y, null);
        // the screen's outline mapped into the overview (a rotated view gives a rotated outline)
        SlideInfo info = slide.info();
        AffineTransform toOverview = new AffineTransform();
        toOverview.translate(r.x, r.y);
        toOverview.scale((double) r.width / info.width(), (double) r.height / info.height());
        try {
            Shape screenInSlide = view.slideToScreen(getWidth(), getHeight()).createInverse()
                    .createTransformedShape(new Rectangle(0, 0, getWidth(), getHeight()));
            Shape outline = toOverview.createTransformedShape(screenInSlide);
            Shape clip = g.getClip();
            g.clip(r);
            g.setStroke(new BasicStroke(2f));
            g.setColor(new Color(0xFF3B30));
            g.draw(outline);
            g.setClip(clip);
        } catch (java.awt.geom.NoninvertibleTransformException ignored) {
            // a degenerate view has no outline to draw
        }
    }

    /** The thumbnail at the overview's size, scaled (bilinear) only when the thumbnail or the size changes. */
    private BufferedImage overviewImage(BufferedImage thumbnail, int w, int h) {
        if (overview == null || overviewOf != thumbnail || overview.getWidth() != w || overview.getHeight() != h) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(thumbnail, 0, 0, w, h, null);
            } finally {
                g.dispose();
            }
            overview = img;
            overviewOf = thumbnail;
        }
        return overview;
    }

    /** The slide point an overview click at (x, y) means, or null outside it. */
    Point2D overviewToSlide(int x, int y) {
        Rectangle r = overviewBounds(getWidth());
        if (r == null || !r.contains(x, y)) {
            return null;
        }
        SlideInfo info = slide.info();
        return new Point2D.Double((x - r.x) * (double) info.width() / r.width, (y - r.y) * (double) info.height() / r.height);
    }

    private void paintScaleBar(Graphics2D g, int w, int h) {
        SlideInfo info = slide.info();
        ScaleBar.Bar bar = info.mpp().isPresent()
                ? ScaleBar.choose(info.mpp().getAsDouble() * view.downsample(), Math.min(240, w / 4.0))
                : ScaleBar.choosePixels(view.downsample(), Math.min(240, w / 4.0));
        int x = 16;
        int y = h - 28;
        int len = (int) Math.round(bar.pixels());
        g.setFont(getFont().deriveFont(Font.BOLD, 12f));
        FontMetrics fm = g.getFontMetrics();
        String label = bar.label() + "   " + zoomLabel();
        int boxW = Math.max(len, fm.stringWidth(label)) + 16;
        g.setColor(new Color(255, 255, 255, 200));
        g.fillRoundRect(x - 8, y - fm.getAscent() - 8, boxW, fm.getHeight() + 22, 8, 8);
        g.setColor(Color.BLACK);
        g.fillRect(x, y + 6, len, 4);
        g.fillRect(x, y + 2, 2, 10);
        g.fillRect(x + len - 2, y + 2, 2, 10);
        g.drawString(label, x, y);
    }

    /** "20.0×" when the slide's magnification is known, else the zoom as a percentage. */
    public String zoomLabel() {
        if (slide == null || view == null) {
            return "";
        }
        var mag = slide.info().magnification();
        if (mag.isPresent()) {
            return String.format(Locale.ROOT, "%.1f×", mag.getAsDouble() / view.downsample());
        }
        return String.format(Locale.ROOT, "%.1f%%", 100 / view.downsample());
    }

    private void paintHud(Graphics2D g) {
        PipelineStats s = hudStats != null ? hudStats : pipeline.stats();
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        String[] lines = {
            String.format(Locale.ROOT, "L1  %5.1f%% hit  %,7d MB / %,d MB  %,d tiles", s.l1().hitRatio() * 100,
                    s.l1().bytes() >> 20, s.l1().maxBytes() >> 20, s.l1().entries()),
            String.format(Locale.ROOT, "L2  %5.1f%% hit  %,7d MB / %,d MB  %,d tiles", s.l2().hitRatio() * 100,
                    s.l2().bytes() >> 20, s.l2().maxBytes() >> 20, s.l2().entries()),
            String.format(Locale.ROOT, "in flight: %d reads, %d decodes   failed tiles: %d", s.readsInFlight(),
                    s.decodesInFlight(), s.failedTiles()),
            String.format(Locale.ROOT, "decoder: %s   heap %,d / %,d MB", s.decoder(), used >> 20, rt.maxMemory() >> 20),
            lastPlan == null ? "" : String.format(Locale.ROOT, "level %d   sharp %d / %d tiles", lastPlan.level(),
                    lastPlan.sharp(), lastPlan.wanted()),
        };
        g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int lh = fm.getHeight();
        int bw = 0;
        for (String l : lines) {
            bw = Math.max(bw, fm.stringWidth(l));
        }
        g.setColor(new Color(0, 0, 0, 170));
        g.fillRoundRect(8, 8, bw + 16, lh * lines.length + 12, 8, 8);
        g.setColor(new Color(0xE8F5E9));
        for (int i = 0; i < lines.length; i++) {
            g.drawString(lines[i], 16, 8 + 6 + fm.getAscent() + i * lh);
        }
    }

    // ---------------------------------------------------------------- mouse

    private final class Mouse extends MouseAdapter {
        @Override
        public void mousePressed(MouseEvent e) {
            requestFocusInWindow();
            flingVx = 0;
            flingVy = 0;
            Point2D target = overviewToSlide(e.getX(), e.getY());
            draggingOverview = target != null;
            if (target != null) {
                setView(view.withCentre(target.getX(), target.getY()));
                return;
            }
            dragLast = e.getPoint();
            dragSamples.clear();
            dragSamples.add(new double[] {System.nanoTime(), e.getX(), e.getY()});
        }

        @Override
        public void mouseDragged(MouseEvent e) {
            if (view == null) {
                return;
            }
            if (draggingOverview) {
                Rectangle r = overviewBounds(getWidth());
                if (r != null) {
                    SlideInfo info = slide.info();
                    int x = Math.clamp(e.getX(), r.x, r.x + r.width);
                    int y = Math.clamp(e.getY(), r.y, r.y + r.height);
                    setView(view.withCentre((x - r.x) * (double) info.width() / r.width,
                            (y - r.y) * (double) info.height() / r.height));
                }
                return;
            }
            if (dragLast == null) {
                return;
            }
            panByScreen(e.getX() - dragLast.x, e.getY() - dragLast.y);
            dragLast = e.getPoint();
            long now = System.nanoTime();
            dragSamples.add(new double[] {now, e.getX(), e.getY()});
            dragSamples.removeIf(s -> now - s[0] > 80_000_000L);
            updateCursor(e);
        }

        @Override
        public void mouseReleased(MouseEvent e) {
            if (draggingOverview || dragLast == null) {
                draggingOverview = false;
                return;
            }
            long now = System.nanoTime();
            dragSamples.removeIf(s -> now - s[0] > 80_000_000L);
            if (dragSamples.size() >= 2) {
                double[] a = dragSamples.getFirst();
                double[] b = dragSamples.getLast();
                double dt = (b[0] - a[0]) / 1e9;
                if (dt > 0.005) {
                    double vx = (b[1] - a[1]) / dt;
                    double vy = (b[2] - a[2]) / dt;
                    double speed = Math.hypot(vx, vy);
                    if (speed > MAX_FLING_SPEED) {
                        vx *= MAX_FLING_SPEED / speed;
                        vy *= MAX_FLING_SPEED / speed;
                    }
                    if (speed > 150) {
                        flingVx = vx;
                        flingVy = vy;
                        lastFrameNanos = 0;
                    }
                }
            }
            dragLast = null;
        }

        @Override
        public void mouseClicked(MouseEvent e) {
            if (e.getClickCount() == 2 && view != null && overviewToSlide(e.getX(), e.getY()) == null) {
                double factor = e.isShiftDown() ? 0.5 : 2;
                setView(view.zoomAbout(factor, e.getX(), e.getY(), getWidth(), getHeight(), maxDownsample()));
            }
        }

        @Override
        public void mouseMoved(MouseEvent e) {
            updateCursor(e);
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
            double notches = e.getPreciseWheelRotation();
            double factor = Math.pow(1.25, -notches);
            setView(view.zoomAbout(factor, e.getX(), e.getY(), getWidth(), getHeight(), maxDownsample()));
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
