package org.tilescope.engine.cache;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;

/**
 * Every slide opened this session, kept with its parsed metadata so reopening parses nothing.
 * File handles are bounded: beyond {@code maxOpenFiles} recently used slides, the least recently
 * used one releases its handles (and reopens them lazily on its next read).
 */
final class SlidePool {
    private final int maxOpenFiles;
    private final Function<String, java.util.concurrent.ThreadPoolExecutor> readPools;
    /** Gives each opened source its full pyramid (generated levels where the file lacks them), by slide id. */
    private final BiFunction<Long, SlideSource, SlideSource> completePyramid;
    private final Map<URI, SlideHandle> byLocation = new LinkedHashMap<>();
    /** Handles that may hold open files, least recently used first. */
    private final LinkedHashMap<Long, SlideHandle> recent = new LinkedHashMap<>(16, 0.75f, true);

    SlidePool(int maxOpenFiles, Function<String, java.util.concurrent.ThreadPoolExecutor> readPools,
              BiFunction<Long, SlideSource, SlideSource> completePyramid) {
        this.maxOpenFiles = maxOpenFiles;
        this.readPools = readPools;
        this.completePyramid = completePyramid;
    }

    /**
     * The handle for this slide, opening (parsing) it only the first time, and again when the
     * source says the slide changed since.
     */
    SlideHandle open(URI location) throws IOException {
        SlideHandle known;
        synchronized (this) {
            known = byLocation.get(location);
        }
        // asked outside the lock: a slow disk must not stall other slides
        if (known != null && !known.source().changedOnDisk()) {
            touch(known);
            return known;
        }
        SlideSource src = Slides.open(location);
        long id = SlideIds.of(src.identity());
        synchronized (this) {
            SlideHandle h = byLocation.get(location);
            if (h != null && h.id() == id) {
                src.close();
                touch(h);
                return h;
            }
            if (h != null) {
                // the slide changed: the old handle's tiles are under the old id
                recent.remove(h.id());
                h.close();
            }
            SlideHandle created = new SlideHandle(id, location, completePyramid.apply(id, src),
                    readPools.apply(src.info().name()));
            byLocation.put(location, created);
            touch(created);
            return created;
        }
    }

    /** Adds an already open source under a given id (tests, in-memory slides). */
    synchronized SlideHandle register(long id, URI location, SlideSource src) {
        SlideHandle h = new SlideHandle(id, location, completePyramid.apply(id, src), readPools.apply(src.info().name()));
        byLocation.put(location, h);
        touch(h);
        return h;
    }

    /** Marks a slide as just used; releases the files of the least recently used beyond the bound. */
    synchronized void touch(SlideHandle h) {
        recent.put(h.id(), h);
        while (recent.size() > maxOpenFiles) {
            var eldest = recent.entrySet().iterator();
            SlideHandle old = eldest.next().getValue();
            eldest.remove();
            old.source().releaseHandles();
        }
    }

    synchronized int size() {
        return byLocation.size();
    }

    synchronized int openFiles() {
        return recent.size();
    }

    void closeAll() {
        List<SlideHandle> all;
        synchronized (this) {
            all = new ArrayList<>(byLocation.values());
            byLocation.clear();
            recent.clear();
        }
        all.forEach(SlideHandle::close);
    }
}
