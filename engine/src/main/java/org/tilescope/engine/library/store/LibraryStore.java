package org.tilescope.engine.library.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.xxhash.XXHashFactory;

/**
 * The library's durable state: Jackson JSON in an LZ4 frame, written to two slot files in turn.
 *
 * <p>A write goes to the slot that does not hold the newest valid state, is forced to the device,
 * and only then counts; a crash at any moment leaves the other slot whole. Loading takes the
 * newest slot whose checksum holds and logs the other when it is unusable.
 *
 * <p>Two processes may share a library (the app open while the command line tags). A writer
 * holds an exclusive lock on {@code library.lock} for the whole read-merge-write: when another
 * process wrote since this one's state was loaded, the newer state is read and this process's
 * unwritten {@link Change}s are replayed onto it before writing. So no process loses the
 * other's writes. Readers take the lock shared.
 */
public final class LibraryStore {
    private static final System.Logger LOG = System.getLogger(LibraryStore.class.getName());
    /** Payload format version; a slot with another version is not read. */
    public static final int FORMAT = 1;
    static final String[] SLOTS = {"library-a.slot", "library-b.slot"};
    static final String LOCK = "library.lock";
    /** One lock per library folder in this JVM: file locks are per process, not per thread. */
    private static final ConcurrentHashMap<Path, ReentrantLock> PROCESS_LOCKS = new ConcurrentHashMap<>();

    private final Path dir;
    private final ReentrantLock processLock;
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    // guarded by this
    private StoreState state;
    /** Generation on disk that {@link #state} is based on, before the pending changes. */
    private long baseGeneration;
    /** Generation found in each slot at the last look: -1 when missing or invalid. */
    private final long[] slotGenerations = {-1, -1};
    /**
     * The highest generation any slot header has shown, valid or not: a new write goes above it,
     * so a process that saw a torn header's number never mistakes the next write for it.
     */
    private long highestSeen;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long lastSeq;
    private volatile long durableSeq;

    private record Pending(long seq, Change change) {
    }

    /**
     * What a persist or sync did.
     *
     * @param generation the generation now newest on disk
     * @param durableSeq every change with a sequence number up to this is on disk
     * @param merged     paths another process changed that this process now sees
     */
    public record Outcome(long generation, long durableSeq, Set<String> merged) {
    }

    private LibraryStore(Path dir) {
        this.dir = dir;
        Path key;
        try {
            key = dir.toRealPath();
        } catch (IOException e) {
            key = dir.toAbsolutePath().normalize();
        }
        this.processLock = PROCESS_LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
    }

    /** Opens (creating the folder when needed) and loads the newest valid slot. */
    public static LibraryStore open(Path dir) throws IOException {
        Files.createDirectories(dir);
        LibraryStore s = new LibraryStore(dir);
        s.processLock.lock();
        try (FileChannel ch = s.lockChannel(); FileLock ignored = ch.lock(0, Long.MAX_VALUE, true)) {
            Loaded l = s.loadNewest();
            synchronized (s) {
                s.state = l.state;
                s.baseGeneration = l.generation;
            }
        } finally {
            s.processLock.unlock();
        }
        return s;
    }

    public Path folder() {
        return dir;
    }

    /** Runs {@code reader} on the state under the store's lock; keep it short and copy what you keep. */
    public synchronized <T> T read(Function<StoreState, T> reader) {
        return reader.apply(state);
    }

    /** Applies changes now (readers see them at once) and keeps them until they are durable. */
    public synchronized long apply(List<? extends Change> changes) {
        for (Change c : changes) {
            c.applyTo(state);
            pending.add(new Pending(++lastSeq, c));
        }
        return lastSeq;
    }

    public long apply(Change change) {
        return apply(List.of(change));
    }

    /** Sequence number of the last change applied. */
    public synchronized long lastSeq() {
        return lastSeq;
    }

    /** Every change up to this sequence number is on disk. */
    public long durableSeq() {
        return durableSeq;
    }

    public synchronized boolean hasPending() {
        return !pending.isEmpty();
    }

    public synchronized long generation() {
        return baseGeneration;
    }

    /**
     * Writes every change applied so far, durably: under the file lock, merges with a newer slot
     * another process wrote, writes the older slot, forces it. Returns once it is on disk.
     */
    public Outcome persist() throws IOException {
        processLock.lock();
        try (FileChannel ch = lockChannel(); FileLock ignored = ch.lock()) {
            Set<String> merged = mergeNewerFromDisk();
            StoreState snapshot;
            long includedSeq;
            long generation;
            int target;
            synchronized (this) {
                snapshot = state.copy();
                includedSeq = lastSeq;
                generation = Math.max(highestSeen, Math.max(baseGeneration, Math.max(slotGenerations[0], slotGenerations[1]))) + 1;
                // the slot not holding the newest valid state (its generation is lower, or it is invalid)
                target = slotGenerations[0] > slotGenerations[1] ? 1 : 0;
            }
            byte[] payload = encode(snapshot);
            Path file = dir.resolve(SLOTS[target]);
            boolean created = !Files.exists(file);
            SlotFile.write(file, FORMAT, generation, payload);
            if (created) {
                forceFolder();
            }
            synchronized (this) {
                slotGenerations[target] = generation;
                highestSeen = Math.max(highestSeen, generation);
                baseGeneration = generation;
                while (!pending.isEmpty() && pending.peekFirst().seq <= includedSeq) {
                    pending.removeFirst();
                }
                durableSeq = Math.max(durableSeq, includedSeq);
            }
            return new Outcome(generation, includedSeq, merged);
        } finally {
            processLock.unlock();
        }
    }

