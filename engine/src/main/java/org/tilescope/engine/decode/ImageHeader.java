package org.tilescope.engine.decode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.imageio.IIOException;

/**
 * The pixel size an encoded image declares, read from its header without decoding or allocating
 * anything: a JPEG's frame header (SOFn), a PNG's IHDR, a TIFF's first directory. Lets a caller
 * refuse a tile that claims to be far larger than its level's tiles before a decoder allocates
 * the pixels it asks for.
 *
 * @param codec  what the bytes are
 * @param width  declared width in pixels
 * @param height declared height in pixels
 */
public record ImageHeader(ImageCodec codec, long width, long height) {
    private static final int SOS = 0xDA;
    private static final int EOI = 0xD9;
    private static final int TIFF_IMAGE_WIDTH = 256;
    private static final int TIFF_IMAGE_LENGTH = 257;

    /**
     * Reads the declared size.
     *
     * @throws IIOException when the bytes are empty, not a JPEG, PNG or TIFF, or their header is
     *                      malformed (a decoder would refuse them too)
     */
    public static ImageHeader read(byte[] b) throws IIOException {
        if (b == null || b.length == 0) {
            throw new IIOException("empty tile");
        }
        ImageCodec codec = ImageCodec.sniff(b);
        return switch (codec) {
            case JPEG -> jpeg(b);
            case PNG -> png(b);
            case TIFF -> tiff(b);
            case UNKNOWN -> throw new IIOException("not a JPEG, PNG or TIFF image");
        };
    }

    /** Refuses an image that declares more than {@code maxWidth} x {@code maxHeight} pixels. */
    public static void requireWithin(byte[] b, int maxWidth, int maxHeight) throws IIOException {
        ImageHeader h = read(b);
        if (h.width() > maxWidth || h.height() > maxHeight) {
            throw new IIOException(h.codec() + " declares " + h.width() + "x" + h.height()
                    + " pixels, more than a tile of this level may have (" + maxWidth + "x" + maxHeight + ")");
        }
    }

    private static ImageHeader jpeg(byte[] b) throws IIOException {
        int i = 2;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                throw new IIOException("damaged JPEG: no marker at offset " + i);
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2; // markers without a length
                continue;
            }
            if (marker == SOS || marker == EOI) {
                break;
            }
            int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            if (length < 2) {
                throw new IIOException("damaged JPEG: segment length " + length + " at offset " + i);
            }
            if (isStartOfFrame(marker)) {
                if (length < 8 || i + 9 > b.length) {
                    throw new IIOException("damaged JPEG: truncated frame header");
                }
                int height = ((b[i + 5] & 0xFF) << 8) | (b[i + 6] & 0xFF);
                int width = ((b[i + 7] & 0xFF) << 8) | (b[i + 8] & 0xFF);
                if (width == 0 || height == 0) {
                    throw new IIOException("damaged JPEG: frame of " + width + "x" + height + " pixels");
                }
                return new ImageHeader(ImageCodec.JPEG, width, height);
            }
            i += 2 + length;
        }
        throw new IIOException("damaged JPEG: no frame header before the scan");
    }

    /** SOF0-3, 5-7, 9-11, 13-15; not DHT (C4), JPG (C8) or DAC (CC). */
    private static boolean isStartOfFrame(int m) {
        return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    }

    private static ImageHeader png(byte[] b) throws IIOException {
        if (b.length < 24 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            throw new IIOException("damaged PNG: no IHDR chunk first");
        }
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
        long width = Integer.toUnsignedLong(buf.getInt(16));
        long height = Integer.toUnsignedLong(buf.getInt(20));
        if (width == 0 || height == 0) {
            throw new IIOException("damaged PNG: image of " + width + "x" + height + " pixels");
        }
        return new ImageHeader(ImageCodec.PNG, width, height);
    }

    private static ImageHeader tiff(byte[] b) throws IIOException {
        ByteBuffer buf = ByteBuffer.wrap(b).order(b[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        boolean big = buf.getShort(2) == 43;
        long width = -1;
        long height = -1;
        try {
            long ifd = big ? buf.getLong(8) : Integer.toUnsignedLong(buf.getInt(4));
            if (ifd < 0 || ifd > b.length) {
                throw new IIOException("damaged TIFF: first directory at offset " + ifd + " is outside the data");
            }
            int p = (int) ifd;
            long entries = big ? buf.getLong(p) : Short.toUnsignedInt(buf.getShort(p));
            p += big ? 8 : 2;
            int entrySize = big ? 20 : 12;
            for (long e = 0; e < entries && p + entrySize <= b.length; e++, p += entrySize) {
                int tag = Short.toUnsignedInt(buf.getShort(p));
                if (tag != TIFF_IMAGE_WIDTH && tag != TIFF_IMAGE_LENGTH) {
                    continue;
                }
                int type = Short.toUnsignedInt(buf.getShort(p + 2));
                int at = p + (big ? 12 : 8);
                long value = switch (type) {
                    case 3 -> Short.toUnsignedInt(buf.getShort(at));
                    case 4 -> Integer.toUnsignedLong(buf.getInt(at));
                    case 16 -> big ? buf.getLong(at) : -1;
                    default -> -1;
                };
                if (tag == TIFF_IMAGE_WIDTH) {
                    width = value;
                } else {
                    height = value;
                }
            }
        } catch (IndexOutOfBoundsException e) {
            throw new IIOException("damaged TIFF: directory runs past the end of the data");
        }
        if (width <= 0 || height <= 0) {
            throw new IIOException("damaged TIFF: no usable ImageWidth and ImageLength");
        }
        return new ImageHeader(ImageCodec.TIFF, width, height);
    }
}
