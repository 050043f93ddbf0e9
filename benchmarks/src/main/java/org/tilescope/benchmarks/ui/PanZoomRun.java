package org.tilescope.benchmarks.ui;

import java.awt.Color;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.swing.JComponent;
import javax.swing.JFrame;
import org.tilescope.app.swing.Edt;
import org.tilescope.app.viewer.MainWindow;
import org.tilescope.app.settings.Settings;
import org.tilescope.app.render.SlideRenderer;
import org.tilescope.app.viewer.TilePane;
import org.tilescope.app.render.ViewState;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.slide.SlideFolder;

/**
 * A scripted pan/zoom run of the real tile pane in a real window (run it under Xvfb): fling pans,
 * zooms in to 40x and out, on big.tif and big_512.dzi, then slide switches through the 8-slide
 * library, cold and L2-warm. Reports paint time per frame (p50/p99) against a plain full-window
 * blit in the same run, unfilled pixels per frame, and switch-to-sharp times.
 *
 * <pre>xvfb-run -a -s "-screen 0 1920x1080x24" java -cp benchmarks/target/benchmarks.jar \
 *     org.tilescope.benchmarks.ui.PanZoomRun [BIG_DIR] [LIBRARY_DIR]</pre>
 */
public final class PanZoomRun {
    static final Color SENTINEL = new Color(0xFF00FF);

    private final java.util.Map<String, List<Long>> frameNanos = new java.util.LinkedHashMap<>();
    private final List<Long> unfilled = new ArrayList<>();
    private final List<Long> blitNanos = new ArrayList<>();
    private TilePane pane;
    private EdtStalls stalls;
    private String phase = "open";
    /** The slide a switch waits for, when it asked (System.nanoTime), and its first cover and sharp frames. */
    private Path switchTarget;
    private long switchAsked;
    private long switchShown;
    private long switchFirstFrame;
    private long switchSharp;

    /**
     * The anchor drawn in the same paint as every frame, on top of it: a full-window image whose
     * pixels change every frame, so the X server's load at that moment weighs on both alike.
     */
    private static final class BlitLayer implements org.tilescope.app.render.Layer {
        final List<Long> nanos = new ArrayList<>();
        /** The same, less the CPU wait and GC pauses inside each. */
        final List<Long> ownNanos = new ArrayList<>();
        private BufferedImage img;
        private int n;

        @Override
        public String name() {
            return "blit anchor";
        }

        @Override
        public Space space() {
            return Space.SCREEN;
        }

        @Override
        public int zOrder() {
            return Integer.MAX_VALUE;
        }

        @Override
        public void paint(Graphics2D g, org.tilescope.app.render.LayerContext ctx) {
            if (img == null || img.getWidth() != ctx.width() || img.getHeight() != ctx.height()) {
                img = pattern(ctx.width(), ctx.height());
            }
            img.setRGB(n % img.getWidth(), 0, n++);
            long[] clocks = waitClocks();
            long t0 = System.nanoTime();
            g.drawImage(img, 0, 0, null);
            long took = System.nanoTime() - t0;
            nanos.add(took);
            ownNanos.add(ownTime(took, clocks));
        }
    }

    private final BlitLayer anchor = new BlitLayer();

    /** The EDT's schedstat file, read on the EDT once. */
    private static java.nio.file.Path edtSchedstat;

    /** On the EDT: its run-queue wait so far (ns) and the GC pauses so far (ms). */
    static long[] waitClocks() {
        if (edtSchedstat == null) {
            edtSchedstat = org.tilescope.app.swing.ThreadClock.ownSchedstat();
        }
        return new long[] {org.tilescope.app.swing.ThreadClock.cpuWait(edtSchedstat),
            org.tilescope.app.swing.ThreadClock.gcPauseMillis()};
    }

