package org.tilescope.app.viewer;

import org.tilescope.app.render.Adjustments;
import org.tilescope.app.render.ImageFiles;
import org.tilescope.app.render.LayerStack;
import org.tilescope.app.render.SlideRenderer;
import org.tilescope.app.render.ViewState;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.file.Path;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.jobs.Job;
import org.tilescope.engine.jobs.JobContext;

/**
 * "Export View as PNG" as a background job: it waits for the view's sharp tiles (counted in the
 * progress panel), paints them, applies the view's adjustments and writes the file atomically.
 * Cancel drops the tiles still queued for it and writes nothing. It runs on the job manager, not
 * on the thread that opens slides, so a long export never holds up opening one.
 */
final class ExportJob extends Job {
    static final String KIND = "export";

    private final TilePipeline pipeline;
    private final SlideHandle slide;
    private final ViewState view;
    private final int width;
    private final int height;
    private final Adjustments adjustments;
    private final LayerStack layers;
    private final Path out;

    ExportJob(TilePipeline pipeline, SlideHandle slide, ViewState view, int width, int height,
              Adjustments adjustments, LayerStack layers, Path out) {
        // before preload (10): the user is waiting for this one
        super("Export " + out.getFileName() + " (" + width + " × " + height + ")", KIND, 1);
        this.pipeline = pipeline;
        this.slide = slide;
        this.view = view;
        this.width = width;
        this.height = height;
        this.adjustments = adjustments;
        this.layers = layers;
        this.out = out;
    }

    @Override
    protected void run(JobContext ctx) throws Exception {
        ImageFiles.formatOf(out); // a bad name fails before any tile is read
        var progress = ctx.progress();
        progress.setDetail("waiting for the tiles of " + slide.info().name());
        BufferedImage img = SlideRenderer.export(pipeline, slide, view, width, height,
                new SlideRenderer.ExportProgress() {
                    @Override
                    public void tilesNeeded(int count) {
                        progress.setTotal(count + 1L, -1); // and one step for the file
                    }

                    @Override
                    public void tileDone() {
                        progress.addDone(1, 0);
                    }

                    @Override
                    public boolean cancelled() {
                        return ctx.isCancelled();
                    }
                });
        ctx.checkCancelled();
        if (!adjustments.isIdentity()) {
            int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
            Adjustments.apply(adjustments.table(), px, 0, px.length);
        }
        SlideRenderer.paintLayers(img, slide, view, layers); // the scale bar and drawn objects, as on screen
        progress.setDetail("writing " + out);
        ImageFiles.write(img, out);
        progress.addDone(1, 0);
        progress.setDetail(out.toString());
    }

    Path out() {
        return out;
    }
}
