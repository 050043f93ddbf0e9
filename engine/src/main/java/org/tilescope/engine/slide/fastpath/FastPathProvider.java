package org.tilescope.engine.slide.fastpath;

import java.io.IOException;
import java.nio.file.Files;
import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideProbe;
import org.tilescope.engine.slide.SlideProvider;
import org.tilescope.engine.slide.SlideSource;

/** FastPATH: a folder with a {@code metadata.json}, whatever its name. */
public final class FastPathProvider implements SlideProvider {

    @Override
    public String name() {
        return "fastpath";
    }

    @Override
    public double support(SlideProbe probe) throws IOException {
        if (probe.file().isEmpty() || !probe.isDirectory()) {
            return 0;
        }
        if (Files.isRegularFile(probe.file().get().resolve("metadata.json"))) {
            return 1;
        }
        if (probe.lowerName().endsWith(".fastpath")) {
            throw new SlideException(probe.file().get(), "FastPATH folder without metadata.json");
        }
        return 0;
    }

    @Override
    public SlideSource open(SlideProbe probe) throws IOException {
        return FastPathSource.open(probe.requireFile());
    }
}
