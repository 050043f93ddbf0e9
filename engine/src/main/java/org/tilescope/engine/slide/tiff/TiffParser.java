package org.tilescope.engine.slide.tiff;

import org.tilescope.engine.slide.SlideException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Walks the directories of a classic or BigTIFF file, either byte order: the main IFD chain and
 * every SubIFD (tag 330). Entry values are read on demand and every read is checked against the
 * file's real size first, so a damaged file gives a message, never a huge allocation or a hang.
 */
final class TiffParser {
    /** More IFDs than any slide has (SVS: under 20; OME pyramids: a few hundred). */
    static final int MAX_IFDS = 4096;
    /** An IFD with more entries than this is garbage (TIFF defines about 300 tags in all). */
    static final int MAX_ENTRIES = 4096;

    static final int TAG_NEW_SUBFILE_TYPE = 254;
    static final int TAG_IMAGE_WIDTH = 256;
    static final int TAG_IMAGE_LENGTH = 257;
    static final int TAG_BITS_PER_SAMPLE = 258;
    static final int TAG_COMPRESSION = 259;
    static final int TAG_PHOTOMETRIC = 262;
    static final int TAG_FILL_ORDER = 266;
    static final int TAG_IMAGE_DESCRIPTION = 270;
    static final int TAG_STRIP_OFFSETS = 273;
    static final int TAG_SAMPLES_PER_PIXEL = 277;
    static final int TAG_ROWS_PER_STRIP = 278;
    static final int TAG_STRIP_BYTE_COUNTS = 279;
    static final int TAG_X_RESOLUTION = 282;
    static final int TAG_Y_RESOLUTION = 283;
    static final int TAG_PLANAR_CONFIGURATION = 284;
    static final int TAG_T4_OPTIONS = 292;
    static final int TAG_T6_OPTIONS = 293;
    static final int TAG_RESOLUTION_UNIT = 296;
    static final int TAG_PREDICTOR = 317;
    static final int TAG_COLOR_MAP = 320;
    static final int TAG_TILE_WIDTH = 322;
    static final int TAG_TILE_LENGTH = 323;
    static final int TAG_TILE_OFFSETS = 324;
    static final int TAG_TILE_BYTE_COUNTS = 325;
    static final int TAG_SUB_IFDS = 330;
    static final int TAG_EXTRA_SAMPLES = 338;
    static final int TAG_SAMPLE_FORMAT = 339;
    static final int TAG_JPEG_TABLES = 347;
    static final int TAG_YCBCR_COEFFICIENTS = 529;
    static final int TAG_YCBCR_SUBSAMPLING = 530;
    static final int TAG_YCBCR_POSITIONING = 531;
    static final int TAG_REFERENCE_BLACK_WHITE = 532;

    private TiffParser() {
    }

    /**
     * The file ends before data its directories point to: a cut download or copy. Unlike other
     * damage to a reduced level, this is not worked around, since the rest of the file is gone too.
     */
    static final class TruncatedException extends SlideException {
        TruncatedException(Path file, String problem) {
            super(file, problem);
        }
    }

    /** One IFD entry. {@code inline} holds the value bytes when they fit in the entry itself. */
    record Entry(int tag, int type, long count, long valueOffset, byte[] inline) {
        int typeSize() {
            return typeSize(type);
        }

        static int typeSize(int type) {
            return switch (type) {
                case 1, 2, 6, 7 -> 1;
                case 3, 8 -> 2;
                case 4, 9, 11, 13 -> 4;
                case 5, 10, 12, 16, 17, 18 -> 8;
                default -> 0;
            };
        }
    }

    /**
     * One image file directory.
     *
     * @param offset     where it lies in the file
     * @param chainIndex its position in the main IFD chain, or -1 for a SubIFD
     * @param entries    its entries by tag
     */
    record Directory(long offset, int chainIndex, Map<Integer, Entry> entries) {
        Directory {
            entries = Collections.unmodifiableMap(new TreeMap<>(entries));
        }

