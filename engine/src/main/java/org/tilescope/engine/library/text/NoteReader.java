package org.tilescope.engine.library.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a note for indexing, bounded: at most {@code limit} bytes (a larger note is indexed by
 * its beginning, with a warning), decoded as UTF-8 with invalid bytes replaced (with a warning).
 * Memory stays at the limit whatever the file's size: never an OOM.
 */
public final class NoteReader {
    /** The bound the library uses: 1 MB per note. */
    public static final int LIMIT = 1 << 20;

    private NoteReader() {
    }

    /** A note's text and what was wrong with it. */
    public record Note(String text, List<String> warnings) {
        public Note {
            warnings = List.copyOf(warnings);
        }
    }

    public static Note read(Path file) throws IOException {
        return read(file, LIMIT);
    }

    public static Note read(Path file, int limit) throws IOException {
        byte[] bytes;
        boolean truncated;
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            long size = ch.size();
            // one read of the known size (a note is usually a few KB); a file still growing is cut there
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) Math.min(size, limit));
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // fill
            }
            bytes = buf.position() == buf.capacity() ? buf.array() : java.util.Arrays.copyOf(buf.array(), buf.position());
            truncated = size > limit;
        }
        List<String> warnings = new ArrayList<>();
        if (truncated) {
            long size = Files.size(file);
            warnings.add(String.format(Locale.ROOT, "%s: note is %s, indexed its first %s", file, mb(size), mb(limit)));
        }
        String text = decode(bytes, truncated, file, warnings);
        return new Note(text, warnings);
    }

    /**
     * Strict UTF-8 first; on a malformed sequence, again with replacement characters. A note cut
     * at the limit may end inside a character: that tail is dropped quietly, it is not bad input.
     */
    static String decode(byte[] bytes, boolean truncated, Path file, List<String> warnings) {
        if (isAscii(bytes)) {
            return new String(bytes, StandardCharsets.US_ASCII); // most notes: no decoder needed
        }
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return run(strict, in, truncated);
        } catch (CharacterCodingException e) {
            warnings.add(file + ": not valid UTF-8, invalid bytes replaced with \uFFFD");
            CharsetDecoder lenient = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
            try {
                return run(lenient, ByteBuffer.wrap(bytes, start, bytes.length - start), truncated);
            } catch (CharacterCodingException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    private static boolean isAscii(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                return false;
            }
        }
        return true;
    }

    private static String run(CharsetDecoder d, ByteBuffer in, boolean truncated) throws CharacterCodingException {
        CharBuffer out = CharBuffer.allocate(in.remaining());
        // not the end of input when truncated: an incomplete last character stays unread
        CoderResult r = d.decode(in, out, !truncated);
        if (r.isError()) {
            r.throwException();
        }
        if (!truncated) {
            r = d.flush(out);
            if (r.isError()) {
                r.throwException();
            }
        }
        out.flip();
        return out.toString();
    }

    private static String mb(long bytes) {
        return bytes >= (1 << 20) ? String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0)
                : String.format(Locale.ROOT, "%d KB", Math.ceilDiv(bytes, 1024));
    }
}
