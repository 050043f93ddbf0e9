package org.tilescope.engine.slide.tiff;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a small standalone classic TIFF in memory around compressed chunks (one tile, or the
 * strips of an associated image) copied from a bigger file, so that a stock TIFF decoder can turn
 * them into pixels. The output keeps the source's byte order: uncompressed and LZW data of 16-bit
 * samples, and predictor-differenced data, are stored in that order and would be misread under
 * the other one.
 */
final class TiffRewriter {
    /** Tags copied verbatim from the source directory: everything that says how to decode the chunks. */
    static final int[] DECODING_TAGS = {
        TiffParser.TAG_BITS_PER_SAMPLE, TiffParser.TAG_COMPRESSION, TiffParser.TAG_PHOTOMETRIC,
        TiffParser.TAG_FILL_ORDER, TiffParser.TAG_SAMPLES_PER_PIXEL, TiffParser.TAG_PLANAR_CONFIGURATION,
        TiffParser.TAG_T4_OPTIONS, TiffParser.TAG_T6_OPTIONS, TiffParser.TAG_PREDICTOR, TiffParser.TAG_COLOR_MAP,
        TiffParser.TAG_EXTRA_SAMPLES, TiffParser.TAG_SAMPLE_FORMAT, TiffParser.TAG_JPEG_TABLES,
        TiffParser.TAG_YCBCR_COEFFICIENTS, TiffParser.TAG_YCBCR_SUBSAMPLING, TiffParser.TAG_YCBCR_POSITIONING,
        TiffParser.TAG_REFERENCE_BLACK_WHITE,
    };
    /** No decoding tag is legitimately larger (a 16-bit ColorMap is 384 KiB). */
    static final int MAX_COPIED_TAG_BYTES = 1 << 20;

    private static final int TYPE_LONG = 4;

    private TiffRewriter() {
    }

    /** One entry to write: its type and its value bytes, already in the output's byte order. */
    record Tag(int tag, int type, int count, byte[] value) {
    }

    /** The decoding tags of a directory, ready to be written in the same byte order. */
    static List<Tag> decodingTags(TiffFile in, TiffParser.Directory d) throws IOException {
        List<Tag> out = new ArrayList<>();
        for (int t : DECODING_TAGS) {
            TiffParser.Entry e = d.entry(t);
            // Types 13+ are BigTIFF's or IFD pointers: none of these tags legitimately use them.
            if (e == null || e.type() > 12 || e.count() <= 0) {
                continue;
            }
            byte[] v = TiffParser.raw(in, d, e, MAX_COPIED_TAG_BYTES);
            out.add(new Tag(t, e.type(), (int) e.count(), v));
        }
        return out;
    }

    /** A one-tile TIFF: the image is exactly the tile. */
    static byte[] oneTile(ByteOrder order, List<Tag> decoding, int tileWidth, int tileHeight, byte[] tile) {
        Map<Integer, Tag> tags = base(decoding);
        tags.put(TiffParser.TAG_IMAGE_WIDTH, longTag(order, TiffParser.TAG_IMAGE_WIDTH, tileWidth));
        tags.put(TiffParser.TAG_IMAGE_LENGTH, longTag(order, TiffParser.TAG_IMAGE_LENGTH, tileHeight));
        tags.put(TiffParser.TAG_TILE_WIDTH, longTag(order, TiffParser.TAG_TILE_WIDTH, tileWidth));
        tags.put(TiffParser.TAG_TILE_LENGTH, longTag(order, TiffParser.TAG_TILE_LENGTH, tileHeight));
        return write(order, tags, TiffParser.TAG_TILE_OFFSETS, TiffParser.TAG_TILE_BYTE_COUNTS, List.of(tile));
    }

    /** A stripped TIFF of the given strips, in order. */
    static byte[] stripped(ByteOrder order, List<Tag> decoding, int width, int height, int rowsPerStrip,
                           List<byte[]> strips) {
        Map<Integer, Tag> tags = base(decoding);
        tags.put(TiffParser.TAG_IMAGE_WIDTH, longTag(order, TiffParser.TAG_IMAGE_WIDTH, width));
        tags.put(TiffParser.TAG_IMAGE_LENGTH, longTag(order, TiffParser.TAG_IMAGE_LENGTH, height));
        tags.put(TiffParser.TAG_ROWS_PER_STRIP, longTag(order, TiffParser.TAG_ROWS_PER_STRIP, rowsPerStrip));
        return write(order, tags, TiffParser.TAG_STRIP_OFFSETS, TiffParser.TAG_STRIP_BYTE_COUNTS, strips);
    }

    private static Map<Integer, Tag> base(List<Tag> decoding) {
        Map<Integer, Tag> tags = new TreeMap<>();
        for (Tag t : decoding) {
            tags.put(t.tag(), t);
        }
        return tags;
    }

    private static Tag longTag(ByteOrder order, int tag, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(order);
        for (long v : values) {
            b.putInt((int) v);
        }
        return new Tag(tag, TYPE_LONG, values.length, b.array());
    }

    private static byte[] write(ByteOrder order, Map<Integer, Tag> tags, int offsetsTag, int countsTag,
                                List<byte[]> chunks) {
        long[] counts = new long[chunks.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = chunks.get(i).length;
        }
        tags.put(countsTag, longTag(order, countsTag, counts));
        tags.put(offsetsTag, longTag(order, offsetsTag, new long[chunks.size()])); // placeholder, same size
        int n = tags.size();
        long pos = 8 + 2 + 12L * n + 4;
        for (Tag t : tags.values()) {
            if (t.value().length > 4) {
                pos = even(pos) + t.value().length;
            }
        }
        long dataStart = even(pos);
        long[] offsets = new long[chunks.size()];
        long total = dataStart;
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = total;
            total += counts[i];
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("chunks too large for one in-memory TIFF: " + total + " bytes");
        }
        tags.put(offsetsTag, longTag(order, offsetsTag, offsets));

        ByteBuffer out = ByteBuffer.allocate((int) total).order(order);
        out.put((byte) (order == ByteOrder.LITTLE_ENDIAN ? 'I' : 'M'));
        out.put((byte) (order == ByteOrder.LITTLE_ENDIAN ? 'I' : 'M'));
        out.putShort((short) 42);
        out.putInt(8);
        out.putShort((short) n);
        int overflow = 8 + 2 + 12 * n + 4;
        int entry = 10;
        for (Tag t : tags.values()) {
            out.putShort(entry, (short) t.tag());
            out.putShort(entry + 2, (short) t.type());
            out.putInt(entry + 4, t.count());
            if (t.value().length <= 4) {
                out.put(entry + 8, t.value());
            } else {
                overflow = (int) even(overflow);
                out.putInt(entry + 8, overflow);
                out.put(overflow, t.value());
                overflow += t.value().length;
            }
            entry += 12;
        }
        out.putInt(entry, 0); // no next IFD
        for (int i = 0; i < offsets.length; i++) {
            out.put((int) offsets[i], chunks.get(i));
        }
        return out.array();
    }

    private static long even(long p) {
        return (p + 1) & ~1L;
    }
}
