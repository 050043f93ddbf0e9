package org.tilescope.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.tilescope.app.annotate.Measures;
import org.tilescope.engine.annotation.Annotation;
import org.tilescope.engine.annotation.AnnotationSet;
import org.tilescope.engine.annotation.AnnotationStore;
import org.tilescope.engine.annotation.GeoJsonReader;
import org.tilescope.engine.annotation.GeoJsonWriter;
import org.tilescope.engine.slide.ContentFingerprint;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "annotations", mixinStandardHelpOptions = true,
        description = {"List a slide's annotations, or import or export them as GeoJSON (QuPath's format).",
                "They are stored per slide in the data folder ($TILESCOPE_DATA, else $XDG_DATA_HOME/tilescope, else "
                        + "~/.local/share/tilescope), keyed by the slide's content, never beside the slide; a NAME.geojson "
                        + "beside it is the starting set."})
public final class AnnotationsCommand extends SlideCommand implements Callable<Integer> {
    @Option(names = "--json", description = "List as JSON.")
    boolean json;
    @Option(names = "--import", paramLabel = "FILE", description = "Add the annotations of a GeoJSON file (all or nothing).")
    Path importFile;
    @Option(names = "--replace", description = "With --import: replace the slide's annotations instead of adding.")
    boolean replace;
    @Option(names = "--export", paramLabel = "FILE", description = "Write the slide's annotations to a GeoJSON file.")
    Path exportFile;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (replace && importFile == null) {
            throw new IllegalArgumentException("--replace goes with --import FILE");
        }
        ContentFingerprint fp;
        OptionalDouble mpp;
        String name;
        try (SlideSource src = Slides.open(location())) {
            fp = ContentFingerprint.of(src);
            mpp = src.info().mpp();
            name = src.info().name();
        }
        AnnotationStore store = AnnotationStore.openDefault();
        AnnotationStore.Loaded loaded = store.load(fp, localPath());
        AnnotationSet set = new AnnotationSet(loaded.annotations());
        if (importFile != null) {
            List<Annotation> read = GeoJsonReader.read(importFile);
            List<Annotation> incoming = set.withFreshIds(read);
            List<Annotation> next = new ArrayList<>(replace ? List.of() : set.all());
            next.addAll(incoming);
            store.save(fp, name, next);
            set.load(next);
            out.printf(Locale.ROOT, "Imported %d annotation(s) from %s; %s now has %d (%s)%n", incoming.size(), importFile,
                    name, next.size(), store.file(fp));
        }
        if (exportFile != null) {
            Path abs = exportFile.toAbsolutePath();
            Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
            try {
                try (OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(tmp))) {
                    GeoJsonWriter.write(o, set.all());
                }
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            out.printf(Locale.ROOT, "Exported %d annotation(s) to %s%n", set.size(), exportFile);
        }
        if (importFile == null && exportFile == null) {
            out.print(json ? toJson(set.all(), mpp) : toText(set.all(), mpp, loaded));
        }
        out.flush();
        return 0;
    }

    static String toText(List<Annotation> all, OptionalDouble mpp, AnnotationStore.Loaded loaded) {
        StringBuilder b = new StringBuilder();
        b.append(all.size()).append(all.size() == 1 ? " annotation" : " annotations");
        if (!loaded.files().isEmpty()) {
            b.append(loaded.origin() == AnnotationStore.Origin.SIDECAR ? " (from " : " (in ")
                    .append(loaded.files().getFirst()).append(')');
        }
        b.append('\n');
        for (Annotation a : all) {
            b.append(String.format(Locale.ROOT, "%-8s %-10s %-11s %-16s %-24s", a.id().length() > 8 ? a.id().substring(0, 8) : a.id(),
                    a.objectType(), a.shape().name().toLowerCase(Locale.ROOT),
                    a.classification() == null ? "-" : a.classification().name(), a.name() == null ? "-" : a.name()));
            if (a.isArea()) {
                b.append(" area ").append(Measures.area(a.area(), mpp));
            } else if (a.shape() == Annotation.Shape.LINE) {
                b.append(" length ").append(Measures.length(a.length(), mpp));
            } else {
                b.append(" ").append(a.geometry().getNumPoints()).append(" point(s)");
            }
            if (a.locked()) {
                b.append("  locked");
            }
            b.append('\n');
        }
        return b.toString();
    }

    static String toJson(List<Annotation> all, OptionalDouble mpp) throws Exception {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode arr = m.createArrayNode();
        for (Annotation a : all) {
            ObjectNode o = arr.addObject();
            o.put("id", a.id());
            o.put("objectType", a.objectType());
            o.put("shape", a.shape().name().toLowerCase(Locale.ROOT));
            o.put("name", a.name());
            o.put("class", a.classification() == null ? null : a.classification().name());
            o.put("locked", a.locked());
            o.put("vertices", a.geometry().getNumPoints());
            o.put("areaPx", a.area());
            o.put("lengthPx", a.length());
            if (mpp.isPresent()) {
                o.put("areaUm2", a.area() * mpp.getAsDouble() * mpp.getAsDouble());
                o.put("lengthUm", a.length() * mpp.getAsDouble());
            }
            var env = a.geometry().getEnvelopeInternal();
            o.putArray("bounds").add(env.getMinX()).add(env.getMinY()).add(env.getMaxX()).add(env.getMaxY());
        }
        return m.writeValueAsString(arr) + "\n";
    }
}
