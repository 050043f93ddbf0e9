package org.tilescope.engine.pyramid;

import java.io.IOException;

/**
 * One level of a pyramid being written, fed one row at a time, top to bottom. It keeps only the
 * band of rows its current tile row needs (tile size plus overlap on both sides), hands each
 * finished tile to the writer, and passes every pair of rows, averaged 2x2, to the next level.
 * The whole pyramid therefore holds about two tile rows of level 0, whatever the image's size.
 */
final class LevelBuilder {
    /** Receives the pixels of each finished tile (0xRRGGBB, {@code w} a row); may keep the array. */
    interface TileOut {
        void tile(int level, int col, int row, int[] pixels, int w, int h) throws IOException;
    }

    private final PyramidGeometry g;
    private final int level;
    private final int width;
    private final int height;
    private final LevelBuilder next;
    private final TileOut out;
    private final int[] band;
    private int bandStart;
    private int rowsIn;
    private int tileRow;
    private final int[] pending;
    private boolean hasPending;
    private final int[] reduced;

    LevelBuilder(PyramidGeometry g, int level, int lastLevel, TileOut out) {
        this.g = g;
        this.level = level;
        this.width = g.levelWidth(level);
        this.height = g.levelHeight(level);
        this.out = out;
        this.band = new int[Math.multiplyExact(g.tileSize() + 2 * g.overlap(), width)];
        this.next = level < lastLevel ? new LevelBuilder(g, level + 1, lastLevel, out) : null;
        this.pending = next == null ? null : new int[width];
        this.reduced = next == null ? null : new int[g.levelWidth(level + 1)];
    }

    /** Takes row {@link #rowsIn} of this level from {@code src[off .. off + width)}. */
    void accept(int[] src, int off) throws IOException {
        int y = rowsIn++;
        if (y >= height) {
            throw new IllegalStateException("level " + level + " has only " + height + " rows");
        }
        System.arraycopy(src, off, band, (y - bandStart) * width, width);
        if (y == g.tileEnd(tileRow, height) - 1) {
            emitTileRow();
        }
        if (next != null) {
            if ((y & 1) == 0) {
                System.arraycopy(src, off, pending, 0, width);
                hasPending = true;
            } else {
                reduce(pending, src, off);
                hasPending = false;
                next.accept(reduced, 0);
            }
        }
    }

    /** Ends the level after its last row: an odd last row is halved on its own, then the next level ends. */
    void finish() throws IOException {
        if (rowsIn != height) {
            throw new IllegalStateException("level " + level + " got " + rowsIn + " of " + height + " rows");
        }
        if (next != null) {
            if (hasPending) {
                reduce(pending, pending, 0);
                next.accept(reduced, 0);
            }
            next.finish();
        }
    }

    private void emitTileRow() throws IOException {
        int y0 = g.tileStart(tileRow);
        int y1 = g.tileEnd(tileRow, height);
        int th = y1 - y0;
        int cols = g.cols(level);
        for (int c = 0; c < cols; c++) {
            int x0 = g.tileStart(c);
            int tw = g.tileEnd(c, width) - x0;
            int[] px = new int[tw * th];
            for (int y = 0; y < th; y++) {
                System.arraycopy(band, (y0 + y - bandStart) * width + x0, px, y * tw, tw);
            }
            out.tile(level, c, tileRow, px, tw, th);
        }
        tileRow++;
        if (tileRow < g.rows(level)) {
            // keep the rows the next tile row repeats as its top overlap
            int start = g.tileStart(tileRow);
            System.arraycopy(band, (start - bandStart) * width, band, 0, (y1 - start) * width);
            bandStart = start;
        }
    }

    /** 2x2 box average of two rows into {@link #reduced}; an odd last column averages with itself. */
    private void reduce(int[] a, int[] b, int bOff) {
        reduceRows(a, b, bOff, width, reduced);
    }

    /**
     * Each pixel of {@code out} the rounded mean of a 2x2 block of rows {@code a} (from 0) and
     * {@code b} (from {@code bOff}), {@code width} pixels wide; an odd last column averages with
     * itself. Red and blue are summed side by side in one int (each sum of four fits in 10 bits,
     * 16 apart), green on its own: the same result as channel by channel, (sum + 2) / 4, with half
     * the work, which matters because every pixel of every level passes here once.
     */
    static void reduceRows(int[] a, int[] b, int bOff, int width, int[] out) {
        int pairs = width / 2;
        for (int x = 0; x < pairs; x++) {
            int x0 = 2 * x;
            out[x] = mean(a[x0], a[x0 + 1], b[bOff + x0], b[bOff + x0 + 1]);
        }
        if ((width & 1) != 0) {
            out[pairs] = mean(a[width - 1], a[width - 1], b[bOff + width - 1], b[bOff + width - 1]);
        }
    }

    private static int mean(int p, int q, int r, int s) {
        int redBlue = (p & 0xFF00FF) + (q & 0xFF00FF) + (r & 0xFF00FF) + (s & 0xFF00FF) + 0x020002;
        int green = (p & 0xFF00) + (q & 0xFF00) + (r & 0xFF00) + (s & 0xFF00) + 0x200;
        return ((redBlue >>> 2) & 0xFF00FF) | ((green >>> 2) & 0xFF00);
    }
}
