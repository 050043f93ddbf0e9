package org.tilescope.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * libjpeg-turbo's own decode rate on the benchmark's tiles, the anchor {@code doctor
 * --decode-bench} compares the engine with: {@code tjcycle.c} (from benchmarks/tjcycle, shipped in
 * this jar) compiled with the machine's C compiler against turbojpeg.h into a temporary folder and
 * run on the same tiles for the same seconds. Needs a C compiler and libjpeg-turbo's development
 * files; without them the result says why, and doctor reports the engine's figure alone.
 */
final class TjCycle {
    static final String SOURCE = "tjcycle.c";
    private static final Pattern RATE = Pattern.compile("([0-9.]+) tiles/s");

    /** tjcycle's tiles/s, or why it could not run. */
    record Result(Optional<Double> tilesPerSecond, String detail) {
        static Result unavailable(String why) {
            return new Result(Optional.empty(), why);
        }
    }

    private TjCycle() {
    }

    /**
     * The compiler to use: {@code explicit} when given, else $CC, else gcc on the PATH; empty
     * when there is none.
     */
    static Optional<String> compiler(String explicit, String ccVariable, String pathVariable) {
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(explicit);
        }
        if (ccVariable != null && !ccVariable.isBlank()) {
            return Optional.of(ccVariable.trim());
        }
        if (pathVariable != null) {
            for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "gcc"))) {
                    return Optional.of(Path.of(dir, "gcc").toString());
                }
            }
        }
        return Optional.empty();
    }

    /** Compiles tjcycle with {@code compiler} and runs it on {@code tiles} for {@code seconds}. */
    static Result run(Optional<String> compiler, List<byte[]> tiles, double seconds) throws IOException {
        if (compiler.isEmpty()) {
            return Result.unavailable("no C compiler (gcc not on the PATH and CC not set; install gcc and libturbojpeg0-dev)");
        }
        Path dir = Files.createTempDirectory("tilescope-tjcycle");
        try {
            Path source = dir.resolve(SOURCE);
            try (InputStream in = TjCycle.class.getResourceAsStream(SOURCE)) {
                if (in == null) {
                    return Result.unavailable(SOURCE + " is missing from this build");
                }
                Files.copy(in, source);
            }
            Path program = dir.resolve("tjcycle");
            Output built;
            try {
                built = exec(List.of(compiler.get(), "-O2", "-o", program.toString(), source.toString(), "-lturbojpeg"), 120);
            } catch (IOException e) {
                return Result.unavailable("C compiler " + compiler.get() + " did not start: " + e.getMessage());
            }
            if (built.code() != 0) {
                String why = built.text().contains("turbojpeg.h")
                        ? "turbojpeg.h not found (install libturbojpeg0-dev)"
                        : built.text().contains("lturbojpeg") ? "libturbojpeg not found to link (install libturbojpeg0-dev)"
                        : "compiling " + SOURCE + " failed: " + firstLine(built.text());
                return Result.unavailable(why);
            }
            List<String> command = new ArrayList<>(List.of(program.toString(), "-s", String.format(Locale.ROOT, "%.3f", seconds)));
            for (int i = 0; i < tiles.size(); i++) {
                Path tile = dir.resolve(String.format(Locale.ROOT, "%04d.jpg", i));
                Files.write(tile, tiles.get(i));
                command.add(tile.toString());
            }
            Output ran = exec(command, (long) seconds + 60);
            Matcher m = RATE.matcher(ran.text());
            if (ran.code() != 0 || !m.find()) {
                return Result.unavailable("tjcycle failed: " + firstLine(ran.text()));
            }
            return new Result(Optional.of(Double.parseDouble(m.group(1))), ran.text().strip());
        } finally {
            deleteTree(dir);
        }
    }

    private record Output(int code, String text) {
    }

    private static Output exec(List<String> command, long timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Output(-1, command.getFirst() + " took longer than " + timeoutSeconds + " s");
            }
            return new Output(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        }
    }

    private static String firstLine(String text) {
        String t = text.strip();
        int nl = t.indexOf('\n');
        return t.isEmpty() ? "(no output)" : nl < 0 ? t : t.substring(0, nl);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
