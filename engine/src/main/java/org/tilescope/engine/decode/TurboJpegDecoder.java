package org.tilescope.engine.decode;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.IIOException;

/**
 * Decodes baseline and progressive JPEG through libjpeg-turbo's TurboJPEG 2.x API, called with
 * the foreign function and memory API (no JNI glue to build or ship). Pixels come out as
 * TJPF_BGRX, which on a little-endian machine is byte for byte the int layout of
 * {@link BufferedImage#TYPE_INT_RGB}, so the decoded buffer is copied into the image's array
 * with one bulk copy and no per-pixel work. Given {@link PixelBuffers}, that array is a recycled
 * one when the pool has one free (no allocation, no zeroing). Anything libjpeg-turbo would colour
 * differently from ImageIO (CMYK, YCCK, an embedded ICC profile) and anything that is not a JPEG
 * goes to {@link ImageIoTileDecoder}.
 *
 * <p>TurboJPEG handles are not thread-safe, so each thread gets its own handle and native
 * buffers, reused for every tile it decodes and released by a {@link Cleaner} once the thread is
 * gone. That suits the engine's fixed pool of decode threads; decoding on short-lived (virtual)
 * threads works but pays for a handle per thread.
 */
final class TurboJpegDecoder implements TileDecoder {
    private static final System.Logger LOG = System.getLogger(TurboJpegDecoder.class.getName());

    /** A libturbojpeg file to try before the system's, by absolute path. */
    static final String PATH_PROPERTY = "tilescope.turbojpeg.path";

    // Values from turbojpeg.h 2.1 (not shipped here: libturbojpeg0-dev is not installed).
    private static final int TJPF_BGRX = 3;
    private static final int TJCS_CMYK = 3;
    private static final int TJCS_YCCK = 4;
    private static final int TJERR_WARNING = 0;
    /** A truncated or corrupt stream makes libjpeg-turbo warn and fill gray; stop and fail instead. */
    private static final int TJFLAG_STOPONWARNING = 8192;
    /** Refuses progressive JPEGs with an absurd number of scans (a cheap decompression bomb). */
    private static final int TJFLAG_LIMITSCANS = 32768;
    /** Default IDCT (islow), as ImageIO's; TJFLAG_FASTDCT would change pixels by more than rounding. */
    private static final int DECODE_FLAGS = TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS;
    /** TurboJPEG's error string buffer is JMSG_LENGTH_MAX bytes. */
    private static final int ERROR_STRING_MAX = 200;

    /**
     * Output buffers up to this size stay with their thread for the next tile; a larger image
     * (a macro or label image, an odd huge tile) gets a buffer freed as soon as it is copied out.
     */
    private static final long RETAINED_OUTPUT_BYTES = 16L << 20;

    /** 16x8, left half RGB c86432, right half 28a0dc, JPEG quality 0.9, 4:2:0 (ImageIO writer). */
    private static final String SELF_TEST_JPEG = "/9j/4AAQSkZJRgABAgAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAAIABADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwCpWnRRXX4Wf8xv/cP/ANvODxs/5l3/AHF/9xn/2Q==";

    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final Cleaner CLEANER = Cleaner.create();

    /** What loading libturbojpeg came to: a working decoder, or why there is none. */
    record Availability(Optional<TurboJpegDecoder> decoder, String description, boolean libraryMissing) {
        static Availability unavailable(String why) {
            return new Availability(Optional.empty(), why, false);
        }
    }

    /**
     * The bound TurboJPEG functions and where they came from. Reached through the static final
     * {@link Library#LIB}, so the JIT can treat the method handles as constants and inline the
     * downcalls (measured: a few percent per 256 px tile, within this machine's noise).
     */
    private record Lib(String file, String version, MethodHandle initDecompress, MethodHandle decompressHeader3,
                       MethodHandle decompress2, MethodHandle getErrorStr2, MethodHandle getErrorCode,
                       MethodHandle destroy) {
    }

    /** libturbojpeg, bound once per JVM on first use; LIB is null when that failed, and PROBLEM says why. */
    private static final class Library {
        static final Lib LIB;
        static final String PROBLEM;
        static final boolean MISSING;