        boolean has(int tag) {
            return entries.containsKey(tag);
        }

        Entry entry(int tag) {
            return entries.get(tag);
        }
    }

    /** The whole structure: byte order, flavour and every directory found, main chain first. */
    record Structure(ByteOrder order, boolean bigTiff, List<Directory> directories) {
        Structure {
            directories = List.copyOf(directories);
        }
    }

    static Structure parse(TiffFile in) throws IOException {
        long size = in.size();
        if (size < 8) {
            throw new SlideException(in.path(), "truncated TIFF: " + size + " bytes, too short for a TIFF header");
        }
        byte[] head = in.read(0, (int) Math.min(16, size));
        ByteOrder order;
        if (head[0] == 'I' && head[1] == 'I') {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (head[0] == 'M' && head[1] == 'M') {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            throw new SlideException(in.path(), "not a TIFF file (no II or MM byte-order mark)");
        }
        in.order(order);
        ByteBuffer h = ByteBuffer.wrap(head).order(order);
        int magic = Short.toUnsignedInt(h.getShort(2));
        boolean big;
        long first;
        if (magic == 42) {
            big = false;
            first = Integer.toUnsignedLong(h.getInt(4));
        } else if (magic == 43) {
            if (size < 16) {
                throw new SlideException(in.path(), "truncated BigTIFF: " + size + " bytes, too short for its header");
            }
            int offsetSize = Short.toUnsignedInt(h.getShort(4));
            if (offsetSize != 8 || h.getShort(6) != 0) {
                throw new SlideException(in.path(), "unsupported BigTIFF offset size " + offsetSize + " (expected 8)");
            }
            big = true;
            first = h.getLong(8);
        } else {
            throw new SlideException(in.path(), "not a TIFF file (magic number " + magic + ", expected 42 or 43)");
        }
        if (first == 0) {
            throw new SlideException(in.path(), "TIFF without any image (first IFD offset is 0)");
        }

        List<Directory> dirs = new ArrayList<>();
        Set<Long> visited = new HashSet<>();
        Deque<Long> subIfds = new ArrayDeque<>();
        int chainIndex = 0;
        for (long off = first; off != 0; chainIndex++) {
            Parsed p = readIfd(in, big, off, chainIndex, visited, dirs.size());
            dirs.add(p.dir());
            addSubIfds(in, p.dir(), subIfds);
            off = p.next();
        }
        while (!subIfds.isEmpty()) {
            // A SubIFD may itself start a chain (libtiff follows it too) or hold further SubIFDs.
            for (long off = subIfds.removeFirst(); off != 0; ) {
                Parsed p = readIfd(in, big, off, -1, visited, dirs.size());
                dirs.add(p.dir());
                addSubIfds(in, p.dir(), subIfds);
                off = p.next();
            }
        }
        return new Structure(order, big, dirs);
    }

    private record Parsed(Directory dir, long next) {
    }

    private static Parsed readIfd(TiffFile in, boolean big, long off, int chainIndex, Set<Long> visited,
                                  int countSoFar) throws IOException {
        long size = in.size();
        if (!visited.add(off)) {
            throw new SlideException(in.path(), "IFD loop at offset " + off
                    + " (a directory points back to one already read)");
        }
        if (countSoFar >= MAX_IFDS) {
            throw new SlideException(in.path(), "more than " + MAX_IFDS + " IFDs: not a slide, or a damaged one");
        }
        int countSize = big ? 8 : 2;
        int entrySize = big ? 20 : 12;
        int nextSize = big ? 8 : 4;
        if (off < 0 || off > size - countSize) {
            throw new TruncatedException(in.path(), "truncated TIFF: IFD at offset " + Long.toUnsignedString(off)
                    + " is past the end of the file (" + size + " bytes)");
        }
        ByteBuffer cb = in.buffer(off, countSize);
        long n = big ? cb.getLong(0) : Short.toUnsignedInt(cb.getShort(0));
        if (n == 0 || n > MAX_ENTRIES || n < 0) {
            throw new SlideException(in.path(), "damaged TIFF: IFD at offset " + off + " claims "
                    + Long.toUnsignedString(n) + " entries");
        }
        long bodyLen = n * entrySize + nextSize;
        if (off + countSize + bodyLen > size) {
            throw new TruncatedException(in.path(), "truncated TIFF: IFD at offset " + off + " (" + n
                    + " entries) runs past the end of the file (" + size + " bytes)");
        }
        ByteBuffer b = in.buffer(off + countSize, (int) bodyLen);
        Map<Integer, Entry> entries = new TreeMap<>();
        int inlineSize = big ? 8 : 4;
        for (int i = 0; i < n; i++) {
            int p = i * entrySize;
            int tag = Short.toUnsignedInt(b.getShort(p));
            int type = Short.toUnsignedInt(b.getShort(p + 2));
            long count = big ? b.getLong(p + 4) : Integer.toUnsignedLong(b.getInt(p + 4));
            int valuePos = p + (big ? 12 : 8);
            int ts = Entry.typeSize(type);
            if (ts == 0 || count < 0) {
                continue; // unknown type: the spec says skip it
            }
            if (count > size / ts) {
                // Not fatal here: a private tag we never read may be garbage. Recorded as unreadable.
                entries.put(tag, new Entry(tag, type, count, -1, null));
                continue;
            }
            long len = count * ts;
            if (len <= inlineSize) {
                byte[] inline = new byte[(int) len];
                b.get(valuePos, inline);
                entries.put(tag, new Entry(tag, type, count, -1, inline));
            } else {
                long vo = big ? b.getLong(valuePos) : Integer.toUnsignedLong(b.getInt(valuePos));
                entries.put(tag, new Entry(tag, type, count, vo, null));
            }
        }
        long next = big ? b.getLong((int) (n * entrySize)) : Integer.toUnsignedLong(b.getInt((int) (n * entrySize)));
        return new Parsed(new Directory(off, chainIndex, entries), next);
    }

    private static void addSubIfds(TiffFile in, Directory d, Deque<Long> queue) throws IOException {
        Entry e = d.entry(TAG_SUB_IFDS);
        if (e == null) {
            return;
        }
        for (long o : longs(in, d, e, MAX_IFDS)) {
            if (o != 0) {
                queue.addLast(o);
            }
        }
    }

    /** The raw value bytes of an entry, in the file's byte order; refuses more than {@code max}. */
    static byte[] raw(TiffFile in, Directory d, Entry e, long max) throws IOException {
        if (e.inline() != null) {
            return e.inline().clone();
        }
        long size = in.size();
        int ts = e.typeSize();
        if (e.count() > size / ts) {
            throw new SlideException(in.path(), "damaged TIFF: tag " + e.tag() + " in IFD at offset " + d.offset()
                    + " claims " + e.count() + " values, more than the file (" + size + " bytes) can hold");
        }
        long len = e.count() * ts;
        if (len > max) {
            throw new SlideException(in.path(), "tag " + e.tag() + " in IFD at offset " + d.offset()
                    + " is too large (" + len + " bytes, at most " + max + " accepted)");
        }
        if (e.valueOffset() < 0 || e.valueOffset() > size - len) {
            throw new TruncatedException(in.path(), "truncated TIFF: values of tag " + e.tag() + " in IFD at offset "
                    + d.offset() + " lie at offset " + Long.toUnsignedString(e.valueOffset()) + " (+" + len
                    + " bytes), past the end of the file (" + size + " bytes)");
        }
        return in.read(e.valueOffset(), (int) len);
    }

    /** Integer values of an entry (BYTE, SHORT, LONG, LONG8, IFD, IFD8, signed kinds too). */
    static long[] longs(TiffFile in, Directory d, Entry e, int maxCount) throws IOException {
        if (e.count() > maxCount) {
            throw new SlideException(in.path(), "tag " + e.tag() + " in IFD at offset " + d.offset()
                    + " has " + e.count() + " values, more than the " + maxCount + " accepted");
        }
        ByteBuffer b = ByteBuffer.wrap(raw(in, d, e, (long) maxCount * 8)).order(in.order());
        int n = (int) e.count();
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (e.type()) {
                case 1, 7 -> Byte.toUnsignedLong(b.get(i));
                case 6 -> b.get(i);
                case 3 -> Short.toUnsignedLong(b.getShort(i * 2));
                case 8 -> b.getShort(i * 2);
                case 4, 13 -> Integer.toUnsignedLong(b.getInt(i * 4));
                case 9 -> b.getInt(i * 4);
                case 16, 17, 18 -> b.getLong(i * 8);
                default -> throw new SlideException(in.path(), "tag " + e.tag() + " in IFD at offset " + d.offset()
                        + " has type " + e.type() + " where an integer is expected");
            };
        }
        return out;
    }

