package org.tilescope.engine.decode;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import javax.imageio.IIOException;

/**
 * Encodes JPEG through libjpeg-turbo's TurboJPEG 2.x API (tjCompress2), called with the foreign
 * function and memory API like {@link TurboJpegDecoder}: int-RGB pixels are BGRX bytes on a
 * little-endian machine, so they go from the int array to native memory with one bulk copy.
 * Measured on this project's 256 px tiles it is several times faster than the JDK's writer (see
 * benchmarks/README.md), which matters because a slide without a pyramid has its coarser levels
 * encoded tile by tile, and an imported image has every tile of its pyramid encoded.
 *
 * <p>Each thread keeps its own TurboJPEG handle and native buffers, released by a
 * {@link Cleaner} once the thread is gone; the engine encodes on its fixed decode pool.
 */
final class TurboJpegEncoder implements TileEncoder {
    private static final System.Logger LOG = System.getLogger(TurboJpegEncoder.class.getName());

    // Values from turbojpeg.h 2.1.
    private static final int TJPF_BGRX = 3;
    private static final int TJSAMP_444 = 0;
    private static final int TJSAMP_420 = 2;
    /** Write into the buffer given (sized by tjBufSize) instead of letting TurboJPEG allocate. */
    private static final int TJFLAG_NOREALLOC = 1024;
    /**
     * The accurate integer DCT (libjpeg's JDCT_ISLOW) instead of TurboJPEG's default fast one when
     * compressing: what libvips and the JDK's writer use, so a written pyramid has the same pixels
     * whichever encoder wrote it (the fast DCT differed from vips' output by 52 dB PSNR at Q80).
     */
    private static final int TJFLAG_ACCURATEDCT = 4096;
    private static final int ERROR_STRING_MAX = 200;
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final Cleaner CLEANER = Cleaner.create();

    private record Lib(MethodHandle initCompress, MethodHandle compress2, MethodHandle bufSize,
                       MethodHandle getErrorStr2, MethodHandle destroy) {
    }

    /** libturbojpeg's encoder functions, bound once on first use; LIB is null when that failed. */
    private static final class Library {
        static final Lib LIB;
        static final String PROBLEM;

        static {
            Lib lib = null;
            String problem = "libturbojpeg not found";
            for (String file : TurboJpegDecoder.candidateFiles()) {
                try {
                    lib = bind(SymbolLookup.libraryLookup(file, Arena.global()));
                    problem = null;
                    break;
                } catch (IllegalArgumentException e) {
                    // no such library under this name: try the next
                } catch (RuntimeException | LinkageError e) {
                    problem = file + " unusable for encoding: " + e;
                    break;
                }
            }
            LIB = lib;
            PROBLEM = problem;
        }
    }

    /**
     * The encoder {@link TileEncoder#standard()} returns, chosen once: quality 90 and no chroma
     * subsampling, as libvips does from Q90 up. Made levels are overviews, where colour detail is
     * most of what is left, and 4:2:0 loses it (mean error 3.7 against 8.4 per channel on a busy
     * 128 px tile at Q90, for about 1.6x the bytes).
     */
    private static final class Standard {
        static final TileEncoder ENCODER = choose();
    }

    /**
     * Each thread's TurboJPEG handle and buffers, shared by every encoder of this class whatever its
     * quality (quality and subsampling are arguments of each call, not state of the handle).
     */
    private static final ThreadLocal<Worker> WORKERS = ThreadLocal.withInitial(Worker::new);

    private final Settings settings;
    private final int tjSubsampling;
    private final int flags;

    private TurboJpegEncoder(int quality, Subsampling subsampling, boolean accurateDct) {
        this.settings = new Settings(quality, subsampling);
        this.flags = TJFLAG_NOREALLOC | (accurateDct ? TJFLAG_ACCURATEDCT : 0);
        this.tjSubsampling = switch (subsampling) {
            case YCC_444 -> TJSAMP_444;
            case YCC_420 -> TJSAMP_420;
        };
    }

    static TileEncoder standard() {
        return Standard.ENCODER;
    }

    /** libjpeg-turbo at this quality and subsampling when the standard encoder is libjpeg-turbo, else ImageIO. */
    static TileEncoder jpeg(int quality, Subsampling subsampling) {
        return Standard.ENCODER instanceof TurboJpegEncoder
                ? new TurboJpegEncoder(quality, subsampling, true)
                : new ImageIoTileEncoder(quality, subsampling);
    }

