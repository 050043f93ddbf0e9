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

    private final List<Long> frameNanos = new ArrayList<>();
    private final List<Long> unfilled = new ArrayList<>();
    private TilePane pane;
    private BufferedImage probe;

    public static void main(String[] args) throws Exception {
        Path big = Path.of(args.length > 0 ? args[0] : "/tmp/tilescope-big");
        Path library = Path.of(args.length > 1 ? args[1] : "../shared/corpus/library");
        new PanZoomRun().run(big, library);
        System.exit(0);
    }

    void run(Path big, Path library) throws Exception {
        SlideRenderer.underlay = SENTINEL;
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
            return null;
        });
        System.out.printf(Locale.ROOT, "tile pane %dx%d, decoder %s%n", pane.getWidth(), pane.getHeight(),
                pipeline.decoder().name());

        double blitP50;
        double blitP99;
        {
            long[] blit = blit(pane.getWidth(), pane.getHeight(), 400);
            blitP50 = percentile(blit, 50) / 1e6;
            blitP99 = percentile(blit, 99) / 1e6;
            System.out.printf(Locale.ROOT, "blit %dx%d: p50 %.2f ms, p99 %.2f ms%n", pane.getWidth(), pane.getHeight(),
                    blitP50, blitP99);
        }
        for (String name : List.of("big.tif", "big_512.dzi")) {
            Path slide = big.resolve(name);
            open(w, slide);
            frameNanos.clear();
            unfilled.clear();
            script();
            long[] f = frameNanos.stream().mapToLong(Long::longValue).toArray();
            long[] u = unfilled.stream().mapToLong(Long::longValue).toArray();
            long framesWithHoles = Arrays.stream(u).filter(x -> x > 0).count();
            System.out.printf(Locale.ROOT, "%s: %d frames, paint p50 %.2f ms, p99 %.2f ms (%.2fx / %.2fx the blit's p99);"
                            + " unfilled pixels: max %d, frames with any %d%n", name, f.length,
                    percentile(f, 50) / 1e6, percentile(f, 99) / 1e6, percentile(f, 50) / 1e6 / blitP50,
                    percentile(f, 99) / 1e6 / blitP99, Arrays.stream(u).max().orElse(0), framesWithHoles);
        }
        // slide switches through the library: first visits are cold, second visits L2-warm
        List<Path> slides = SlideFolder.list(library);
        List<Double> cold = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        for (Path s : slides) {
            cold.add(switchTo(w, s));
        }
        for (Path s : slides) {
            pipeline.clearDecoded(); // L1 gone, L2 kept: what an evicted-but-preloaded slide is
            warm.add(switchTo(w, s));
        }
        double coldMean = cold.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double warmMean = warm.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        System.out.printf(Locale.ROOT, "switch to sharp, %d slides: cold mean %.1f ms %s; L2-warm mean %.1f ms %s;"
                + " ratio %.2f%n", slides.size(), coldMean, fmt(cold), warmMean, fmt(warm), warmMean / coldMean);
        Edt.call(() -> {
            w.dispose();
            return null;
        });
        pipeline.close();
    }

    private static String fmt(List<Double> xs) {
        return xs.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toList().toString();
    }

    /** Called on the EDT after each real frame: counts pixels the frame left unfilled. */
    private void onFrame(long nanos) {
        frameNanos.add(nanos);
        int w = pane.getWidth();
        int h = pane.getHeight();
        if (probe == null || probe.getWidth() != w || probe.getHeight() != h) {
            probe = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        }
        Graphics2D g = probe.createGraphics();
        pane.paintSlide(g, w, h, 1);
        g.dispose();
        // count sentinel pixels that lie on the slide (outside it the background is expected)
        ViewState v = pane.view();
        var t = v.slideToScreen(w, h);
        var info = pane.slide().info();
        Rectangle2D onScreen = t.createTransformedShape(new Rectangle2D.Double(0, 0, info.width(), info.height()))
                .getBounds2D().createIntersection(new Rectangle2D.Double(0, 0, w, h));
        int[] px = ((DataBufferInt) probe.getRaster().getDataBuffer()).getData();
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

    /** Time from asking for a slide to a fully sharp viewport, in ms. */
    private double switchTo(MainWindow w, Path slide) {
        long t0 = System.nanoTime();
        Edt.call(() -> w.open(slide));
        waitFor(() -> pane.slide() != null && pane.slide().path().equals(slide.toAbsolutePath().normalize())
                && pane.lastPlan() != null && pane.lastPlan().complete() && pane.lastPlan().level() >= 0, "switch " + slide);
        return (System.nanoTime() - t0) / 1e6;
    }

    /** The fixed path: fit, 1:1, four flings, zoom in to 40x (1:1 x 4 when no magnification) and out. */
    private void script() {
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
        // zoom out to fit and back in to 4 screen px per slide px (40x on a 10x-per-pixel scale), frame by frame
        for (int i = 0; i < 40; i++) {
            Edt.call(() -> {
                pane.zoomBy(1 / 1.15);
                pane.paintImmediately(0, 0, pane.getWidth(), pane.getHeight());
                return null;
            });
        }
        for (int i = 0; i < 50; i++) {
            Edt.call(() -> {
                pane.zoomBy(1.15);
                pane.paintImmediately(0, 0, pane.getWidth(), pane.getHeight());
                return null;
            });
        }
        settle();
    }

    private void settle() {
        waitFor(() -> pane.lastPlan() != null && pane.lastPlan().complete(), "the view to sharpen");
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
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 31 + y * 17) & 0xFFFFFF);
            }
        }
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
