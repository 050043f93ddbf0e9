package org.tilescope.engine.pyramid.generated;

import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.decode.TileEncoder;
import org.tilescope.engine.slide.SlideSource;

/**
 * Every slide gets a full pyramid: where a file's coarsest level is more than one tile (a scanner's
 * single-level TIFF, a pyramid cut short), {@link #complete} adds coarser levels made from finer
 * tiles, tile by tile, so that paint, thumbnails and regions never need a whole big level at once.
 * See {@link PyramidPlan} for how the levels are made.
 */
public final class Pyramids {
    private Pyramids() {
    }

    /**
     * The slide with generated levels appended, or {@code file} itself when its pyramid already
     * ends in a single tile. Closing the result closes {@code file}.
     *
     * @param store where finer tiles are looked for and what is read and made is kept (the tile
     *              pipeline's caches)
     * @param cpu   runs decoding, reducing and encoding; its tasks never wait on anything
     */
    public static SlideSource complete(SlideSource file, TileDecoder decoder, TileEncoder encoder,
                                       TileStore store, Executor cpu) {
        if (file instanceof GeneratedPyramid) {
            return file;
        }
        PyramidPlan plan = PyramidPlan.of(file.info());
        if (!plan.generates()) {
            return file;
        }
        return new GeneratedPyramid(file, plan, new TileGenerator(file, plan, decoder, encoder, store, cpu));
    }

    /**
     * The slide with generated levels, for one-off work outside the tile pipeline (the command
     * line, navigator thumbnails): the standard codecs, nothing kept between tiles, a shared pool
     * of one thread per core.
     */
    public static SlideSource complete(SlideSource file) {
        return complete(file, TileDecoder.standard());
    }

    /** As {@link #complete(SlideSource)}, decoding with the given decoder. */
    public static SlideSource complete(SlideSource file, TileDecoder decoder) {
        return complete(file, decoder, TileEncoder.standard(), TileStore.NONE, SharedPool.POOL);
    }

    /** How far a slide's generated levels are, or empty when it has none. */
    public static Optional<PyramidProgress> progress(SlideSource slide) {
        return slide instanceof GeneratedPyramid g ? Optional.of(g.progress()) : Optional.empty();
    }

    private static final class SharedPool {
        static final ThreadPoolExecutor POOL = create();

        private static ThreadPoolExecutor create() {
            int n = Runtime.getRuntime().availableProcessors();
            ThreadPoolExecutor e = new ThreadPoolExecutor(n, n, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    Thread.ofPlatform().name("tilescope-pyramid-", 0).daemon(true).factory());
            e.allowCoreThreadTimeOut(true);
            return e;
        }
    }
}
