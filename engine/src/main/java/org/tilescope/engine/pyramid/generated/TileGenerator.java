package org.tilescope.engine.pyramid.generated;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.imageio.IIOException;
import org.tilescope.engine.decode.Images;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.decode.TileEncoder;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.PixelRect;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.TileException;

/**
 * Makes the tiles of generated levels, one at a time, from the 2x2 (up to 8x8) finer tiles under
 * each: every finer tile is looked for in the store (decoded, then encoded) before it is read or
 * made, each is reduced on its own (in the JPEG decoder where it can), pasted into place, and
 * the result JPEG-encoded and kept in the store. No more than one tile's worth of pixels per
 * level is held at once, whatever the slide's size.
 *
 * <p>Threads: the caller's thread reads finer tiles and waits (a virtual thread in the tile
 * pipeline); decoding, reducing and encoding go to the {@code cpu} executor, which never waits on
 * anything, so no pool can deadlock on another. Two callers asking for the same tile share one
 * making of it.
 */
final class TileGenerator {
    private static final System.Logger LOG = System.getLogger(TileGenerator.class.getName());
    /** How often a wait looks whether the slide was closed meanwhile. */
    private static final long WAIT_SLICE_MILLIS = 250;

    /** A generated tile: its pixels (exactly the area it owns) and their encoded bytes. */
    record Made(BufferedImage pixels, byte[] encoded) {
    }

    private record TileId(int level, int col, int row) {
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws IOException;
    }

    private final SlideSource file;
    private final PyramidPlan plan;
    private final SlideInfo info;
    private final TileDecoder decoder;
    private final TileEncoder encoder;
    private final TileStore store;
    private final Executor cpu;
    private final ConcurrentHashMap<TileId, CompletableFuture<Made>> making = new ConcurrentHashMap<>();
    /** Tiles of the hub level known to exist (made, or found in the store): the progress. */
    private final BitSet hubDone = new BitSet();
    private volatile boolean closed;

    TileGenerator(SlideSource file, PyramidPlan plan, TileDecoder decoder, TileEncoder encoder,
                  TileStore store, Executor cpu) {
        this.file = file;
        this.plan = plan;
        this.info = plan.complete();
        this.decoder = decoder;
        this.encoder = encoder;
        this.store = store;
        this.cpu = cpu;
    }

    /** The encoded bytes of a generated tile: from the store, or made now (joining a making under way). */
    byte[] encoded(int level, int col, int row) throws IOException {
        byte[] held = store.encoded(level, col, row);
        if (held == null) {
            held = made(level, col, row).encoded();
        }
        noteHub(level, col, row);
        return held;
    }

    PyramidProgress progress() {
        if (plan.hub() < 0) {
            return new PyramidProgress(0, 0);
        }
        long total = info.level(plan.hub()).tileCount();
        synchronized (hubDone) {
            return new PyramidProgress(Math.min(total, hubDone.cardinality()), total);
        }
    }

    /** Ends every wait: callers get an exception instead of a tile. */
    void close() {
        closed = true;
        for (CompletableFuture<Made> f : making.values()) {
            f.completeExceptionally(new CancellationException("slide closed"));
        }
    }

    private Made made(int level, int col, int row) throws IOException {
        TileId id = new TileId(level, col, row);
        CompletableFuture<Made> mine = new CompletableFuture<>();
        CompletableFuture<Made> running = making.putIfAbsent(id, mine);
        if (running != null) {
            return await(running);
        }
        try {
            Made m = make(level, col, row);
            // kept before it leaves the map, so a later asker finds it in one place or the other
            store.keep(level, col, row, m.encoded());
            mine.complete(m);
            return m;
        } catch (IOException | RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            making.remove(id, mine);
        }
    }

