package org.tilescope.engine.decode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Looks at a JPEG's embedded ICC profile segments, without decoding anything. */
final class JpegMarkers {
    private static final byte[] ICC_PROFILE = "ICC_PROFILE".getBytes(StandardCharsets.US_ASCII);
    private static final int APP2 = 0xE2;

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
        long total = 0;
        for (int[] c : chunks) {
            total += c[2];
        }
        for (int[] c : chunks) {
            if (chunks.size() > 1 && c[0] != 1) {
                continue; // of several chunks, number 1 holds the header (without one, none is read)
            }
            if (c[2] < 4) {
                return "ICC profile chunk of " + c[2] + " bytes, too short for a profile header";
            }
            long claimed = Integer.toUnsignedLong(((b[c[1]] & 0xFF) << 24) | ((b[c[1] + 1] & 0xFF) << 16)
                    | ((b[c[1] + 2] & 0xFF) << 8) | (b[c[1] + 3] & 0xFF));
            if (claimed > total) {
                return "ICC profile claims " + claimed + " bytes but its APP2 segments hold " + total;
            }
        }
        return null;
    }

    /**
     * The ICC_PROFILE APP2 segments: {chunk number, data offset, data length}. Found by their
     * bytes anywhere in the stream rather than by walking the markers: a reader that skips garbage
     * between markers would otherwise see a segment this walk missed.
     */
    private static List<int[]> iccChunks(byte[] b) {
        List<int[]> out = new ArrayList<>();
        int name = ICC_PROFILE.length + 1;
        for (int i = 2; i + 4 + name <= b.length; i++) {
            // FF E2, length, "ICC_PROFILE", a terminator, chunk number, chunk count, the profile.
            // The terminator should be NUL; TwelveMonkeys ends the name at any byte below 20 or
            // above 127 and skips it, so the same is done here.
            if ((b[i] & 0xFF) != 0xFF || (b[i + 1] & 0xFF) != APP2 || b[i + 4 + ICC_PROFILE.length] >= 20
                    || !Arrays.equals(b, i + 4, i + 4 + ICC_PROFILE.length, ICC_PROFILE, 0, ICC_PROFILE.length)) {
                continue;
            }
            int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            int body = i + 4;
            int seq = body + name < b.length ? b[body + name] & 0xFF : 0;
            int data = body + name + 2;
            int dataLength = Math.max(0, Math.min(length - 2 - name - 2, b.length - data));
            out.add(new int[] {seq, data, dataLength});
        }
        return out;
    }
}
