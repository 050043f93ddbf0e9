package org.tilescope.engine.slide.tiff;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes TIFF files byte by byte for tests: classic or BigTIFF, either byte order, any tags,
 * tiles or strips, SubIFDs. Tile data comes first, then the directories; the positions of both
 * are known after {@link #toBytes()} so tests can damage exactly what they mean to.
 */
final class TiffTestWriter {
    static final int BYTE = 1;
    static final int ASCII = 2;
    static final int SHORT = 3;
    static final int LONG = 4;
    static final int RATIONAL = 5;
    static final int UNDEFINED = 7;
    static final int LONG8 = 16;

    private final ByteOrder order;
    private final boolean big;
    private final List<Img> main = new ArrayList<>();
    private final List<Img> all = new ArrayList<>();

    TiffTestWriter(ByteOrder order, boolean big) {
        this.order = order;
        this.big = big;
    }

    /** A tag's type and value bytes (in the file's order), or integer values encoded at write time. */
    private record Value(int type, long count, byte[] raw, long[] ints) {
    }

    final class Img {
        private final Map<Integer, Value> tags = new TreeMap<>();
        private final List<byte[]> chunks = new ArrayList<>();
        private boolean tiledChunks;
        private final List<Img> subs = new ArrayList<>();
        long ifdOffset = -1;
        long[] chunkOffsets;

        Img tag(int tag, int type, long... values) {
            tags.put(tag, new Value(type, values.length, null, values));
            return this;
        }

        Img ascii(int tag, String s) {
            byte[] b = (s + "\0").getBytes(StandardCharsets.UTF_8);
            tags.put(tag, new Value(ASCII, b.length, b, null));
            return this;
        }

        Img undefined(int tag, byte[] b) {
            tags.put(tag, new Value(UNDEFINED, b.length, b.clone(), null));
            return this;
        }

        Img rational(int tag, long num, long den) {
            ByteBuffer b = ByteBuffer.allocate(8).order(order).putInt((int) num).putInt((int) den);
            tags.put(tag, new Value(RATIONAL, 1, b.array(), null));
            return this;
        }

        /** Size and a basic description, the way most writers put it. */
        Img image(int width, int height, int spp, int bits, int compression, int photometric) {
            tag(TiffParser.TAG_IMAGE_WIDTH, LONG, width);
            tag(TiffParser.TAG_IMAGE_LENGTH, LONG, height);
            long[] bps = new long[spp];
            java.util.Arrays.fill(bps, bits);
            tag(TiffParser.TAG_BITS_PER_SAMPLE, SHORT, bps);
            tag(TiffParser.TAG_COMPRESSION, SHORT, compression);
            tag(TiffParser.TAG_PHOTOMETRIC, SHORT, photometric);
            tag(TiffParser.TAG_SAMPLES_PER_PIXEL, SHORT, spp);
            tag(TiffParser.TAG_PLANAR_CONFIGURATION, SHORT, 1);
            return this;
        }

        Img tiles(int tileWidth, int tileHeight, List<byte[]> tileData) {
            tag(TiffParser.TAG_TILE_WIDTH, LONG, tileWidth);
            tag(TiffParser.TAG_TILE_LENGTH, LONG, tileHeight);
            chunks.clear();
            chunks.addAll(tileData);
            tiledChunks = true;
            return this;
        }

        Img strips(int rowsPerStrip, List<byte[]> stripData) {
            tag(TiffParser.TAG_ROWS_PER_STRIP, LONG, rowsPerStrip);
            chunks.clear();
            chunks.addAll(stripData);
            tiledChunks = false;
            return this;
        }

        Img subIfd() {
            Img s = new Img();
            subs.add(s);
            all.add(s);
            return s;
        }
    }

    Img add() {
        Img i = new Img();
        main.add(i);
        all.add(i);
        return i;
    }

    private int typeSize(int type) {
        return TiffParser.Entry.typeSize(type);
    }

    private byte[] encode(Value v) {
        if (v.raw() != null) {
            return v.raw();
        }
        int ts = typeSize(v.type());
        ByteBuffer b = ByteBuffer.allocate(ts * v.ints().length).order(order);
        for (long x : v.ints()) {
            switch (ts) {
                case 1 -> b.put((byte) x);
                case 2 -> b.putShort((short) x);
                case 4 -> b.putInt((int) x);
                default -> b.putLong(x);
            }
        }
        return b.array();
    }

    /** The tags an image will be written with, offsets still zero. */
    private Map<Integer, Value> finalTags(Img img) {
        Map<Integer, Value> t = new TreeMap<>(img.tags);
        int offType = big ? LONG8 : LONG;
        if (!img.chunks.isEmpty()) {
            long[] counts = img.chunks.stream().mapToLong(c -> c.length).toArray();
            long[] offs = img.chunkOffsets == null ? new long[counts.length] : img.chunkOffsets;
            int offTag = img.tiledChunks ? TiffParser.TAG_TILE_OFFSETS : TiffParser.TAG_STRIP_OFFSETS;
            int cntTag = img.tiledChunks ? TiffParser.TAG_TILE_BYTE_COUNTS : TiffParser.TAG_STRIP_BYTE_COUNTS;
            t.putIfAbsent(offTag, new Value(offType, offs.length, null, offs));
            t.putIfAbsent(cntTag, new Value(offType, counts.length, null, counts));
        }
        if (!img.subs.isEmpty()) {
            long[] subOffs = img.subs.stream().mapToLong(s -> Math.max(0, s.ifdOffset)).toArray();
            t.put(TiffParser.TAG_SUB_IFDS, new Value(offType, subOffs.length, null, subOffs));
        }
        return t;
    }

    private long ifdSize(Img img) {
        Map<Integer, Value> t = finalTags(img);
        int inline = big ? 8 : 4;
        long size = (big ? 8 : 2) + (long) t.size() * (big ? 20 : 12) + (big ? 8 : 4);
        for (Value v : t.values()) {
            long len = v.count() * typeSize(v.type());
            if (len > inline) {
                size += len + (len & 1);
            }
        }
        return size;
    }

    byte[] toBytes() {
        long pos = big ? 16 : 8;
        for (Img img : all) {
            img.chunkOffsets = new long[img.chunks.size()];
            for (int i = 0; i < img.chunks.size(); i++) {
                img.chunkOffsets[i] = pos;
                pos += img.chunks.get(i).length;
            }
        }
        pos += pos & 1;
        for (Img img : all) {
            img.ifdOffset = pos;
            pos += ifdSize(img);
        }
        ByteBuffer out = ByteBuffer.allocate((int) pos).order(order);
        out.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
        out.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
        if (big) {
            out.putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(main.getFirst().ifdOffset);
        } else {
            out.putShort((short) 42).putInt((int) main.getFirst().ifdOffset);
        }
        for (Img img : all) {
            for (int i = 0; i < img.chunks.size(); i++) {
                out.put((int) img.chunkOffsets[i], img.chunks.get(i));
            }
        }
        int inline = big ? 8 : 4;
        for (Img img : all) {
            Map<Integer, Value> t = finalTags(img);
            int p = (int) img.ifdOffset;
            if (big) {
                out.putLong(p, t.size());
                p += 8;
            } else {
                out.putShort(p, (short) t.size());
                p += 2;
            }
            int overflow = p + t.size() * (big ? 20 : 12) + (big ? 8 : 4);
            for (Map.Entry<Integer, Value> e : t.entrySet()) {
                Value v = e.getValue();
                byte[] raw = encode(v);
                out.putShort(p, (short) (int) e.getKey());
                out.putShort(p + 2, (short) v.type());
                if (big) {
                    out.putLong(p + 4, v.count());
                } else {
                    out.putInt(p + 4, (int) v.count());
                }
                int vp = p + (big ? 12 : 8);
                if (raw.length <= inline) {
                    out.put(vp, raw);
                } else {
                    if (big) {
                        out.putLong(vp, overflow);
                    } else {
                        out.putInt(vp, overflow);
                    }
                    out.put(overflow, raw);
                    overflow += raw.length + (raw.length & 1);
                }
                p += big ? 20 : 12;
            }
            int mi = main.indexOf(img);
            long next = mi >= 0 && mi + 1 < main.size() ? main.get(mi + 1).ifdOffset : 0;
            if (big) {
                out.putLong(p, next);
            } else {
                out.putInt(p, (int) next);
            }
        }
        return out.array();
    }

    /** Where the next-IFD pointer of an image's directory lies (after {@link #toBytes()}). */
    long nextPointerOffset(Img img) {
        return img.ifdOffset + (big ? 8 : 2) + (long) finalTags(img).size() * (big ? 20 : 12);
    }

    /** Where the value (or value offset) field of one tag of an image lies (after {@link #toBytes()}). */
    long valueFieldOffset(Img img, int tag) {
        int i = 0;
        for (int t : finalTags(img).keySet()) {
            if (t == tag) {
                return img.ifdOffset + (big ? 8 : 2) + (long) i * (big ? 20 : 12) + (big ? 12 : 8);
            }
            i++;
        }
        throw new IllegalArgumentException("no tag " + tag);
    }

    /** Where the count field of one tag lies. */
    long countFieldOffset(Img img, int tag) {
        return valueFieldOffset(img, tag) - (big ? 8 : 4);
    }
}
