package org.tilescope.engine.demo;

import org.tilescope.engine.pyramid.PyramidGeometry;
import org.tilescope.engine.pyramid.PyramidWriter;
import org.tilescope.engine.files.FileTrees;
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
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

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
    static final int FORMAT_VERSION = 3;
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
            FileTrees.deleteTree(temp);
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
                    FileTrees.deleteTree(temp);
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
            FileTrees.deleteTree(old);
            try {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                // someone else removed it meanwhile
            } catch (IOException e) {
                throw new IOException("cannot replace the old demo slide in " + target + ": " + describe(e), e);
            }
            FileTrees.deleteTree(old);
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
        // the picture is painted at full size band by band and reduced level by level by the one
        // pyramid writer, as an import is; painting runs on every core, encoding beside it
        PyramidWriter writer = new PyramidWriter(new PyramidWriter.Options(PyramidWriter.Format.DEEPZOOM, TILE_SIZE,
                OVERLAP, Math.round(JPEG_QUALITY * 100), Math.max(1, threads)));
        PyramidWriter.Stats stats = new PyramidWriter.Stats();
        long total = new PyramidGeometry(spec.width(), spec.height(), TILE_SIZE, OVERLAP).tileCount();
        progress.update(0, total);
        Thread reporter = Thread.ofPlatform().daemon().name("tilescope-demo-progress").start(() -> {
            try {
                while (true) {
                    Thread.sleep(PROGRESS_INTERVAL_NANOS / 1_000_000);
                    progress.update(stats.tilesDone(), total);
                }
            } catch (InterruptedException e) {
                // the build is over
            }
        });
        try (DemoRows rows = new DemoRows(spec, threads)) {
            Files.createDirectories(dir);
            writer.write(rows, dir, NAME, stats, () -> cancelled.getAsBoolean() || Thread.currentThread().isInterrupted());
        } catch (CancellationException e) {
            throw new CancellationException("demo slide build cancelled after " + stats.tilesDone() + " of " + total + " tiles");
        } catch (IOException e) {
            throw new IOException("cannot write the demo slide into " + dir + ": " + describe(e), e);
        } finally {
            reporter.interrupt();
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
            FileTrees.deleteTree(p);
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


}
