package org.tilescope.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where benchmark inputs live: the shared corpus and the big slides from make-big.sh. */
final class BenchInputs {
    private BenchInputs() {
    }

    static Path corpus() {
        Path p = Path.of(System.getProperty("tilescope.corpus", "../shared/corpus"));
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("corpus not found at " + p.toAbsolutePath()
                    + " (set -Dtilescope.corpus=...)");
        }
        return p;
    }

    static Path big(String name) {
        Path p = Path.of(System.getProperty("tilescope.big", "/tmp/tilescope-big")).resolve(name);
        if (!Files.exists(p)) {
            throw new IllegalStateException(p + " not found: run ../shared/corpus/make-big.sh first");
        }
        return p;
    }
}
