package org.tilescope.engine.decode;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes through ImageIO: TwelveMonkeys for JPEG (CMYK, Adobe and odd colour spaces come out
 * right), the JDK's readers for PNG and TIFF (the JDK TIFF reader handles every compression on a
 * single tile; TwelveMonkeys' does not). One reader per codec per thread, reused.
 */
final class ImageIoTileDecoder implements TileDecoder {
    static final ImageIoTileDecoder INSTANCE = new ImageIoTileDecoder();

    /** Larger tiles than this are refused before any pixel memory is allocated. */
    static final long MAX_PIXELS = 1L << 28;

    static {
        ImageIO.setUseCache(false);
        ImageIO.scanForPlugins();
    }

    private final ThreadLocal<ImageReader> jpeg = ThreadLocal.withInitial(
            () -> pickReader("jpeg", "com.twelvemonkeys."));
    private final ThreadLocal<ImageReader> png = ThreadLocal.withInitial(
            () -> pickReader("png", "com.sun.imageio."));
    private final ThreadLocal<ImageReader> tiff = ThreadLocal.withInitial(
            () -> pickReader("tiff", "com.sun.imageio."));

    private ImageIoTileDecoder() {
    }

    @Override
    public String name() {
        return "imageio";
    }

    @Override
    public BufferedImage decode(byte[] encoded) throws IOException {
        return decode(encoded, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    @Override
    public BufferedImage decode(byte[] encoded, int maxWidth, int maxHeight) throws IOException {
        if (encoded == null || encoded.length == 0) {
            throw new IIOException("empty tile");
        }
        ImageCodec codec = ImageCodec.sniff(encoded);
        ImageReader reader = switch (codec) {
            case JPEG -> {
                if (!ImageCodec.jpegHasEndMarker(encoded)) {
                    throw new IIOException("truncated JPEG (no end-of-image marker)");
                }
                String icc = JpegMarkers.iccProfileProblem(encoded);
                if (icc != null) {
                    throw new IIOException("damaged JPEG: " + icc);
                }
                yield jpeg.get();
            }
            case PNG -> png.get();
            case TIFF -> tiff.get();
            case UNKNOWN -> throw new IIOException("not a JPEG, PNG or TIFF image");
        };
        List<String> warnings = new ArrayList<>(1);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener((r, w) -> warnings.add(w));
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            long pixels = (long) w * h;
            if (w <= 0 || h <= 0) {
                throw new IIOException("invalid image size " + w + "x" + h);
            }
            if (pixels > MAX_PIXELS || w > maxWidth || h > maxHeight) {
                throw new IIOException(Images.tooLarge(w, h, maxWidth, maxHeight));
            }
            // Readers allocate a whole internal tile (TIFF tile or strip) before filling it: one
            // larger than the image, rounded up to the 16 px TIFF tiles come in, is a lie.
            int tw = reader.getTileWidth(0);
            int th = reader.getTileHeight(0);
            if (tw <= 0 || th <= 0 || tw > roundUp16(w) || th > roundUp16(h)) {
                throw new IIOException("damaged " + codec.name() + ": " + tw + "x" + th + " tiles in a "
                        + w + "x" + h + " image");
            }
            if (codec == ImageCodec.TIFF) {
                checkBitsPerSample(reader);
            }
            BufferedImage img = reader.read(0, reader.getDefaultReadParam());
            for (String warning : warnings) {
                // colour-management notes (a CMYK JPEG without a profile) are not damage
                String lw = warning.toLowerCase(java.util.Locale.ROOT);
                if (!lw.contains("icc") && !lw.contains("color profile") && !lw.contains("colour profile")) {
                    throw new IIOException("damaged " + codec.name() + ": " + warning);
                }
            }
            return Images.toIntRgb(img);
        } catch (IIOException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Decoders throw IndexOutOfBounds, IllegalArgument, NegativeArraySize... on garbage.
            throw new IIOException("undecodable " + codec.name() + ": " + e.getMessage(), e);
        } finally {
            reader.removeAllIIOReadWarningListeners();
            reader.setInput(null);
        }
    }

    /**
     * The JDK TIFF reader rescales samples that are not 8 bits through a table of 2^bits entries,
     * allocated before any pixel: 24 bits a sample is 64 MB for a 16 px tile. 1 to 16 are read.
     */
    private static void checkBitsPerSample(ImageReader reader) throws IOException {
        TIFFField bits = TIFFDirectory.createFromMetadata(reader.getImageMetadata(0))
                .getTIFFField(BaselineTIFFTagSet.TAG_BITS_PER_SAMPLE);
        if (bits == null) {
            return;
        }
        for (int b : bits.getAsInts()) {
            if (b < 1 || b > 16) {
                throw new IIOException("unsupported TIFF: " + b + " bits a sample (1 to 16 are read)");
            }
        }
    }

    private static long roundUp16(int v) {
        return ((long) v + 15) & ~15L;
    }

    private static ImageReader pickReader(String format, String preferredPackage) {
        Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format);
        ImageReader fallback = null;
        while (it.hasNext()) {
            ImageReader r = it.next();
            if (r.getClass().getName().startsWith(preferredPackage)) {
                return r;
            }
            if (fallback == null) {
                fallback = r;
            }
        }
        if (fallback == null) {
            throw new IllegalStateException("no ImageIO reader for " + format);
        }
        return fallback;
    }
}
