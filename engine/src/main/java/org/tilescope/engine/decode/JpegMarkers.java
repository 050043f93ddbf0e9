package org.tilescope.engine.decode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Looks at a JPEG's marker segments before the first scan, without decoding anything. */
final class JpegMarkers {
    private static final byte[] ICC_PROFILE = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
    private static final int APP2 = 0xE2;
    private static final int SOS = 0xDA;
    private static final int EOI = 0xD9;

    private JpegMarkers() {
    }

    /**
     * True when the JPEG embeds an ICC profile. ImageIO (TwelveMonkeys, then Java2D's colour
     * conversion in {@link Images#toIntRgb}) converts such images to sRGB while libjpeg-turbo
     * does not, so they must take the ImageIO path for both decoders to agree. Slide tiles carry
     * no profile; camera and scanner JPEGs often do.
     */
    static boolean needsColourManagement(byte[] b) {
        return !iccChunks(b).isEmpty();
    }

    /**
     * What is wrong with the embedded ICC profile, or null when it is absent or sound. The
     * profile's header says how long it is, and TwelveMonkeys' reader allocates that much before
     * reading it: a damaged 1 KB tile claiming a 2 GB profile would take the heap with it. So the
     * claim is checked against the APP2 segments that carry the profile (the only one, or chunk 1
     * of several, holds the header), as TwelveMonkeys reads them.
     */
    static String iccProfileProblem(byte[] b) {
        List<int[]> chunks = iccChunks(b);
        if (chunks.isEmpty()) {
            return null;
        }
        long total = 0;
        int[] first = chunks.size() == 1 ? chunks.getFirst() : null;
        for (int[] c : chunks) {
            total += c[2];
            if (first == null && c[0] == 1) {
                first = c;
            }
        }
        if (first == null) {
            return null; // no chunk 1: the reader ignores the profile
        }
        if (first[2] < 4) {
            return "ICC profile chunk of " + first[2] + " bytes, too short for a profile header";
        }
        long claimed = Integer.toUnsignedLong(((b[first[1]] & 0xFF) << 24) | ((b[first[1] + 1] & 0xFF) << 16)
                | ((b[first[1] + 2] & 0xFF) << 8) | (b[first[1] + 3] & 0xFF));
        if (claimed > total) {
            return "ICC profile claims " + claimed + " bytes but its APP2 segments hold " + total;
        }
        return null;
    }

    /** The ICC_PROFILE APP2 segments before the first scan: {chunk number, data offset, data length}. */
    private static List<int[]> iccChunks(byte[] b) {
        List<int[]> out = new ArrayList<>();
        int i = 2;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return out;     // not at a marker: malformed, let the decoder say so
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++;            // fill byte
                continue;
            }
            if (marker == SOS || marker == EOI) {
                return out;
            }
            int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            if (length < 2) {
                return out;
            }
            int body = i + 4;
            // "ICC_PROFILE\0", chunk number, chunk count, then the profile's bytes
            if (marker == APP2 && length - 2 >= ICC_PROFILE.length && body + ICC_PROFILE.length <= b.length
                    && Arrays.equals(b, body, body + ICC_PROFILE.length, ICC_PROFILE, 0, ICC_PROFILE.length)) {
                int seq = body + ICC_PROFILE.length < b.length ? b[body + ICC_PROFILE.length] & 0xFF : 0;
                int data = body + ICC_PROFILE.length + 2;
                int dataLength = Math.max(0, Math.min(length - 2 - ICC_PROFILE.length - 2, b.length - data));
                out.add(new int[] {seq, data, dataLength});
            }
            i += 2 + length;
        }
        return out;
    }
}
