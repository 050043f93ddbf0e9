package org.tilescope.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tilescope.engine.importing.ImportJob;
import org.tilescope.engine.importing.ImportReport;
import org.tilescope.engine.importing.ImportRequest;
import org.tilescope.engine.jobs.JobManager;
import org.tilescope.engine.jobs.JobSnapshot;
import org.tilescope.engine.pyramid.EncoderPool;
import org.tilescope.engine.pyramid.PyramidWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Turn big plain images (JPEG, PNG, TIFF in strips) into tiled pyramids that pan smoothly.")
public final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(arity = "1..*", paramLabel = "SRC", description = "Image files, or folders of them.")
    List<Path> sources;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the pyramids go.")
    Path out;
    @Option(names = "--format", defaultValue = "dzi", paramLabel = "dzi|tiff",
            description = "Deep Zoom (default) or pyramidal tiled TIFF.")
    String format;
    @Option(names = "--tile", paramLabel = "PX", description = "Tile size (default 254 for Deep Zoom, 256 for TIFF).")
    Integer tile;
    @Option(names = "--overlap", paramLabel = "PX", description = "Deep Zoom overlap (default 1; TIFF has none).")
    Integer overlap;
    @Option(names = "--quality", defaultValue = "80", description = "JPEG quality 1-100 (default ${DEFAULT-VALUE}).")
    int quality;
    @Option(names = "--workers", paramLabel = "N", description = "The most encoder threads (default: one per core); fewer when the heap cannot hold their tiles.")
    Integer workers;
    @Option(names = "--force", description = "Import again even when done before and the source is unchanged.")
    boolean force;
    @Option(names = "--stall-timeout", defaultValue = "120", paramLabel = "S",
            description = "Give up on a file that makes no progress this many seconds (default ${DEFAULT-VALUE}).")
    int stallSeconds;
    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PyramidWriter.Format f = switch (format.toLowerCase(Locale.ROOT)) {
            case "dzi", "deepzoom" -> PyramidWriter.Format.DEEPZOOM;
            case "tif", "tiff" -> PyramidWriter.Format.TIFF;
            default -> throw new IllegalArgumentException("--format is dzi or tiff, not '" + format + "'");
        };
        boolean tiff = f == PyramidWriter.Format.TIFF;
        int cores = Runtime.getRuntime().availableProcessors();
        var options = new PyramidWriter.Options(f, tile != null ? tile : tiff ? 256 : 254,
                overlap != null ? overlap : tiff ? 0 : 1, quality, workers != null ? workers : cores);
        ImportRequest req = new ImportRequest(sources, out, options, force, Duration.ofSeconds(stallSeconds));
        PrintWriter err = spec.commandLine().getErr();
        ImportJob job = new ImportJob(req);
        boolean terminal = System.console() != null && !json;
        try (JobManager jobs = new JobManager(1)) {
            if (terminal) {
                jobs.addListener(snapshot -> progressLine(snapshot, err));
            }
            var handle = jobs.submit(job);
            handle.done().join();
        }
        if (terminal) {
            err.print("\r\033[K");
            err.flush();
        }
        ImportReport r = job.report();
        if (r == null) {
            throw new IllegalStateException("the import stopped before it began");
        }
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            o.println(json(r));
        } else {
            for (ImportReport.FileResult fr : r.files()) {
                if (fr.outcome() == ImportReport.Outcome.FAILED) {
                    err.println("tilescope: " + fr.source() + ": " + fr.reason());
                }
            }
            o.printf(Locale.ROOT, "%d files: %d imported, %d skipped, %d failed; %s in, %s out, %s %s; %.1f s, CPU %s%n",
                    r.files().size(), r.count(ImportReport.Outcome.IMPORTED), r.count(ImportReport.Outcome.SKIPPED),
                    r.count(ImportReport.Outcome.FAILED), mb(r.bytesIn()), mb(r.bytesOut()),
                    mb(Math.abs(r.bytesSaved())), r.bytesSaved() >= 0 ? "saved" : "added", r.seconds(),
                    r.cpuSeconds() < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f s", r.cpuSeconds()));
        }
        return r.count(ImportReport.Outcome.FAILED) > 0 ? 1 : 0;
    }

    private static void progressLine(JobSnapshot s, PrintWriter err) {
        if ("import".equals(s.kind())) {
            err.print("\r\033[K" + s.detail());
            err.flush();
        }
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    static String json(ImportReport r) throws Exception {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode o = m.createObjectNode();
        o.put("files", r.files().size());
        o.put("imported", r.count(ImportReport.Outcome.IMPORTED));
        o.put("skipped", r.count(ImportReport.Outcome.SKIPPED));
        o.put("failed", r.count(ImportReport.Outcome.FAILED));
        o.put("bytesIn", r.bytesIn());
        o.put("bytesOut", r.bytesOut());
        o.put("bytesSaved", r.bytesSaved());
        o.put("seconds", r.seconds());
        putCpu(o, r.cpuSeconds());
        ArrayNode results = o.putArray("results");
        for (ImportReport.FileResult fr : r.files()) {
            ObjectNode e = results.addObject();
            e.put("source", fr.source().toString());
            e.put("output", fr.output() == null ? null : fr.output().toString());
            e.put("outcome", fr.outcome().name().toLowerCase(Locale.ROOT));
            e.put("reason", fr.reason());
            e.put("bytesIn", fr.bytesIn());
            e.put("bytesOut", fr.bytesOut());
            e.put("bytesSaved", fr.bytesSaved());
            e.put("seconds", fr.seconds());
            putCpu(e, fr.cpuSeconds());
            if (fr.writing() != null) {
                writing(e.putObject("writing"), fr.writing());
            }
        }
        return m.writeValueAsString(o);
    }

    private static void putCpu(ObjectNode o, double cpuSeconds) {
        if (cpuSeconds < 0) {
            o.putNull("cpuSeconds");
        } else {
            o.put("cpuSeconds", cpuSeconds);
        }
    }

    /** The writer's figures: encoder, pool and why, queue, per-worker tasks and mean time, stage times. */
    private static void writing(ObjectNode w, PyramidWriter.Summary s) {
        w.put("encoder", s.encoder());
        w.put("tiles", s.tiles());
        w.put("tilesTotal", s.tilesTotal());
        w.put("pixelBytes", s.pixelBytes());
        w.put("tileBytes", s.bytesOut());
        EncoderPool.Plan plan = s.plan();
        ObjectNode pool = w.putObject("pool");
        pool.put("workers", plan.workers());
        pool.put("limitedBy", plan.limitedBy());
        pool.put("queueCapacity", plan.queuedTiles());
        pool.put("peakQueue", s.peakQueued());
        pool.put("heapBytes", plan.heapBytes());
        pool.put("bandBytes", plan.bandBytes());
        ArrayNode workers = w.putArray("workers");
        for (PyramidWriter.WorkerLoad load : s.workers()) {
            ObjectNode n = workers.addObject();
            n.put("tasks", load.tasks());
            n.put("meanMillis", load.meanMillis());
        }
        ObjectNode stages = w.putObject("stageSeconds");
        stages.put("read", s.readSeconds());
        stages.put("reduceAndCut", s.buildSeconds());
        stages.put("waitForEncoders", s.waitSeconds());
        stages.put("encode", s.encodeSeconds());
        stages.put("store", s.storeSeconds());
        ObjectNode cpu = w.putObject("cpuSeconds");
        cpu.put("writerThread", s.writerCpuSeconds());
        cpu.put("encoderThreads", s.encoderCpuSeconds());
    }
}
