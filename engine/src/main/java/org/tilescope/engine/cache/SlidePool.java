package org.tilescope.engine.cache;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;

/**
 * Every slide opened this session, kept with its parsed metadata so reopening parses nothing.
 * File handles are bounded: beyond {@code maxOpenFiles} recently used slides, the least recently
 * used one releases its handles (and reopens them lazily on its next read). A slide whose source
 * says it changed is opened again under a new id, and its old handle is retired, never closed
 * under a view. The pool never looks at the file system itself: sources give their identity.
 */
final class SlidePool {
    private final int maxOpenFiles;
    private final Function<String, ThreadPoolExecutor> readPools;
    /** Gives each opened source its full pyramid (generated levels where the file lacks them), by slide id. */
    private final BiFunction<Long, SlideSource, SlideSource> completePyramid;
    /** Told (outside the lock) when a handle is replaced by a newer one of the same slide. */
    private final BiConsumer<SlideHandle, SlideHandle> onReplaced;
    private final Map<URI, Entry> byLocation = new LinkedHashMap<>();
    /** Handles that may hold open files, least recently used first. */
    private final LinkedHashMap<Long, SlideHandle> recent = new LinkedHashMap<>(16, 0.75f, true);
    /**
     * Slides opened for viewing whose thumbnails are held, least recently viewed first. Without
     * the bound every slide viewed in a session kept its thumbnail (3 MB for a 4000x3000 slide)
     * beyond the cache budgets: the memory soak saw the live heap grow by that per slide.
     */
    private final LinkedHashMap<Long, SlideHandle> viewed = new LinkedHashMap<>(16, 0.75f, true);
    /** Thumbnails held at most: 64 MB at the 1024 px cap, and the slides a user goes back to. */
    static final int THUMBNAILS_HELD = 16;

    /**
     * A slide's current handle, and the id its source's identity gave when it was opened (the
     * handle's own id differs when a rewrite left that identity unchanged).
     */
    private record Entry(SlideHandle handle, long identityId) {
    }

    SlidePool(int maxOpenFiles, Function<String, ThreadPoolExecutor> readPools,
              BiFunction<Long, SlideSource, SlideSource> completePyramid,
              BiConsumer<SlideHandle, SlideHandle> onReplaced) {
        this.maxOpenFiles = maxOpenFiles;
        this.readPools = readPools;
        this.completePyramid = completePyramid;
        this.onReplaced = onReplaced;
    }

    /** The handle for this slide, opening (parsing) it only the first time or after it changed. */
    SlideHandle open(URI location) throws IOException {
        Entry known;
        synchronized (this) {
            known = byLocation.get(location);
        }
        // asked outside the lock: a slow disk must not stall other slides
        if (known != null && !known.handle().isRetired() && !known.handle().source().changedOnDisk()) {
            touch(known.handle());
            return known.handle();
        }
        SlideSource src = Slides.open(location);
        return install(location, SlideIds.of(src.identity()), src, null);
    }

    /**
     * Parses the slide of {@code old} again and makes the result its current handle, under a new
     * id. The caller has retired {@code old}. When another thread got there first, its handle.
     */
    SlideHandle reopen(SlideHandle old) throws IOException {
        URI location = old.location();
        SlideSource src;
        try {
            src = Slides.open(location);
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                // the next open() parses it again rather than finding the retired handle
                Entry entry = byLocation.get(location);
                if (entry != null && entry.handle() == old) {
                    byLocation.remove(location);
                }
                recent.remove(old.id());
            }
            throw e;
        }
        return install(location, SlideIds.of(src.identity()), src, old);
    }

    private SlideHandle install(URI location, long identityId, SlideSource src, SlideHandle replacing)
            throws IOException {
        SlideHandle fresh;
        SlideHandle replaced;
        synchronized (this) {
            Entry e = byLocation.get(location);
            boolean current = e != null && !e.handle().isRetired();
            if (current && (replacing != null ? e.handle() != replacing : e.identityId() == identityId)) {
                // another thread opened this version (or a newer one) meanwhile
                src.close();
                touch(e.handle());
                return e.handle();
            }
            replaced = e == null ? replacing : e.handle();
            long id = identityId;
            if (replaced != null && replaced.id() == id) {
                // changed on disk, yet the identity looks the same (a pack rewritten in place):
                // a new id all the same, so no tile of the new file is ever stored under the old one
                id = replaced.id() * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
            }
            fresh = new SlideHandle(id, location, completePyramid.apply(id, src), readPools.apply(src.info().name()));
            byLocation.put(location, new Entry(fresh, identityId));
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
    synchronized SlideHandle register(long id, URI location, SlideSource src) {
        SlideHandle h = new SlideHandle(id, location, completePyramid.apply(id, src), readPools.apply(src.info().name()));
        byLocation.put(location, new Entry(h, id));
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

    /**
     * Marks a slide as opened for viewing (not for the preloader); drops the thumbnails of the
     * slides viewed longest ago beyond {@link #THUMBNAILS_HELD}. The slide on screen was viewed
     * last, so its thumbnail stays.
     */
    void viewed(SlideHandle h) {
        List<SlideHandle> dropped = new ArrayList<>();
        synchronized (this) {
            viewed.put(h.id(), h);
            var eldest = viewed.values().iterator();
            while (viewed.size() > THUMBNAILS_HELD) {
                dropped.add(eldest.next());
                eldest.remove();
            }
        }
        dropped.forEach(SlideHandle::dropThumbnail);
    }

    synchronized int size() {
        return byLocation.size();
    }

    synchronized int openFiles() {
        return recent.size();
    }

    /** Every handle, current or not yet drained, for closing. */
    void closeAll() {
        List<SlideHandle> all;
        synchronized (this) {
            all = new ArrayList<>();
            byLocation.values().forEach(e -> all.add(e.handle()));
            byLocation.clear();
            recent.clear();
            viewed.clear();
        }
        all.forEach(SlideHandle::close);
    }
}
