package org.tilescope.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.tilescope.engine.pyramid.generated.Pyramids;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print a slide's format, size, tiling, levels, MPP, magnification and associated images.")
public final class InfoCommand extends SlideCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // the levels a viewer sees: the file's, then those generated where the file stops short
        try (SlideSource src = Pyramids.complete(Slides.open(location()))) {
            SlideInfo info = src.info();
            out.print(json ? toJson(info) : toText(info));
            out.flush();
        }
        return 0;
    }

    static String toJson(SlideInfo info) throws Exception {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode o = m.createObjectNode();
        o.put("path", info.where());
        o.put("format", info.format());
        o.put("width", info.width());
        o.put("height", info.height());
        o.put("tileWidth", info.tileWidth());
        o.put("tileHeight", info.tileHeight());
        o.put("overlap", info.overlap());
        putOptional(o, "mpp", info.mpp());
        putOptional(o, "magnification", info.magnification());
        ArrayNode levels = o.putArray("levels");
        for (LevelInfo l : info.levels()) {
            ObjectNode n = levels.addObject();
            n.put("width", l.width());
            n.put("height", l.height());
            n.put("downsample", l.downsample());
            n.put("cols", l.cols());
            n.put("rows", l.rows());
            n.put("tileWidth", l.tileWidth());
            n.put("tileHeight", l.tileHeight());
            n.put("generated", l.generated());
        }
        ArrayNode assoc = o.putArray("associated");
        info.associated().forEach(assoc::add);
        return m.writeValueAsString(o) + System.lineSeparator();
    }

    private static void putOptional(ObjectNode o, String key, OptionalDouble v) {
        if (v.isPresent()) {
            o.put(key, v.getAsDouble());
        } else {
            o.putNull(key);
        }
    }

    static String toText(SlideInfo info) {
        StringBuilder b = new StringBuilder();
        String nl = System.lineSeparator();
        b.append(String.format(Locale.ROOT, "%-14s %s%n", "File:", info.where()));
        b.append(String.format(Locale.ROOT, "%-14s %s%n", "Format:", info.format()));
        b.append(String.format(Locale.ROOT, "%-14s %d x %d px%n", "Dimensions:", info.width(), info.height()));
        b.append(String.format(Locale.ROOT, "%-14s %d x %d, overlap %d%n", "Tile size:",
                info.tileWidth(), info.tileHeight(), info.overlap()));
        b.append(String.format(Locale.ROOT, "%-14s %s%n", "MPP:",
                info.mpp().isPresent() ? trim(info.mpp().getAsDouble()) + " µm/px" : "unknown"));
        b.append(String.format(Locale.ROOT, "%-14s %s%n", "Magnification:",
                info.magnification().isPresent() ? trim(info.magnification().getAsDouble()) + "x" : "unknown"));
        b.append(String.format(Locale.ROOT, "%-14s %d%n", "Levels:", info.levelCount()));
        b.append(String.format(Locale.ROOT, "  %-5s %-17s %-11s %-9s %s%n", "level", "size", "downsample", "grid", "tile"));
        for (LevelInfo l : info.levels()) {
            b.append(String.format(Locale.ROOT, "  %-5d %-17s %-11s %-9s %s%n", l.index(),
                    l.width() + " x " + l.height(), trim(l.downsample()), l.cols() + " x " + l.rows(),
                    l.tileWidth() + " x " + l.tileHeight() + (l.generated() ? "   generated" : "")));
        }
        b.append(String.format(Locale.ROOT, "%-14s %s", "Associated:",
                info.associated().isEmpty() ? "none" : String.join(", ", info.associated()))).append(nl);
        return b.toString();
    }

    static String trim(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return String.format(Locale.ROOT, "%.6g", d).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
