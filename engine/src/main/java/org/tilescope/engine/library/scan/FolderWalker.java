package org.tilescope.engine.library.scan;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.tilescope.engine.slide.Slides;

/**
 * Walks library roots for slides and their sidecars, one virtual thread per folder.
 *
 * <p>Symbolic links are followed, but each real folder is listed once (by its file key), so a
 * folder that links to its parent ends the walk instead of looping. Deep Zoom {@code _files}
 * folders and slide folders are not descended into: they hold tiles, not slides. Hidden entries
 * are skipped.
 */
public final class FolderWalker {
    /** The sidecar extensions, tried after the slide's base name. */
    public static final List<String> SIDECAR_EXTENSIONS = List.of(".txt", ".md", ".json", ".geojson");
    /**
     * Folders listed at once. Enough to keep a disk or a network share busy; few enough that the
     * slides of the first folders are examined (and shown) while the rest are still being listed.
     */
    static final int LISTING_CONCURRENCY = 8;

    private FolderWalker() {
    }

    /** A folder that could not be listed: slides below it are not known to be gone. */
    public record Unlisted(Path folder, String reason) {
    }

    /** What the walk saw besides the candidates. */
    public record Result(int folders, List<Unlisted> unlisted) {
    }

    /**
     * Walks the roots and hands each slide candidate to {@code found} as soon as its folder is
     * listed (from many threads at once). Returns when every folder has been listed.
     */
    public static Result walk(List<Path> roots, Consumer<Candidate> found, BooleanSupplier cancelled)
            throws InterruptedException {
        Set<Object> visited = ConcurrentHashMap.newKeySet();
        List<Unlisted> unlisted = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger folders = new java.util.concurrent.atomic.AtomicInteger();
        Phaser pending = new Phaser(1);
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("tilescope-scan-", 0).factory())) {
            Walk walk = new Walk(threads, pending, new java.util.concurrent.Semaphore(LISTING_CONCURRENCY), visited,
                    unlisted, folders, found, cancelled);
            for (Path root : roots) {
                Path abs = root.toAbsolutePath().normalize();
                if (!Files.isDirectory(abs)) {
                    unlisted.add(new Unlisted(abs, Files.exists(abs) ? "not a folder" : "no such folder"));
                    continue;
                }
                walk.submit(abs);
            }
            pending.arriveAndAwaitAdvance();
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return new Result(folders.get(), List.copyOf(unlisted));
    }

    private record Walk(ExecutorService threads, Phaser pending, java.util.concurrent.Semaphore listing,
                        Set<Object> visited, List<Unlisted> unlisted,
                        java.util.concurrent.atomic.AtomicInteger folders, Consumer<Candidate> found,
                        BooleanSupplier cancelled) {

        void submit(Path dir) {
            Object key = folderKey(dir);
            if (key == null || !visited.add(key)) {
                return;
            }
            pending.register();
            threads.execute(() -> {
                try {
                    listing.acquire();
                    try {
                        if (!cancelled.getAsBoolean()) {
                            list(dir);
                        }
                    } finally {
                        listing.release();
                    }
                } catch (InterruptedException e) {
                    unlisted.add(new Unlisted(dir, "interrupted"));
                } catch (RuntimeException e) {
                    unlisted.add(new Unlisted(dir, e.toString()));
                } finally {
                    pending.arriveAndDeregister();
                }
            });
        }

        private void list(Path dir) {
            folders.incrementAndGet();
            Map<String, Entry> entries = new HashMap<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                for (Path p : s) {
                    String name = p.getFileName().toString();
                    if (name.startsWith(".")) {
                        continue;
                    }
                    BasicFileAttributes a;
                    try {
                        a = Files.readAttributes(p, BasicFileAttributes.class);
                    } catch (IOException e) {
                        continue; // a dangling link or a file gone since the listing
                    }
                    entries.put(name, new Entry(p, name, a));
                }
            } catch (IOException | SecurityException e) {
                unlisted.add(new Unlisted(dir, e.getMessage() == null ? e.toString() : e.getMessage()));
                return;
            }
            for (Entry e : entries.values()) {
                String lower = e.name.toLowerCase(Locale.ROOT);
                if (e.attrs.isDirectory()) {
                    if (lower.endsWith("_files") && entries.containsKey(e.name.substring(0, e.name.length() - 6) + ".dzi")) {
                        continue; // a Deep Zoom slide's tiles
                    }
                    if (Slides.looksLikeSlide(e.path)) {
                        found.accept(candidate(e, entries));
                    } else {
                        submit(e.path);
                    }
                } else if (e.attrs.isRegularFile() && Slides.looksLikeSlide(e.path)) {
                    found.accept(candidate(e, entries));
                }
            }
        }

        private static Candidate candidate(Entry slide, Map<String, Entry> entries) {
            String base = baseName(slide.name, slide.attrs.isDirectory());
            List<Candidate.FileStat> sidecars = new ArrayList<>();
            for (String ext : SIDECAR_EXTENSIONS) {
                for (String name : List.of(base + ext, base + ext.toUpperCase(Locale.ROOT))) {
                    Entry e = entries.get(name);
                    if (e != null && e.attrs.isRegularFile()) {
                        sidecars.add(Candidate.FileStat.of(e.path, e.attrs));
                        break;
                    }
                }
            }
            Candidate.FileStat descriptor;
            if (slide.attrs.isDirectory()) {
                Path meta = slide.path.resolve("metadata.json");
                descriptor = Candidate.FileStat.read(Files.isRegularFile(meta) ? meta : slide.path.resolve("tiles.dzi"));
                Path annotations = slide.path.resolve("annotations");
                if (Files.isDirectory(annotations)) {
                    try (DirectoryStream<Path> s = Files.newDirectoryStream(annotations, "*.geojson")) {
                        List<Path> files = new ArrayList<>();
                        s.forEach(files::add);
                        files.sort(null);
                        for (Path f : files) {
                            sidecars.add(Candidate.FileStat.read(f));
                        }
                    } catch (IOException e) {
                        // an unreadable annotations folder: the slide is still a slide
                    }
                }
            } else {
                descriptor = Candidate.FileStat.of(slide.path, slide.attrs);
            }
            return new Candidate(slide.path, slide.attrs.isDirectory(), descriptor, sidecars);
        }
    }

    /** The candidate for one slide, found by listing its folder (for a slide outside the library). */
    public static Candidate candidateFor(Path slide) throws IOException {
        Path abs = slide.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        if (dir == null || !Files.exists(abs)) {
            throw new java.nio.file.NoSuchFileException(abs.toString());
        }
        Map<String, Entry> entries = new HashMap<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                try {
                    entries.put(p.getFileName().toString(), new Entry(p, p.getFileName().toString(),
                            Files.readAttributes(p, BasicFileAttributes.class)));
                } catch (IOException e) {
                    // gone or dangling: not a sidecar
                }
            }
        }
        Entry self = entries.get(abs.getFileName().toString());
        if (self == null) {
            throw new java.nio.file.NoSuchFileException(abs.toString());
        }
        return Walk.candidate(self, entries);
    }

    /** The slide's name without its extension: the base its sidecars share. */
    public static String baseName(String name, boolean folder) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (folder) {
            return lower.endsWith(".fastpath") ? name.substring(0, name.length() - ".fastpath".length()) : name;
        }
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private record Entry(Path path, String name, BasicFileAttributes attrs) {
    }

    /** The identity of a real folder: the file key (device and inode) when the platform has one. */
    static Object folderKey(Path dir) {
        try {
            BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class);
            if (!a.isDirectory()) {
                return null;
            }
            Object key = a.fileKey();
            return key != null ? key : dir.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }
}
