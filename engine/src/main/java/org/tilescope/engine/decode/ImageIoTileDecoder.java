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
        if (encoded == null || encoded.length == 0) {
            throw new IIOException("empty tile");
        }
        ImageCodec codec = ImageCodec.sniff(encoded);
        ImageReader reader = switch (codec) {
            case JPEG -> {
                if (!ImageCodec.jpegHasEndMarker(encoded)) {
                    throw new IIOException("truncated JPEG (no end-of-image marker)");
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
            long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
            if (pixels <= 0 || pixels > MAX_PIXELS) {
                throw new IIOException("image too large: " + reader.getWidth(0) + "x" + reader.getHeight(0));
            }
            BufferedImage img = reader.read(0, reader.getDefaultReadParam());
            for (String w : warnings) {
                // colour-management notes (a CMYK JPEG without a profile) are not damage
                String lw = w.toLowerCase(java.util.Locale.ROOT);
                if (!lw.contains("icc") && !lw.contains("color profile") && !lw.contains("colour profile")) {
                    throw new IIOException("damaged " + codec.name() + ": " + w);
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