    private Made make(int level, int col, int row) throws IOException {
        LevelInfo l = info.level(level);
        PixelRect owned = l.tileRect(col, row);
        PyramidPlan.Step step = plan.step(level);
        LevelInfo src = info.level(step.source());
        int f = step.factor();
        int tw = l.tileWidth();
        int th = l.tileHeight();
        // reduced children land on whole pixels when the factor divides the tile size; otherwise
        // they are pasted full size into a canvas that is reduced as a whole
        boolean reducedChildren = tw % f == 0 && th % f == 0;
        int c0 = col * f;
        int r0 = row * f;
        int c1 = Math.min(src.cols() - 1, c0 + f - 1);
        int r1 = Math.min(src.rows() - 1, r0 + f - 1);
        List<CompletableFuture<BufferedImage>> parts = new ArrayList<>();
        List<int[]> places = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        for (int sr = r0; sr <= r1; sr++) {
            for (int sc = c0; sc <= c1; sc++) {
                try {
                    parts.add(finer(src, sc, sr, reducedChildren ? f : 1));
                    places.add(reducedChildren
                            ? new int[] {(sc - c0) * (tw / f), (sr - r0) * (th / f)}
                            : new int[] {(sc - c0) * tw, (sr - r0) * th});
                } catch (TileException e) {
                    failures.add(e);
                }
            }
        }
        BufferedImage canvas = reducedChildren
                ? Images.white(owned.width(), owned.height())
                : Images.white(Math.min(src.width() - c0 * tw, f * tw), Math.min(src.height() - r0 * th, f * th));
        for (int i = 0; i < parts.size(); i++) {
            try {
                paste(await(parts.get(i)), canvas, places.get(i)[0], places.get(i)[1]);
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    throw e;
                }
                failures.add(e);
            }
        }
        int children = (c1 - c0 + 1) * (r1 - r0 + 1);
        if (!failures.isEmpty()) {
            if (failures.size() == children) {
                throw new TileException(info.location(), level, col, row,
                        "made from level " + src.index() + ", none of whose " + children + " tiles could be read: "
                                + failures.getFirst().getMessage(), failures.getFirst());
            }
            LOG.log(Level.WARNING, "{0}: generated tile (level {1}, col {2}, row {3}): {4} of {5} finer tiles unreadable,"
                    + " left white; first: {6}", info.where(), level, col, row, failures.size(), children,
                    failures.getFirst().getMessage());
        }
        BufferedImage pixels = reducedChildren ? canvas
                : await(onCpu(() -> Images.shrink(canvas, 0, 0, canvas.getWidth(), canvas.getHeight(), f)));
        BufferedImage done = pixels;
        byte[] bytes = await(onCpu(() -> encoder.encode(done)));
        noteHub(level, col, row);
        return new Made(pixels, bytes);
    }

    /**
     * One finer tile's owned area reduced by {@code f}, computed on the cpu executor. Reads (and
     * makes, for a generated level) on this thread.
     *
     * @throws TileException when the file tile cannot be read
     */
    private CompletableFuture<BufferedImage> finer(LevelInfo src, int col, int row, int f) throws IOException {
        PixelRect owned = src.tileRect(col, row);
        int level = src.index();
        TileStore.Pixels px = store.decoded(level, col, row);
        if (px != null) {
            noteHub(level, col, row);
            return onCpu(() -> shrinkOwned(px.image(), px.originX(), px.originY(), owned, f));
        }
        byte[] bytes = store.encoded(level, col, row);
        if (bytes == null && src.generated()) {
            Made m = made(level, col, row);
            noteHub(level, col, row);
            return onCpu(() -> shrinkOwned(m.pixels(), owned.x(), owned.y(), owned, f));
        }
        if (bytes == null) {
            try {
                bytes = file.readTile(level, col, row);
            } catch (TileException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new TileException(info.location(), level, col, row, String.valueOf(e.getMessage()), e);
            }
            store.keep(level, col, row, bytes);
        }
        noteHub(level, col, row);
        int[] origin = src.generated() ? new int[] {owned.x(), owned.y()} : file.tileOrigin(level, col, row);
        byte[] encoded = bytes;
        return onCpu(() -> decodeOwned(encoded, origin, owned, src, f));
    }

    /**
     * Decodes a tile's owned area reduced by f: inside the decoder for a whole tile, otherwise in
     * full and then box-filtered. A reduced JPEG block mixes all of its pixels, and its colour
     * comes from a 16x16 block, so in an edge tile the padding past the slide's edge would bleed
     * into the last pixels; edge tiles are few.
     */
    private BufferedImage decodeOwned(byte[] encoded, int[] origin, PixelRect owned, LevelInfo src, int f)
            throws IOException {
        int sx = owned.x() - origin[0];
        int sy = owned.y() - origin[1];
        boolean wholeTile = sx == 0 && sy == 0 && owned.width() == src.tileWidth() && owned.height() == src.tileHeight();
        if (f > 1 && wholeTile && owned.width() % f == 0 && owned.height() % f == 0) {
            BufferedImage r = decoder.decodeReduced(encoded, f);
            int w = Math.min(owned.width() / f, r.getWidth());
            int h = Math.min(owned.height() / f, r.getHeight());
            // a short tile leaves the rest of its place white, as the region reader does
            return w == r.getWidth() && h == r.getHeight() ? r : Images.copy(r, 0, 0, w, h);
        }
        BufferedImage full = decoder.decode(encoded);
        return shrinkOwned(full, origin[0], origin[1], owned, f);
    }

    private static BufferedImage shrinkOwned(BufferedImage img, int originX, int originY, PixelRect owned, int f)
            throws IOException {
        int sx = owned.x() - originX;
        int sy = owned.y() - originY;
        int w = Math.min(owned.width(), img.getWidth() - sx);
        int h = Math.min(owned.height(), img.getHeight() - sy);
        if (sx < 0 || sy < 0 || w <= 0 || h <= 0) {
            throw new IIOException("tile of " + img.getWidth() + "x" + img.getHeight()
                    + " does not reach its area " + owned);
        }
        return f == 1 ? Images.copy(img, sx, sy, w, h) : Images.shrink(img, sx, sy, w, h, f);
    }

    private static void paste(BufferedImage part, BufferedImage dst, int dx, int dy) {
        int w = Math.min(part.getWidth(), dst.getWidth() - dx);
        int h = Math.min(part.getHeight(), dst.getHeight() - dy);
        if (w <= 0 || h <= 0) {
            return;
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            part.getRaster().getDataElements(0, y, w, 1, row);
            dst.getRaster().setDataElements(dx, dy + y, w, 1, row);
        }
    }

    private void noteHub(int level, int col, int row) {
        if (level == plan.hub()) {
            LevelInfo hub = info.level(level);
            synchronized (hubDone) {
                hubDone.set(row * hub.cols() + col);
            }
        }
    }

    private <T> CompletableFuture<T> onCpu(Work<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            cpu.execute(() -> {
                if (closed) {
                    f.completeExceptionally(new CancellationException("slide closed"));
                    return;
                }
                try {
                    f.complete(work.run());
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new IOException("the engine is shutting down", e));
        }
        return f;
    }

    /** The result, waiting in slices so that closing the slide ends the wait. */
    private <T> T await(CompletableFuture<T> f) throws IOException {
        while (true) {
            if (closed) {
                throw new InterruptedIOException(info.where() + ": slide closed while its pyramid was being made");
            }
            try {
                return f.get(WAIT_SLICE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // look at closed again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while making a generated tile");
            } catch (ExecutionException e) {
                switch (e.getCause()) {
                    case IOException io -> throw io;
                    case RuntimeException re -> throw re;
                    case Error err -> throw err;
                    default -> throw new IOException(e.getCause());
                }
            }
        }
    }
}
