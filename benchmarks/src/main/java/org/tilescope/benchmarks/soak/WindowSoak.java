package org.tilescope.benchmarks.soak;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;
import javax.swing.JFrame;
import org.tilescope.app.settings.Settings;
import org.tilescope.app.swing.Edt;
import org.tilescope.app.viewer.MainWindow;
import org.tilescope.app.viewer.TilePane;
import org.tilescope.app.viewer.ViewerApp;
import org.tilescope.engine.slide.SlideFolder;

/**
 * The memory soak: the viewer as the launcher starts it ({@link ViewerApp}, background preload
 * on, slide library on), driven for MINUTES through every slide of a folder in turn: open, zoom to
 * 1:1, fling, zoom out and in frame by frame, fit, next slide. Every few seconds a row: heap after
 * the latest collection (from the collectors' notifications, nothing forced), the cache budget
 * (L1 + L2 capacity), threads, open files, RSS. Once a minute (soak.fullGcSeconds) a forced full
 * collection gives the live heap; heap histograms after the first minute and at the end say what
 * grew. Writes soak.csv, summary.txt, the histograms and the plot into OUT. Run under Xvfb:
 *
 * <pre>xvfb-run -a -s "-screen 0 1920x1080x24" java -Xmx1g -cp benchmarks/target/benchmarks.jar \
 *     org.tilescope.benchmarks.soak.WindowSoak MINUTES LIBRARY_DIR OUT_DIR [PLOT.png]</pre>
 */
public final class WindowSoak {
    private static final System.Logger LOG = System.getLogger(WindowSoak.class.getName());
    /** Heap after GC may exceed the configured caches by this share (the Speed issue's goal). */
    static final double HEAP_ALLOWANCE = 0.25;
    private static final long WAIT_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(120);