    private static TileEncoder choose() {
        // Same library and the same switches as decoding: forcing ImageIO decoding forces ImageIO here.
        if (!"libjpeg-turbo".equals(TileDecoder.standard().name())) {
            return ImageIoTileEncoder.STANDARD;
        }
        try {
            if (Library.LIB == null) {
                LOG.log(System.Logger.Level.INFO, "JPEG encoder: imageio (" + Library.PROBLEM + ")");
                return ImageIoTileEncoder.STANDARD;
            }
            // made levels keep TurboJPEG's fast DCT: at Q90 4:4:4 its loss is below what shows
            TurboJpegEncoder e = new TurboJpegEncoder(QUALITY, Subsampling.YCC_444, false);
            String problem = selfTest(e);
            if (problem != null) {
                LOG.log(System.Logger.Level.WARNING, "JPEG encoder: imageio (libjpeg-turbo self-test failed: " + problem + ")");
                return ImageIoTileEncoder.STANDARD;
            }
            return e;
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "JPEG encoder: imageio (libjpeg-turbo unusable: " + e + ")");
            return ImageIoTileEncoder.STANDARD;
        }
    }

    @Override
    public String name() {
        return "libjpeg-turbo";
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public byte[] encode(BufferedImage image) throws IOException {
        BufferedImage img = packed(image);
        try {
            return encodeRgb(((DataBufferInt) img.getRaster().getDataBuffer()).getData(), img.getWidth(), img.getHeight());
        } finally {
            // the encoder reads the bare array: the image must stay reachable until it is done, or a
            // pooled array (PixelBuffers) could go back to the pool under it
            Reference.reachabilityFence(img);
        }
    }

    @Override
    public byte[] encodeRgb(int[] pixels, int width, int height) throws IOException {
        Images.checkRgb(pixels, width, height);
        Worker worker = WORKERS.get();
        try {
            return worker.encode(pixels, width, height, settings.quality(), tjSubsampling, flags);
        } catch (Throwable e) {
            WORKERS.remove();
            worker.close();
            switch (e) {
                case IIOException io -> throw io;
                case Error err -> throw err;
                default -> throw new IIOException("libjpeg-turbo failed to encode: " + e, e);
            }
        }
    }

    /** The image as int RGB whose array holds exactly its pixels, row after row. */
    private static BufferedImage packed(BufferedImage image) {
        BufferedImage img = Images.toIntRgb(image);
        if (img.getRaster().getSampleModel() instanceof SinglePixelPackedSampleModel sm
                && sm.getScanlineStride() == img.getWidth()
                && img.getRaster().getSampleModelTranslateX() == 0 && img.getRaster().getSampleModelTranslateY() == 0
                && img.getRaster().getDataBuffer().getSize() == img.getWidth() * img.getHeight()
                && img.getRaster().getDataBuffer().getOffset() == 0) {
            return img;
        }
        return Images.copy(img, 0, 0, img.getWidth(), img.getHeight());
    }

    /** One thread's TurboJPEG compressor and native buffers. Used only by the thread that made it. */
    private static final class Worker {
        private final MemorySegment handle;
        /** tjCompress2's out-parameters: the JPEG buffer's address and its size. */
        private final MemorySegment jpegBuf;
        private final MemorySegment jpegSize;
        private final Cleaner.Cleanable cleanable;
        private MemorySegment input = MemorySegment.NULL;
        private MemorySegment output = MemorySegment.NULL;

        Worker() {
            Lib lib = Library.LIB;
            MemorySegment h;
            try {
                h = (MemorySegment) lib.initCompress().invokeExact();
            } catch (Throwable e) {
                throw new IllegalStateException("tjInitCompress failed", e);
            }
            if (h.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("tjInitCompress returned NULL (out of memory?)");
            }
            this.handle = h;
            this.jpegBuf = Arena.ofAuto().allocate(ValueLayout.ADDRESS);
            this.jpegSize = Arena.ofAuto().allocate(ValueLayout.JAVA_LONG);
            MethodHandle destroy = lib.destroy();
            this.cleanable = CLEANER.register(this, () -> destroyHandle(destroy, h));
        }

        void close() {
            cleanable.clean();
        }

        byte[] encode(int[] pixels, int w, int h, int quality, int tjSubsampling, int flags) throws Throwable {
            long in = (long) w * h * 4;
            if (input.byteSize() < in) {
                input = Arena.ofAuto().allocate(in, 64);
            }
            MemorySegment.copy(pixels, 0, input, LE_INT, 0, w * h);
            long max = (long) Library.LIB.bufSize().invokeExact(w, h, tjSubsampling);
            if (max <= 0) {
                throw new IIOException("tjBufSize refused " + w + "x" + h);
            }
            if (output.byteSize() < max) {
                output = Arena.ofAuto().allocate(max, 64);
            }
            jpegBuf.set(ValueLayout.ADDRESS, 0, output);
            jpegSize.set(ValueLayout.JAVA_LONG, 0, output.byteSize());
            int rc = (int) Library.LIB.compress2().invokeExact(handle, input, w, w * 4, h, TJPF_BGRX,
                    jpegBuf, jpegSize, tjSubsampling, quality, flags);
            if (rc != 0) {
                MemorySegment s = (MemorySegment) Library.LIB.getErrorStr2().invokeExact(handle);
                throw new IIOException("libjpeg-turbo cannot encode " + w + "x" + h + ": " + cString(s));
            }
            long n = jpegSize.get(ValueLayout.JAVA_LONG, 0);
            if (n <= 0 || n > output.byteSize()) {
                throw new IIOException("libjpeg-turbo returned a JPEG of " + n + " bytes");
            }
            return output.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    private static void destroyHandle(MethodHandle destroy, MemorySegment handle) {
        try {
            int ignored = (int) destroy.invokeExact(handle);
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.WARNING, "tjDestroy failed", e);
        }
    }

    private static String cString(MemorySegment s) {
        if (s.equals(MemorySegment.NULL)) {
            return "(no message)";
        }
        MemorySegment text = s.reinterpret(ERROR_STRING_MAX);
        int n = 0;
        while (n < ERROR_STRING_MAX && text.get(ValueLayout.JAVA_BYTE, n) != 0) {
            n++;
        }
        return new String(text.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private static Lib bind(SymbolLookup lookup) {
        Linker linker = Linker.nativeLinker();
        ValueLayout ptr = ValueLayout.ADDRESS;
        ValueLayout i32 = ValueLayout.JAVA_INT;
        ValueLayout ulong = (ValueLayout) linker.canonicalLayouts().get("long");
        if (ulong.byteSize() != 8) {
            throw new IllegalStateException("TurboJPEG binding assumes a 64-bit unsigned long");
        }
        return new Lib(
                linker.downcallHandle(lookup.findOrThrow("tjInitCompress"), FunctionDescriptor.of(ptr)),
                linker.downcallHandle(lookup.findOrThrow("tjCompress2"),
                        FunctionDescriptor.of(i32, ptr, ptr, i32, i32, i32, i32, ptr, ptr, i32, i32, i32)),
                linker.downcallHandle(lookup.findOrThrow("tjBufSize"), FunctionDescriptor.of(ulong, i32, i32, i32)),
                linker.downcallHandle(lookup.findOrThrow("tjGetErrorStr2"), FunctionDescriptor.of(ptr, ptr)),
                linker.downcallHandle(lookup.findOrThrow("tjDestroy"), FunctionDescriptor.of(i32, ptr)));
    }

    /** Null when a two-colour image comes back through ImageIO with its colours, else what went wrong. */
    private static String selfTest(TurboJpegEncoder encoder) {
        try {
            BufferedImage img = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 16; x++) {
                    img.setRGB(x, y, x < 8 ? 0xC86432 : 0x28A0DC);
                }
            }
            BufferedImage back = ImageIoTileDecoder.INSTANCE.decode(encoder.encode(img));
            if (back.getWidth() != 16 || back.getHeight() != 8) {
                return "encoded " + back.getWidth() + "x" + back.getHeight() + ", expected 16x8";
            }
            if (!near(back.getRGB(2, 4), 0xC86432) || !near(back.getRGB(13, 4), 0x28A0DC)) {
                return String.format("wrong colours %06x %06x", back.getRGB(2, 4) & 0xFFFFFF, back.getRGB(13, 4) & 0xFFFFFF);
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return e.toString();
        }
    }

    private static boolean near(int argb, int rgb) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((argb >> shift) & 0xFF) - ((rgb >> shift) & 0xFF)) > 6) {
                return false;
            }
        }
        return true;
    }
}