    /**
     * {@code took} less the time since {@code before} that the EDT waited for a CPU or stood in a
     * GC pause: the time the work itself took, which the machine's load does not stretch.
     */
    static long ownTime(long took, long[] before) {
        long[] now = waitClocks();
        long waited = before[0] < 0 || now[0] < 0 ? 0 : now[0] - before[0];
        long gc = TimeUnit.MILLISECONDS.toNanos(now[1] - before[1]);
        return Math.max(0, took - waited - gc);
    }

    private long[] frameClocks;
    private final java.util.Map<String, List<Long>> ownFrameNanos = new java.util.LinkedHashMap<>();
    /** Per part of the script, each frame's copy onto Swing's surface (the send to the screen). */
    private final java.util.Map<String, List<Long>> sendNanos = new java.util.LinkedHashMap<>();
    /** Per part of the script, each frame's plan (the scheduler's update). */
    private final java.util.Map<String, List<Long>> planNanos = new java.util.LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        Path big = Path.of(args.length > 0 ? args[0] : "/tmp/tilescope-big");
        Path library = Path.of(args.length > 1 ? args[1] : "../shared/corpus/library");
        new PanZoomRun().run(big, library);
        System.exit(0);
    }

    void run(Path big, Path library) throws Exception {
        SlideRenderer.underlay = SENTINEL;
        stalls = EdtStalls.install();
        TilePipeline pipeline = TilePipeline.createDefault();
        Path config = Files.createTempDirectory("tilescope-bench-config");
        MainWindow w = Edt.call(() -> {
            MainWindow win = new MainWindow(pipeline, new Settings(config));
            win.setErrorDialog((t, m) -> System.err.println(t + ": " + m));
            win.setExtendedState(JFrame.MAXIMIZED_BOTH);
            win.setSize(1920, 1080);
            win.setVisible(true);
            return win;
        });
        pane = Edt.call(w::pane);
        Edt.call(() -> {
            pane.setFrameObserver(this::onFrame);
            pane.setFrameStartObserver(() -> {
                long t0 = System.nanoTime();
                frameClocks = waitClocks();
                stalls.exclude(System.nanoTime() - t0);
            });
            return null;
        });
        System.out.printf(Locale.ROOT, "tile pane %dx%d, decoder %s%n", pane.getWidth(), pane.getHeight(),
                pipeline.decoder().name());

        String shots = System.getProperty("panzoom.screenshots");
        for (String name : List.of("big.tif", "big_512.dzi")) {
            Path slide = big.resolve(name);
            setPhase("open " + name);
            open(w, slide);
            if (shots != null && name.equals("big.tif")) {
                screenshotsMidPan(Path.of(shots));
            }
            Edt.call(() -> {
                pane.layers().remove(anchor); // once in the stack, whichever slide
                pane.layers().add(anchor);
                return null;
            });
            // the anchor is measured just before and just after the script: the machine's load moves
            long[] before = blit(pane.getWidth(), pane.getHeight(), 200);
            Edt.call(() -> {
                frameNanos.clear();
                ownFrameNanos.clear();
                sendNanos.clear();
                planNanos.clear();
                anchor.ownNanos.clear();
                unfilled.clear();
                blitNanos.clear();
                anchor.nanos.clear();
                return null;
            });
            script(name);
            setPhase("after " + name); // frames from here on are not this slide's script
            // the lists grow on the EDT: read them there
            java.util.Map<String, List<Long>> byPart = copyOnEdt(frameNanos);
            java.util.Map<String, List<Long>> ownByPart = copyOnEdt(ownFrameNanos);
            long[] anchorOwn = Edt.call(() -> anchor.ownNanos.stream().mapToLong(Long::longValue).toArray());
            java.util.Map<String, List<Long>> sendByPart = copyOnEdt(sendNanos);
            java.util.Map<String, List<Long>> planByPart = copyOnEdt(planNanos);
            long[] after = blit(pane.getWidth(), pane.getHeight(), 200);
            long[] blit = java.util.stream.LongStream.concat(Arrays.stream(before), Arrays.stream(after)).toArray();
            System.out.printf(Locale.ROOT, "blit %dx%d in a window of its own, 200 frames before and 200 after %s:"
                            + " p50 %.2f ms, p99 %.2f ms%n", pane.getWidth(), pane.getHeight(), name,
                    percentile(blit, 50) / 1e6, percentile(blit, 99) / 1e6);
            long[] interleaved = Edt.call(() -> anchor.nanos.stream().mapToLong(Long::longValue).toArray());
            double blitP50 = percentile(interleaved, 50) / 1e6;
            double blitP99 = percentile(interleaved, 99) / 1e6;
            System.out.printf(Locale.ROOT, "blit drawn over every frame of the script (%d): p50 %.2f ms, p99 %.2f ms"
                    + " (the anchor of the ratios below)%n", interleaved.length, blitP50, blitP99);
            long[] f = byPart.values().stream().flatMap(List::stream).mapToLong(Long::longValue).toArray();
            long[] toScreen = Edt.call(() -> blitNanos.stream().mapToLong(Long::longValue).toArray());
            long[] u = Edt.call(() -> unfilled.stream().mapToLong(Long::longValue).toArray());
            long framesWithHoles = Arrays.stream(u).filter(x -> x > 0).count();
            System.out.printf(Locale.ROOT, "%s: %d frames, paint p50 %.2f ms, p99 %.2f ms (%.2fx the blit's p50 / %.2fx its p99);"
                            + " unfilled pixels: max %d, frames with any %d%n", name, f.length,
                    percentile(f, 50) / 1e6, percentile(f, 99) / 1e6, percentile(f, 50) / 1e6 / blitP50,
                    percentile(f, 99) / 1e6 / blitP99, Arrays.stream(u).max().orElse(0), framesWithHoles);
            System.out.printf(Locale.ROOT, "  of which the copy onto Swing's surface: p50 %.2f ms, p99 %.2f ms%n",
                    percentile(toScreen, 50) / 1e6, percentile(toScreen, 99) / 1e6);
            printParts(byPart, blitP50, blitP99);
            // where a frame's time goes: the back buffer (plan, paint) and the send to the screen
            byPart.forEach((part, times) -> {
                List<Long> sends = sendByPart.getOrDefault(part, List.of());
                long[] send = sends.stream().mapToLong(Long::longValue).toArray();
                long[] plan = planByPart.getOrDefault(part, List.of()).stream().mapToLong(Long::longValue).toArray();
                long[] buffer = new long[Math.min(Math.min(send.length, plan.length), times.size())];
                for (int i = 0; i < buffer.length; i++) {
                    buffer[i] = times.get(i) - send[i] - plan[i];
                }
                System.out.printf(Locale.ROOT, "  %-16s plan p50 %.2f ms, p99 %.2f ms; back buffer p50 %.2f ms, p99 %.2f ms;"
                                + " send p50 %.2f ms, p99 %.2f ms%n", part, percentile(plan, 50) / 1e6, percentile(plan, 99) / 1e6,
                        percentile(buffer, 50) / 1e6, percentile(buffer, 99) / 1e6,
                        percentile(send, 50) / 1e6, percentile(send, 99) / 1e6);
            });
            // the same without the time the EDT waited for a CPU or stood in a GC pause, frames and
            // anchor alike: what the work itself costs when the machine's load is taken out
            double ownP50 = percentile(anchorOwn, 50) / 1e6;
            double ownP99 = percentile(anchorOwn, 99) / 1e6;
            System.out.printf(Locale.ROOT, "  without CPU waits and GC pauses: anchor p50 %.2f ms, p99 %.2f ms%n", ownP50, ownP99);
            printParts(ownByPart, ownP50, ownP99);
        }
        Edt.call(() -> {
            pane.layers().remove(anchor); // switches are timed without it
            return null;
        });
        pipeline.addListener((key, owned) -> {
            long now = System.nanoTime();
            landings.add(new long[] {key.slideId(), now});
            landedKeys.putIfAbsent(key, now);
        });
        // slide switches through the library: first visits are cold, second visits L2-warm
        List<Path> slides = SlideFolder.list(library);
        List<Switch> cold = new ArrayList<>();
        List<Switch> warm = new ArrayList<>();
        try (VisibleDecode decode = new VisibleDecode(pipeline.decoder(), Runtime.getRuntime().availableProcessors())) {
            setPhase("switch cold");
            for (Path s : slides) {
                cold.add(switchTo(w, s, decode));
            }
            setPhase("switch warm");
            for (Path s : slides) {
                pipeline.clearDecoded(); // L1 gone, L2 kept: what an evicted-but-preloaded slide is
                warm.add(switchTo(w, s, decode));
            }
        }
        report("cold", cold);
        report("L2-warm", warm);
        System.out.printf(Locale.ROOT, "switch to sharp: L2-warm mean / cold mean %.2f%n",
                Switch.mean(warm, Switch::sharpMs) / Switch.mean(cold, Switch::sharpMs));
        List<EdtStalls.Stall> seen = stalls.stalls();
        System.out.printf(Locale.ROOT, "EDT events over %d ms: %d (%d of them still over after GC pauses and CPU waits)%n",
                EdtStalls.LIMIT_MS, seen.size(), seen.stream().filter(EdtStalls.Stall::ours).count());
        java.util.Map<String, Long> byPhase = new java.util.LinkedHashMap<>();
        for (EdtStalls.Stall st : seen) {
            byPhase.merge(st.phase(), 1L, Long::sum);
        }
        System.out.println("  per part of the run: " + byPhase);
        if (Boolean.getBoolean("panzoom.stacks")) {
            seen.forEach(st -> System.out.println(st.describe()));
        }
        stalls.close();
        Edt.call(() -> {
            w.dispose();
            return null;
        });
        pipeline.close();
    }

    /**
     * One slide switch: from asking for the slide to its first frame with cover on it and to its
     * first sharp frame, and the time the decoder alone takes for that view's visible tiles.
     */
    record Switch(String slide, double shownMs, double firstFrameMs, double sharpMs, double decodeMs, int tiles,
                  double firstTileMs, double lastVisibleTileMs) {
        static double mean(List<Switch> xs, java.util.function.ToDoubleFunction<Switch> f) {
            return xs.stream().mapToDouble(f).average().orElse(0);
        }
    }

    private static void report(String what, List<Switch> xs) {
        System.out.printf(Locale.ROOT, "switch %s, %d slides: first frame of the slide mean %.1f ms, first with cover %.1f ms,"
                        + " sharp mean %.1f ms, visible tiles' decode mean %.1f ms, sharp / decode mean of ratios %.2f (max %.2f);"
                        + " first tile in L1 mean %.1f ms, last visible tile in L1 mean %.1f ms%n",
                what, xs.size(), Switch.mean(xs, Switch::shownMs), Switch.mean(xs, Switch::firstFrameMs), Switch.mean(xs, Switch::sharpMs), Switch.mean(xs, Switch::decodeMs),
                Switch.mean(xs, x -> x.sharpMs() / x.decodeMs()),
                xs.stream().mapToDouble(x -> x.sharpMs() / x.decodeMs()).max().orElse(0),
                Switch.mean(xs, Switch::firstTileMs), Switch.mean(xs, Switch::lastVisibleTileMs));
        for (Switch x : xs) {
            System.out.printf(Locale.ROOT, "  %-28s first frame %6.1f ms, with cover %6.1f ms, sharp %6.1f ms,"
                            + " decode %2d tiles %5.1f ms, ratio %.2f; first tile in L1 %6.1f ms, last visible %6.1f ms%n",
                    x.slide(), x.shownMs(), x.firstFrameMs(), x.sharpMs(), x.tiles(), x.decodeMs(), x.sharpMs() / x.decodeMs(),
                    x.firstTileMs(), x.lastVisibleTileMs());
        }
    }

    /** Per part of the script: frames, p50, p99 (in ms and against the anchor's p50 and p99), max. */
    private static void printParts(java.util.Map<String, List<Long>> byPart, double anchorP50, double anchorP99) {
        byPart.forEach((part, times) -> {
            long[] t = times.stream().mapToLong(Long::longValue).toArray();
            System.out.printf(Locale.ROOT, "  %-16s %4d frames, p50 %.2f ms, p99 %.2f ms (%.2fx / %.2fx), max %.2f ms%n",
                    part, t.length, percentile(t, 50) / 1e6, percentile(t, 99) / 1e6,
                    percentile(t, 50) / 1e6 / anchorP50, percentile(t, 99) / 1e6 / anchorP99,
                    Arrays.stream(t).max().orElse(0) / 1e6);
        });
    }

    /** A copy of per-part times, taken on the EDT where the lists grow. */
    private static java.util.Map<String, List<Long>> copyOnEdt(java.util.Map<String, List<Long>> byPart) {
        return Edt.call(() -> {
            java.util.Map<String, List<Long>> copy = new java.util.LinkedHashMap<>();
            byPart.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            return copy;
        });
    }

    private void setPhase(String name) {
        Edt.call(() -> {
            phase = name;
            return null;
        });
        stalls.phase(name);
    }

    /** Called on the EDT after each real frame: counts pixels the frame left unfilled. */
    private void onFrame(long nanos) {
        long t0 = System.nanoTime();
        frameNanos.computeIfAbsent(phase, k -> new ArrayList<>()).add(nanos);
        sendNanos.computeIfAbsent(phase, k -> new ArrayList<>()).add(pane.lastBlitNanos());
        planNanos.computeIfAbsent(phase, k -> new ArrayList<>()).add(pane.lastPlanNanos());
        if (frameClocks != null) {
            ownFrameNanos.computeIfAbsent(phase, k -> new ArrayList<>()).add(ownTime(nanos, frameClocks));
        }
        blitNanos.add(pane.lastBlitNanos());
        if (switchTarget != null && pane.slide() != null && pane.slide().path().equals(switchTarget)
                && pane.lastPlan() != null) {
            if (switchShown == 0) {
                switchShown = t0;
            }
            if (switchFirstFrame == 0 && (pane.lastPlan().base() != null || !pane.lastPlan().tiles().isEmpty())) {
                switchFirstFrame = t0;
            }
            if (switchSharp == 0 && pane.lastPlan().complete() && pane.lastPlan().level() >= 0) {
                switchSharp = t0;
            }
        }
        if (phase.startsWith("switch")) {
            stalls.exclude(System.nanoTime() - t0);
            return; // switches are timed, not checked for holes
        }
        countUnfilled();
        stalls.exclude(System.nanoTime() - t0);
    }

    /** Counts the sentinel pixels of the frame just shown that lie on the slide (outside it the background is expected). */
    private void countUnfilled() {
        int w = pane.getWidth();
        int h = pane.getHeight();
        BufferedImage probe = pane.frameImage();
        ViewState v = pane.view();
        var t = v.slideToScreen(w, h);
        var info = pane.slide().info();
        Rectangle2D onScreen = t.createTransformedShape(new Rectangle2D.Double(0, 0, info.width(), info.height()))
                .getBounds2D().createIntersection(new Rectangle2D.Double(0, 0, w, h));
        int[] px = ((DataBufferInt) probe.getRaster().getDataBuffer()).getData();
        w = probe.getWidth(); // device pixels; the probe runs at device scale 1
        long holes = 0;
        int sentinel = SENTINEL.getRGB() & 0xFFFFFF;
        for (int y = (int) Math.ceil(onScreen.getMinY()) + 1; y < (int) onScreen.getMaxY() - 1; y++) {
            for (int x = (int) Math.ceil(onScreen.getMinX()) + 1; x < (int) onScreen.getMaxX() - 1; x++) {
                if ((px[y * w + x] & 0xFFFFFF) == sentinel) {
                    holes++;
                }
            }
        }
        unfilled.add(holes);
    }

    private void open(MainWindow w, Path slide) {
        Edt.call(() -> w.open(slide));
        waitFor(() -> pane.slide() != null && pane.slide().path().equals(slide.toAbsolutePath().normalize())
                && pane.slide().thumbnail() != null, "open " + slide);
        waitFor(() -> pane.lastPlan() != null && pane.lastPlan().complete(), "sharp " + slide);
    }

    /** Opens a slide and times its first cover frame and first sharp frame; then times decoding its visible tiles. */
    private Switch switchTo(MainWindow w, Path slide, VisibleDecode decode) throws Exception {
        Path target = slide.toAbsolutePath().normalize();
        landings.clear();
        landedKeys.clear();
        Edt.call(() -> {
            switchTarget = target;
            switchShown = 0;
            switchFirstFrame = 0;
            switchSharp = 0;
            switchAsked = System.nanoTime();
            w.open(slide);
            return null;
        });
        waitFor(() -> switchSharp != 0, "switch " + slide);
        double shown = (switchShown - switchAsked) / 1e6;
        double first = (switchFirstFrame - switchAsked) / 1e6;
        double sharp = (switchSharp - switchAsked) / 1e6;
        var visible = Edt.call(() -> {
            switchTarget = null;
            var vp = SlideRenderer.viewport(pane.view(), pane.getWidth(), pane.getHeight(), 1, 0, 0, 0);
            return new org.tilescope.engine.view.TileScheduler(pipeline(), pane.slide()).visibleTiles(vp);
        });
        double decodeMs = decode.millis(target, visible);
        // when the new slide's tiles landed in L1: the first, and the last of those the view shows
        long slideId = Edt.call(() -> pane.slide().id());
        java.util.Set<org.tilescope.engine.cache.TileKey> wanted = new java.util.HashSet<>(visible);
        long firstTile = Long.MAX_VALUE;
        long lastVisible = 0;
        for (long[] landing : landings) {
            if (landing[0] == slideId) {
                firstTile = Math.min(firstTile, landing[1]);
            }
        }
        for (var e : landedKeys.entrySet()) {
            if (wanted.contains(e.getKey())) {
                lastVisible = Math.max(lastVisible, e.getValue());
            }
        }
        landings.clear();
        landedKeys.clear();
        return new Switch(String.valueOf(target.getFileName()), shown, first, sharp, decodeMs, visible.size(),
                firstTile == Long.MAX_VALUE ? Double.NaN : (firstTile - switchAsked) / 1e6,
                lastVisible == 0 ? Double.NaN : (lastVisible - switchAsked) / 1e6);
    }

    /**
     * Screenshots of the whole screen in the middle of a fling, at a zoom whose tiles are scaled
     * down and at one that magnifies them, for looking at seams and stale strips
     * ({@code import -window root}, ImageMagick).
     */
    private void screenshotsMidPan(Path dir) throws Exception {
        Files.createDirectories(dir);
        for (double ds : new double[] {1.37, 0.4}) {
            Edt.call(() -> {
                pane.setDownsample(ds);
                return null;
            });
            settle();
            Edt.call(() -> {
                pane.fling(2500, 1200);
                return null;
            });
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
            Path png = dir.resolve(String.format(Locale.ROOT, "mid-pan-ds%.2f.png", ds));
            Process p = new ProcessBuilder("import", "-window", "root", png.toString()).inheritIO().start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("import -window root failed for " + png);
            }
            System.out.println("screenshot mid-pan at downsample " + ds + ": " + png);
            waitFor(() -> !pane.isFlinging(), "fling to stop");
        }
        // mid-zoom: wheel-like steps out from 1.37 across a level (to 3.2), taken right after the
        // last step's frame, while that level's tiles are still arriving over their cover
        Edt.call(() -> {
            pane.setDownsample(1.37);
            return null;
        });
        settle();
        for (int i = 0; i < 6; i++) {
            Edt.call(() -> {
                pane.zoomBy(1 / 1.15);
                return null;
            });
            Edt.call(() -> null); // the step's frame
        }
        Path png = dir.resolve("mid-zoom.png");
        Process p = new ProcessBuilder("import", "-window", "root", png.toString()).inheritIO().start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("import -window root failed for " + png);
        }
        System.out.println("screenshot mid-zoom, level " + Edt.call(pane::currentLevel) + ", plan complete "
                + Edt.call(() -> pane.lastPlan().complete()) + ": " + png);
        settle();
    }

    /** Slide id and time of every tile that landed in L1 during a switch (pipeline threads add). */
    private final java.util.concurrent.ConcurrentLinkedQueue<long[]> landings = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.ConcurrentHashMap<org.tilescope.engine.cache.TileKey, Long> landedKeys =
            new java.util.concurrent.ConcurrentHashMap<>();

    private TilePipeline pipeline() {
        return pane.pipeline();
    }

    /** The fixed path: fit, 1:1, four flings, zoom in to 40x (1:1 x 4 when no magnification) and out. */
    private void script(String name) {
        setPhase("pan " + name);
        Edt.call(() -> {
            pane.fit();
            return null;
        });
        settle();
        Edt.call(() -> {
            pane.setDownsample(1);
            return null;
        });
        settle();
        double[][] flings = {{5000, 0}, {-4000, 2500}, {0, -5000}, {3000, 3000}};
        for (double[] f : flings) {
            Edt.call(() -> {
                pane.fling(f[0], f[1]);
                return null;
            });
            waitFor(() -> !pane.isFlinging(), "fling to stop");
        }
        // zoom out to fit and back in to 4 screen px per slide px (40x on a 10x-per-pixel scale), frame by frame;
        // not paintImmediately, which painted each step twice (its own frame and the queued repaint's)
        setPhase("zoom " + name);
        for (int i = 0; i < 40; i++) {
            Edt.call(() -> {
                pane.zoomBy(1 / 1.15);
                return null;
            });
            Edt.call(() -> null); // queued behind the repaint: the step's frame is painted, once, as a wheel step's is
        }
        for (int i = 0; i < 50; i++) {
            Edt.call(() -> {
                pane.zoomBy(1.15);
                return null;
            });
            Edt.call(() -> null); // queued behind the repaint: the step's frame is painted, once, as a wheel step's is
        }
        settle();
    }

    private void settle() {
        waitFor(pane::frameFinished, "the view to sharpen and smooth");
    }

    private static void waitFor(BooleanSupplier c, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Edt.call(c::getAsBoolean)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out: " + what);
            }
            LockSupport.parkNanos(2_000_000L); // poll the UI state
        }
    }

    /** A plain full-window blit of a prepared image, painted through Swing like the pane. */
    private static long[] blit(int w, int h, int frames) {
        BufferedImage img = pattern(w, h);
        long[] times = new long[frames];
        int[] n = {0};
        JComponent c = new JComponent() {
            @Override
            protected void paintComponent(Graphics g) {
                // a new frame's pixels every time, as the pane's back buffer has: nothing cached on the GPU
                img.setRGB(n[0] % w, 0, n[0]);
                long t0 = System.nanoTime();
                g.drawImage(img, 0, 0, null);
                if (n[0] < frames) {
                    times[n[0]++] = System.nanoTime() - t0;
                }
            }
        };
        JFrame f = Edt.call(() -> {
            JFrame fr = new JFrame("blit");
            fr.add(c);
            fr.setSize(w, h);
            fr.setVisible(true);
            return fr;
        });
        for (int i = 0; i < frames; i++) {
            Edt.call(() -> {
                c.paintImmediately(0, 0, c.getWidth(), c.getHeight());
                return null;
            });
        }
        Edt.call(() -> {
            f.dispose();
            return null;
        });
        return Arrays.copyOf(times, n[0]);
    }

    private static BufferedImage pattern(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 31 + y * 17) & 0xFFFFFF);
            }
        }
        return img;
    }

    static double percentile(long[] xs, double p) {
        if (xs.length == 0) {
            return 0;
        }
        long[] s = xs.clone();
        Arrays.sort(s);
        int i = (int) Math.min(s.length - 1, Math.ceil(p / 100 * s.length) - 1);
        return s[Math.max(0, i)];
    }
}
