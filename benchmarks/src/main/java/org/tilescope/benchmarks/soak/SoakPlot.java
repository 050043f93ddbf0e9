package org.tilescope.benchmarks.soak;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws a soak CSV as a PNG with Java2D: memory over time above (heap after GC, the live heap
 * after the forced full collections, the tiles the caches hold, the cache budget and the budget +
 * 25% goal line, RSS and the heap committed), threads and open files below. Runs headless:
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.tilescope.benchmarks.soak.SoakPlot soak.csv out.png [TITLE]</pre>
 */
public final class SoakPlot {
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 900;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final Color HEAP = new Color(0x1F77B4);
    private static final Color LIVE = new Color(0xB22222);
    private static final Color CACHED = new Color(0x2CA02C);
    private static final Color BUDGET = new Color(0x777777);
    private static final Color GOAL = new Color(0xD62728);
    private static final Color RSS = new Color(0xFF7F0E);
    private static final Color COMMITTED = new Color(0xC49C94);
    private static final Color THREADS = new Color(0x9467BD);
    private static final Color FILES = new Color(0x17BECF);
    private static final Stroke LINE = new BasicStroke(2f);
    private static final Stroke THIN = new BasicStroke(1.2f);
    private static final Stroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {8f, 6f}, 0f);

    private SoakPlot() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: SoakPlot SOAK.csv OUT.png [TITLE]");
            System.exit(2);
        }
        Path csv = Path.of(args[0]);
        List<SoakSample> rows;
        try {
            rows = SoakSample.parseAll(Files.readAllLines(csv, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(csv + ": " + e.getMessage(), e);
        }
        render(rows, Path.of(args[1]), args.length > 2 ? args[2] : "Memory soak: " + csv.getFileName());
    }

    static void render(List<SoakSample> rows, Path png, String title) throws IOException {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no soak rows to plot");
        }
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, LEFT, 26);
            double minutes = Math.max(rows.getLast().seconds() / 60, 0.1);

            // heap after GC is NaN before the first collection: heap in use now is never below it
            double top = rows.stream().mapToDouble(r -> Math.max(Math.max(r.rssMb(), r.heapUsedMb()),
                    r.budgetMb() * (1 + WindowSoak.HEAP_ALLOWANCE))).max().orElse(1) * 1.08;
            Panel memory = new Panel(g, 62, 480, minutes, top, "MB");
            memory.frame();
            memory.line(rows, r -> r.budgetMb() * (1 + WindowSoak.HEAP_ALLOWANCE), GOAL, DASHED);
            memory.line(rows, SoakSample::budgetMb, BUDGET, DASHED);
            memory.line(rows, SoakSample::rssMb, RSS, LINE);
            memory.line(rows, SoakSample::heapCommittedMb, COMMITTED, THIN);
            memory.line(rows, r -> r.l1Mb() + r.l2Mb(), CACHED, LINE);
            memory.line(rows, SoakSample::heapAfterGcMb, HEAP, LINE);
            memory.dots(rows, SoakSample::liveAfterFullGcMb, LIVE);
            memory.legend(new String[] {"heap after GC", "live heap after forced full GC", "L1 + L2 held",
                    "cache budget (L1 + L2 capacity)", "budget + 25% (goal)", "RSS", "heap committed"},
                    new Color[] {HEAP, LIVE, CACHED, BUDGET, GOAL, RSS, COMMITTED},
                    new Stroke[] {LINE, null, LINE, DASHED, DASHED, LINE, THIN});

            double counts = rows.stream().mapToDouble(r -> Math.max(r.threads(), r.openFiles())).max().orElse(1) * 1.15;
            Panel process = new Panel(g, 600, 240, minutes, counts, "count");
            process.frame();
            process.line(rows, SoakSample::threads, THREADS, LINE);
            process.line(rows, SoakSample::openFiles, FILES, LINE);
            process.legend(new String[] {"live threads", "open file descriptors"}, new Color[] {THREADS, FILES},
                    new Stroke[] {LINE, LINE});
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString("minutes", LEFT + (WIDTH - LEFT - RIGHT) / 2 - 20, HEIGHT - 12);
        } finally {
            g.dispose();
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(img, "png", png.toFile())) {
            throw new IOException("no PNG writer in this JDK for " + png);
        }
    }

    /** One chart: minutes across, 0..yMax up, in the band [y0, y0 + height) of the image. */
    private record Panel(Graphics2D g, int y0, int height, double xMax, double yMax, String unit) {
        private int width() {
            return WIDTH - LEFT - RIGHT;
        }

        private double px(double minutes) {
            return LEFT + minutes / xMax * width();
        }

        private double py(double v) {
            return y0 + height - v / yMax * height;
        }

        void frame() {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            g.setStroke(new BasicStroke(1f));
            double yStep = niceStep(yMax / 6);
            for (double v = 0; v <= yMax; v += yStep) {
                int y = (int) Math.round(py(v));
                g.setColor(new Color(0xE6E6E6));
                g.drawLine(LEFT, y, LEFT + width(), y);
                g.setColor(Color.DARK_GRAY);
                String label = String.format(Locale.ROOT, "%.0f", v);
                g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + fm.getAscent() / 2 - 1);
            }
            double xStep = niceStep(xMax / 10);
            for (double m = 0; m <= xMax + 1e-9; m += xStep) {
                int x = (int) Math.round(px(m));
                g.setColor(new Color(0xEEEEEE));
                g.drawLine(x, y0, x, y0 + height);
                g.setColor(Color.DARK_GRAY);
                String label = String.format(Locale.ROOT, xStep < 1 ? "%.1f" : "%.0f", m);
                g.drawString(label, x - fm.stringWidth(label) / 2, y0 + height + fm.getAscent() + 4);
            }
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, y0, width(), height);
            g.drawString(unit, 10, y0 + height / 2);
        }

        void line(List<SoakSample> rows, ToDoubleFunction<SoakSample> f, Color c, Stroke s) {
            Path2D.Double p = new Path2D.Double();
            boolean started = false;
            for (SoakSample r : rows) {
                double v = f.applyAsDouble(r);
                if (Double.isNaN(v) || v < 0) {
                    continue; // no collection yet
                }
                if (started) {
                    p.lineTo(px(r.seconds() / 60), py(v));
                } else {
                    p.moveTo(px(r.seconds() / 60), py(v));
                    started = true;
                }
            }
            g.setColor(c);
            g.setStroke(s);
            g.draw(p);
        }

        void dots(List<SoakSample> rows, ToDoubleFunction<SoakSample> f, Color c) {
            g.setColor(c);
            for (SoakSample r : rows) {
                double v = f.applyAsDouble(r);
                if (!Double.isNaN(v)) {
                    g.fill(new Ellipse2D.Double(px(r.seconds() / 60) - 4, py(v) - 4, 8, 8));
                }
            }
        }

        /** @param strokes each entry's line, or null for a series drawn as dots */
        void legend(String[] names, Color[] colors, Stroke[] strokes) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            int x = LEFT + 12;
            int y = y0 - 8; // above the chart, where no line runs
            for (int i = 0; i < names.length; i++) {
                g.setColor(colors[i]);
                if (strokes[i] == null) {
                    g.fill(new Ellipse2D.Double(x + 8, y - 9, 8, 8));
                } else {
                    g.setStroke(strokes[i]);
                    g.drawLine(x, y - 5, x + 24, y - 5);
                }
                g.setColor(Color.BLACK);
                g.drawString(names[i], x + 30, y);
                x += 40 + g.getFontMetrics().stringWidth(names[i]);
            }
        }
    }

    /** 1, 2 or 5 times a power of ten, at least {@code rough}. */
    static double niceStep(double rough) {
        if (rough <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= rough) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
