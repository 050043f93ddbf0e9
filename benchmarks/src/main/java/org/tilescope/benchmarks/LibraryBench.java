package org.tilescope.benchmarks;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.tilescope.engine.library.Library;
import org.tilescope.engine.library.LibraryEvent;
import org.tilescope.engine.library.LibraryFolders;
import org.tilescope.engine.library.ScanReport;
import org.tilescope.engine.library.SearchQuery;
import org.tilescope.engine.library.SearchResult;
import org.tilescope.engine.library.search.IndexedDoc;
import org.tilescope.engine.library.store.StoredSlide;
import org.tilescope.engine.library.store.UserData;
import org.tilescope.engine.library.text.SlideText;
import org.tilescope.engine.library.text.TokenCounter;

/**
 * The slide library at 10,000 slides, each measure against a same-run anchor:
 *
 * <ul>
 * <li>{@code generate DIR N}: N small Deep Zoom slides (256x192, 9 one-tile levels, each slide's
 *     tiles made distinct by a JPEG comment) in 100 folders, each with a note of 0.3-1.5 KB of
 *     pathology words and case IDs. Setup, not a measure.</li>
 * <li>{@code scan DIR}: first scan into an empty library, rescan with nothing changed, rescan
 *     with 1% of the notes changed; first result (the first slides-changed event) after start.</li>
 * <li>{@code tokenize DIR}: the tokenize worker's path (read the notes, estimate, exact count,
 *     build the search document) on one thread against JTokkit alone on the same texts.</li>
 * <li>{@code search DIR}: search latency p50/p99 over many queries against {@code grep -ril}
 *     of one word over the same notes.</li>
 * </ul>
 * A plain main: each measure is a fixed script whose times are the result.
 */
public final class LibraryBench {
    static final String[] WORDS = ("biopsy core resection margin tumour carcinoma adenoma dysplasia inflammation "
            + "fibrosis necrosis hepatocytes portal lobular ductal invasive grade mitoses stroma epithelium "
            + "glomeruli tubules interstitial oedema haemorrhage granuloma lymphocytes plasma cells eosinophils "
            + "immunostain positive negative focal diffuse mild moderate severe chronic acute benign malignant "
            + "atypia metaplasia hyperplasia polyp mucosa submucosa serosa capsule vessels nerve perineural "
            + "lymphovascular clear involved reviewed second reader compare previous levels ordered recommend").split(" ");
    static final String[] ORGANS = {"liver", "colon", "breast", "lung", "skin", "kidney", "stomach", "prostate"};
    static final String[] STAINS = {"HE", "PAS", "ER", "PR", "HER2", "Ki67"};

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LibraryBench generate DIR N | scan DIR | tokenize DIR | search DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "generate" -> generate(dir, Integer.parseInt(args[2]));
            case "scan" -> scan(dir);
            case "tokenize" -> tokenize(dir);
            case "search" -> search(dir);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    // ------------------------------------------------------------------ generate