        static {
            Lib lib = null;
            String problem = null;
            boolean missing = false;
            List<String> tried = new ArrayList<>();
            for (String file : candidateFiles()) {
                try {
                    lib = bind(file, SymbolLookup.libraryLookup(file, Arena.global()));
                    break;
                } catch (IllegalArgumentException e) {
                    tried.add(file);   // dlopen found no such library
                } catch (IllegalCallerException e) {
                    problem = "native access refused: " + e.getMessage();
                    break;
                } catch (RuntimeException | LinkageError e) {
                    // A missing symbol (NoSuchElementException), an incompatible build...
                    problem = file + " unusable: " + e;
                    break;
                }
            }
            if (lib == null && problem == null) {
                problem = String.join(", ", tried) + " not found";
                missing = true;
            }
            LIB = lib;
            PROBLEM = problem;
            MISSING = missing;
        }
    }

    private final TileDecoder fallback;
    private final ThreadLocal<Worker> workers = ThreadLocal.withInitial(Worker::new);

    private TurboJpegDecoder(TileDecoder fallback) {
        this.fallback = fallback;
    }

    @Override
    public String name() {
        return "libjpeg-turbo";
    }

    /**
     * The file the library was loaded from: the path it was asked for when that was absolute,
     * else (on Linux) the file the dynamic loader mapped, read from /proc/self/maps, else the
     * name it was asked for.
     */
    String libraryFile() {
        String file = Library.LIB.file();
        if (Path.of(file).isAbsolute()) {
            return file;
        }
        Path maps = Path.of("/proc/self/maps");
        if (Files.isReadable(maps)) {
            String stem = file.contains(".") ? file.substring(0, file.indexOf('.')) : file;
            try (Stream<String> lines = Files.lines(maps)) {
                // "7f3a... r-xp 00002000 08:01 1234   /usr/lib/x86_64-linux-gnu/libturbojpeg.so.0.2.0"
                Optional<String> mapped = lines.map(l -> l.indexOf('/') < 0 ? "" : l.substring(l.indexOf('/')))
                        .filter(p -> Path.of(p).getFileName().toString().startsWith(stem + "."))
                        .findFirst();
                if (mapped.isPresent()) {
                    return mapped.get();
                }
            } catch (IOException | UncheckedIOException | java.nio.file.InvalidPathException e) {
                // not this kernel's format: the name will do
            }
        }
        return file;
    }

    /** "libjpeg-turbo 2.x (libturbojpeg.so.0)": which library this decoder runs on. */
    String describe() {
        return "libjpeg-turbo " + Library.LIB.version() + " (" + Library.LIB.file() + ")";
    }

    @Override
    public BufferedImage decode(byte[] encoded) throws IOException {
        return decode(encoded, 1, Integer.MAX_VALUE, Integer.MAX_VALUE, null);
    }

    @Override
    public BufferedImage decode(byte[] encoded, int maxWidth, int maxHeight) throws IOException {
        return decode(encoded, 1, maxWidth, maxHeight, null);
    }

    /** Into a recycled array from {@code buffers}; what goes to ImageIO gets a new one, as ever. */
    @Override
    public BufferedImage decode(byte[] encoded, int maxWidth, int maxHeight, PixelBuffers buffers) throws IOException {
        return decode(encoded, 1, maxWidth, maxHeight, buffers);
    }

    /** Scaled in the decoder: libjpeg-turbo's DCT scaling skips most of the work a full decode does. */
    @Override
    public BufferedImage decodeReduced(byte[] encoded, int denominator) throws IOException {
        TileDecoder.checkDenominator(denominator);
        return decode(encoded, denominator, Integer.MAX_VALUE, Integer.MAX_VALUE, null);
    }

    private BufferedImage fallback(byte[] encoded, int denominator, int maxWidth, int maxHeight) throws IOException {
        return denominator == 1 ? fallback.decode(encoded, maxWidth, maxHeight) : fallback.decodeReduced(encoded, denominator);
    }

