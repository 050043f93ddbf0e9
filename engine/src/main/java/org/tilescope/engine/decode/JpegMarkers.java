package org.tilescope.engine.decode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
        int i = 2;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return false;   // not at a marker: malformed, let the decoder say so
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++;            // fill byte
                continue;
            }
            if (marker == SOS || marker == EOI) {
                return false;
            }
            int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            if (length < 2) {
                return false;
            }
            int body = i + 4;
            if (marker == APP2 && length - 2 >= ICC_PROFILE.length && body + ICC_PROFILE.length <= b.length
                    && Arrays.equals(b, body, body + ICC_PROFILE.length, ICC_PROFILE, 0, ICC_PROFILE.length)) {
                return true;
            }
            i += 2 + length;
        }
        return false;
    }
}
