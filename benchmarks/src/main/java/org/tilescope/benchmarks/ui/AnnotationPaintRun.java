package org.tilescope.benchmarks.ui;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.tilescope.app.render.AnnotationLayer;
import org.tilescope.app.render.ViewState;
import org.tilescope.app.swing.Edt;
import org.tilescope.app.viewer.TilePane;
import org.tilescope.engine.annotation.Annotation;
import org.tilescope.engine.annotation.AnnotationClass;
import org.tilescope.engine.annotation.AnnotationSet;
import org.tilescope.engine.annotation.Geometries;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.demo.DemoSlide;

/**
 * Frame time with 100,000 annotations against the same frames without them, in one run. A tile
 * pane of 1920x1080 shows the demo slide (24000x18000) with 100,000 objects: 99,000 cell-like
 * 10-gons (radius 6-14 px) in 200 gaussian clusters, 900 regions (40-gons, radius 100-600 px,
 * some named), 100 lines. For each view (fit, then 16 down to 1 slide px per screen px; centred
 * on a dense cluster and on the slide's centre; upright and turned a quarter) it waits for sharp
 * tiles and for the view to settle, then paints the whole pane ({@code paint}: slide, back buffer,
 * every layer) into an image, alternately with the annotation layer shown and hidden.
 *
 * <pre>java -Djava.awt.headless=true -cp benchmarks/target/benchmarks.jar \
 *     org.tilescope.benchmarks.ui.AnnotationPaintRun [OBJECTS] [FRAMES_PER_VIEW]</pre>
 */
