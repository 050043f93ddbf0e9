package org.tilescope.engine.cache;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;

/**
 * Every slide opened this session, kept with its parsed metadata so reopening parses nothing.
 * File handles are bounded: beyond {@code maxOpenFiles} recently used slides, the least recently
 * used one releases its handles (and reopens them lazily on its next read). A slide that changed
 * on disk gets a new handle under a new id; the old one is retired (drained, then closed), never
 * closed under a view that still uses it.
 */
final class SlidePool {
    private final int maxOpenFiles;
    private final Function<String, ThreadPoolExecutor> readPools;
    /** Told (outside the lock) when a handle is replaced by a newer one of the same file. */
    private final BiConsumer<SlideHandle, SlideHandle> onReplaced;
    private final Map<Path, Entry> byPath = new LinkedHashMap<>();
    /** Handles that may hold open files, least recently used first. */
    private final LinkedHashMap<Long, SlideHandle> recent = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * A slide's current handle, and the id its files' stamp gave when it was opened (the handle's
     * own id differs when a rewrite left that stamp unchanged).
     */
    private record Entry(SlideHandle handle, long stampId) {
    }

    SlidePool(int maxOpenFiles, Function<String, ThreadPoolExecutor> readPools,
              BiConsumer<SlideHandle, SlideHandle> onReplaced) {
        this.maxOpenFiles = maxOpenFiles;
        this.readPools = readPools;
        this.onReplaced = onReplaced;
    }

    /** The handle for this slide, opening (parsing) it only the first time or after it changed. */
    SlideHandle open(Path path) throws IOException {
        Path canonical = path.toRealPath();
        long id = SlideIds.of(canonical);
        synchronized (this) {
            Entry e = byPath.get(canonical);
            if (e != null && e.stampId() == id && !e.handle().isRetired()) {
                touch(e.handle());
                return e.handle();
            }
        }
        // parse outside the lock: a slow disk must not stall other slides
        SlideSource src = Slides.open(canonical);
        return install(canonical, id, src, null);
    }

    /**
     * Parses the slide of {@code old} again and makes the result its current handle, under a new
     * id. The caller has retired {@code old}. When another thread got there first, its handle.
     */
    SlideHandle reopen(SlideHandle old) throws IOException {
        Path path = old.path();
        long id;
        SlideSource src;
        try {
            id = SlideIds.of(path);
            src = Slides.open(path);
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                // the next open() parses it again rather than finding the retired handle
                Entry entry = byPath.get(path);
                if (entry != null && entry.handle() == old) {
                    byPath.remove(path);
                }
                recent.remove(old.id());
            }
            throw e;
        }
        return install(path, id, src, old);
    }

    private SlideHandle install(Path path, long stampId, SlideSource src, SlideHandle replacing) throws IOException {
        SlideHandle fresh;
        SlideHandle replaced;
        synchronized (this) {
            Entry e = byPath.get(path);
            boolean current = e != null && !e.handle().isRetired();
            if (current && (replacing != null ? e.handle() != replacing : e.stampId() == stampId)) {
                // another thread opened this version (or a newer one) meanwhile
                src.close();
                touch(e.handle());
                return e.handle();
            }
            replaced = e == null ? replacing : e.handle();
            long id = stampId;
            if (replaced != null && replaced.id() == id) {
                // changed on disk, yet the stamp files look the same (a pack rewritten in place):
                // a new id all the same, so no tile of the new file is ever stored under the old one
                id = replaced.id() * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
            }
            String name = path.getFileName() == null ? "slide" : path.getFileName().toString();
            fresh = new SlideHandle(id, path, src, readPools.apply(name));
            byPath.put(path, new Entry(fresh, stampId));
            if (replaced != null) {
                recent.remove(replaced.id());
            }
            touch(fresh);
        }
        if (replaced != null) {
            replaced.retire();
            onReplaced.accept(replaced, fresh);
        }
        return fresh;
    }

    /** Adds an already open source under a given id (tests, in-memory slides). */
    synchronized SlideHandle register(long id, Path path, SlideSource src) {
        SlideHandle h = new SlideHandle(id, path, src, readPools.apply(String.valueOf(path.getFileName())));
        byPath.put(path, new Entry(h, id));
        touch(h);
        return h;
    }

    /** Marks a slide as just used; releases the files of the least recently used beyond the bound. */
    synchronized void touch(SlideHandle h) {
        if (h.isRetired()) {
            return;
        }
        recent.put(h.id(), h);
        while (recent.size() > maxOpenFiles) {
            var eldest = recent.entrySet().iterator();
            SlideHandle old = eldest.next().getValue();
            eldest.remove();
            old.source().releaseHandles();
        }
    }

    synchronized int size() {
        return byPath.size();
    }

    synchronized int openFiles() {
        return recent.size();
    }

    /** Every handle, current or not yet drained, for closing. */
    void closeAll() {
        List<SlideHandle> all;
        synchronized (this) {
            all = new ArrayList<>();
            byPath.values().forEach(e -> all.add(e.handle()));
            byPath.clear();
            recent.clear();
        }
        all.forEach(SlideHandle::close);
    }
}
