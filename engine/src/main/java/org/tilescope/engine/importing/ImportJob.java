package org.tilescope.engine.importing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tilescope.engine.files.FileTrees;
import org.tilescope.engine.jobs.Job;
import org.tilescope.engine.jobs.JobContext;
import org.tilescope.engine.jobs.Progress;
import org.tilescope.engine.pyramid.ImageFileRows;
import org.tilescope.engine.pyramid.PyramidWriter;
import org.tilescope.engine.pyramid.RowSource;
import org.tilescope.engine.slide.tiff.TiffRows;

/**
 * Imports plain images into tiled pyramids, one file after another, each written into a hidden
 * temporary folder beside the output and moved into place only when complete, so a crash or a
 * cancel never leaves a half pyramid that looks whole. A file that fails, or makes no progress for
 * the stall timeout, is reported and the batch goes on. A file already imported (same source size
 * and modification time, output complete) is skipped unless forced.
 */
public final class ImportJob extends Job {
    private static final System.Logger LOG = System.getLogger(ImportJob.class.getName());
    /** Beside each imported pyramid: what it was made from, so an unchanged source is skipped. */
    static final String STAMP_SUFFIX = ".import";
    private static final String TEMP_PREFIX = ".tilescope-import-";

    private final ImportRequest request;
    private volatile ImportReport report;

    public ImportJob(ImportRequest request) {
        super("Import " + describe(request.sources()), "import", 5);
        this.request = request;
    }

    /** The finished report; null until the job ends. */
    public ImportReport report() {
        return report;
    }

    @Override
    public boolean supportsPause() {
        return false;
    }

    @Override
    protected void run(JobContext context) throws Exception {
        report = runNow(request, context);
        if (report.count(ImportReport.Outcome.CANCELLED) > 0 && context.isCancelled()) {
            throw new CancellationException("cancelled");
        }
    }

