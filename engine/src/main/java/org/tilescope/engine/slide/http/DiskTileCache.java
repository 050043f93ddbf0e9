package org.tilescope.engine.slide.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.tilescope.engine.slide.Limits;

/**
 * L3: encoded remote tiles kept on disk, so a remote slide reopened after a restart shows without
 * asking its server again. Off unless turned on ({@link #enable}); one per process, shared by
 * every remote slide. Tiles are files named by a hash of the slide's identity (URL and server
 * validator: a changed slide gets new names) and the tile; the folder is held under its byte
 * bound by deleting the least recently used files. A file that cannot be read is a miss, never
 * an error: L3 only ever saves a request.
 */
public final class DiskTileCache {
    private static final System.Logger LOG = System.getLogger(DiskTileCache.class.getName());
    private static volatile DiskTileCache shared;

    private final Path dir;
    private final long maxBytes;
    private final AtomicLong bytes = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final Object evicting = new Object();

    private DiskTileCache(Path dir, long maxBytes) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.maxBytes = maxBytes;
        try (Stream<Path> files = Files.walk(dir)) {
            bytes.set(files.filter(Files::isRegularFile).mapToLong(DiskTileCache::sizeOrZero).sum());
        }
    }

    /**
     * Turns L3 on for every remote slide read from now on, in {@code dir}, bounded to
     * {@code maxBytes}; replaces an L3 already on.
     */
    public static DiskTileCache enable(Path dir, long maxBytes) throws IOException {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        DiskTileCache c = new DiskTileCache(dir, maxBytes);
        shared = c;
        return c;
    }

    /** Turns L3 off; the files stay for the next time it is on. */
    public static void disable() {
        shared = null;
    }

    /** The L3 in use, if it is on. */
    public static Optional<DiskTileCache> shared() {
        return Optional.ofNullable(shared);
    }

    /** Hits, misses and bytes on disk since this L3 was turned on. */
    public record Stats(long hits, long misses, long bytes, long maxBytes) {
    }

    public Stats stats() {
        return new Stats(hits.sum(), misses.sum(), bytes.get(), maxBytes);
    }

    public Path dir() {
        return dir;
    }

    /** The stored bytes of a tile, or null. {@code key} names the tile within the slide's {@code identity}. */
    public byte[] get(String identity, String key) {
        Path f = file(identity, key);
        try {
            long size = Files.size(f);
            if (size == 0 || size > Limits.MAX_TILE_BYTES) {
                throw new IOException("bad size " + size);
            }
            byte[] b = Files.readAllBytes(f);
            Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis())); // recently used
            hits.increment();
            return b;
        } catch (NoSuchFileException e) {
            misses.increment();
            return null;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "L3 {0}: {1}", f, e.getMessage());
            delete(f);
            misses.increment();
            return null;
        }
    }

    /** Stores a tile (written whole to a temporary name, then renamed: never seen half written). */
    public void put(String identity, String key, byte[] tile) {
        if (tile.length == 0 || tile.length > maxBytes / 4) {
            return;
        }
        Path f = file(identity, key);
        try {
            Files.createDirectories(f.getParent());
            Path tmp = Files.createTempFile(f.getParent(), ".tile", ".part");
            try {
                Files.write(tmp, tile);
                long before = sizeOrZero(f);
                try {
                    Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
                }
                bytes.addAndGet(tile.length - before);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "L3 {0}: not stored: {1}", f, e.getMessage());
            return;
        }
        if (bytes.get() > maxBytes) {
            evict();
        }
    }

    /** Deletes the least recently used tiles until the folder is at 90% of its bound. */
    private void evict() {
        synchronized (evicting) {
            if (bytes.get() <= maxBytes) {
                return;
            }
            record Entry(Path file, long size, long used) {
            }
            List<Entry> all = new ArrayList<>();
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(Files::isRegularFile).forEach(p -> {
                    try {
                        all.add(new Entry(p, Files.size(p), Files.getLastModifiedTime(p).toMillis()));
                    } catch (IOException e) {
                        // gone meanwhile
                    }
                });
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "L3 {0}: cannot list: {1}", dir, e.getMessage());
                return;
            }
            all.sort(Comparator.comparingLong(Entry::used));
            long total = all.stream().mapToLong(Entry::size).sum();
            long target = maxBytes / 10 * 9;
            for (Entry e : all) {
                if (total <= target) {
                    break;
                }
                if (delete(e.file())) {
                    total -= e.size();
                }
            }
            bytes.set(total);
        }
    }

    private Path file(String identity, String key) {
        String h = sha256(identity + "\u0000" + key);
        return dir.resolve(h.substring(0, 2)).resolve(h.substring(2));
    }

    private static boolean delete(Path f) {
        try {
            return Files.deleteIfExists(f);
        } catch (IOException e) {
            return false;
        }
    }

    private static long sizeOrZero(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