    /**
     * Takes in what another process wrote since this one last looked (cheap when nothing was:
     * two headers read), keeping this process's unwritten changes on top.
     */
    public Outcome sync() throws IOException {
        processLock.lock();
        try (FileChannel ch = lockChannel(); FileLock ignored = ch.lock(0, Long.MAX_VALUE, true)) {
            Set<String> merged = mergeNewerFromDisk();
            synchronized (this) {
                return new Outcome(baseGeneration, durableSeq, merged);
            }
        } finally {
            processLock.unlock();
        }
    }

    /** Called under the file lock. */
    private Set<String> mergeNewerFromDisk() throws IOException {
        long base;
        synchronized (this) {
            base = baseGeneration;
        }
        long a = SlotFile.peekGeneration(dir.resolve(SLOTS[0]));
        long b = SlotFile.peekGeneration(dir.resolve(SLOTS[1]));
        synchronized (this) {
            highestSeen = Math.max(highestSeen, Math.max(a, b));
        }
        if (Math.max(a, b) <= base && (a == base || b == base || base == 0)) {
            synchronized (this) {
                // headers only: the slot with our base generation is the one we wrote or validated
                slotGenerations[0] = a == base ? a : Math.min(a, slotGenerations[0]);
                slotGenerations[1] = b == base ? b : Math.min(b, slotGenerations[1]);
            }
            return Set.of();
        }
        Loaded disk = loadNewest();
        synchronized (this) {
            if (disk.generation <= baseGeneration) {
                return Set.of();
            }
            StoreState merged = disk.state;
            for (Pending p : pending) {
                p.change.applyTo(merged);
            }
            Set<String> changed = StoreState.changedPaths(state, merged);
            state = merged;
            baseGeneration = disk.generation;
            return changed;
        }
    }

    private record Loaded(StoreState state, long generation) {
    }

    /** Reads both slots; the newest valid wins. Records each slot's generation. */
    private Loaded loadNewest() {
        StoreState best = null;
        long bestGeneration = 0;
        String[] problems = new String[2];
        long[] gens = {-1, -1};
        for (int i = 0; i < 2; i++) {
            Path file = dir.resolve(SLOTS[i]);
            SlotFile.ReadResult r = SlotFile.read(file);
            switch (r) {
                case SlotFile.ReadResult.Missing m -> {
                }
                case SlotFile.ReadResult.Invalid inv -> problems[i] = inv.reason();
                case SlotFile.ReadResult.Valid v -> {
                    if (v.contents().version() != FORMAT) {
                        problems[i] = "format version " + v.contents().version() + ", this Tilescope reads " + FORMAT;
                        continue;
                    }
                    try {
                        StoreState s = decode(v.contents().payload());
                        gens[i] = v.contents().generation();
                        if (best == null || gens[i] > bestGeneration) {
                            best = s;
                            bestGeneration = gens[i];
                        }
                    } catch (IOException | RuntimeException e) {
                        problems[i] = "payload does not decode: " + e.getMessage();
                    }
                }
            }
        }
        for (int i = 0; i < 2; i++) {
            if (problems[i] != null) {
                LOG.log(Level.WARNING, dir.resolve(SLOTS[i]) + ": unusable library slot (" + problems[i] + "); "
                        + (best == null ? "no valid slot, starting with an empty library"
                        : "using generation " + bestGeneration + " from the other slot"));
            }
        }
        long peekA = SlotFile.peekGeneration(dir.resolve(SLOTS[0]));
        long peekB = SlotFile.peekGeneration(dir.resolve(SLOTS[1]));
        synchronized (this) {
            slotGenerations[0] = gens[0];
            slotGenerations[1] = gens[1];
            highestSeen = Math.max(highestSeen, Math.max(peekA, peekB));
        }
        return new Loaded(best == null ? new StoreState() : best, bestGeneration);
    }

    byte[] encode(StoreState s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        // safe instances: the unsafe/native ones print JDK warnings
        try (OutputStream out = new LZ4FrameOutputStream(bytes, LZ4FrameOutputStream.BLOCKSIZE.SIZE_256KB, -1L,
                LZ4Factory.safeInstance().fastCompressor(), XXHashFactory.safeInstance().hash32(),
                LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE)) {
            json.writeValue(out, s.toFile());
        }
        return bytes.toByteArray();
    }

    StoreState decode(byte[] payload) throws IOException {
        try (InputStream in = new LZ4FrameInputStream(new ByteArrayInputStream(payload),
                LZ4Factory.safeInstance().safeDecompressor(), XXHashFactory.safeInstance().hash32())) {
            return StoreState.fromFile(json.readValue(in, StoreState.FileFormat.class));
        }
    }

    private FileChannel lockChannel() throws IOException {
        return FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    /** A new slot file's name must survive a crash too. */
    private void forceFolder() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can open a folder; the file itself is already forced
        }
    }
}
