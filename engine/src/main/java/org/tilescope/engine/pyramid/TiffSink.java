package org.tilescope.engine.pyramid;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a pyramidal tiled TIFF: JPEG tiles (YCbCr, each a whole JPEG stream), one IFD a level,
 * full resolution first, as libvips' {@code tiffsave --tile --pyramid} lays it out. Tiles are
 * appended as the encoders finish them; the IFDs go at the end, when every offset is known, and
 * only then is it decided whether the file needs BigTIFF (over 4 GB) or fits classic TIFF.
 */
final class TiffSink implements TileSink {
    /** Room kept for either header: classic TIFF needs 8 bytes, BigTIFF 16. */
    private static final int HEADER = 16;
    private static final int SHORT = 3;
    private static final int LONG = 4;
    private static final int LONG8 = 16;

    private final PyramidGeometry g;
    private final int levels;
    private final FileChannel out;
    private final long[][] offsets;
    private final long[][] counts;
    private long end = HEADER;

    TiffSink(PyramidGeometry g, int levels, Path file) throws IOException {
        this.g = g;
        this.levels = levels;
        this.out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.offsets = new long[levels][];
        this.counts = new long[levels][];
        for (int l = 0; l < levels; l++) {
            offsets[l] = new long[g.cols(l) * g.rows(l)];
            counts[l] = new long[offsets[l].length];
        }
    }

    @Override
    public void put(int level, int col, int row, byte[] encoded) throws IOException {
        long at;
        synchronized (this) {
            at = end;
            end += encoded.length + (encoded.length & 1); // tiles start on a word boundary
        }
        ByteBuffer b = ByteBuffer.wrap(encoded);
        while (b.hasRemaining()) {
            at += out.write(b, at);
        }
        int i = row * g.cols(level) + col;
        synchronized (this) {
            offsets[level][i] = at - encoded.length;
            counts[level][i] = encoded.length;
        }
    }

    @Override
    public synchronized void finish() throws IOException {
        // a classic IFD block per level is at most this big; BigTIFF's offsets are twice as wide
        long ifdBytes = 0;
        for (int l = 0; l < levels; l++) {
            ifdBytes += 16 * 20L + 16 + 8 + 16L * offsets[l].length * 2;
        }
        boolean big = end + ifdBytes >= (1L << 32);
        long firstIfd = end;
        long pos = end;
        List<ByteBuffer> blocks = new ArrayList<>();
        for (int l = 0; l < levels; l++) {
            ByteBuffer ifd = ifd(l, pos, big, l + 1 < levels);
            blocks.add(ifd);
            pos += ifd.remaining();
        }
        long at = firstIfd;
        for (ByteBuffer b : blocks) {
            while (b.hasRemaining()) {
                at += out.write(b, at);
            }
        }
        ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        h.put((byte) 'I').put((byte) 'I');
        if (big) {
            h.putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(firstIfd);
        } else {
            h.putShort((short) 42).putInt((int) firstIfd).putLong(0);
        }
        h.flip();
        long hp = 0;
        while (h.hasRemaining()) {
            hp += out.write(h, hp);
        }
        out.force(true);
    }

    /** One level's IFD at {@code at}, its out-of-line values right after it, and the next IFD after those. */
    private ByteBuffer ifd(int level, long at, boolean big, boolean more) {
        long[] off = offsets[level];
        long[] cnt = counts[level];
        int n = off.length;
        int entrySize = big ? 20 : 12;
        int inline = big ? 8 : 4;
        int offWidth = big ? 8 : 4;
        List<long[]> entries = new ArrayList<>(); // tag, type, count, value or -1 for out-of-line
        entries.add(new long[] {254, LONG, 1, level == 0 ? 0 : 1});
        entries.add(new long[] {256, LONG, 1, g.levelWidth(level)});
        entries.add(new long[] {257, LONG, 1, g.levelHeight(level)});
        entries.add(new long[] {258, SHORT, 3, -1});
        entries.add(new long[] {259, SHORT, 1, 7});
        entries.add(new long[] {262, SHORT, 1, 6});
        entries.add(new long[] {277, SHORT, 1, 3});
        entries.add(new long[] {284, SHORT, 1, 1});
        entries.add(new long[] {322, LONG, 1, g.tileSize()});
        entries.add(new long[] {323, LONG, 1, g.tileSize()});
        entries.add(new long[] {324, big ? LONG8 : LONG, n, -1});
        entries.add(new long[] {325, big ? LONG8 : LONG, n, -1});
        entries.add(new long[] {530, SHORT, 2, -2});
        int headerSize = (big ? 8 : 2) + entries.size() * entrySize + offWidth;
        long bpsAt = at + headerSize;
        long offAt = bpsAt + 6 + 2; // three shorts, padded to a word
        long cntAt = offAt + (long) n * offWidth;
        boolean offInline = (long) n * offWidth <= inline;
        int total = headerSize + 8 + (offInline ? 0 : 2 * n * offWidth);
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        if (big) {
            b.putLong(entries.size());
        } else {
            b.putShort((short) entries.size());
        }
        for (long[] e : entries) {
            b.putShort((short) e[0]).putShort((short) e[1]);
            if (big) {
                b.putLong(e[2]);
            } else {
                b.putInt((int) e[2]);
            }
            int start = b.position();
            if (e[0] == 258) {
                putOffset(b, bpsAt, big);
            } else if (e[0] == 530) {
                b.putShort((short) TileEncoder.SUBSAMPLING.lumaH()).putShort((short) TileEncoder.SUBSAMPLING.lumaV()); // what the encoder writes
            } else if (e[0] == 324 || e[0] == 325) {
                long[] values = e[0] == 324 ? off : cnt;
                if (offInline) {
                    for (long v : values) {
                        putOffset(b, v, big);
                    }
                } else {
                    putOffset(b, e[0] == 324 ? offAt : cntAt, big);
                }
            } else if (e[1] == SHORT) {
                b.putShort((short) e[3]);
            } else {
                b.putInt((int) e[3]);
            }
            while (b.position() < start + inline) {
                b.put((byte) 0);
            }
        }
        long next = more ? at + total : 0;
        putOffset(b, next, big);
        b.putShort((short) 8).putShort((short) 8).putShort((short) 8).putShort((short) 0);
        if (!offInline) {
            for (long v : off) {
                putOffset(b, v, big);
            }
            for (long v : cnt) {
                putOffset(b, v, big);
            }
        }
        b.flip();
        return b;
    }

    private static void putOffset(ByteBuffer b, long v, boolean big) {
        if (big) {
            b.putLong(v);
        } else {
            b.putInt((int) v);
        }
    }

    @Override
    public synchronized long bytesWritten() {
        return end;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
