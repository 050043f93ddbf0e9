package org.tilescope.engine.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An installed Tilescope carries its own libturbojpeg and names it with
 * {@code -Dtilescope.turbojpeg.path}: that file is loaded before the system's, and a missing one
 * falls back to the system's. Child JVMs, because the library binds once per JVM.
 */
class BundledLibraryTest {

    /** Entry point of the child JVM: prints the library file and decodes one tile with it. */
    public static void main(String[] args) throws IOException {
        TileDecoder d = TileDecoder.standard();
        d.decode(TestJpegs.jpeg(TestJpegs.picture(16, 16, 1), TestJpegs.Layout.YCC_420));
        System.out.println("decoder=" + d.name());
        System.out.println("library=" + TileDecoder.turboLibraryFile().orElse("none"));
    }

    /** The system's libturbojpeg as this JVM loaded it, or a skip when there is none. */
    private static Path systemLibrary() {
        Optional<String> file = TileDecoder.turboLibraryFile();
        Assumptions.assumeTrue(file.isPresent() && Path.of(file.get()).isAbsolute(),
                "libturbojpeg is not installed (or not found by path): nothing to bundle");
        return Path.of(file.get());
    }

    @Test
    void theBundledCopyIsLoadedFirst(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("native").resolve("libturbojpeg.so.0");
        Files.createDirectories(copy.getParent());
        Files.copy(systemLibrary(), copy);
        String out = child("-Dtilescope.turbojpeg.path=" + copy);
        assertTrue(out.contains("decoder=libjpeg-turbo"), out);
        assertTrue(out.contains("library=" + copy + "\n"), out);
    }

    @Test
    void aMissingBundledCopyFallsBackToTheSystemLibraryByItsPath(@TempDir Path dir) throws Exception {
        Path system = systemLibrary();
        String out = child("-Dtilescope.turbojpeg.path=" + dir.resolve("gone/libturbojpeg.so.0"));
        assertTrue(out.contains("decoder=libjpeg-turbo"), out);
        assertTrue(out.contains("library=" + system + "\n"), out);
    }

    private static String child(String... jvmArgs) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Djava.awt.headless=true", "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BundledLibraryTest.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not finish: " + out);
        }
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