    private BufferedImage decode(byte[] encoded, int denominator, int maxWidth, int maxHeight, PixelBuffers buffers)
            throws IOException {
        if (encoded == null || encoded.length == 0) {
            throw new IIOException("empty tile");
        }
        if (ImageCodec.sniff(encoded) != ImageCodec.JPEG || JpegMarkers.needsColourManagement(encoded)) {
            return fallback(encoded, denominator, maxWidth, maxHeight);
        }
        // Same rule as the ImageIO path, so both decoders refuse the same files.
        if (!ImageCodec.jpegHasEndMarker(encoded)) {
            throw new IIOException("truncated JPEG (no end-of-image marker)");
        }
        Worker worker = workers.get();
        BufferedImage img;
        try {
            img = worker.decode(encoded, denominator, maxWidth, maxHeight, buffers);
        } catch (Throwable e) {
            // libjpeg-turbo 2.1 leaves a handle half-way through the header after tjDecompressHeader3
            // fails (it does not abort the decompressor), and the next tile then fails with
            // "Unsupported marker type". A fresh handle after any failure is cheap; failures are rare.
            workers.remove();
            worker.close();
            switch (e) {
                case IIOException io -> throw io;
                case Error err -> throw err;   // OutOfMemoryError for the pixels, say: not the tile's fault
                default -> throw new IIOException("libjpeg-turbo failed: " + e, e);
            }
        }
        return img != null ? img : fallback(encoded, denominator, maxWidth, maxHeight);
    }

    /** One thread's TurboJPEG handle and native buffers. Used only by the thread that made it. */
    private static final class Worker {
        private final MemorySegment handle;
        /** tjDecompressHeader3's out-parameters: width, height, subsampling, colour space. */
        private final MemorySegment width;
        private final MemorySegment height;
        private final MemorySegment subsampling;
        private final MemorySegment colorspace;
        private final Cleaner.Cleanable cleanable;
        private MemorySegment input = MemorySegment.NULL;
        private MemorySegment output = MemorySegment.NULL;

        Worker() {
            Lib lib = Library.LIB;
            MemorySegment h;
            try {
                h = (MemorySegment) lib.initDecompress().invokeExact();
            } catch (Throwable e) {
                throw new IllegalStateException("tjInitDecompress failed", e);
            }
            if (h.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("tjInitDecompress returned NULL (out of memory?)");
            }
            this.handle = h;
            // Small and as long-lived as this worker: GC-managed memory is enough.
            MemorySegment header = Arena.ofAuto().allocate(ValueLayout.JAVA_INT, 4);
            this.width = header.asSlice(0, 4);
            this.height = header.asSlice(4, 4);
            this.subsampling = header.asSlice(8, 4);
            this.colorspace = header.asSlice(12, 4);
            MethodHandle destroy = lib.destroy();
            // The action must not capture this Worker, or it would never become unreachable.
            this.cleanable = CLEANER.register(this, () -> destroyHandle(destroy, h));
        }

        /** Destroys the handle now rather than when the GC notices; the worker is unusable after. */
        void close() {
            cleanable.clean();
        }

