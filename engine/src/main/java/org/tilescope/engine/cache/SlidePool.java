package org.tilescope.engine.cache;

import java.io.IOException;
import java.nio.file.Path;
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
    private final Map<Path, SlideHandle> byPath = new LinkedHashMap<>();
    /** Handles that may hold open files, least recently used first. */
    private final LinkedHashMap<Long, SlideHandle> recent = new LinkedHashMap<>(16, 0.75f, true);

    SlidePool(int maxOpenFiles, Function<String, java.util.concurrent.ThreadPoolExecutor> readPools,
              BiFunction<Long, SlideSource, SlideSource> completePyramid) {
        this.maxOpenFiles = maxOpenFiles;
        this.readPools = readPools;
        this.completePyramid = completePyramid;
    }

    /** The handle for this slide, opening (parsing) it only the first time. */
    SlideHandle open(Path path) throws IOException {
        Path canonical = path.toRealPath();
        long id = SlideIds.of(canonical);
        synchronized (this) {
            SlideHandle h = byPath.get(canonical);
            if (h != null && h.id() == id) {
                touch(h);
                return h;
            }
        }
        // parse outside the lock: a slow disk must not stall other slides
        SlideSource src = Slides.open(canonical);
        synchronized (this) {
            SlideHandle h = byPath.get(canonical);
            if (h != null && h.id() == id) {
                src.close();
                touch(h);
                return h;
            }
            if (h != null) {
                // the file changed on disk: the old handle's tiles are under the old id
                recent.remove(h.id());
                h.close();
            }
            String name = canonical.getFileName() == null ? "slide" : canonical.getFileName().toString();
            SlideHandle created = new SlideHandle(id, canonical, completePyramid.apply(id, src), readPools.apply(name));
            byPath.put(canonical, created);
            touch(created);
            return created;
        }
    }

    /** Adds an already open source under a given id (tests, in-memory slides). */
    synchronized SlideHandle register(long id, Path path, SlideSource src) {
        SlideHandle h = new SlideHandle(id, path, completePyramid.apply(id, src),
                readPools.apply(String.valueOf(path.getFileName())));
        byPath.put(path, h);
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
        return byPath.size();
    }

    synchronized int openFiles() {
        return recent.size();
    }

    void closeAll() {
        List<SlideHandle> all;
        synchronized (this) {
            all = new ArrayList<>(byPath.values());
            byPath.clear();
            recent.clear();
        }
        all.forEach(SlideHandle::close);
    }
}
