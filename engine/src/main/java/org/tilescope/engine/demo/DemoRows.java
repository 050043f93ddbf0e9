package org.tilescope.engine.demo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.tilescope.engine.pyramid.RowSource;

/**
 * The demo picture as rows for the pyramid writer: each band is painted in 256 px blocks on a
 * pool of painters (painting is the slow part of the build, so it gets every core).
 */
final class DemoRows implements RowSource {
    private final DemoSlide.Spec spec;
    private final ExecutorService pool;
    private final ThreadLocal<DemoPainter> painters;
    private final ThreadLocal<int[]> blocks = ThreadLocal.withInitial(() -> new int[DemoPainter.MAX_TILE * DemoPainter.MAX_TILE]);

    DemoRows(DemoSlide.Spec spec, int threads) {
        this.spec = spec;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "tilescope-demo-paint-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        });
        this.painters = ThreadLocal.withInitial(() -> new DemoPainter(spec.width(), spec.height(), spec.seed()));
    }

    @Override
    public int width() {
        return spec.width();
    }

    @Override
    public int height() {
        return spec.height();
    }

    @Override
    public int preferredBand() {
        return DemoPainter.MAX_TILE;
    }

    @Override
    public void read(int y, int rows, int[] out) throws IOException {
        int w = spec.width();
        List<Future<?>> parts = new ArrayList<>();
        for (int x = 0; x < w; x += DemoPainter.MAX_TILE) {
            int bx = x;
            int bw = Math.min(DemoPainter.MAX_TILE, w - x);
            parts.add(pool.submit(() -> {
                int[] block = blocks.get();
                painters.get().paint(1, bx, y, bw, rows, block);
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(block, r * bw, out, r * w + bx, bw);
                }
            }));
        }
        try {
            for (Future<?> f : parts) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted");
        } catch (ExecutionException e) {
            throw new IOException("painting the demo slide failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