        /**
         * The decoded image at 1/denominator of its size, or null when the JPEG is CMYK/YCCK and
         * ImageIO should decode it. Refused from the header when it declares more than
         * {@code maxWidth} x {@code maxHeight} at full size. The pixels go into an array from
         * {@code buffers}, or a new one when that is null.
         */
        BufferedImage decode(byte[] encoded, int denominator, int maxWidth, int maxHeight, PixelBuffers buffers)
                throws Throwable {
            long size = encoded.length;
            if (input.byteSize() < size) {
                // Headroom so a stream of slightly growing tiles does not reallocate every time.
                input = Arena.ofAuto().allocate(Math.max(size + (size >> 2), 64 << 10), 64);
            }
            MemorySegment.copy(encoded, 0, input, ValueLayout.JAVA_BYTE, 0, encoded.length);
            int rc = (int) Library.LIB.decompressHeader3().invokeExact(handle, input, size,
                    width, height, subsampling, colorspace);
            if (rc != 0) {
                throw failure("undecodable JPEG: ");
            }
            int w = width.get(ValueLayout.JAVA_INT, 0);
            int h = height.get(ValueLayout.JAVA_INT, 0);
            int cs = colorspace.get(ValueLayout.JAVA_INT, 0);
            if (cs == TJCS_CMYK || cs == TJCS_YCCK) {
                return null;
            }
            long pixels = (long) w * h;
            if (w <= 0 || h <= 0) {
                throw new IIOException("invalid image size " + w + "x" + h);
            }
            if (pixels > ImageIoTileDecoder.MAX_PIXELS || w > maxWidth || h > maxHeight) {
                throw new IIOException(Images.tooLarge(w, h, maxWidth, maxHeight));
            }
            // Asked for ceil(w / d) x ceil(h / d), TurboJPEG picks the scaling factor 1/d: the
            // largest of its factors (n/8) whose output fits.
            w = Math.ceilDiv(w, denominator);
            h = Math.ceilDiv(h, denominator);
            long bytes = (long) w * h * 4;
            if (bytes > RETAINED_OUTPUT_BYTES) {
                try (Arena once = Arena.ofConfined()) {
                    MemorySegment out = once.allocate(bytes, 64);
                    decompress(out, size, w, h);
                    return copyToImage(out, w, h, null);
                }
            }
            if (output.byteSize() < bytes) {
                output = Arena.ofAuto().allocate(bytes, 64);
            }
            decompress(output, size, w, h);
            return copyToImage(output, w, h, buffers);
        }

        private void decompress(MemorySegment out, long size, int w, int h) throws Throwable {
            int rc = (int) Library.LIB.decompress2().invokeExact(handle, input, size, out, w, w * 4, h, TJPF_BGRX, DECODE_FLAGS);
            if (rc != 0) {
                int code = (int) Library.LIB.getErrorCode().invokeExact(handle);
                throw failure(code == TJERR_WARNING ? "damaged JPEG: " : "undecodable JPEG: ");
            }
        }

        /** The decoded pixels in an int-RGB image of their own: over a recycled array when given buffers. */
        private static BufferedImage copyToImage(MemorySegment out, int w, int h, PixelBuffers buffers) {
            PixelBuffers.Lease lease = buffers == null ? null : buffers.take(w * h);
            int[] dst = lease == null ? new int[w * h] : lease.pixels();
            // Why a copy and not Linker.Option.critical(true) with the int[] as dstBuf: a critical
            // call holds off every safepoint (so GC) for the whole decode, which the FFM docs warn
            // against for anything but trivial functions, and it measured slower on 256 px tiles:
            // libjpeg-turbo then writes into cache-cold heap memory instead of a warm reused buffer.
            // BGRX bytes read as a little-endian int are 0xXXRRGGBB, which is TYPE_INT_RGB (the top
            // byte is ignored). Saying little-endian keeps this right on a big-endian CPU too, where
            // the copy then swaps bytes instead of being a plain memcpy.
            MemorySegment.copy(out, LE_INT, 0, dst, 0, dst.length);
            return buffers == null ? PixelBuffers.intRgb(new DataBufferInt(dst, dst.length), w, h)
                    : buffers.image(lease, w, h);
        }

        private IIOException failure(String prefix) throws Throwable {
            MemorySegment s = (MemorySegment) Library.LIB.getErrorStr2().invokeExact(handle);
            return new IIOException(prefix + cString(s));
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

    // ---- loading ------------------------------------------------------------------------------

    /**
     * Library files to try, most specific first: the file named by {@value #PATH_PROPERTY} (an
     * installed Tilescope's launcher points it at the copy bundled in the app folder), then names
     * dlopen looks up in the usual places.
     */
    static List<String> candidateFiles() {
        List<String> files = new ArrayList<>();
        String bundled = System.getProperty(PATH_PROPERTY, "").trim();
        if (!bundled.isEmpty()) {
            files.add(bundled);   // a missing file is tried and skipped like any other
        }
        files.addAll(systemFiles());
        return files;
    }

    private static List<String> systemFiles() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return List.of("libturbojpeg.0.dylib", "/opt/homebrew/opt/jpeg-turbo/lib/libturbojpeg.0.dylib",
                    "/usr/local/opt/jpeg-turbo/lib/libturbojpeg.0.dylib");
        }
        if (os.contains("win")) {
            return List.of("turbojpeg.dll");
        }
        return List.of("libturbojpeg.so.0");
    }

