package org.tilescope.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.tilescope.app.AppVersion;
import org.tilescope.engine.decode.PixelBuffers;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.cache.CacheSizes;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Show whether this machine is set up for speed: Java, cores, JPEG decoder, cache sizes.",
                "With --decode-bench, decode real tiles on one thread with every decoder available, and compare",
                "the engine with libjpeg-turbo's own rate on the same tiles (tjcycle, compiled here when a C",
                "compiler and turbojpeg.h are present)."})
public final class DoctorCommand implements Callable<Integer> {
    /** Most tiles a decode benchmark loads. */
    static final int MAX_TILES = 200;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--decode-bench", paramLabel = "PATH",
            description = "A folder of .jpg tiles, or a slide whose finest level's tiles are used (up to 200).")
    Path benchPath;

    @Option(names = "--seconds", defaultValue = "3", description = "Seconds per decoder (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--compiler", paramLabel = "CC",
            description = "C compiler for the libjpeg-turbo anchor of --decode-bench (default: $CC, else gcc on the PATH).")
    String compiler;

    @Option(names = "--verbose", description = "Print the full error trace.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    /** One decoder's result. */
    record BenchResult(String decoder, int tiles, double tilesPerSecond, double megabytesPerSecond) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        CacheSizes sizes = CacheSizes.fromEnvironment();
        long maxHeap = Runtime.getRuntime().maxMemory();
        int cores = Runtime.getRuntime().availableProcessors();
        String decoder = TileDecoder.standard().name();
        // The file the fast decoder runs on: in an installed Tilescope, the copy in its app folder.
        String decoderLibrary = decoder.equals(TileDecoder.imageIo().name()) ? null
                : TileDecoder.turboLibraryFile().orElse(null);
        List<BenchResult> bench = new ArrayList<>();
        TjCycle.Result anchor = null;
        int tileCount = 0;
        if (benchPath != null) {
            if (!(seconds > 0 && seconds <= 600)) {
                throw new IllegalArgumentException("--seconds must be between 0 and 600");
            }
            List<byte[]> tiles = loadTiles(benchPath);
            tileCount = tiles.size();
            // decoded as the pipeline decodes: into pooled arrays where the decoder can
            PixelBuffers buffers = PixelBuffers.forCache(sizes.l1Bytes());
            for (TileDecoder d : decoders()) {
                bench.add(bench(d, tiles, seconds, buffers));
            }
            anchor = TjCycle.run(TjCycle.compiler(compiler, System.getenv("CC"), System.getenv("PATH")), tiles, seconds);
        }
        if (json) {
            ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode o = m.createObjectNode();
            o.put("version", AppVersion.current());
            o.put("java", Runtime.version().toString());
            o.put("cores", cores);
            o.put("decoder", decoder);
            o.put("decoderLibrary", decoderLibrary);
            o.put("l1Bytes", sizes.l1Bytes());
            o.put("l2Bytes", sizes.l2Bytes());
            o.put("maxHeap", maxHeap);
            ArrayNode arr = o.putArray("decodeBench");
            for (BenchResult r : bench) {
                ObjectNode n = arr.addObject();
                n.put("decoder", r.decoder());
                n.put("tiles", r.tiles());
                n.put("tilesPerSecond", r.tilesPerSecond());
                n.put("megabytesPerSecond", r.megabytesPerSecond());
            }
            if (anchor != null) {
                ObjectNode a = o.putObject("tjcycle");
                a.put("tilesPerSecond", anchor.tilesPerSecond().orElse(null));
                a.put("engineDecoder", decoder);
                a.put("engineRatio", engineRatio(bench, decoder, anchor).orElse(null));
                a.put("detail", anchor.detail());
            }
            out.println(m.writeValueAsString(o));
        } else {
            out.printf(Locale.ROOT, "%-14s %s%n", "Tilescope:", AppVersion.current());
            out.printf(Locale.ROOT, "%-14s %s (%s)%n", "Java:", Runtime.version(), System.getProperty("java.vm.vendor"));
            out.printf(Locale.ROOT, "%-14s %d%n", "Cores:", cores);
            out.printf(Locale.ROOT, "%-14s %s%s%n", "JPEG decoder:", decoder, decoder.equals("imageio")
                    ? "  (install libturbojpeg0 for about 3x faster decoding)" : "  (" + decoderLibrary + ")");
            out.printf(Locale.ROOT, "%-14s %s%n", "Max heap:", mb(maxHeap));
            out.printf(Locale.ROOT, "%-14s %s  (TILESCOPE_L1_MB to change)%n", "L1 cache:", mb(sizes.l1Bytes()));
            out.printf(Locale.ROOT, "%-14s %s  (TILESCOPE_L2_MB to change)%n", "L2 cache:", mb(sizes.l2Bytes()));
            if (benchPath != null) {
                out.printf(Locale.ROOT, "Decode benchmark: %d tiles from %s, one thread, %.1f s per decoder%n",
                        tileCount, benchPath, seconds);
                for (BenchResult r : bench) {
                    out.printf(Locale.ROOT, "  %-14s %9.1f tiles/s %9.1f MB/s%n", r.decoder(), r.tilesPerSecond(),
                            r.megabytesPerSecond());
                }
                if (anchor.tilesPerSecond().isPresent()) {
                    out.printf(Locale.ROOT, "  %-14s %9.1f tiles/s  (C, TurboJPEG into one buffer; %s at %.2fx of it)%n",
                            "tjcycle", anchor.tilesPerSecond().get(), decoder,
                            engineRatio(bench, decoder, anchor).orElse(Double.NaN));
                } else {
                    out.printf(Locale.ROOT, "  %-14s not run: %s%n", "tjcycle", anchor.detail());
                }
            }
        }
        out.flush();
        return 0;
    }

    static List<TileDecoder> decoders() {
        List<TileDecoder> all = new ArrayList<>();
        TileDecoder.turbo().ifPresent(all::add);
        all.add(TileDecoder.imageIo());
        return all;
    }

    /** The engine's decoder's tiles/s over tjcycle's, when both ran. */
    private static Optional<Double> engineRatio(List<BenchResult> bench, String engine, TjCycle.Result anchor) {
        return anchor.tilesPerSecond().flatMap(c -> bench.stream().filter(r -> r.decoder().equals(engine)).findFirst()
                .map(r -> r.tilesPerSecond() / c));
    }

    /**
     * Decodes the tiles round-robin on this thread for about {@code seconds}, into arrays from
     * {@code buffers} as the pipeline does.
     */
    static BenchResult bench(TileDecoder d, List<byte[]> tiles, double seconds, PixelBuffers buffers) throws IOException {
        // warm up: JIT and the decoder's per-thread state. Counted in this thread's CPU time, so a
        // busy machine does not cut the JIT's work short and flatter the C anchor that needs none.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long warmEnd = threads.getCurrentThreadCpuTime() + (long) (Math.min(2.0, seconds) * 1e9);
        int i = 0;
        while (threads.getCurrentThreadCpuTime() < warmEnd) {
            d.decode(tiles.get(i++ % tiles.size()), Integer.MAX_VALUE, Integer.MAX_VALUE, buffers);
        }
        long n = 0;
        long pixels = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            BufferedImage img = d.decode(tiles.get((int) (n % tiles.size())), Integer.MAX_VALUE, Integer.MAX_VALUE, buffers);
            pixels += (long) img.getWidth() * img.getHeight();
            n++;
            now = System.nanoTime();
        } while (now < end);
        double secs = (now - start) / 1e9;
        return new BenchResult(d.name(), tiles.size(), n / secs, pixels * 3 / 1e6 / secs);
    }

    static List<byte[]> loadTiles(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException(path + ": no such file or folder");
        }
        List<byte[]> tiles = new ArrayList<>();
        if (Files.isDirectory(path) && !isFolderSlide(path)) {
            List<Path> jpgs;
            try (Stream<Path> s = Files.list(path)) {
                jpgs = s.filter(p -> {
                    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                    return n.endsWith(".jpg") || n.endsWith(".jpeg");
                }).sorted().limit(MAX_TILES).toList();
            }
            for (Path p : jpgs) {
                tiles.add(Files.readAllBytes(p));
            }
            if (tiles.isEmpty()) {
                throw new IOException(path + ": no .jpg tiles in this folder");
            }
            return tiles;
        }
        try (SlideSource src = Slides.open(path)) {
            LevelInfo l = src.info().level(0);
            long total = l.tileCount();
            long step = Math.max(1, total / MAX_TILES);
            for (long k = 0; k < total && tiles.size() < MAX_TILES; k += step) {
                int col = (int) (k % l.cols());
                int row = (int) (k / l.cols());
                try {
                    tiles.add(src.readTile(0, col, row));
                } catch (IOException e) {
                    // a damaged tile is no benchmark input; the others are
                }
            }
        }
        if (tiles.isEmpty()) {
            throw new IOException(path + ": no readable tiles at the finest level");
        }
        return tiles;
    }

    private static boolean isFolderSlide(Path p) {
        return Files.isRegularFile(p.resolve("metadata.json"));
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%,d MB", bytes >> 20);
    }
}
