package org.tilescope.engine.demo;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The built-in demo slide the viewer opens when it is given nothing to open: a procedural
 * H&amp;E-like tissue section, 24000 x 18000 pixels, as a Deep Zoom pyramid in the user's cache
 * folder. Made once, on first use, in about a minute; afterwards {@link #isReady} is a file check.
 *
 * <p>The build writes into a private temporary folder and renames it into place last, with a
 * completion marker inside, so a killed or cancelled build never leaves a demo that looks whole.
 */
public final class DemoSlide {
    private static final System.Logger LOG = System.getLogger(DemoSlide.class.getName());

    /** Bumped whenever the picture or layout changes, so old caches are rebuilt. */
    static final int FORMAT_VERSION = 2;
    static final int TILE_SIZE = 254;
    static final int OVERLAP = 1;
    static final float JPEG_QUALITY = 0.85f;
    static final String NAME = "tilescope-demo";
    static final String FOLDER = "demo";
    static final String MARKER = "complete";
    static final String TEMP_PREFIX = "demo.tmp-";
    static final String OLD_PREFIX = "demo.old-";
    /** A temporary folder this old is abandoned even if its process id is in use again. */
    private static final Duration STALE_AFTER = Duration.ofDays(1);
    private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** The demo's shape; tests build small ones. */
    record Spec(int width, int height, long seed) {
        Spec {
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException("bad demo size " + width + "x" + height);
            }
        }
    }

    /** The demo every user gets. */
    static final Spec DEFAULT = new Spec(24000, 18000, 0x7153C0BEL);

    /** Receives build progress: {@code done} of {@code total} tiles written. */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total);

        Progress NONE = (done, total) -> {
        };
    }

    /** One build at a time per process: two would share a temporary folder and double the work. */
    private static final ReentrantLock BUILD_LOCK = new ReentrantLock();

    private DemoSlide() {
    }

    /**
     * The per-user cache folder for Tilescope ({@link org.tilescope.engine.library.LibraryFolders}
     * knows the conventions: {@code TILESCOPE_CACHE}, {@code $XDG_CACHE_HOME/tilescope}, ...).
     */
    public static Path defaultCacheDir() {
        return org.tilescope.engine.library.LibraryFolders.fromEnvironment().cache();
    }

    /** Where the demo's {@code .dzi} lives (whether or not it has been built). */
    public static Path location(Path cacheDir) {
        return cacheDir.resolve(FOLDER).resolve(NAME + ".dzi");
    }

    /** True when a complete demo of the current version is in place: opening it needs no build. */
    public static boolean isReady(Path cacheDir) {
        return isReady(cacheDir, DEFAULT);
    }

    static boolean isReady(Path cacheDir, Spec spec) {
        Path dir = cacheDir.resolve(FOLDER);
        try {
            String marker = Files.readString(dir.resolve(MARKER), StandardCharsets.UTF_8);
            return marker.equals(markerText(spec))
                    && Files.isRegularFile(dir.resolve(NAME + ".dzi"))
                    && Files.isDirectory(dir.resolve(NAME + "_files"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Returns the demo's {@code .dzi}, building it first when it is not {@link #isReady}. Blocks
     * for the length of the build, so call it off the UI thread; the work itself runs on a pool
     * of one thread per core.
     *
     * @param progress  told the tiles written so far, at most every ~100 ms and once at the end;
     *                  called on the calling thread
     * @param cancelled polled before every tile, from the pool's threads as well as the calling
     *                  one, so it must be thread-safe and cheap (an {@code AtomicBoolean::get});
     *                  interrupting the calling thread cancels too
     * @throws CancellationException when cancelled; nothing of the build is left behind
     * @throws IOException           when the cache folder cannot be made or written (full disk,
     *                               no permission); the message names the folder
     */
    public static Path ensure(Path cacheDir, Progress progress, BooleanSupplier cancelled) throws IOException {
        return ensure(cacheDir, DEFAULT, Runtime.getRuntime().availableProcessors(), progress, cancelled);
    }

    static Path ensure(Path cacheDir, Spec spec, int threads, Progress progress, BooleanSupplier cancelled)
            throws IOException {
        if (isReady(cacheDir, spec)) {
            return location(cacheDir);
        }
        try {
            BUILD_LOCK.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for another demo build");
        }
        try {
            // Another thread may have built it while this one waited.
            if (isReady(cacheDir, spec)) {
                return location(cacheDir);
            }
            try {
                Files.createDirectories(cacheDir);
            } catch (IOException e) {
                throw new IOException("cannot create the cache folder " + cacheDir + ": " + describe(e), e);
            }
            removeStale(cacheDir);
            Path temp = cacheDir.resolve(TEMP_PREFIX + ProcessHandle.current().pid());
            deleteTree(temp);
            boolean moved = false;
            try {
                Instant start = Instant.now();
                build(temp, spec, threads, progress, cancelled);
                moved = install(cacheDir, temp, spec);
                if (moved) {
                    LOG.log(Level.INFO, "Built the demo slide {0} ({1}) in {2} s", location(cacheDir),
                            spec.width() + "x" + spec.height(), Duration.between(start, Instant.now()).toMillis() / 1000.0);
                }
            } finally {
                if (!moved) {
                    deleteTree(temp);
                }
            }
            return location(cacheDir);
        } finally {
            BUILD_LOCK.unlock();
        }
    }

    /**
     * Moves a finished build into place. Returns false when another process put a complete demo
     * there first (its copy is kept, this one discarded).
     */
    private static boolean install(Path cacheDir, Path temp, Spec spec) throws IOException {
        Path target = cacheDir.resolve(FOLDER);
        if (Files.exists(target)) {
            // An old version or a damaged demo: out of the way first, so the rename below is one step.
            Path old = cacheDir.resolve(OLD_PREFIX + ProcessHandle.current().pid());
            deleteTree(old);
            try {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                // someone else removed it meanwhile
            } catch (IOException e) {
                throw new IOException("cannot replace the old demo slide in " + target + ": " + describe(e), e);
            }
            deleteTree(old);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            if (isReady(cacheDir, spec)) {
                return false;
            }
            throw new IOException("cannot move the demo slide into " + target + ": it is in the way", e);
        } catch (IOException e) {
            throw new IOException("cannot move the demo slide into " + target + ": " + describe(e), e);
        }
    }

    /**
     * Builds a complete demo folder at {@code dir} (which must not exist): the {@code .dzi},
     * every tile of every level down to 1x1, and the completion marker last.
     */
    static void build(Path dir, Spec spec, int threads, Progress progress, BooleanSupplier cancelled)
            throws IOException {
        Pyramid pyramid = new Pyramid(spec.width(), spec.height());
        Path files = dir.resolve(NAME + "_files");
        try {
            for (int level = 0; level < pyramid.levels(); level++) {
                Files.createDirectories(files.resolve(Integer.toString(pyramid.folder(level))));
            }
        } catch (IOException e) {
            throw new IOException("cannot write the demo slide into " + dir + ": " + describe(e), e);
        }
        long total = pyramid.tileCount();
        AtomicLong next = new AtomicLong();
        AtomicLong done = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int workers = (int) Math.max(1, Math.min(threads, total));
        CountDownLatch finished = new CountDownLatch(workers);
        ExecutorService pool = Executors.newFixedThreadPool(workers, namedThreads());
        boolean interrupted = false;
        try {
            for (int w = 0; w < workers; w++) {
                pool.execute(() -> {
                    TileWriter writer = null;
                    try {
                        writer = new TileWriter(spec, pyramid, files);
                        long i;
                        while (!stop.get() && (i = next.getAndIncrement()) < total) {
                            if (cancelled.getAsBoolean()) {
                                stop.set(true);
                                break;
                            }
                            writer.write(i);
                            done.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                        stop.set(true);
                    } finally {
                        if (writer != null) {
                            writer.close();
                        }
                        finished.countDown();
                    }
                });
            }
            long lastReport = System.nanoTime();
            progress.update(0, total);
            while (true) {
                boolean all;
                try {
                    all = finished.await(PROGRESS_INTERVAL_NANOS, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                    stop.set(true);
                    break;
                }
                if (all) {
                    break;
                }
                if (!stop.get() && cancelled.getAsBoolean()) {
                    stop.set(true);
                }
                long now = System.nanoTime();
                if (now - lastReport >= PROGRESS_INTERVAL_NANOS) {
                    progress.update(done.get(), total);
                    lastReport = now;
                }
            }
        } finally {
            pool.shutdown();
            // Workers stop at their next tile once stop is set; wait so none writes after cleanup.
            boolean waitInterrupted = false;
            while (true) {
                try {
                    if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    waitInterrupted = true;
                }
            }
            if (interrupted || waitInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
        Throwable t = failure.get();
        if (t instanceof IOException io) {
            throw new IOException("cannot write the demo slide into " + dir + ": " + describe(io), io);
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
        if (interrupted || done.get() < total) {
            throw new CancellationException("demo slide build cancelled after " + done.get() + " of " + total + " tiles");
        }
        try {
            // the scale the picture is drawn at (nuclei of 8-15 px are 2-4 µm at 0.25 µm/px, a 40x scan),
            // where vips' dzsave keeps such properties, so the scale bar and magnification work
            Files.writeString(dir.resolve(NAME + "_files").resolve("vips-properties.xml"), """
                    <?xml version="1.0"?>
                    <image xmlns="http://www.vips.ecs.soton.ac.uk//dzsave">
                      <properties>
                        <property><name>openslide.mpp-x</name><value type="VipsRefString">0.25</value></property>
                        <property><name>openslide.mpp-y</name><value type="VipsRefString">0.25</value></property>
                        <property><name>openslide.objective-power</name><value type="VipsRefString">40</value></property>
                      </properties>
                    </image>
                    """, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(NAME + ".dzi"), descriptor(spec), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(MARKER), markerText(spec), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot write the demo slide into " + dir + ": " + describe(e), e);
        }
        progress.update(total, total);
    }

    static String descriptor(Spec spec) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<Image xmlns=\"http://schemas.microsoft.com/deepzoom/2008\" Format=\"jpeg\" Overlap=\""
                + OVERLAP + "\" TileSize=\"" + TILE_SIZE + "\">\n"
                + "  <Size Width=\"" + spec.width() + "\" Height=\"" + spec.height() + "\"/>\n"
                + "</Image>\n";
    }

    static String markerText(Spec spec) {
        return "tilescope-demo\nversion=" + FORMAT_VERSION + "\nwidth=" + spec.width() + "\nheight=" + spec.height()
                + "\nseed=" + spec.seed() + "\n";
    }

    /**
     * Deletes temporary and replaced folders left by builds that died: their process is gone, or
     * they are older than a day. A live process's folder is left alone; it may still be building.
     */
    static void removeStale(Path cacheDir) {
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(cacheDir, "demo.{tmp,old}-*")) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                String rest = name.substring(name.indexOf('-') + 1);
                long pid;
                try {
                    pid = Long.parseLong(rest);
                } catch (NumberFormatException e) {
                    continue;
                }
                // This process's own leftovers are stale too: builds here hold BUILD_LOCK.
                boolean mine = pid == ProcessHandle.current().pid();
                boolean alive = !mine && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                if (!alive || olderThan(p, STALE_AFTER)) {
                    stale.add(p);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot list {0} for old demo builds: {1}", cacheDir, describe(e));
        }
        for (Path p : stale) {
            LOG.log(Level.INFO, "Removing an unfinished demo slide build {0}", p);
            deleteTree(p);
        }
    }

    private static boolean olderThan(Path p, Duration age) {
        try {
            return Files.getLastModifiedTime(p).toInstant().isBefore(Instant.now().minus(age));
        } catch (IOException e) {
            return false;
        }
    }

    /** Best effort: a leftover that cannot be deleted now is retried on the next start. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot delete {0}: {1}", root, describe(e));
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof NoSuchFileException) {
            return "no such file or folder " + m;
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + m;
        }
        if (e instanceof InterruptedIOException) {
            return "interrupted";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static ThreadFactory namedThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "tilescope-demo-" + n.incrementAndGet());
            t.setDaemon(true);
            // Leave the UI and the tile decoders ahead of a one-off background build.
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        };
    }

    /**
     * The Deep Zoom geometry: engine level 0 is full size, each next one half (rounded up), down
     * to 1x1; the file's folder numbers count the other way.
     */
    record Pyramid(int width, int height) {
        int levels() {
            int max = 0;
            while ((1L << max) < Math.max(width, height)) {
                max++;
            }
            return max + 1;
        }

        int folder(int level) {
            return levels() - 1 - level;
        }

        int levelWidth(int level) {
            return (int) Math.ceilDiv((long) width, 1L << level);
        }

        int levelHeight(int level) {
            return (int) Math.ceilDiv((long) height, 1L << level);
        }

        int cols(int level) {
            return Math.ceilDiv(levelWidth(level), TILE_SIZE);
        }

        int rows(int level) {
            return Math.ceilDiv(levelHeight(level), TILE_SIZE);
        }

        long tileCount() {
            long n = 0;
            for (int l = 0; l < levels(); l++) {
                n += (long) cols(l) * rows(l);
            }
            return n;
        }

        /**
         * The i-th tile of the build order: coarsest level first, because its few tiles each cover
         * much of the slide and are the slowest; starting them early keeps every core busy to the end.
         */
        int[] tile(long index) {
            long i = index;
            for (int l = levels() - 1; l >= 0; l--) {
                long n = (long) cols(l) * rows(l);
                if (i < n) {
                    return new int[] {l, (int) (i % cols(l)), (int) (i / cols(l))};
                }
                i -= n;
            }
            throw new IllegalArgumentException("tile index " + index + " beyond " + tileCount());
        }

        /** Pixel rectangle of a tile including its overlap: x, y, width, height. */
        int[] tileRect(int level, int col, int row) {
            int x0 = col * TILE_SIZE - (col > 0 ? OVERLAP : 0);
            int y0 = row * TILE_SIZE - (row > 0 ? OVERLAP : 0);
            int x1 = Math.min((col + 1) * TILE_SIZE + OVERLAP, levelWidth(level));
            int y1 = Math.min((row + 1) * TILE_SIZE + OVERLAP, levelHeight(level));
            return new int[] {x0, y0, x1 - x0, y1 - y0};
        }
    }

    /** One worker's painter, JPEG writer and buffers, reused tile after tile. */
    private static final class TileWriter {
        private final Pyramid pyramid;
        private final Path files;
        private final DemoPainter painter;
        private final ImageWriter jpeg;
        private final ImageWriteParam param;
        private final int[] pixels = new int[DemoPainter.MAX_TILE * DemoPainter.MAX_TILE];
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 << 10);

        TileWriter(Spec spec, Pyramid pyramid, Path files) {
            this.pyramid = pyramid;
            this.files = files;
            this.painter = new DemoPainter(spec.width(), spec.height(), spec.seed());
            this.jpeg = jpegWriter();
            this.param = jpeg.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
        }

        void write(long index) throws IOException {
            int[] t = pyramid.tile(index);
            int level = t[0];
            int[] r = pyramid.tileRect(level, t[1], t[2]);
            painter.paint(1 << level, r[0], r[1], r[2], r[3], pixels);
            BufferedImage image = new BufferedImage(r[2], r[3], BufferedImage.TYPE_INT_RGB);
            int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
            System.arraycopy(pixels, 0, data, 0, r[2] * r[3]);
            bytes.reset();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                jpeg.setOutput(out);
                jpeg.write(null, new IIOImage(image, null, null), param);
            }
            Path file = files.resolve(Integer.toString(pyramid.folder(level))).resolve(t[1] + "_" + t[2] + ".jpeg");
            Files.write(file, bytes.toByteArray());
        }

        void close() {
            jpeg.dispose();
        }

        /**
         * The JDK's own JPEG writer when present: TwelveMonkeys registers one too, which only
         * wraps the JDK's; going straight to it skips a layer per tile.
         */
        private static ImageWriter jpegWriter() {
            ImageWriter first = null;
            for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
                ImageWriter w = it.next();
                if (w.getClass().getName().startsWith("com.sun.imageio.")) {
                    if (first != null) {
                        first.dispose();
                    }
                    return w;
                }
                if (first == null) {
                    first = w;
                } else {
                    w.dispose();
                }
            }
            if (first == null) {
                throw new IllegalStateException("no JPEG writer in this Java runtime");
            }
            return first;
        }
    }
}