    /**
     * Loads libturbojpeg and checks it on a tiny embedded JPEG. Never throws: every way this can
     * fail (no library, native access refused, a broken or incompatible build) is a reason string.
     *
     * @param evenWithoutNativeAccess try even when the JVM was not started with
     *                                --enable-native-access (it then prints its own warning)
     */
    static Availability load(boolean evenWithoutNativeAccess) {
        if (!evenWithoutNativeAccess && !TurboJpegDecoder.class.getModule().isNativeAccessEnabled()) {
            return Availability.unavailable(
                    "native access not enabled; run java with --enable-native-access=ALL-UNNAMED");
        }
        try {
            if (Library.LIB == null) {
                return new Availability(Optional.empty(), Library.PROBLEM, Library.MISSING);
            }
            TurboJpegDecoder decoder = new TurboJpegDecoder(ImageIoTileDecoder.INSTANCE);
            String problem = selfTest(decoder);
            if (problem != null) {
                return Availability.unavailable(Library.LIB.file() + " self-test failed: " + problem);
            }
            return new Availability(Optional.of(decoder), decoder.describe(), false);
        } catch (RuntimeException | LinkageError e) {
            // tjInitDecompress failing for the self-test's thread, say.
            return Availability.unavailable("libjpeg-turbo unusable: " + e);
        }
    }

    private static Lib bind(String file, SymbolLookup lookup) {
        Linker linker = Linker.nativeLinker();
        ValueLayout ptr = ValueLayout.ADDRESS;
        ValueLayout i32 = ValueLayout.JAVA_INT;
        // unsigned long is 64 bits on LP64 (Linux, macOS) but 32 bits on Windows (LLP64).
        ValueLayout ulong = (ValueLayout) linker.canonicalLayouts().get("long");
        if (ulong.byteSize() != 8) {
            throw new IllegalStateException("TurboJPEG binding assumes a 64-bit unsigned long");
        }
        String version = lookup.find("tj3Init").isPresent() ? "3.x" : "2.x";
        return new Lib(file, version,
                linker.downcallHandle(lookup.findOrThrow("tjInitDecompress"), FunctionDescriptor.of(ptr)),
                linker.downcallHandle(lookup.findOrThrow("tjDecompressHeader3"),
                        FunctionDescriptor.of(i32, ptr, ptr, ulong, ptr, ptr, ptr, ptr)),
                linker.downcallHandle(lookup.findOrThrow("tjDecompress2"),
                        FunctionDescriptor.of(i32, ptr, ptr, ulong, ptr, i32, i32, i32, i32, i32)),
                linker.downcallHandle(lookup.findOrThrow("tjGetErrorStr2"), FunctionDescriptor.of(ptr, ptr)),
                linker.downcallHandle(lookup.findOrThrow("tjGetErrorCode"), FunctionDescriptor.of(i32, ptr)),
                linker.downcallHandle(lookup.findOrThrow("tjDestroy"), FunctionDescriptor.of(i32, ptr)));
    }

    /** Null when the embedded JPEG decodes to the right size and colours, else what went wrong. */
    private static String selfTest(TurboJpegDecoder decoder) {
        try {
            BufferedImage img = decoder.decode(Base64.getDecoder().decode(SELF_TEST_JPEG));
            if (img.getWidth() != 16 || img.getHeight() != 8) {
                return "decoded " + img.getWidth() + "x" + img.getHeight() + ", expected 16x8";
            }
            if (!near(img.getRGB(2, 4), 0xC86432) || !near(img.getRGB(13, 4), 0x28A0DC)) {
                return String.format("wrong colours %06x %06x", img.getRGB(2, 4) & 0xFFFFFF, img.getRGB(13, 4) & 0xFFFFFF);
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
