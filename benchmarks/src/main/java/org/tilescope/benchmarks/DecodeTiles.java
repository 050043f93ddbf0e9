package org.tilescope.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real tiles the decode benchmarks cycle through, chosen the same way every run so that
 * {@code scripts/decode-vs-tjcycle.sh} can hand tjcycle exactly the tiles the Java side decodes. Only
 * full-size tiles (256x256 or 512x512): edge tiles are smaller and would flatter tiles/s.
 *
 * <p>Run as a program it prints the chosen paths, one a line: {@code DecodeTiles 256 [COUNT]}
 * ({@value #COUNT} by default; {@code scripts/decode-vs-tjcycle.sh} asks for 100).
 */
public final class DecodeTiles {
    /** Enough to defeat the branch predictor and caches learning one tile, few enough to preload. */
    public static final int COUNT = 50;

    /** A tile picked for the benchmark, with its encoded bytes. */
    public record Tile(Path path, byte[] bytes) {
    }

    private DecodeTiles() {
    }

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: DecodeTiles 256|512 [COUNT]");
            System.exit(2);
        }
        int count = args.length == 2 ? Integer.parseInt(args[1]) : COUNT;
        for (Tile t : pick(Integer.parseInt(args[0]), count)) {
            System.out.println(t.path().toAbsolutePath());
        }
    }

    /** {@value #COUNT} tiles of the given size, as {@link #pick(int, int)}. */
    public static List<Tile> pick(int size) {
        return pick(size, COUNT);
    }

    /**
     * {@code count} different tiles of the given size: an equal share from each candidate folder
     * (a folder with fewer full tiles gives all it has and the others make up the rest), spread
     * evenly over each folder's tiles sorted by name. 256 px: the {@code 12/} level of every
     * {@code library/*_files} slide; 512 px: the fastpath slide's {@code tiles_files/4/} and, when
     * present, {@code /tmp/tilescope-big/big_512_files/16/} (-Dtilescope.big).
     */
    public static List<Tile> pick(int size, int count) {
        List<Path> folders = new ArrayList<>();
        Path corpus = corpus();
        try {
            if (size == 256) {
                // Deep Zoom, tile 254 + overlap 1 on both sides: interior tiles are 256x256.
                try (Stream<Path> slides = Files.list(corpus.resolve("library"))) {
                    for (Path dir : slides.filter(p -> p.getFileName().toString().endsWith("_files")).sorted().toList()) {
                        folders.add(dir.resolve("12"));
                    }
                }
            } else if (size == 512) {
                folders.add(corpus.resolve("fastpath/C24-0402_stomach_HE_tiles.fastpath/tiles_files/4"));
                Path big = Path.of(System.getProperty("tilescope.big", "/tmp/tilescope-big")).resolve("big_512_files/16");
                if (Files.isDirectory(big)) {
                    folders.add(big);
                }
            } else {
                throw new IllegalArgumentException("tile size must be 256 or 512, not " + size);
            }
            List<List<Tile>> full = new ArrayList<>();
            int available = 0;
            for (Path dir : folders) {
                List<Tile> inFolder = new ArrayList<>();
                for (Path p : jpegs(dir)) {
                    byte[] b = Files.readAllBytes(p);
                    int[] wh = jpegSize(b);
                    if (wh[0] == size && wh[1] == size) {
                        inFolder.add(new Tile(p, b));
                    }
                }
                full.add(inFolder);
                available += inFolder.size();
            }
            if (available < count) {
                throw new IllegalStateException("only " + available + " full " + size + " px tiles under " + corpus);
            }
            // shares: the smallest folders first, each the lesser of what it has and an equal part of what is left
            int[] share = new int[folders.size()];
            List<Integer> bySize = new ArrayList<>();
            for (int i = 0; i < folders.size(); i++) {
                bySize.add(i);
            }
            bySize.sort((a, b) -> Integer.compare(full.get(a).size(), full.get(b).size()));
            int left = count;
            for (int k = 0; k < bySize.size(); k++) {
                int i = bySize.get(k);
                share[i] = Math.min(full.get(i).size(), Math.ceilDiv(left, bySize.size() - k));
                left -= share[i];
            }
            List<Tile> picked = new ArrayList<>(count);
            for (int i = 0; i < folders.size(); i++) {
                List<Tile> f = full.get(i);
                for (int j = 0; j < share[i]; j++) {
                    picked.add(f.get((int) ((long) j * f.size() / share[i])));
                }
            }
            return picked;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** -Dtilescope.corpus, else ../shared/corpus from the working directory (the project root). */
    static Path corpus() {
        String prop = System.getProperty("tilescope.corpus");
        Path p = prop != null ? Path.of(prop) : Path.of("..", "shared", "corpus");
        if (!Files.isDirectory(p.resolve("library"))) {
            throw new IllegalStateException("test corpus not found at " + p.toAbsolutePath().normalize()
                    + " (expected library/ and fastpath/ inside); set -Dtilescope.corpus=/path/to/corpus");
        }
        return p;
    }

    private static List<Path> jpegs(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
    }

    /** Width and height from the first SOF marker; {0, 0} when there is none. */
    static int[] jpegSize(byte[] b) {
        int i = 2;
        while (i + 9 < b.length && (b[i] & 0xFF) == 0xFF) {
            int m = b[i + 1] & 0xFF;
            int len = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
                int h = ((b[i + 5] & 0xFF) << 8) | (b[i + 6] & 0xFF);
                int w = ((b[i + 7] & 0xFF) << 8) | (b[i + 8] & 0xFF);
                return new int[] {w, h};
            }
            if (m == 0xDA) {
                break;
            }
            i += 2 + len;
        }
        return new int[] {0, 0};
    }
}
