package org.tilescope.engine.slide.tiff;

import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The lossless TIFF compressions of 8-bit strips, decoded straight into a byte array: what plain
 * scans are stored with (none, LZW, Deflate, PackBits, with or without the horizontal predictor).
 * Import reads billions of samples this way; the JDK's TIFF reader spends most of its time
 * allocating an array per LZW string, and libtiff reads the same strips about three times faster.
 */
final class StripCodecs {
    static final int NONE = 1;
    static final int LZW = 5;
    static final int ADOBE_DEFLATE = 8;
    static final int PACKBITS = 32773;
    static final int DEFLATE = 32946;

    private static final int CLEAR = 256;
    private static final int END = 257;

    private StripCodecs() {
    }

    static boolean handles(int compression) {
        return compression == NONE || compression == LZW || compression == ADOBE_DEFLATE || compression == DEFLATE
                || compression == PACKBITS;
    }

    /**
     * Decodes one strip into {@code out}, filling it exactly.
     *
     * @throws IOException when the data ends before {@code out} is full, or is not what the compression says
     */
    static void decode(int compression, byte[] in, byte[] out) throws IOException {
        int n = switch (compression) {
            case NONE -> {
                System.arraycopy(in, 0, out, 0, Math.min(in.length, out.length));
                yield Math.min(in.length, out.length);
            }
            case LZW -> lzw(in, out);
            case ADOBE_DEFLATE, DEFLATE -> inflate(in, out);
            case PACKBITS -> packBits(in, out);
            default -> throw new IOException("compression " + compression + " is not read here");
        };
        if (n < out.length) {
            throw new IOException("data ends after " + n + " of " + out.length + " bytes");
        }
    }

    /** Undoes Predictor 2 (horizontal differencing) of 8-bit samples, {@code rowBytes} a row. */
    static void undoHorizontalPredictor(byte[] b, int rowBytes, int samplesPerPixel) {
        for (int start = 0; start < b.length; start += rowBytes) {
            for (int i = start + samplesPerPixel, end = start + rowBytes; i < end; i++) {
                b[i] += b[i - samplesPerPixel];
            }
        }
    }

    /**
     * TIFF LZW: codes of 9 to 12 bits, most significant bit first, the width growing one code
     * early (as libtiff writes). Strings are kept as a prefix chain and written back to front.
     */
    static int lzw(byte[] in, byte[] out) throws IOException {
        if (in.length >= 2 && in[0] == 0 && (in[1] & 1) != 0) {
            throw new IOException("old-style (bit-reversed) LZW");
        }
        short[] prefix = new short[4096];
        byte[] suffix = new byte[4096];
        byte[] first = new byte[4096];
        int[] length = new int[4096];
        for (int i = 0; i < 256; i++) {
            prefix[i] = -1;
            suffix[i] = (byte) i;
            first[i] = (byte) i;
            length[i] = 1;
        }
        int width = 9;
        int next = 258;
        int previous = -1;
        int written = 0;
        long bits = 0;
        int bitCount = 0;
        int pos = 0;
        while (written < out.length) {
            while (bitCount < width && pos < in.length) {
                bits = (bits << 8) | (in[pos++] & 0xFF);
                bitCount += 8;
            }
            if (bitCount < width) {
                break; // no END code: the data simply stops
            }
            int code = (int) (bits >>> (bitCount - width)) & ((1 << width) - 1);
            bitCount -= width;
            if (code == END) {
                break;
            }
            if (code == CLEAR) {
                width = 9;
                next = 258;
                previous = -1;
                continue;
            }
            if (previous < 0) {
                if (code > 255) {
                    throw new IOException("LZW code " + code + " right after a clear");
                }
                out[written++] = (byte) code;
                previous = code;
                continue;
            }
            if (code > next || next >= 4096 && code == next) {
                throw new IOException("LZW code " + code + " where at most " + next + " is defined");
            }
            if (next < 4096) {
                prefix[next] = (short) previous;
                suffix[next] = code < next ? first[code] : first[previous];
                first[next] = first[previous];
                length[next] = length[previous] + 1;
                next++;
            }
            int len = length[code];
            int end = Math.min(written + len, out.length);
            // walk the chain from the string's last byte; bytes past the end of out are dropped
            int c = code;
            for (int p = written + len - 1; p >= written; p--) {
                if (p < end) {
                    out[p] = suffix[c];
                }
                c = prefix[c];
            }
            written = end;
            previous = code;
            if (next >= (1 << width) - 1 && width < 12) {
                width++;
            }
        }
        return written;
    }

    private static int inflate(byte[] in, byte[] out) throws IOException {
        Inflater z = new Inflater();
        try {
            z.setInput(in);
            int n = 0;
            while (n < out.length && !z.finished()) {
                int k = z.inflate(out, n, out.length - n);
                if (k == 0 && (z.needsInput() || z.needsDictionary())) {
                    break;
                }
                n += k;
            }
            return n;
        } catch (DataFormatException e) {
            throw new IOException("damaged Deflate data: " + e.getMessage(), e);
        } finally {
            z.end();
        }
    }

    private static int packBits(byte[] in, byte[] out) {
        int n = 0;
        int p = 0;
        while (p < in.length && n < out.length) {
            int h = in[p++];
            if (h >= 0) {
                int len = Math.min(Math.min(h + 1, in.length - p), out.length - n);
                System.arraycopy(in, p, out, n, len);
                p += h + 1;
                n += len;
            } else if (h != -128 && p < in.length) {
                int len = Math.min(1 - h, out.length - n);
                java.util.Arrays.fill(out, n, n + len, in[p++]);
                n += len;
            }
        }
        return n;
    }
}