    private final AtomicInteger switches = new AtomicInteger();
    private final Random random = new Random(13);
    private TilePane pane;

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: WindowSoak MINUTES LIBRARY_DIR OUT_DIR [PLOT.png]");
            System.exit(2);
        }
        double minutes = Double.parseDouble(args[0]);
        Path library = Path.of(args[1]);
        Path out = Path.of(args[2]);
        Path plot = args.length > 3 ? Path.of(args[3]) : out.resolve("soak-memory.png");
        boolean met = new WindowSoak().run(minutes, library, out, plot);
        System.exit(met ? 0 : 1);
    }

    boolean run(double minutes, Path library, Path out, Path plot) throws Exception {
        List<Path> slides = SlideFolder.list(library);
        if (slides.size() < 2) {
            throw new IllegalArgumentException(library + ": the soak needs a folder of slides, found " + slides.size());
        }
        Files.createDirectories(out);
        long durationNanos = (long) (minutes * 60e9);
        double sampleSeconds = Double.parseDouble(System.getProperty("soak.sampleSeconds", "5"));
        double fullGcSeconds = Double.parseDouble(System.getProperty("soak.fullGcSeconds", "60"));
        double histogramAt = Math.min(60, minutes * 60 / 4);

        // the app's folders (settings, library, thumbnails) in a fresh place: a first start, no user data touched
        Path base = Files.createTempDirectory("tilescope-soak");
        System.setProperty("tilescope.data", base.resolve("data").toString());
        System.setProperty("tilescope.cache", base.resolve("cache").toString());
        System.setProperty("tilescope.config", base.resolve("config").toString());
        Settings settings = new Settings(base.resolve("config"));

        MainWindow w = ViewerApp.launch(slides.getFirst(), settings, base.resolve("cache"));
        Edt.call(() -> {
            w.setErrorDialog((title, message) -> LOG.log(System.Logger.Level.WARNING, title + ": " + message));
            w.setExtendedState(JFrame.MAXIMIZED_BOTH);
            return null;
        });
        pane = Edt.call(w::pane);
        waitFor(() -> pane.slide() != null && pane.lastPlan() != null && pane.lastPlan().complete(), "first slide");

        List<SoakSample> rows = new ArrayList<>();
        HeapHistogram[] histograms = new HeapHistogram[2];
        Map<String, Long> kinds = new TreeMap<>();
        ProcessSampler sampler = new ProcessSampler(pane.pipeline());
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("soak-sampler").daemon(true).factory());
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("soak.csv"), StandardCharsets.UTF_8))) {
            csv.println(SoakSample.HEADER);
            double[] nextFullGc = {fullGcSeconds};
            clock.scheduleAtFixedRate(() -> {
                try {
                    SoakSample peek = sampler.sample(false, switches.get());
                    SoakSample row = peek;
                    if (fullGcSeconds > 0 && peek.seconds() >= nextFullGc[0]) {
                        nextFullGc[0] += fullGcSeconds;
                        row = sampler.sample(true, switches.get());
                    }
                    if (histograms[0] == null && row.seconds() >= histogramAt) {
                        histograms[0] = HeapHistogram.take();
                    }
                    synchronized (rows) {
                        rows.add(row);
                    }
                    csv.println(row.csv());
                    csv.flush();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "soak sample failed", e);
                }
            }, 0, (long) (sampleSeconds * 1000), TimeUnit.MILLISECONDS);

            long end = System.nanoTime() + durationNanos;
            int next = 1;
            while (System.nanoTime() < end) {
                switchTo(w, slides.get(next % slides.size()));
                next++;
                tour();
            }
            clock.shutdown();
            clock.awaitTermination(1, TimeUnit.MINUTES);
            SoakSample last = sampler.sample(fullGcSeconds > 0, switches.get());
            rows.add(last);
            csv.println(last.csv());
            kinds.putAll(sampler.collectionKinds());
        } finally {
            clock.shutdownNow();
            sampler.close();
        }
        histograms[1] = HeapHistogram.take();
        Edt.call(() -> {
            w.dispose();
            return null;
        });

        Files.writeString(out.resolve("histogram-start.txt"), histograms[0] == null ? "" : histograms[0].text());
        Files.writeString(out.resolve("histogram-end.txt"), histograms[1].text());
        Summary s = Summary.of(rows, slides.size());
        StringBuilder report = new StringBuilder(s.text());
        report.append("collections by kind:").append(System.lineSeparator());
        kinds.forEach((kind, n) -> report.append(String.format(Locale.ROOT, "  %6d  %s%n", n, kind)));
        if (histograms[0] != null) {
            report.append(String.format(Locale.ROOT, "heap histogram (each after a full GC): %.1f MB at %.0f s, %.1f MB at the end;"
                            + " classes that grew most:%n", histograms[0].totalBytes() / 1048576.0, histogramAt,
                    histograms[1].totalBytes() / 1048576.0));
            report.append(HeapHistogram.format(histograms[1].growthSince(histograms[0], 12)));
        }
        Files.writeString(out.resolve("summary.txt"), report);
        System.out.print(report);
        SoakPlot.render(rows, plot, s.title());
        System.out.println("plot: " + plot.toAbsolutePath());
        return s.met();
    }

    /** Opens {@code slide} and waits until its viewport is sharp. */
    private void switchTo(MainWindow w, Path slide) {
        Path abs = slide.toAbsolutePath().normalize();
        Edt.call(() -> w.open(slide));
        waitFor(() -> pane.slide() != null && abs.equals(pane.slide().path()) && pane.lastPlan() != null
                && pane.lastPlan().complete() && pane.lastPlan().level() >= 0, "switch to " + slide);
        switches.incrementAndGet();
    }

    /** 1:1 somewhere on the slide, a fling, zoom out and back in frame by frame, fit. */
    private void tour() {
        double sx = random.nextDouble();
        double sy = random.nextDouble();
        Edt.call(() -> {
            pane.setDownsample(1);
            return null;
        });
        settle();
        Edt.call(() -> {
            pane.fling((random.nextDouble() - 0.5) * 6000, (random.nextDouble() - 0.5) * 6000);
            return null;
        });
        waitFor(() -> !pane.isFlinging(), "fling to stop");
        settle();
        for (int i = 0; i < 12; i++) {
            Edt.call(() -> {
                pane.zoomAbout(1 / 1.2, pane.getWidth() * sx, pane.getHeight() * sy);
                pane.paintImmediately(0, 0, pane.getWidth(), pane.getHeight());
                return null;
            });
        }
        for (int i = 0; i < 12; i++) {
            Edt.call(() -> {
                pane.zoomAbout(1.2, pane.getWidth() * sy, pane.getHeight() * sx);
                pane.paintImmediately(0, 0, pane.getWidth(), pane.getHeight());
                return null;
            });
        }
        settle();
        Edt.call(() -> {
            pane.fit();
            return null;
        });
        settle();
    }

    private void settle() {
        waitFor(() -> pane.lastPlan() != null && pane.lastPlan().complete(), "the view to sharpen");
    }

    private static void waitFor(BooleanSupplier c, String what) {
        long deadline = System.nanoTime() + WAIT_LIMIT_NANOS;
        while (!Edt.call(c::getAsBoolean)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after 120 s waiting for " + what);
            }
            LockSupport.parkNanos(5_000_000L); // poll the UI state
        }
    }

    /**
     * What the soak found, against the goals: heap after GC within the configured caches + 25%,
     * threads and open files flat (the last minute's highest against the first minute's).
     */
    record Summary(String text, String title, boolean met) {
        static Summary of(List<SoakSample> rows, int slides) {
            SoakSample last = rows.getLast();
            double budget = last.budgetMb();
            double limit = budget * (1 + HEAP_ALLOWANCE);
            double maxAfterGc = rows.stream().mapToDouble(SoakSample::heapAfterGcMb).filter(x -> !Double.isNaN(x))
                    .max().orElse(0);
            double maxLive = rows.stream().mapToDouble(SoakSample::liveAfterFullGcMb).filter(x -> !Double.isNaN(x))
                    .max().orElse(Double.NaN);
            double end = last.seconds();
            // a minute and one sample: the first forced full GC lands at 60 s
            Window first = new Window(rows, 0, 61);
            Window lastMinute = new Window(rows, end - 61, end + 1);
            int threadsFirst = (int) first.max(SoakSample::threads);
            int threadsLast = (int) lastMinute.max(SoakSample::threads);
            int filesFirst = (int) first.max(SoakSample::openFiles);
            int filesLast = (int) lastMinute.max(SoakSample::openFiles);
            double liveFirst = first.max(SoakSample::liveAfterFullGcMb);
            double liveLast = lastMinute.max(SoakSample::liveAfterFullGcMb);
            // With forced full GCs the goal is judged on the live heap they leave: after a young
            // collection the heap still holds old-generation garbage G1 has not marked yet.
            boolean judgedOnLive = !Double.isNaN(maxLive);
            boolean heapMet = (judgedOnLive ? maxLive : maxAfterGc) <= limit;
            boolean threadsFlat = threadsLast <= threadsFirst;
            boolean filesFlat = filesLast <= filesFirst;
            String text = String.format(Locale.ROOT,
                    "soak: %.1f min, %d slide switches through %d slides, %d collections, %d rows%n"
                            + "cache budget (L1 + L2 capacity) %.0f MB; goal: heap after GC <= %.0f MB (+25%%)%n"
                            + "heap after GC (any collection, as G1 ran them): highest %.1f MB (%.2fx the budget) -> %s%n"
                            + "live heap after a forced full GC: highest %.1f MB (%.2fx the budget) -> %s;"
                            + " first minute %.1f MB, last minute %.1f MB%n"
                            + "threads: first minute max %d, last minute max %d -> %s%n"
                            + "open files: first minute max %d, last minute max %d -> %s%n"
                            + "RSS: first minute max %.0f MB, last minute max %.0f MB, highest %.0f MB%n",
                    end / 60, last.switches(), slides, last.collections(), rows.size(),
                    budget, limit, maxAfterGc, maxAfterGc / budget, maxAfterGc <= limit ? "within" : "over the goal line",
                    maxLive, maxLive / budget, !judgedOnLive ? "none forced" : heapMet ? "met" : "NOT MET", liveFirst,
                    liveLast, threadsFirst, threadsLast, threadsFlat ? "flat" : "GREW", filesFirst, filesLast,
                    filesFlat ? "flat" : "GREW", first.max(SoakSample::rssMb), lastMinute.max(SoakSample::rssMb),
                    rows.stream().mapToDouble(SoakSample::rssMb).max().orElse(0));
            String title = String.format(Locale.ROOT,
                    "Memory soak: %.1f min, %d switches over %d slides; live heap max %.0f MB, heap after GC max %.0f MB,"
                            + " goal %.0f MB; threads %d -> %d, open files %d -> %d", end / 60, last.switches(), slides,
                    maxLive, maxAfterGc, limit, threadsFirst, threadsLast, filesFirst, filesLast);
            return new Summary(text, title, heapMet && threadsFlat && filesFlat);
        }
    }

    /** The rows within [from, to) seconds. */
    private record Window(List<SoakSample> rows, double from, double to) {
        double max(ToDoubleFunction<SoakSample> f) {
            return rows.stream().filter(r -> r.seconds() >= from && r.seconds() < to).mapToDouble(f)
                    .filter(x -> !Double.isNaN(x)).max().orElse(Double.NaN);
        }
    }
}