public final class AnnotationPaintRun {
    static final int W = 1920;
    static final int H = 1080;
    /** Paint into a real window (under Xvfb: Swing's back buffer, XRender) rather than an image. */
    static boolean window;

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } finally {
            System.exit(0); // the pane's frame timer would keep the VM alive
        }
    }

    static void run(String[] args) throws Exception {
        int objects = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        window = args.length > 2 && args[2].equals("window");
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "tilescope");
        Path demo = DemoSlide.ensure(cache, (d, t) -> { }, () -> false);
        try (TilePipeline pipeline = TilePipeline.createDefault()) {
            SlideHandle slide = pipeline.open(demo);
            slide.ready().get(5, TimeUnit.MINUTES);
            long t0 = System.nanoTime();
            Random rnd = new Random(7);
            List<double[]> clusters = new ArrayList<>();
            AnnotationSet set = new AnnotationSet(make(objects, slide.info().width(), slide.info().height(), rnd, clusters));
            System.out.printf(Locale.ROOT, "%,d annotations built and indexed in %.0f ms%n", set.size(),
                    (System.nanoTime() - t0) / 1e6);
            TilePane pane = Edt.call(() -> {
                TilePane p = new TilePane(pipeline);
                p.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12)); // as in a window
                p.setSize(W, H);
                if (window) {
                    javax.swing.JFrame f = new javax.swing.JFrame("annotation paint run");
                    p.setPreferredSize(new java.awt.Dimension(W, H));
                    f.add(p);
                    f.pack();
                    f.setVisible(true);
                }
                p.setSlide(slide, null);
                return p;
            });
            System.out.printf(Locale.ROOT, "painting %s, pane %dx%d%n", window ? "into a window (Swing back buffer)"
                    : "into a %dx%d image".formatted(W, H), Edt.call(pane::getWidth), Edt.call(pane::getHeight));
            // as the viewer has it: the objects kept as an image, fresh renderings off the event thread
            AnnotationLayer layer = new AnnotationLayer(set);
            layer.setRepaint(() -> { });
            Edt.call(() -> pane.layers().add(layer));
            // as an export has it: every object drawn in the call
            AnnotationLayer direct = new AnnotationLayer(set);
            BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
            BufferedImage overlay = new BufferedImage(W, H, BufferedImage.TYPE_INT_ARGB_PRE);

            double fit = Edt.call(() -> pane.fitView(0, false)).downsample();
            double[][] centres = {clusters.getFirst(), {slide.info().width() / 2.0, slide.info().height() / 2.0}};
            double[] zooms = {fit, 16, 8, 4, 2, 1};
            if (window) {
                Thread.sleep(2000); // the window is shown and laid out
            }
            List<Long> restWith = new ArrayList<>();
            List<Long> restWithout = new ArrayList<>();
            List<Long> panWith = new ArrayList<>();
            List<Long> panWithout = new ArrayList<>();
            List<Long> renders = new ArrayList<>();
            System.out.println("view (centre, slide px per screen px, quarter turns): p50 ms of a resting frame with / "
                    + "without annotations; a panning frame with / without; a full rendering of the objects");
            for (double[] c : centres) {
                for (double ds : zooms) {
                    for (int turns = 0; turns < 2; turns++) {
                        ViewState v = new ViewState(ds == fit ? slide.info().width() / 2.0 : c[0],
                                ds == fit ? slide.info().height() / 2.0 : c[1], ds, turns, false);
                        set(pane, v);
                        settle(pane, img);
                        Thread.sleep(ds == fit ? 3000 : 1500); // the overlay's rendering finishes in the background
                        long[][] rest = alternate(pane, layer, img, frames, null);
                        long[][] pan = alternate(pane, layer, img, frames, v);
                        set(pane, v);
                        long[] full = new long[Math.max(3, frames / 4)];
                        LayerStackContext lc = new LayerStackContext(slide, v);
                        for (int i = 0; i < full.length; i++) {
                            full[i] = Edt.call(() -> {
                                Graphics2D g = overlay.createGraphics();
                                g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING,
                                        java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
                                long s = System.nanoTime();
                                direct.paintAll(g, lc.ctx());
                                long e = System.nanoTime() - s;
                                g.dispose();
                                return e;
                            });
                        }
                        add(restWith, rest[0]);
                        add(restWithout, rest[1]);
                        add(panWith, pan[0]);
                        add(panWithout, pan[1]);
                        add(renders, full);
                        var vis = v.visibleSlideRect(W, H);
                        int visible = set.query(new org.locationtech.jts.geom.Envelope(vis.getMinX(), vis.getMaxX(),
                                vis.getMinY(), vis.getMaxY())).size();
                        System.out.printf(Locale.ROOT, "  %-7s %6.2f %d   rest %6.2f / %6.2f (%.2fx)   pan %6.2f / %6.2f (%.2fx)"
                                        + "   full %7.1f ms   %,7d in view%n",
                                c == centres[0] ? "cluster" : "centre", ds, turns,
                                p(rest[0], 50) / 1e6, p(rest[1], 50) / 1e6, p(rest[0], 50) / (double) p(rest[1], 50),
                                p(pan[0], 50) / 1e6, p(pan[1], 50) / 1e6, p(pan[0], 50) / (double) p(pan[1], 50),
                                p(full, 50) / 1e6, visible);
                    }
                }
            }
            summary("resting", restWith, restWithout);
            summary("panning", panWith, panWithout);
            long[] r = renders.stream().mapToLong(Long::longValue).toArray();
            System.out.printf(Locale.ROOT, "full rendering of the objects in view (exports; the viewer's background "
                    + "thread): p50 %.1f ms, p99 %.1f ms%n", p(r, 50) / 1e6, p(r, 99) / 1e6);
            Edt.call(() -> {
                pane.dispose();
                return null;
            });
        }
    }

    static void set(TilePane pane, ViewState v) {
        Edt.call(() -> {
            pane.setView(v);
            return null;
        });
    }

    /**
     * Paints 2 x frames frames, alternately with the annotation layer shown and hidden, so drift
     * (JIT, GC, other processes) hits both alike. With {@code panFrom}, each pair first moves the
     * view 6 screen px on (a drag), as a frame in motion.
     */
    static long[][] alternate(TilePane pane, AnnotationLayer layer, BufferedImage img, int frames, ViewState panFrom) {
        long[] with = new long[frames];
        long[] without = new long[frames];
        for (int i = 0; i < 2 * frames; i++) {
            boolean shown = i % 2 == 0;
            int step = i;
            long ns = Edt.call(() -> {
                if (panFrom != null) {
                    pane.setView(panFrom.panByScreen(6.0 * step, 3.0 * step, W, H));
                }
                layer.setVisible(shown);
                if (window) {
                    long s = System.nanoTime();
                    pane.paintImmediately(0, 0, pane.getWidth(), pane.getHeight());
                    java.awt.Toolkit.getDefaultToolkit().sync();
                    return System.nanoTime() - s;
                }
                Graphics2D g = img.createGraphics();
                long s = System.nanoTime();
                pane.paint(g);
                long e = System.nanoTime() - s;
                g.dispose();
                return e;
            });
            (shown ? with : without)[i / 2] = ns;
        }
        layer.setVisible(true);
        return new long[][] {with, without};
    }

    static void add(List<Long> to, long[] values) {
        for (long v : values) {
            to.add(v);
        }
    }

    static void summary(String what, List<Long> with, List<Long> without) {
        long[] w = with.stream().mapToLong(Long::longValue).toArray();
        long[] wo = without.stream().mapToLong(Long::longValue).toArray();
        System.out.printf(Locale.ROOT, "%s frames, %d each: with p50 %.2f ms, p99 %.2f ms; without p50 %.2f ms, "
                        + "p99 %.2f ms; ratio p50 %.2fx, p99 %.2fx%n", what, w.length, p(w, 50) / 1e6, p(w, 99) / 1e6,
                p(wo, 50) / 1e6, p(wo, 99) / 1e6, p(w, 50) / (double) p(wo, 50), p(w, 99) / (double) p(wo, 99));
    }

    /** A layer context for the view, as the pane makes one. */
    record LayerStackContext(SlideHandle slide, ViewState view) {
        org.tilescope.app.render.LayerContext ctx() {
            return new org.tilescope.app.render.LayerContext(slide.info(), view, W, H, slide.thumbnail(),
                    new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12));
        }
    }

    /** Paints until the plan is sharp and the view has come to rest (smooth frames from then on). */
    static void settle(TilePane pane, BufferedImage img) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            boolean sharp = Edt.call(() -> {
                Graphics2D g = img.createGraphics();
                pane.paint(g);
                g.dispose();
                return pane.lastPlan() != null && pane.lastPlan().complete();
            });
            if (sharp) {
                break;
            }
            Thread.sleep(20);
        }
        Thread.sleep(200); // past the motion settle time: the frames measured are the resting ones
    }

    static List<Annotation> make(int n, int w, int h, Random rnd, List<double[]> clusters) {
        AnnotationClass[] classes = {AnnotationClass.named("Tumor"), AnnotationClass.named("Stroma"),
            AnnotationClass.named("Immune cells"), AnnotationClass.named("Necrosis")};
        for (int i = 0; i < 200; i++) {
            clusters.add(new double[] {1000 + rnd.nextDouble() * (w - 2000), 1000 + rnd.nextDouble() * (h - 2000)});
        }
        List<Annotation> out = new ArrayList<>(n);
        int regions = Math.max(1, n * 9 / 1000);
        int lines = Math.max(1, n / 1000);
        for (int i = 0; i < n; i++) {
            if (i < regions) {
                double r = 100 + rnd.nextDouble() * 500;
                Annotation a = Annotation.of(ngon(40, rnd.nextDouble() * w, rnd.nextDouble() * h, r, rnd), Annotation.Shape.POLYGON)
                        .withClassification(classes[rnd.nextInt(classes.length)]);
                out.add(i % 3 == 0 ? a.withName("Region " + i) : a);
            } else if (i < regions + lines) {
                double x = rnd.nextDouble() * w;
                double y = rnd.nextDouble() * h;
                out.add(Annotation.of(Geometries.line(x, y, x + 300, y + 200, x + 700, y + 100), null));
            } else {
                double[] c = clusters.get(rnd.nextInt(clusters.size()));
                double x = Math.clamp(c[0] + rnd.nextGaussian() * 600, 0, w);
                double y = Math.clamp(c[1] + rnd.nextGaussian() * 600, 0, h);
                out.add(Annotation.of(ngon(10, x, y, 6 + rnd.nextDouble() * 8, rnd), Annotation.Shape.POLYGON)
                        .withClassification(classes[rnd.nextInt(classes.length)]));
            }
        }
        return out;
    }

    static org.locationtech.jts.geom.Polygon ngon(int k, double cx, double cy, double r, Random rnd) {
        double[] xy = new double[2 * k];
        for (int i = 0; i < k; i++) {
            double a = 2 * Math.PI * i / k;
            double rr = r * (0.8 + 0.4 * rnd.nextDouble());
            xy[2 * i] = cx + rr * Math.cos(a);
            xy[2 * i + 1] = cy + rr * Math.sin(a);
        }
        return Geometries.polygon(xy);
    }

    static long p(long[] a, int pct) {
        long[] s = a.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(pct / 100.0 * s.length) - 1)];
    }
}
