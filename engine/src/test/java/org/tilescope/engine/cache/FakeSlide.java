package org.tilescope.engine.cache;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.TileException;

/**
 * An in-memory slide whose reads can be counted, gated and broken. Pixel (x, y) of level 0 is
 * {@link #colour(int, int, int)}; coarser levels sample it, so every level is predictable.
 */
public class FakeSlide implements SlideSource {
    public final SlideInfo info;
    final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
    public final List<String> readOrder = new CopyOnWriteArrayList<>();
    final Set<String> broken = ConcurrentHashMap.newKeySet();
    final AtomicInteger released = new AtomicInteger();
    private final Map<String, byte[]> encoded = new ConcurrentHashMap<>();
    /** Reads wait for a permit when gated. */
    public volatile Semaphore gate;
    /**
     * Per tile name: what a read throws instead of returning bytes (an IOException, a
     * RuntimeException or an Error), or null to read normally. Asked at every read.
     */
    public final Map<String, Supplier<Throwable>> faults = new ConcurrentHashMap<>();
    /** What {@link #changedOnDisk()} says. */
    public volatile boolean changed;
    final int seed;

    public FakeSlide(int width, int height, int tile, int seed) {
        this.seed = seed;
        List<LevelInfo> levels = new ArrayList<>();
        int w = width;
        int h = height;
        for (int i = 0; ; i++) {
            levels.add(LevelInfo.of(i, w, h, 1 << i, tile, tile));
            if (w <= tile && h <= tile) {
                break;
            }
            w = Math.ceilDiv(w, 2);
            h = Math.ceilDiv(h, 2);
        }
        info = new SlideInfo(java.net.URI.create("memory:/fake-" + seed), "fake", tile, tile, 0, levels,
                OptionalDouble.of(0.25), OptionalDouble.of(40), List.of());
    }

    static String name(int level, int col, int row) {
        return level + "/" + col + "_" + row;
    }

    int colour(int level, int x, int y) {
        int s = 1 << level;
        int gx = x * s;
        int gy = y * s;
        return (((gx / 64) * 37 + seed * 50) & 0xFF) << 16 | (((gy / 64) * 53) & 0xFF) << 8 | ((level * 40) & 0xFF);
    }

    public int readsOf(int level, int col, int row) {
        AtomicInteger n = reads.get(name(level, col, row));
        return n == null ? 0 : n.get();
    }

    int totalReads() {
        return reads.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Override
    public SlideInfo info() {
        return info;
    }

    @Override
    public byte[] readTile(int level, int col, int row) throws IOException {
        String n = name(level, col, row);
        Semaphore g = gate;
        if (g != null) {
            g.acquireUninterruptibly();
        }
        reads.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
        readOrder.add(n);
        if (broken.contains(n)) {
            throw new TileException(info.location(), level, col, row, "broken on purpose", null);
        }
        Supplier<Throwable> fault = faults.get(n);
        Throwable t = fault == null ? null : fault.get();
        switch (t) {
            case null -> { }
            case IOException io -> throw io;
            case RuntimeException re -> throw re;
            case Error err -> throw err;
            default -> throw new IOException(t);
        }
        return encoded.computeIfAbsent(n, k -> png(level, col, row));
    }

    private byte[] png(int level, int col, int row) {
        LevelInfo l = info.level(level);
        var r = l.tileRect(col, row);
        BufferedImage img = new BufferedImage(r.width(), r.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < r.height(); y++) {
            for (int x = 0; x < r.width(); x++) {
                img.setRGB(x, y, colour(level, r.x() + x, r.y() + y));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public byte[] readAssociated(String name) throws IOException {
        throw new IOException("none");
    }

    @Override
    public boolean changedOnDisk() {
        return changed;
    }

    @Override
    public void releaseHandles() {
        released.incrementAndGet();
    }

    @Override
    public void close() {
    }
}
