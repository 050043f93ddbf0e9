package org.tilescope.engine.decode;

/** What kind of encoded image a byte array holds, told by its first bytes. */
public enum ImageCodec {
    JPEG, PNG, TIFF, UNKNOWN;

    public static ImageCodec sniff(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return JPEG;
        }
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return PNG;
        }
        if (b.length >= 4 && ((b[0] == 'I' && b[1] == 'I' && (b[2] == 42 || b[2] == 43) && b[3] == 0)
                || (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && (b[3] == 42 || b[3] == 43)))) {
            return TIFF;
        }
        return UNKNOWN;
    }

    /** True when a JPEG stream ends with its EOI marker, allowing a little trailing padding. */
    public static boolean jpegHasEndMarker(byte[] b) {
        int stop = Math.max(2, b.length - 64);
        for (int i = b.length - 1; i >= stop; i--) {
            if ((b[i - 1] & 0xFF) == 0xFF && (b[i] & 0xFF) == 0xD9) {
                return true;
            }
            if (b[i] != 0 && (b[i] & 0xFF) != 0xFF && i < b.length - 8) {
                return false;
            }
        }
        return false;
    }
}