    static void generate(Path dir, int n) throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(dir);
        List<byte[]> levels = baseLevels(256, 192);
        Random random = new Random(42);
        for (int i = 0; i < n; i++) {
            Path folder = Files.createDirectories(dir.resolve(String.format(Locale.ROOT, "folder-%03d", i % 100)));
            String name = caseName(i);
            Files.writeString(folder.resolve(name + ".dzi"), """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <Image xmlns="http://schemas.microsoft.com/deepzoom/2008" Format="jpg" Overlap="0" TileSize="256">
                      <Size Width="256" Height="192"/>
                    </Image>
                    """);
            Path files = folder.resolve(name + "_files");
            for (int level = 0; level < levels.size(); level++) {
                Path l = Files.createDirectories(files.resolve(Integer.toString(level)));
                Files.write(l.resolve("0_0.jpg"), withComment(levels.get(level), name));
            }
            Files.writeString(folder.resolve(name + ".txt"), note(random, i));
        }
        System.out.printf(Locale.ROOT, "generated %d slides with notes in %s in %.1f s%n", n, dir,
                (System.nanoTime() - t0) / 1e9);
    }

    static String caseName(int i) {
        return String.format(Locale.ROOT, "S24-%05d_%s_%s", i, ORGANS[i % ORGANS.length], STAINS[(i / 8) % STAINS.length]);
    }

    /** 0.3-1.5 KB of words; every 100th note says steatosis; each names its case and one other. */
    static String note(Random r, int i) {
        StringBuilder b = new StringBuilder();
        b.append("Case ").append(caseName(i), 0, 9).append(". ").append(ORGANS[i % ORGANS.length]).append(" specimen.\n");
        int words = 40 + r.nextInt(180);
        for (int w = 0; w < words; w++) {
            b.append(WORDS[r.nextInt(WORDS.length)]).append(w % 12 == 11 ? ".\n" : " ");
        }
        if (i % 100 == 0) {
            b.append("Macrovesicular steatosis noted.\n");
        }
        b.append("Compare with ").append(caseName(r.nextInt(Math.max(1, i + 1))), 0, 9).append(".\n");
        return b.toString();
    }

    /** JPEG bytes of each Deep Zoom level (0 = 1x1 up to the full size), one tile each. */
    static List<byte[]> baseLevels(int w, int h) throws IOException {
        int max = 0;
        while ((1 << max) < Math.max(w, h)) {
            max++;
        }
        List<byte[]> out = new ArrayList<>();
        for (int level = 0; level <= max; level++) {
            int scale = 1 << (max - level);
            int lw = Math.max(1, Math.ceilDiv(w, scale));
            int lh = Math.max(1, Math.ceilDiv(h, scale));
            BufferedImage img = new BufferedImage(lw, lh, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < lh; y++) {
                for (int x = 0; x < lw; x++) {
                    img.setRGB(x, y, ((x * 255 / Math.max(1, lw - 1)) << 16) | ((y * 255 / Math.max(1, lh - 1)) << 8) | 0x80);
                }
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(img, "jpg", bytes);
            out.add(bytes.toByteArray());
        }
        return out;
    }

    /** The same JPEG with a COM segment after SOI: distinct bytes (and fingerprints) without re-encoding. */
    static byte[] withComment(byte[] jpeg, String comment) {
        byte[] c = comment.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[jpeg.length + 4 + c.length];
        out[0] = jpeg[0];
        out[1] = jpeg[1];
        out[2] = (byte) 0xFF;
        out[3] = (byte) 0xFE;
        out[4] = (byte) ((c.length + 2) >> 8);
        out[5] = (byte) (c.length + 2);
        System.arraycopy(c, 0, out, 6, c.length);
        System.arraycopy(jpeg, 2, out, 6 + c.length, jpeg.length - 2);
        return out;
    }

    // ------------------------------------------------------------------ scan

    static Path freshLibrary() throws IOException {
        Path home = Files.createTempDirectory("tilescope-librarybench-");
        return home;
    }

    static void scan(Path dir) throws Exception {
        Path home = freshLibrary();
        LibraryFolders folders = LibraryFolders.under(home);
        double first;
        double firstResultMs;
        ScanReport r1;
        try (Library lib = Library.open(folders)) {
            AtomicLong firstEvent = new AtomicLong();
            lib.addListener(e -> {
                if (e instanceof LibraryEvent.SlidesChanged) {
                    firstEvent.compareAndSet(0, System.nanoTime());
                }
            });
            long t0 = System.nanoTime();
            r1 = lib.scan(List.of(dir), null).report().get(30, TimeUnit.MINUTES);
            first = (System.nanoTime() - t0) / 1e9;
            firstResultMs = (firstEvent.get() - t0) / 1e6;
        }
        print("first scan", first, r1);
        System.out.printf(Locale.ROOT, "first result (first slides-changed event) after %.0f ms%n", firstResultMs);

        double rescan;
        ScanReport r2;
        try (Library lib = Library.open(folders)) {
            long t0 = System.nanoTime();
            r2 = lib.scan(List.of(dir), null).report().get(30, TimeUnit.MINUTES);
            rescan = (System.nanoTime() - t0) / 1e9;
        }
        print("rescan, nothing changed", rescan, r2);

        List<Path> notes = notes(dir);
        int changed = Math.max(1, notes.size() / 100);
        for (int i = 0; i < changed; i++) {
            Files.writeString(notes.get(i * 100 % notes.size()), "Addendum: reviewed again.\n", StandardOpenOption.APPEND);
        }
        double rescan1;
        ScanReport r3;
        try (Library lib = Library.open(folders)) {
            long t0 = System.nanoTime();
            r3 = lib.scan(List.of(dir), null).report().get(30, TimeUnit.MINUTES);
            rescan1 = (System.nanoTime() - t0) / 1e9;
        }
        print("rescan, 1% of notes changed (" + changed + ")", rescan1, r3);
        System.out.printf(Locale.ROOT, "ratios: rescan/first = %.3fx (goal <= 0.05x), rescan 1%%/first = %.3fx%n",
                rescan / first, rescan1 / first);
        deleteTree(home);
    }

    static void print(String what, double seconds, ScanReport r) {
        System.out.printf(Locale.ROOT, "%-40s %7.2f s  slides %d, tokenized %d, skipped %d, failed %d; stages: scan %.2f, "
                        + "tokenize %.2f, merge %.2f, persist %.2f%n", what, seconds, r.slides(), r.tokenized(), r.skipped(),
                r.failed(), r.seconds().scan(), r.seconds().tokenize(), r.seconds().merge(), r.seconds().persist());
    }

    static List<Path> notes(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
    }

    // ------------------------------------------------------------------ tokenize

    /**
     * The worker's path per slide (what the tokenize pool runs, from notes on disk to the search
     * document) against JTokkit's count alone over the same joined texts, both on this thread,
     * alternated over rounds; the page cache is warm for both (the notes are read first).
     */
    static void tokenize(Path dir) throws Exception {
        List<Path> slides;
        try (Stream<Path> s = Files.walk(dir)) {
            slides = s.filter(p -> p.toString().endsWith(".dzi")).sorted().toList();
        }
        List<StoredSlide> stored = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        long bytes = 0;
        for (Path slide : slides) {
            String base = slide.getFileName().toString().replace(".dzi", "");
            StoredSlide s = new StoredSlide("deepzoom", 256, 192, 9, null, null, 0, 0, 0, 0, null,
                    List.of(slide.resolveSibling(base + ".txt").toString()), 0, -1, 0);
            stored.add(s);
            String joined = SlideText.read(slide, s, UserData.EMPTY).joined();
            texts.add(joined);
            bytes += joined.getBytes(StandardCharsets.UTF_8).length;
        }
        Encoding enc = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
        TokenCounter.count("warm up");
        int rounds = Integer.getInteger("library.rounds", 5);
        int chunk = 250;
        // interleaved in chunks of 250 slides, so a burst of load on this shared machine falls on both sides
        double[] alone = new double[rounds];
        double[] ours = new double[rounds];
        long sink = 0;
        for (int round = -1; round < rounds; round++) { // round -1 warms both up
            double a = 0;
            double o = 0;
            for (int from = 0; from < slides.size(); from += chunk) {
                int to = Math.min(slides.size(), from + chunk);
                long t0 = System.nanoTime();
                for (int i = from; i < to; i++) {
                    sink += enc.countTokensOrdinary(texts.get(i));
                }
                long t1 = System.nanoTime();
                for (int i = from; i < to; i++) {
                    Path slide = slides.get(i);
                    SlideText text = SlideText.read(slide, stored.get(i), UserData.EMPTY);
                    String notes = text.notesText();
                    String joined = text.joined(notes);
                    long estimate = SlideText.estimate(joined);
                    long exact = TokenCounter.count(joined);
                    IndexedDoc doc = new IndexedDoc(slide.toString(), text.name(), "deepzoom", List.of(),
                            String.join("\n", text.metadata()), notes, "", exact, estimate);
                    sink += doc.note().length();
                }
                long t2 = System.nanoTime();
                a += (t1 - t0) / 1e9;
                o += (t2 - t1) / 1e9;
            }
            if (round >= 0) {
                alone[round] = a;
                ours[round] = o;
            }
        }
        double a = median(Arrays.stream(alone).boxed().toList());
        double o = median(Arrays.stream(ours).boxed().toList());
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            ratios.add(alone[r] / ours[r]);
        }
        System.out.printf(Locale.ROOT, "%d slides, %.1f MB of text; %d rounds, one thread, interleaved in chunks of %d (sink %d)%n",
                slides.size(), bytes / 1e6, rounds, chunk, sink % 10);
        System.out.printf(Locale.ROOT, "JTokkit alone:        %6.2f s  %7.2f MB/s (median round)%n", a, bytes / 1e6 / a);
        System.out.printf(Locale.ROOT, "tokenize worker path: %6.2f s  %7.2f MB/s (median round)%n", o, bytes / 1e6 / o);
        System.out.printf(Locale.ROOT, "per-round throughput ratios %s: median %.2fx JTokkit alone (goal >= 0.8x)%n",
                ratios.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList(), median(ratios));
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a[a.length / 2];
    }

    // ------------------------------------------------------------------ search

    static void search(Path dir) throws Exception {
        Path home = freshLibrary();
        LibraryFolders folders = LibraryFolders.under(home);
        try (Library lib = Library.open(folders)) {
            ScanReport r = lib.scan(List.of(dir), null).report().get(30, TimeUnit.MINUTES);
            System.out.printf(Locale.ROOT, "library of %d slides%n", r.slides());
        }
        List<String> words = List.of("steatosis", "granuloma", "perineural", "eosinophils", "metaplasia");
        try (Library lib = Library.open(folders)) {
            lib.awaitIndexed().get(10, TimeUnit.MINUTES);
            List<SearchQuery> queries = new ArrayList<>();
            for (String w : words) {
                queries.add(SearchQuery.of(w));
            }
            queries.add(SearchQuery.of("S24-00100"));
            queries.add(SearchQuery.of("moderate fibrosis liver"));
            queries.add(SearchQuery.of("\"chronic inflammation\""));
            queries.add(SearchQuery.live("macrovesicular stea"));
            queries.add(SearchQuery.of("tag:none steatosis"));
            queries.add(SearchQuery.of("steatsis"));
            for (int i = 0; i < 200; i++) { // warm up
                lib.search(queries.get(i % queries.size()));
            }
            int n = Integer.getInteger("library.searches", 2000);
            long[] nanos = new long[n];
            long[][] perKind = new long[queries.size()][n / queries.size() + 1];
            long hits = 0;
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                SearchResult res = lib.search(queries.get(i % queries.size()));
                nanos[i] = System.nanoTime() - t0;
                perKind[i % queries.size()][i / queries.size()] = nanos[i];
                hits += res.hits().size();
            }
            for (int k = 0; k < queries.size(); k++) {
                int count = n / queries.size() + (k < n % queries.size() ? 1 : 0);
                long[] v = Arrays.copyOf(perKind[k], count);
                Arrays.sort(v);
                SearchQuery q = queries.get(k);
                System.out.printf(Locale.ROOT, "  %-28s p50 %6.2f ms  p99 %6.2f ms  (%d hits)%n",
                        (q.live() ? "live " : "") + q.text(), v[count / 2] / 1e6, v[(int) (count * 0.99)] / 1e6,
                        lib.search(q).hits().size());
            }
            // like for like with grep: the one-word queries alone
            long[] oneWord = new long[words.size() * (n / queries.size())];
            int w = 0;
            for (int k = 0; k < words.size(); k++) {
                for (int i = 0; i < n / queries.size(); i++) {
                    oneWord[w++] = perKind[k][i];
                }
            }
            Arrays.sort(oneWord);
            double p50word = oneWord[oneWord.length / 2] / 1e6;
            double p99word = oneWord[(int) (oneWord.length * 0.99)] / 1e6;
            System.out.printf(Locale.ROOT, "one-word queries: p50 %.2f ms, p99 %.2f ms%n", p50word, p99word);
            Arrays.sort(nanos);
            double p50 = nanos[n / 2] / 1e6;
            double p99 = nanos[(int) (n * 0.99)] / 1e6;
            System.out.printf(Locale.ROOT, "search: %d queries over %d kinds, p50 %.2f ms, p99 %.2f ms (hits %d)%n", n,
                    queries.size(), p50, p99, hits);
            Map<String, Double> grep = new java.util.LinkedHashMap<>();
            for (String word : words) {
                grep.put(word, grepSeconds(dir, word));
            }
            double grepMedian = median(new ArrayList<>(grep.values()));
            System.out.printf(Locale.ROOT, "grep -ril --include=*.txt WORD (one word, same notes): %s; median %.0f ms%n",
                    grep, grepMedian * 1000);
            System.out.printf(Locale.ROOT, "ratios, one word vs grep of that word: p50 %.4fx, p99 %.4fx (goal p99 <= 0.01x)%n",
                    p50word / 1000 / grepMedian, p99word / 1000 / grepMedian);
            System.out.printf(Locale.ROOT, "ratios, all %d kinds (phrases, prefixes, fuzzy retries) vs grep: p50 %.4fx, p99 %.4fx%n",
                    queries.size(), p50 / 1000 / grepMedian, p99 / 1000 / grepMedian);
        }
        deleteTree(home);
    }

    /** Median of three runs of grep -ril over the notes (page cache warm after the first). */
    static double grepSeconds(Path dir, String word) throws Exception {
        List<Double> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("grep", "-ril", "--include=*.txt", word, dir.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor();
            runs.add((System.nanoTime() - t0) / 1e9);
        }
        return median(runs);
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
