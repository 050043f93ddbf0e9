package org.tilescope.app.cli;

import org.tilescope.app.render.ImageFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tilescope.app.render.AnnotationLayer;
import org.tilescope.app.render.LayerStack;
import org.tilescope.app.render.OverviewLayer;
import org.tilescope.app.render.ScaleBarLayer;
import org.tilescope.app.render.SlideRenderer;
import org.tilescope.app.render.ViewState;
import org.tilescope.engine.cache.CacheSizes;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.annotation.AnnotationSet;
import org.tilescope.engine.annotation.AnnotationStore;
import org.tilescope.engine.annotation.GeoJsonReader;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.slide.ContentFingerprint;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "view", mixinStandardHelpOptions = true,
        description = {"Render a view of a slide offscreen, with the viewer's own painting code, to a PNG.",
                "X,Y (level-0 pixels) is the centre; Z is screen pixels per level-0 pixel (1 = 1:1, 0.25 = a quarter).",
                "The export waits for sharp tiles; at zoom 1 it gives the same pixels as 'region' at level 0."})
public final class ViewCommand extends SlideCommand implements Callable<Integer> {
    @Option(names = "--center", required = true, paramLabel = "X,Y", description = "Centre in level-0 pixels.")
    String center;
    @Option(names = "--zoom", defaultValue = "1", paramLabel = "Z", description = "Screen px per level-0 px (default 1).")
    double zoom;
    @Option(names = "--size", defaultValue = "1920x1080", paramLabel = "WxH", description = "Image size (default ${DEFAULT-VALUE}).")
    String size;
    @Option(names = "--out", required = true, description = "Output .png file.")
    Path out;
    @Option(names = "--layers", split = ",", paramLabel = "LAYER",
            description = "Layers drawn over the view, as the viewer draws them: scale-bar, overview, annotations "
                    + "(the slide's stored ones, else its NAME.geojson) (default: none, so zoom 1 gives exactly the "
                    + "pixels of region).")
    List<String> layerNames = List.of();
    @Option(names = "--annotations", paramLabel = "FILE",
            description = "Draw the annotations of this GeoJSON file (QuPath's format) over the view.")
    Path annotationFile;

    @Override
    public Integer call() throws Exception {
        if (!out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            throw new IllegalArgumentException(out + ": the view is written as .png");
        }
        String[] c = center.split(",");
        String[] s = size.toLowerCase(java.util.Locale.ROOT).split("x");
        if (c.length != 2 || s.length != 2) {
            throw new IllegalArgumentException("--center is X,Y and --size is WxH, e.g. --center 5000,4000 --size 1920x1080");
        }
        double cx = Double.parseDouble(c[0].trim());
        double cy = Double.parseDouble(c[1].trim());
        int w = Integer.parseInt(s[0].trim());
        int h = Integer.parseInt(s[1].trim());
        if (w <= 0 || h <= 0 || (long) w * h > 1L << 27) {
            throw new IllegalArgumentException("--size must be positive and at most 128 megapixels");
        }
        if (!(zoom > 0) || zoom > 64) {
            throw new IllegalArgumentException("--zoom must be above 0 and at most 64");
        }
        // read annotation files first: a bad one is an error before any rendering
        LayerStack stack = layers(layerNames, location(), localPath(), annotationFile);
        try (TilePipeline pipeline = new TilePipeline(CacheSizes.fromEnvironment(), TileDecoder.standard(),
                Runtime.getRuntime().availableProcessors(), 8, 8)) {
            SlideHandle h0 = pipeline.open(location());
            ViewState view = SlideRenderer.viewAt(cx, cy, zoom, w, h);
            BufferedImage img = SlideRenderer.export(pipeline, h0, view, w, h);
            if (!stack.layers().isEmpty()) {
                SlideRenderer.paintLayers(img, h0, view, stack);
            }
            ImageFiles.write(img, out);
            long failed = pipeline.stats().failedTiles();
            if (failed > 0) {
                spec.commandLine().getErr().println("tilescope: " + slide + ": " + failed
                        + " tile(s) could not be read; painted from the nearest level that could be");
                return 1;
            }
        }
        return 0;
    }

    private static LayerStack layers(List<String> names, java.net.URI location, Path slide, Path annotationFile)
            throws Exception {
        LayerStack stack = new LayerStack();
        boolean annotations = false;
        for (String n : names) {
            switch (n.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "scale-bar", "scalebar" -> stack.add(new ScaleBarLayer());
                case "overview" -> stack.add(new OverviewLayer());
                case "annotations" -> annotations = true;
                default -> throw new IllegalArgumentException("--layers: unknown layer '" + n
                        + "' (scale-bar, overview, annotations)");
            }
        }
        if (annotationFile != null || annotations) {
            stack.add(annotationLayer(location, slide, annotationFile));
        }
        return stack;
    }

    /**
     * The annotations to draw over a slide: those of a GeoJSON file when one is given, else the
     * ones stored for the slide (by its content fingerprint), else its sidecar. Read before any
     * rendering, so a bad file is an error first.
     */
    static AnnotationLayer annotationLayer(java.net.URI location, Path slide, Path annotationFile) throws Exception {
        if (annotationFile != null) {
            return new AnnotationLayer(new AnnotationSet(GeoJsonReader.read(annotationFile)));
        }
        ContentFingerprint fp;
        try (SlideSource src = Slides.open(location)) {
            fp = ContentFingerprint.of(src);
        }
        return new AnnotationLayer(new AnnotationSet(AnnotationStore.openDefault().load(fp, slide).annotations()));
    }
}