    /** The first integer value of a tag, or {@code def} when absent. */
    static long first(TiffFile in, Directory d, int tag, long def) throws IOException {
        Entry e = d.entry(tag);
        if (e == null || e.count() == 0) {
            return def;
        }
        if (e.count() == 1) {
            return longs(in, d, e, 1)[0];
        }
        return longs(in, d, firstOnly(in, d, e), 1)[0];
    }

    private static Entry firstOnly(TiffFile in, Directory d, Entry e) throws IOException {
        if (e.inline() != null) {
            return new Entry(e.tag(), e.type(), 1, -1, Arrays.copyOf(e.inline(), e.typeSize()));
        }
        if (e.valueOffset() < 0) {
            raw(in, d, e, Long.MAX_VALUE); // throws, saying why the entry is unreadable
        }
        return new Entry(e.tag(), e.type(), 1, e.valueOffset(), null);
    }

    /** A RATIONAL (or FLOAT/DOUBLE) tag's first value, NaN when absent or unreadable. */
    static double real(TiffFile in, Directory d, int tag) throws IOException {
        Entry e = d.entry(tag);
        if (e == null || e.count() < 1) {
            return Double.NaN;
        }
        Entry one = firstOnly(in, d, e);
        ByteBuffer b = ByteBuffer.wrap(raw(in, d, one, 8)).order(in.order());
        return switch (e.type()) {
            case 5 -> {
                long num = Integer.toUnsignedLong(b.getInt(0));
                long den = Integer.toUnsignedLong(b.getInt(4));
                yield den == 0 ? Double.NaN : (double) num / den;
            }
            case 10 -> b.getInt(4) == 0 ? Double.NaN : (double) b.getInt(0) / b.getInt(4);
            case 11 -> b.getFloat(0);
            case 12 -> b.getDouble(0);
            case 3, 4, 16 -> longs(in, d, one, 1)[0];
            default -> Double.NaN;
        };
    }

    /** An ASCII tag as text, up to {@code max} bytes of it, without the trailing NUL; null when absent. */
    static String ascii(TiffFile in, Directory d, int tag, int max) throws IOException {
        Entry e = d.entry(tag);
        if (e == null || (e.type() != 2 && e.type() != 7 && e.type() != 1)) {
            return null;
        }
        if (e.inline() == null && e.valueOffset() < 0) {
            raw(in, d, e, max); // throws, saying why the entry is unreadable
        }
        Entry cut = e.count() <= max ? e : new Entry(tag, e.type(), max, e.valueOffset(), null);
        byte[] b = raw(in, d, cut, max);
        int len = 0;
        while (len < b.length && b[len] != 0) {
            len++;
        }
        return new String(b, 0, len, StandardCharsets.UTF_8);
    }
}
