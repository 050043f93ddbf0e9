package org.tilescope.engine.library.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import net.jpountz.xxhash.StreamingXXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * One slot file of the store: a fixed header, then the payload.
 *
 * <pre>
 *   magic        8 bytes  "TSLIBRY1"
 *   version      4 bytes  format version of the payload
 *   generation   8 bytes  grows by one with every write; the newest valid slot wins
 *   length       8 bytes  payload bytes
 *   checksum     8 bytes  xxHash64 of version, generation, length and the payload
 *   payload      length bytes
 * </pre>
 * All numbers big-endian. The checksum covers the header fields too, so a torn write anywhere
 * (header or payload) makes the slot invalid rather than wrong.
 */
public final class SlotFile {
    static final byte[] MAGIC = "TSLIBRY1".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER_BYTES = 8 + 4 + 8 + 8 + 8;
    /** A payload larger than this is not ours: 1 GB compressed is millions of slides. */
    static final long MAX_PAYLOAD = 1L << 30;
    private static final long SEED = 0x5453_4c49_4252_5931L;

    private SlotFile() {
    }

    /** A slot that read back whole. */
    public record Contents(int version, long generation, byte[] payload) {
    }

    /** What reading a slot gave: its contents, or why it is unusable (missing, torn, corrupt). */
    public sealed interface ReadResult {
        record Valid(Contents contents) implements ReadResult {
        }

        record Missing() implements ReadResult {
        }

        record Invalid(String reason) implements ReadResult {
        }
    }

    /** The header alone, for a cheap "did anyone write since?" check; empty when unreadable. */
    public static long peekGeneration(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES);
            while (h.hasRemaining() && ch.read(h) >= 0) {
                // fill
            }
            if (h.hasRemaining() || !Arrays.equals(h.array(), 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                return -1;
            }
            return h.getLong(12);
        } catch (IOException e) {
            return -1;
        }
    }

    public static ReadResult read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER_BYTES) {
                return new ReadResult.Invalid("only " + size + " bytes, shorter than the header");
            }
            ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES);
            readFully(ch, h, 0);
            h.flip();
            byte[] magic = new byte[MAGIC.length];
            h.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                return new ReadResult.Invalid("not a Tilescope library slot (bad magic)");
            }
            int version = h.getInt();
            long generation = h.getLong();
            long length = h.getLong();
            long checksum = h.getLong();
            if (length < 0 || length > MAX_PAYLOAD || HEADER_BYTES + length > size) {
                return new ReadResult.Invalid("payload length " + length + " does not fit the file's " + size + " bytes");
            }
            ByteBuffer payload = ByteBuffer.allocate((int) length);
            readFully(ch, payload, HEADER_BYTES);
            byte[] bytes = payload.array();
            long actual = checksum(version, generation, bytes);
            if (actual != checksum) {
                return new ReadResult.Invalid("checksum mismatch (torn or corrupt write)");
            }
            return new ReadResult.Valid(new Contents(version, generation, bytes));
        } catch (NoSuchFileException e) {
            return new ReadResult.Missing();
        } catch (IOException e) {
            return new ReadResult.Invalid("cannot read: " + e.getMessage());
        }
    }

    /**
     * Writes the slot and forces it to the device before returning: only then may the caller
     * count it as the newest. A crash in between leaves this slot invalid and the other intact.
     */
    public static void write(Path file, int version, long generation, byte[] payload) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + payload.length);
        buf.put(MAGIC).putInt(version).putLong(generation).putLong(payload.length)
                .putLong(checksum(version, generation, payload)).put(payload);
        buf.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long pos = 0;
            while (buf.hasRemaining()) {
                pos += ch.write(buf, pos);
            }
            ch.truncate(pos);
            ch.force(true);
        }
    }

    static long checksum(int version, long generation, byte[] payload) {
        try (StreamingXXHash64 hash = XXHashFactory.safeInstance().newStreamingHash64(SEED)) {
            ByteBuffer fields = ByteBuffer.allocate(20).putInt(version).putLong(generation).putLong(payload.length);
            hash.update(fields.array(), 0, 20);
            hash.update(payload, 0, payload.length);
            return hash.getValue();
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("file ended early");
            }
            pos += n;
        }
    }
}
