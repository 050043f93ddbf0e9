package org.tilescope.app.cli.library;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tilescope.engine.library.Library;
import org.tilescope.engine.library.ScanReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"Add folders to the library and scan them for slides and their notes; with no folder, rescan every folder.",
                "Waits until what was found is tokenized and stored, then prints found, tokenized, skipped (unchanged),",
                "failed (with reasons) and seconds per stage."})
public final class ScanCommand extends LibraryCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", arity = "0..*", description = "Folders to add and scan.")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--json", description = "Print JSON: slides, tokenized, skipped, failed, failures [{path, reason}], seconds {scan, tokenize, merge, persist}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                throw new IllegalArgumentException(d + ": " + (Files.exists(d) ? "not a folder" : "no such folder"));
            }
        }
        ScanReport r;
        try (Library lib = openLibrary()) {
            if (dirs.isEmpty() && lib.roots().isEmpty()) {
                throw new IllegalArgumentException("the library has no folders yet: tilescope scan DIR");
            }
            r = lib.scan(dirs, null).report().get();
        }
        PrintWriter out = out();
        if (json) {
            out.println(JSON.writeValueAsString(toJson(r)));
        } else {
            out.print(toText(r));
        }
        out.flush();
        return 0;
    }

    static ObjectNode toJson(ScanReport r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("slides", r.slides());
        o.put("tokenized", r.tokenized());
        o.put("skipped", r.skipped());
        o.put("failed", r.failed());
        ArrayNode failures = o.putArray("failures");
        for (ScanReport.Failure f : r.failures()) {
            failures.addObject().put("path", f.path().toString()).put("reason", f.reason());
        }
        ObjectNode s = o.putObject("seconds");
        s.put("scan", round(r.seconds().scan()));
        s.put("tokenize", round(r.seconds().tokenize()));
        s.put("merge", round(r.seconds().merge()));
        s.put("persist", round(r.seconds().persist()));
        return o;
    }

    static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    static String toText(ScanReport r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%,d slides: %,d tokenized, %,d skipped (unchanged), %,d failed%s%s%n",
                r.slides(), r.tokenized(), r.skipped(), r.failed(),
                r.removed() > 0 ? String.format(Locale.ROOT, ", %,d gone since the last scan", r.removed()) : "",
                r.cancelled() ? " (cancelled)" : ""));
        if (!r.failures().isEmpty()) {
            b.append("Failed:\n");
            for (ScanReport.Failure f : r.failures()) {
                b.append("  ").append(f.path()).append(": ").append(f.reason()).append('\n');
            }
        }
        if (!r.warnings().isEmpty()) {
            b.append("Warnings:\n");
            for (String w : r.warnings()) {
                b.append("  ").append(w).append('\n');
            }
        }
        b.append(String.format(Locale.ROOT, "Seconds: scan %.2f, tokenize %.2f, merge %.2f, persist %.2f%n",
                r.seconds().scan(), r.seconds().tokenize(), r.seconds().merge(), r.seconds().persist()));
        return b.toString();
    }
}
