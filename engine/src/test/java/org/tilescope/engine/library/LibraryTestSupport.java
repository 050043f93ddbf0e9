package org.tilescope.engine.library;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tilescope.engine.testing.Fixtures;

/** Small slides and notes on disk, and a library over them. */
final class LibraryTestSupport {
    private LibraryTestSupport() {
    }

    /** A Deep Zoom slide; distinct sizes give distinct content fingerprints. */
    static Path dzi(Path dir, String name, int w, int h) throws IOException {
        Files.createDirectories(dir);
        return Fixtures.deepZoom(dir, name, Fixtures.drawSource(w, h), 64, 1, "jpg").dzi();
    }

    static Path note(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    static ScanReport scan(Library lib, Path... roots) throws Exception {
        return lib.scan(List.of(roots), null).report().get(120, TimeUnit.SECONDS);
    }

    static List<String> names(SearchResult r) {
        return r.hits().stream().map(SearchResult.Hit::name).toList();
    }
}
