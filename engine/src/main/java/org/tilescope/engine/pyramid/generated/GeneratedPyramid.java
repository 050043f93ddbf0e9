package org.tilescope.engine.pyramid.generated;

import java.io.IOException;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;

/**
 * A slide with its missing coarse levels: the file's own levels read as they are, the generated
 * ones (marked {@link org.tilescope.engine.slide.LevelInfo#generated()}) made tile by tile by a
 * {@link TileGenerator}. Their tiles are JPEGs, so everything downstream (caches, decoders,
 * region reader, painter) treats them like the file's.
 */
final class GeneratedPyramid implements SlideSource {
    private final SlideSource file;
    private final PyramidPlan plan;
    private final TileGenerator generator;

    GeneratedPyramid(SlideSource file, PyramidPlan plan, TileGenerator generator) {
        this.file = file;
        this.plan = plan;
        this.generator = generator;
    }

    @Override
    public SlideInfo info() {
        return plan.complete();
    }

    @Override
    public byte[] readTile(int level, int col, int row) throws IOException {
        if (level < plan.fileLevels()) {
            return file.readTile(level, col, row);
        }
        info().level(level).requireTile(col, row);
        return generator.encoded(level, col, row);
    }

    @Override
    public int[] tileOrigin(int level, int col, int row) {
        if (level < plan.fileLevels()) {
            return file.tileOrigin(level, col, row);
        }
        var l = info().level(level);
        return new int[] {col * l.tileWidth(), row * l.tileHeight()}; // made without overlap
    }

    @Override
    public byte[] readAssociated(String name) throws IOException {
        return file.readAssociated(name);
    }

    @Override
    public String identity() {
        return file.identity();
    }

    @Override
    public boolean changedOnDisk() {
        return file.changedOnDisk();
    }

    @Override
    public void releaseHandles() {
        file.releaseHandles();
    }

    PyramidProgress progress() {
        return generator.progress();
    }

    @Override
    public void close() throws IOException {
        generator.close();
        file.close();
    }
}
