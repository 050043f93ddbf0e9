package org.tilescope.engine.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.testing.ChildJvm;

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
        List<String> args = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
        args.addAll(List.of(jvmArgs));
        ChildJvm.Result r = ChildJvm.run(BundledLibraryTest.class, args.toArray(String[]::new));
        assertEquals(0, r.code(), r.output());
        return r.output();
    }
}
