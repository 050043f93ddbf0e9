package org.tilescope.app.cli;

import org.tilescope.app.render.ImageFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tilescope.engine.pyramid.generated.Pyramids;
import org.tilescope.engine.region.Region;
import org.tilescope.engine.region.RegionReader;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.tilescope.app.render.AnnotationLayer;
import org.tilescope.app.render.LayerStack;
import org.tilescope.app.render.SlideRenderer;
import org.tilescope.app.render.ViewState;

@Command(name = "region", mixinStandardHelpOptions = true,
        description = {"Write a rectangle of a slide to an image file.",
                "X,Y are level-0 pixels and WIDTH,HEIGHT are pixels of LEVEL, as in OpenSlide's read_region.",
                "Outside the slide is white. A damaged tile is filled from a coarser level when one can be read, reported, and the exit code is 1."})
public final class RegionCommand extends SlideCommand implements Callable<Integer> {
    @Option(names = "--level", defaultValue = "0", description = "Level, 0 = full resolution (default ${DEFAULT-VALUE}).")
    int level;
    @Option(names = "--x", required = true, description = "Left edge in level-0 pixels.")
    long x;
    @Option(names = "--y", required = true, description = "Top edge in level-0 pixels.")
    long y;
    @Option(names = "--width", required = true, description = "Width in pixels of the level.")
    int width;
    @Option(names = "--height", required = true, description = "Height in pixels of the level.")
    int height;
    @Option(names = "--out", required = true, description = "Output file, .png or .jpg.")
    Path out;
    @Option(names = "--annotations", arity = "0..1", fallbackValue = "", paramLabel = "F.geojson",
            description = "Draw annotations over the region: the slide's stored ones (or its sidecar), or those of a file.")
    String annotations;

    @Override
    public Integer call() throws Exception {
        ImageFiles.formatOf(out);
        // generated levels too: a region of a single-level slide's overview reads no whole level
        try (SlideSource src = Pyramids.complete(Slides.open(location()))) {
            SlideInfo info = src.info();
            if (level < 0 || level >= info.levelCount()) {
                throw new IllegalArgumentException(slide + ": level " + level + " does not exist (levels 0.."
                        + (info.levelCount() - 1) + ")");
            }
            if (width <= 0 || height <= 0 || (long) width * height > RegionReader.MAX_PIXELS) {
                throw new IllegalArgumentException("--width and --height must be positive and the region at most "
                        + RegionReader.MAX_PIXELS + " pixels");
            }
            // read annotation files first: a bad one is an error before any rendering
            AnnotationLayer drawn = annotations == null ? null : ViewCommand.annotationLayer(location(), localPath(),
                    annotations.isEmpty() ? null : Path.of(annotations));
            Region r = new RegionReader(src).read(level, x, y, width, height);
            if (drawn != null) {
                // the region's top-left is level-0 (x, y), one pixel a level pixel: the view that shows exactly that
                double ds = info.level(level).downsample();
                ViewState view = new ViewState(x + width * ds / 2, y + height * ds / 2, ds, 0, false);
                SlideRenderer.paintLayers(r.image(), info, null, view, new LayerStack().add(drawn));
            }
            ImageFiles.write(r.image(), out);
            return reportFailures(r, spec.commandLine().getErr());
        }
    }

    static int reportFailures(Region r, PrintWriter err) {
        for (String line : r.failureLines()) {
            err.println("tilescope: " + line);
        }
        err.flush();
        return r.failures().isEmpty() ? 0 : 1;
    }
}
