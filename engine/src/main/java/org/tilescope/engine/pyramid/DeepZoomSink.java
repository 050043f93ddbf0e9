package org.tilescope.engine.pyramid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** Writes a Deep Zoom pyramid, {@code NAME.dzi} + {@code NAME_files/LEVEL/COL_ROW.jpeg}, into a folder. */
final class DeepZoomSink implements TileSink {
    private final PyramidGeometry g;
    private final Path dir;
    private final String name;
    private final Path files;
    private final AtomicLong written = new AtomicLong();

    DeepZoomSink(PyramidGeometry g, Path dir, String name) throws IOException {
        this.g = g;
        this.dir = dir;
        this.name = name;
        this.files = dir.resolve(name + "_files");
        for (int level = 0; level < g.levels(); level++) {
            Files.createDirectories(files.resolve(Integer.toString(g.folder(level))));
        }
    }

    @Override
    public void put(int level, int col, int row, byte[] encoded) throws IOException {
        Files.write(files.resolve(Integer.toString(g.folder(level))).resolve(col + "_" + row + ".jpeg"), encoded);
        written.addAndGet(encoded.length);
    }

    @Override
    public void finish() throws IOException {
        String dzi = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<Image xmlns=\"http://schemas.microsoft.com/deepzoom/2008\" Format=\"jpeg\" Overlap=\""
                + g.overlap() + "\" TileSize=\"" + g.tileSize() + "\">\n"
                + "  <Size Width=\"" + g.width() + "\" Height=\"" + g.height() + "\"/>\n"
                + "</Image>\n";
        byte[] b = dzi.getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve(name + ".dzi"), b);
        written.addAndGet(b.length);
    }

    @Override
    public long bytesWritten() {
        return written.get();
    }

    @Override
    public void close() {
        // every tile is its own file, already closed
    }
}
