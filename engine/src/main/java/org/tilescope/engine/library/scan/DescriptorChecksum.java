package org.tilescope.engine.library.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import net.jpountz.xxhash.StreamingXXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * The checksum that tells whether a slide changed, without hashing the slide: xxHash64 of the
 * descriptor (the .dzi or metadata.json, up to 1 MB; for a TIFF its header and every IFD's
 * entries, not the tiles), the descriptor's size, the slide's name, and each sidecar's name,
 * size and first {@value #SIDECAR_BYTES} bytes.
 */
public final class DescriptorChecksum {
    static final int DESCRIPTOR_BYTES = 1 << 20;
    static final int SIDECAR_BYTES = 1 << 20;
    /** Bytes of a TIFF hashed when its IFDs cannot be followed. */
    static final int TIFF_FALLBACK_BYTES = 64 << 10;
    static final int MAX_IFDS = 1024;
    static final int MAX_IFD_ENTRIES = 1 << 16;
    private static final long SEED = 0x4445_5343_5249_5054L;

    private DescriptorChecksum() {
    }

    public static long of(Candidate c) throws IOException {
        try (StreamingXXHash64 h = XXHashFactory.safeInstance().newStreamingHash64(SEED)) {
            update(h, c.slide().getFileName().toString());
            Path descriptor = c.descriptor().path();
            long size = Files.size(descriptor);
            update(h, size);
            if (isTiff(descriptor)) {
                hashTiff(descriptor, size, h);
            } else {
                hashPrefix(descriptor, DESCRIPTOR_BYTES, h);
            }
            for (Candidate.FileStat s : c.sidecars()) {
                update(h, s.path().getFileName().toString());
                update(h, s.size());
                try {
                    hashPrefix(s.path(), SIDECAR_BYTES, h);
                } catch (IOException e) {
                    update(h, "unreadable");
                }
            }
            return h.getValue();
        }
    }

    private static boolean isTiff(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] b = in.readNBytes(4);
            return b.length == 4 && ((b[0] == 'I' && b[1] == 'I' && (b[2] == 42 || b[2] == 43) && b[3] == 0)
                    || (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && (b[3] == 42 || b[3] == 43)));
        }
    }

    private static void hashPrefix(Path p, int max, StreamingXXHash64 h) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[64 << 10];
            int left = max;
            while (left > 0) {
                int n = in.read(buf, 0, Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                h.update(buf, 0, n);
                left -= n;
            }
        }
    }

    /** The header and each IFD (entry count, entries, next offset), bounded; the first 64 KB when malformed. */
    static void hashTiff(Path p, long size, StreamingXXHash64 h) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer head = read(ch, 0, 16);
            ByteOrder order = head.get(0) == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            head.order(order);
            boolean big = head.getShort(2) == 43;
            h.update(head.array(), 0, head.limit());
            long offset = big ? head.getLong(8) : Integer.toUnsignedLong(head.getInt(4));
            Set<Long> seen = new HashSet<>();
            int countBytes = big ? 8 : 2;
            int entryBytes = big ? 20 : 12;
            int nextBytes = big ? 8 : 4;
            for (int i = 0; i < MAX_IFDS && offset > 0 && offset < size && seen.add(offset); i++) {
                ByteBuffer countBuf = read(ch, offset, countBytes).order(order);
                long count = big ? countBuf.getLong(0) : Short.toUnsignedInt(countBuf.getShort(0));
                if (count < 0 || count > MAX_IFD_ENTRIES || offset + countBytes + count * entryBytes + nextBytes > size) {
                    throw new IOException("IFD at " + offset + " runs past the file");
                }
                ByteBuffer ifd = read(ch, offset + countBytes, (int) (count * entryBytes + nextBytes)).order(order);
                h.update(ifd.array(), 0, ifd.limit());
                offset = big ? ifd.getLong((int) (count * entryBytes)) : Integer.toUnsignedLong(ifd.getInt((int) (count * entryBytes)));
            }
        } catch (IOException | RuntimeException e) {
            update(h, "malformed TIFF");
            hashPrefix(p, TIFF_FALLBACK_BYTES, h);
        }
    }

    private static ByteBuffer read(FileChannel ch, long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        long pos = at;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                throw new IOException("file ends at " + pos);
            }
            pos += r;
        }
        b.flip();
        return b;
    }

    private static void update(StreamingXXHash64 h, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        update(h, b.length);
        h.update(b, 0, b.length);
    }

    private static void update(StreamingXXHash64 h, long v) {
        byte[] b = ByteBuffer.allocate(8).putLong(v).array();
        h.update(b, 0, 8);
    }
}
