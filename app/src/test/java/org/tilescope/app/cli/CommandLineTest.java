package org.tilescope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.app.TestSlides;
import org.tilescope.app.TilescopeCommand;
import org.tilescope.engine.decode.TileDecoder;

class CommandLineTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TilescopeCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    static int pixel(int x, int y) {
        return TestSlides.pixel(x, y);
    }

    static Path writeDzi(Path dir, String name, int w, int h, int ts, int overlap) throws IOException {
        return TestSlides.writeDzi(dir, name, w, h, ts, overlap);
    }

    @Test
    void infoJsonHasTheDocumentedKeys() throws IOException {
        Path dzi = writeDzi(dir, "s", 600, 400, 128, 1);
        Result r = run("info", "--json", dzi.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("deepzoom", j.get("format").asText());
        assertEquals(600, j.get("width").asInt());
        assertEquals(400, j.get("height").asInt());
        assertEquals(128, j.get("tileWidth").asInt());
        assertEquals(128, j.get("tileHeight").asInt());
        assertEquals(1, j.get("overlap").asInt());
        assertTrue(j.get("mpp").isNull());
        assertTrue(j.get("magnification").isNull());
        assertEquals(11, j.get("levels").size()); // 600 px wide: levels 2^0..2^10
        JsonNode l1 = j.get("levels").get(1);
        assertEquals(300, l1.get("width").asInt());
        assertEquals(200, l1.get("height").asInt());
        assertEquals(2.0, l1.get("downsample").asDouble());
        assertEquals(3, l1.get("cols").asInt());
        assertEquals(2, l1.get("rows").asInt());
        assertTrue(j.get("associated").isArray());
    }

    /** A single-level tiled TIFF: its coarser levels are generated, say so, and serve thumbnails and regions. */
    @Test
    void singleLevelSlideGetsGeneratedLevels() throws IOException {
        Path tif = TestSlides.writeSingleLevelTiff(dir.resolve("single.tif"), 600, 400, 128);
        Result r = run("info", "--json", tif.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode levels = new ObjectMapper().readTree(r.out()).get("levels");
        assertEquals(4, levels.size()); // 600x400 in 5x4 tiles, then 300x200, 150x100, 75x50 (one tile)
        assertFalse(levels.get(0).get("generated").asBoolean());
        for (int i = 1; i < 4; i++) {
            assertTrue(levels.get(i).get("generated").asBoolean(), "level " + i);
            assertEquals(600 >> i, levels.get(i).get("width").asInt());
            assertEquals(1 << i, levels.get(i).get("downsample").asDouble());
        }
        Result text = run("info", tif.toString());
        assertTrue(text.out().contains("generated"), text.out());

        Path thumb = dir.resolve("t.png");
        Result t = run("thumbnail", tif.toString(), "--max", "150", "--out", thumb.toString());
        assertEquals(0, t.code(), t.err());
        BufferedImage img = ImageIO.read(thumb.toFile());
        assertEquals(150, img.getWidth());
        assertEquals(100, img.getHeight());

        Path region = dir.resolve("r.png");
        Result g = run("region", tif.toString(), "--level", "3", "--x", "0", "--y", "0", "--width", "75",
                "--height", "50", "--out", region.toString());
        assertEquals(0, g.code(), g.err());
        // level 3 pixel (10, 10): the mean of the 8x8 block at (80, 80), whose green is 80..87
        int green = (ImageIO.read(region.toFile()).getRGB(10, 10) >> 8) & 0xFF;
        assertTrue(Math.abs(green - 84) <= 4, "green " + green);
    }

    @Test
    void infoTextListsLevels() throws IOException {
        Path dzi = writeDzi(dir, "s", 600, 400, 128, 0);
        Result r = run("info", dzi.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("600 x 400"), r.out());
        assertTrue(r.out().contains("deepzoom"), r.out());
        assertTrue(r.out().contains("5 x 4"), r.out()); // level 0 grid
    }

    @Test
    void regionGivesExactPixelsAcrossTilesAndWhiteOutside() throws IOException {
        Path dzi = writeDzi(dir, "s", 600, 400, 128, 2);
        Path out = dir.resolve("r.png");
        Result r = run("region", dzi.toString(), "--level", "0", "--x", "500", "--y", "100",
                "--width", "200", "--height", "150", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        BufferedImage img = ImageIO.read(out.toFile());
        assertEquals(200, img.getWidth());
        assertEquals(150, img.getHeight());
        for (int y = 0; y < 150; y++) {
            for (int x = 0; x < 200; x++) {
                int sx = 500 + x;
                int sy = 100 + y;
                int want = sx < 600 ? pixel(sx, sy) : 0xFFFFFF;
                assertEquals(want, img.getRGB(x, y) & 0xFFFFFF, "pixel " + sx + "," + sy);
            }
        }
    }

    @Test
    void regionAtCoarserLevelUsesLevelZeroCoordinates() throws IOException {
        Path dzi = writeDzi(dir, "s", 600, 400, 128, 1);
        Path out = dir.resolve("r.png");
        Result r = run("region", dzi.toString(), "--level", "1", "--x", "200", "--y", "100",
                "--width", "50", "--height", "40", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        BufferedImage img = ImageIO.read(out.toFile());
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 50; x++) {
                assertEquals(pixel((100 + x) * 2, (50 + y) * 2), img.getRGB(x, y) & 0xFFFFFF);
            }
        }
    }

    @Test
    void badTileIsReportedFilledAndExitIsOne() throws IOException {
        Path dzi = writeDzi(dir, "s", 600, 400, 128, 0);
        Path tile = dir.resolve("s_files/10/1_1.png");
        Files.write(tile, Arrays.copyOf(Files.readAllBytes(tile), 40)); // truncated
        Path out = dir.resolve("r.png");
        Result r = run("region", dzi.toString(), "--x", "0", "--y", "0", "--width", "600", "--height", "400",
                "--out", out.toString());
        assertEquals(1, r.code());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.getFirst().contains("s.dzi") && lines.getFirst().contains("col 1, row 1"), r.err());
        BufferedImage img = ImageIO.read(out.toFile());
        // the hole is filled from level 1, which samples the same pattern: close, and never white
        int filled = img.getRGB(128 + 20, 128 + 20) & 0xFFFFFF;
        assertFalse(filled == 0xFFFFFF);
        assertEquals(pixel(0, 0), img.getRGB(0, 0) & 0xFFFFFF);
    }

    @Test
    void errorsAreOneLineNamingTheFileWithoutTrace() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.dzi"));
        Result r = run("info", empty.toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("empty.dzi") && r.err().contains("empty file"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());

        Result missing = run("info", dir.resolve("nope.svs").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nope.svs") && missing.err().contains("no such file"), missing.err());

        Result verbose = run("info", "--verbose", empty.toString());
        assertEquals(1, verbose.code());
        assertTrue(verbose.err().contains("\tat "), verbose.err());
    }

    @Test
    void thumbnailFitsTheBox() throws IOException {
        Path dzi = writeDzi(dir, "s", 600, 400, 128, 1);
        Path out = dir.resolve("t.jpg");
        Result r = run("thumbnail", dzi.toString(), "--max", "150", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        BufferedImage img = ImageIO.read(out.toFile());
        assertEquals(150, img.getWidth());
        assertEquals(100, img.getHeight());
    }

    @Test
    void badArgumentsAreRefusedClearly() throws IOException {
        Path dzi = writeDzi(dir, "s", 600, 400, 128, 1);
        Result r = run("region", dzi.toString(), "--level", "99", "--x", "0", "--y", "0",
                "--width", "10", "--height", "10", "--out", dir.resolve("x.png").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("level 99"), r.err());
        Result ext = run("thumbnail", dzi.toString(), "--out", dir.resolve("x.gif").toString());
        assertEquals(1, ext.code());
        assertTrue(ext.err().contains(".png"), ext.err());
    }

    @Test
    void doctorReportsTheSetupAndBenchmarksEveryDecoder() throws IOException {
        Result plain = run("doctor");
        assertEquals(0, plain.code(), plain.err());
        assertTrue(plain.out().contains("JPEG decoder:"), plain.out());

        // a folder of JPEG tiles as the benchmark input
        Path tiles = Files.createDirectories(dir.resolve("tiles"));
        for (int i = 0; i < 3; i++) {
            BufferedImage t = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            t.setRGB(i, i, 0xFF0000);
            ImageIO.write(t, "jpg", tiles.resolve(i + ".jpg").toFile());
        }
        Result r = run("doctor", "--json", "--decode-bench", tiles.toString(), "--seconds", "0.2");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        for (String key : List.of("version", "java", "cores", "decoder", "decoderLibrary", "l1Bytes", "l2Bytes",
                "maxHeap", "decodeBench")) {
            assertTrue(j.has(key), "missing " + key + " in " + r.out());
        }
        // the build's version from the pom, not a placeholder
        assertTrue(j.get("version").asText().matches("\\d+\\.\\d+\\.\\d+.*"), r.out());
        // a library file exactly when the fast decoder is in use
        assertEquals(j.get("decoder").asText().equals("imageio"), j.get("decoderLibrary").isNull(), r.out());
        assertTrue(j.get("cores").asInt() >= 1);
        assertTrue(j.get("l1Bytes").asLong() > 0 && j.get("l2Bytes").asLong() > 0);
        JsonNode bench = j.get("decodeBench");
        assertTrue(bench.size() >= 1);
        boolean sawImageIo = false;
        for (JsonNode b : bench) {
            assertEquals(3, b.get("tiles").asInt());
            assertTrue(b.get("tilesPerSecond").asDouble() > 0);
            assertTrue(b.get("megabytesPerSecond").asDouble() > 0);
            sawImageIo |= b.get("decoder").asText().equals("imageio");
        }
        assertTrue(sawImageIo, "imageio is always available");

        Result missing = run("doctor", "--decode-bench", dir.resolve("none").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("none"), missing.err());
    }

    /** JPEG tiles for the decode benchmark: a picture with texture, so decode time is real work. */
    private Path benchTiles() throws IOException {
        Path tiles = Files.createDirectories(dir.resolve("bench-tiles"));
        for (int i = 0; i < 4; i++) {
            BufferedImage t = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 128; y++) {
                for (int x = 0; x < 128; x++) {
                    t.setRGB(x, y, (x * 2 + i * 30) << 16 | (y * 2) << 8 | ((x ^ y) & 0xFF));
                }
            }
            ImageIO.write(t, "jpg", tiles.resolve(i + ".jpg").toFile());
        }
        return tiles;
    }

    @Test
    void doctorComparesTheEngineWithTjcycleWhenItCanBuildIt() throws IOException {
        boolean gcc = TjCycle.compiler(null, null, System.getenv("PATH")).isPresent();
        boolean header = Files.isRegularFile(Path.of("/usr/include/turbojpeg.h"));
        Assumptions.assumeTrue(gcc && header && TileDecoder.turbo().isPresent(),
                "needs gcc, turbojpeg.h and libturbojpeg: the no-compiler branch is tested on its own");
        Result r = run("doctor", "--json", "--decode-bench", benchTiles().toString(), "--seconds", "0.3",
                "--compiler", "gcc");
        assertEquals(0, r.code(), r.err());
        JsonNode anchor = new ObjectMapper().readTree(r.out()).get("tjcycle");
        assertTrue(anchor.get("tilesPerSecond").asDouble() > 0, r.out());
        assertTrue(anchor.get("detail").asText().startsWith("tjcycle: 4 files"), r.out());
        assertEquals("libjpeg-turbo", anchor.get("engineDecoder").asText());
        assertTrue(anchor.get("engineRatio").asDouble() > 0, r.out());

        Result text = run("doctor", "--decode-bench", benchTiles().toString(), "--seconds", "0.2");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().matches("(?s).*tjcycle +[0-9.]+ tiles/s .*libjpeg-turbo at [0-9.]+x of it.*"), text.out());
    }

    @Test
    void doctorWithoutACompilerReportsTheEngineAloneAndWhy() throws IOException {
        Path tiles = benchTiles();
        Result r = run("doctor", "--json", "--decode-bench", tiles.toString(), "--seconds", "0.2",
                "--compiler", dir.resolve("no-such-cc").toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertTrue(j.get("decodeBench").size() >= 1 && j.get("decodeBench").get(0).get("tilesPerSecond").asDouble() > 0);
        JsonNode anchor = j.get("tjcycle");
        assertTrue(anchor.get("tilesPerSecond").isNull(), r.out());
        assertTrue(anchor.get("engineRatio").isNull(), r.out());
        assertTrue(anchor.get("detail").asText().contains("no-such-cc"), r.out());

        // nothing on the PATH and no CC: no compiler at all, said so
        assertTrue(TjCycle.compiler(null, null, dir.toString()).isEmpty());
        assertEquals("cc-from-env", TjCycle.compiler(null, "cc-from-env", "/usr/bin").orElseThrow());
        assertEquals("mine", TjCycle.compiler("mine", "cc-from-env", "/usr/bin").orElseThrow());
        TjCycle.Result none = TjCycle.run(java.util.Optional.empty(), List.of(Files.readAllBytes(tiles.resolve("0.jpg"))), 0.1);
        assertTrue(none.tilesPerSecond().isEmpty());
        assertTrue(none.detail().contains("no C compiler"), none.detail());

        Result text = run("doctor", "--decode-bench", tiles.toString(), "--seconds", "0.2",
                "--compiler", dir.resolve("no-such-cc").toString());
        assertTrue(text.out().matches("(?s).*tjcycle +not run: C compiler .*no-such-cc did not start.*"), text.out());
    }

    /** Every slide of the shared corpus gives info and a region through the command line. */
    @Test
    void everyCorpusSlideWorks() throws IOException {
        Path corpus = Path.of(System.getProperty("tilescope.corpus", "../../shared/corpus"));
        if (!Files.isDirectory(corpus)) {
            System.err.println("SKIPPED corpus command-line test: " + corpus.toAbsolutePath() + " not found");
        }
        Assumptions.assumeTrue(Files.isDirectory(corpus), "corpus not found at " + corpus);
        List<Path> slides;
        try (Stream<Path> s = Stream.concat(Stream.concat(
                Files.list(corpus.resolve("library")), Files.list(corpus.resolve("fastpath"))),
                Files.list(corpus.resolve("tiff")))) {
            slides = s.filter(p -> p.toString().endsWith(".dzi") || p.toString().endsWith(".fastpath")
                    || p.toString().endsWith(".tif")).sorted().toList();
        }
        assertEquals(8 + 2 + 1, slides.size(), slides.toString());
        for (Path slide : slides) {
            Result info = run("info", "--json", slide.toString());
            assertEquals(0, info.code(), slide + ": " + info.err());
            Path out = dir.resolve(slide.getFileName() + ".png");
            Result region = run("region", slide.toString(), "--level", "1", "--x", "1000", "--y", "800",
                    "--width", "300", "--height", "200", "--out", out.toString());
            assertEquals(0, region.code(), slide + ": " + region.err());
            assertEquals(300, ImageIO.read(out.toFile()).getWidth());
        }
    }
}
