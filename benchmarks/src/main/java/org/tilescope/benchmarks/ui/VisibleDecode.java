package org.tilescope.benchmarks.ui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.tilescope.engine.cache.TileKey;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;

/**
 * The floor under a slide switch: the time the decoder alone takes for the tiles a view shows,
 * their bytes read beforehand, spread over as many threads as the pipeline decodes on. The median
 * of {@value #ROUNDS} rounds.
 */
final class VisibleDecode implements AutoCloseable {
    static final int ROUNDS = 3;

    private final TileDecoder decoder;
    private final ExecutorService threads;

    VisibleDecode(TileDecoder decoder, int threadCount) {
        this.decoder = decoder;
        this.threads = Executors.newFixedThreadPool(threadCount);
    }

    /** Milliseconds to decode these tiles of the slide at {@code path}. */
    double millis(Path path, List<TileKey> tiles) throws Exception {
        List<byte[]> encoded = new ArrayList<>(tiles.size());
        try (SlideSource source = Slides.open(path)) {
            for (TileKey k : tiles) {
                encoded.add(source.readTile(k.level(), k.col(), k.row()));
            }
        }
        double[] rounds = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>(encoded.size());
            for (byte[] b : encoded) {
                done.add(threads.submit(() -> decoder.decode(b)));
            }
            for (Future<?> f : done) {
                f.get();
            }
            rounds[r] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(rounds);
        return rounds[ROUNDS / 2];
    }

    @Override
    public void close() {
        threads.shutdown();
    }
}
