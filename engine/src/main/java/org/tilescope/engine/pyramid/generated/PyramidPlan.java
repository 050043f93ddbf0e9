package org.tilescope.engine.pyramid.generated;

import java.util.ArrayList;
import java.util.List;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideInfo;

/**
 * The levels a slide lacks and how each is made. While the file's coarsest level is more than
 * one tile, levels of twice the downsample are added, with the same tile size, down to one that
 * fits a single tile (QuPath's pyramid-generating server does the same).
 *
 * <p>How a generated level is made: the first ones, up to 8x coarser than the file's coarsest
 * level, straight from that level's tiles, which libjpeg-turbo decodes at 1/2, 1/4 or 1/8 size in
 * the decoder (a 1/8 decode costs a fraction of a full one); the one made with the largest such
 * factor is the <em>hub</em>. Every level beyond the hub is made from the level before it, 2x2 tiles
 * each. So the coarse levels a viewer needs read and decode each file tile once, at 1/8, and never
 * touch the 2x and 4x levels, which are made only where someone looks at them.
 *
 * @param complete   the slide with its generated levels appended
 * @param fileLevels how many levels the file itself has (the first ones)
 * @param steps      for each generated level, in order, what it is made from
 * @param hub        the generated level made straight from the file with the largest factor, or -1
 */
record PyramidPlan(SlideInfo complete, int fileLevels, List<Step> steps, int hub) {

    /** Largest reduction libjpeg-turbo does inside the decoder. */
    static final int MAX_DIRECT_FACTOR = 8;
    /** More levels than any 2^31 px image needs: a guard, not a limit one meets. */
    private static final int MAX_GENERATED_LEVELS = 32;

    /**
     * @param source the level the tiles are made from
     * @param factor how many times coarser than {@code source} (2, 4 or 8)
     */
    record Step(int source, int factor) {
    }

    PyramidPlan {
        steps = List.copyOf(steps);
    }

    boolean generates() {
        return !steps.isEmpty();
    }

    /** How a generated level is made. */
    Step step(int level) {
        return steps.get(level - fileLevels);
    }

    static PyramidPlan of(SlideInfo file) {
        LevelInfo coarsest = file.level(file.levelCount() - 1);
        if (coarsest.cols() <= 1 && coarsest.rows() <= 1) {
            return new PyramidPlan(file, file.levelCount(), List.of(), -1);
        }
        int tw = coarsest.tileWidth();
        int th = coarsest.tileHeight();
        // a child tile reduced by f must land on whole pixels of its parent: f divides the tile size
        int direct = MAX_DIRECT_FACTOR;
        while (direct > 1 && (tw % direct != 0 || th % direct != 0)) {
            direct /= 2;
        }
        List<LevelInfo> levels = new ArrayList<>(file.levels());
        List<Step> steps = new ArrayList<>();
        int hub = -1;
        long factor = 1;
        for (int i = 0; i < MAX_GENERATED_LEVELS; i++) {
            factor *= 2;
            int index = levels.size();
            LevelInfo g = LevelInfo.generatedLevel(index, (int) Math.ceilDiv(coarsest.width(), factor),
                    (int) Math.ceilDiv(coarsest.height(), factor), coarsest.downsample() * factor, tw, th);
            levels.add(g);
            // (an odd tile size still gets its first level from the file: 2x, through a full-size canvas)
            if (factor <= Math.max(direct, 2)) {
                steps.add(new Step(coarsest.index(), (int) factor));
                hub = index;
            } else {
                steps.add(new Step(index - 1, 2));
            }
            if (g.cols() <= 1 && g.rows() <= 1) {
                break;
            }
        }
        SlideInfo complete = new SlideInfo(file.location(), file.format(), file.tileWidth(), file.tileHeight(),
                file.overlap(), levels, file.mpp(), file.magnification(), file.associated());
        return new PyramidPlan(complete, file.levelCount(), steps, hub);
    }
}