    /** Runs the import on the calling thread (the command line; tests). */
    public static ImportReport runNow(ImportRequest request, JobContext context) throws IOException {
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        List<Path> files = expand(request.sources());
        Files.createDirectories(request.outDir());
        Progress progress = context.progress();
        long totalBytes = 0;
        for (Path f : files) {
            totalBytes += Files.size(f);
        }
        progress.setTotal(files.size(), totalBytes);
        List<ImportReport.FileResult> results = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            if (context.isCancelled()) {
                results.add(new ImportReport.FileResult(f, null, ImportReport.Outcome.CANCELLED, "batch cancelled",
                        Files.size(f), 0, 0, 0, null));
                continue;
            }
            ImportReport.FileResult r = importOne(request, f, i, files.size(), context);
            results.add(r);
            if (r.outcome() == ImportReport.Outcome.FAILED) {
                progress.addFailure(f.getFileName() + ": " + r.reason());
            } else {
                progress.addDone(1, r.bytesIn());
            }
        }
        return new ImportReport(results, seconds(t0), cpuSecondsSince(cpu0));
    }

    private static ImportReport.FileResult importOne(ImportRequest req, Path source, int index, int count,
                                                     JobContext context) {
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        String name = baseName(source);
        boolean tiff = req.options().format() == PyramidWriter.Format.TIFF;
        Path output = req.outDir().resolve(name + (tiff ? ".tif" : ".dzi"));
        Path stamp = req.outDir().resolve(name + STAMP_SUFFIX);
        long size;
        String sourceStamp;
        try {
            size = Files.size(source);
            sourceStamp = source.toAbsolutePath().normalize() + "\n" + size + "\n"
                    + Files.getLastModifiedTime(source).toMillis() + "\n" + req.options() + "\n";
            if (!req.force() && Files.isRegularFile(output) && Files.isRegularFile(stamp)
                    && Files.readString(stamp, StandardCharsets.UTF_8).equals(sourceStamp)) {
                return new ImportReport.FileResult(source, output, ImportReport.Outcome.SKIPPED,
                        "already imported (unchanged since)", size, sizeOf(req.outDir(), name, tiff), seconds(t0),
                        cpuSecondsSince(cpu0), null);
            }
        } catch (IOException e) {
            return failed(source, "cannot read: " + e.getMessage(), 0, t0, cpu0, null);
        }
        Path temp = null;
        PyramidWriter.Stats stats = new PyramidWriter.Stats();
        AtomicBoolean stalled = new AtomicBoolean();
        long stallNanos = req.stallTimeout().toNanos();
        long bandBytes = Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 8);
        // TIFF and BigTIFF by strips through our own parser; JPEG and PNG through ImageIO
        try (RowSource rows = TiffRows.isTiff(source) ? TiffRows.open(source, bandBytes)
                : ImageFileRows.openStreaming(source, bandBytes)) {
            temp = Files.createTempDirectory(req.outDir(), TEMP_PREFIX + name + "-");
            Path tempDir = temp;
            FileProgress progress = new FileProgress(context, stats, source, index, count, size, rows.height());
            Thread reporter = Thread.ofPlatform().daemon().name("tilescope-import-progress").start(() ->
                    progress.watch(stallNanos, stalled));
            try {
                new PyramidWriter(req.options()).write(rows, tempDir, name, stats,
                        () -> context.isCancelled() || stalled.get());
            } finally {
                reporter.interrupt();
                join(reporter);
                progress.publish(); // the final figures, whatever the last tick showed
            }
            // the parts in place, the descriptor (or the one TIFF file) last: the slide appears whole or not at all
            if (!tiff) {
                replace(tempDir.resolve(name + "_files"), req.outDir().resolve(name + "_files"));
            }
            replace(tempDir.resolve(output.getFileName().toString()), output);
            Files.writeString(stamp, sourceStamp, StandardCharsets.UTF_8);
            return new ImportReport.FileResult(source, output, ImportReport.Outcome.IMPORTED, "", size,
                    sizeOf(req.outDir(), name, tiff), seconds(t0), cpuSecondsSince(cpu0), stats.summary());
        } catch (CancellationException e) {
            if (stalled.get()) {
                return failed(source, "no progress for " + req.stallTimeout().toSeconds() + " s; cancelled", size, t0,
                        cpu0, begun(stats));
            }
            return new ImportReport.FileResult(source, null, ImportReport.Outcome.CANCELLED, "cancelled", size, 0,
                    seconds(t0), cpuSecondsSince(cpu0), begun(stats));
        } catch (IOException | RuntimeException e) {
            return failed(source, String.valueOf(e.getMessage()), size, t0, cpu0, begun(stats));
        } catch (OutOfMemoryError e) {
            return failed(source, "out of memory (give Java a bigger heap, or import with fewer workers)", size, t0,
                    cpu0, begun(stats));
        } finally {
            if (temp != null) {
                FileTrees.deleteTree(temp);
            }
        }
    }

    /** What the writer did, or null when it never started (the input did not open). */
    private static PyramidWriter.Summary begun(PyramidWriter.Stats stats) {
        return stats.plan() == null ? null : stats.summary();
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The progress of the file being imported, published into the job's detail line and active
     * workers: rows read, tiles written, bytes in (the source's share of the rows read) and out,
     * the queue between reader and encoders, the encoders busy and each one's tasks and mean time,
     * and the process's CPU use since the last line. Also trips the stall flag.
     */
    private static final class FileProgress {
        private static final long TICK_MILLIS = 150;
        private final JobContext context;
        private final PyramidWriter.Stats stats;
        private final Path source;
        private final int index;
        private final int count;
        private final long bytes;
        private final int height;
        private long lastCpu = processCpuNanos();
        private long lastWall = System.nanoTime();
        private double cpuPercent;

        FileProgress(JobContext context, PyramidWriter.Stats stats, Path source, int index, int count, long bytes,
                     int height) {
            this.context = context;
            this.stats = stats;
            this.source = source;
            this.index = index;
            this.count = count;
            this.bytes = bytes;
            this.height = height;
        }

        void watch(long stallNanos, AtomicBoolean stalled) {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(TICK_MILLIS);
                    publish();
                    if (stallNanos > 0 && System.nanoTime() - stats.lastProgressNanos() > stallNanos) {
                        stalled.set(true);
                        LOG.log(System.Logger.Level.WARNING, "{0}: no progress for {1} s; cancelled", source,
                                stallNanos / 1_000_000_000L);
                    }
                }
            } catch (InterruptedException e) {
                // the file is done
            }
        }

        synchronized void publish() {
            long cpu = processCpuNanos();
            long wall = System.nanoTime();
            if (cpu >= 0 && wall > lastWall) {
                cpuPercent = 100.0 * (cpu - lastCpu) / (wall - lastWall);
                lastCpu = cpu;
                lastWall = wall;
            }
            PyramidWriter.Summary s = stats.summary();
            long in = height == 0 ? 0 : bytes * stats.rowsRead() / height;
            long saved = in - s.bytesOut();
            StringBuilder perWorker = new StringBuilder();
            for (PyramidWriter.WorkerLoad w : s.workers()) {
                perWorker.append(perWorker.isEmpty() ? "" : ", ")
                        .append(String.format(Locale.ROOT, "%,d @ %.1f ms", w.tasks(), w.meanMillis()));
            }
            int workers = s.plan() == null ? 0 : s.plan().workers();
            int capacity = s.plan() == null ? 0 : s.plan().queuedTiles();
            Progress p = context.progress();
            p.setActiveWorkers(stats.busyWorkers());
            p.setDetail(String.format(Locale.ROOT,
                    "%d/%d %s: rows %,d/%,d, tiles %,d/%,d, in %.1f MB, out %.1f MB (%.1f MB %s), queue %d/%d, "
                            + "encoders %d/%d busy (%s) [%s], CPU %.0f%%",
                    index + 1, count, source.getFileName(), stats.rowsRead(), height, s.tiles(), s.tilesTotal(),
                    in / 1e6, s.bytesOut() / 1e6, Math.abs(saved) / 1e6, saved >= 0 ? "saved" : "added",
                    stats.queued(), capacity, stats.busyWorkers(), workers, s.encoder(), perWorker, cpuPercent));
        }
    }

    /** CPU time of the whole process so far, in nanoseconds, or -1 where the platform does not tell. */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static double cpuSecondsSince(long cpu0) {
        long now = processCpuNanos();
        return cpu0 < 0 || now < 0 ? -1 : (now - cpu0) / 1e9;
    }

    private static ImportReport.FileResult failed(Path source, String why, long size, long t0, long cpu0,
                                                  PyramidWriter.Summary writing) {
        return new ImportReport.FileResult(source, null, ImportReport.Outcome.FAILED, why, size, 0, seconds(t0),
                cpuSecondsSince(cpu0), writing);
    }

    /** The image files of the sources: files as given, folders' images (by extension) sorted by name. */
    static List<Path> expand(List<Path> sources) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path s : sources) {
            if (Files.isDirectory(s)) {
                List<Path> inDir = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(s)) {
                    for (Path p : ds) {
                        if (Files.isRegularFile(p) && isImageName(p)) {
                            inDir.add(p);
                        }
                    }
                }
                inDir.sort(null);
                out.addAll(inDir);
            } else {
                out.add(s);
            }
        }
        return out;
    }

    static boolean isImageName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && (n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png")
                || n.endsWith(".tif") || n.endsWith(".tiff") || n.endsWith(".btf"));
    }

    static String baseName(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static void replace(Path from, Path to) throws IOException {
        if (Files.isDirectory(to)) {
            // an older import of the same name: moved aside first, removed after the swap
            Path old = to.resolveSibling(TEMP_PREFIX + "old-" + to.getFileName() + "-" + System.nanoTime());
            Files.move(to, old);
            move(from, to);
            FileTrees.deleteTree(old);
        } else {
            move(from, to);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static long sizeOf(Path dir, String name, boolean tiff) {
        try {
            if (tiff) {
                return Files.size(dir.resolve(name + ".tif"));
            }
            long[] total = {Files.size(dir.resolve(name + ".dzi"))};
            Files.walkFileTree(dir.resolve(name + "_files"), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }
            });
            return total[0];
        } catch (IOException e) {
            return 0;
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String describe(List<Path> sources) {
        return sources.size() == 1 ? String.valueOf(sources.getFirst().getFileName()) : sources.size() + " sources";
    }
}
