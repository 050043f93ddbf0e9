package org.tilescope.app.cli;

import org.tilescope.app.render.ImageFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.region.Region;
import org.tilescope.engine.region.Thumbnails;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "thumbnail", mixinStandardHelpOptions = true,
        description = "Write the whole slide, scaled to fit MAX x MAX pixels, to a .png or .jpg file.")
public final class ThumbnailCommand extends SlideCommand implements Callable<Integer> {
    @Option(names = "--max", defaultValue = "512", description = "Longest side in pixels (default ${DEFAULT-VALUE}).")
    int max;
    @Option(names = "--out", required = true, description = "Output file, .png or .jpg.")
    Path out;

    @Override
    public Integer call() throws Exception {
        ImageFiles.formatOf(out);
        if (max <= 0 || max > 16384) {
            throw new IllegalArgumentException("--max must be between 1 and 16384");
        }
        try (SlideSource src = Slides.open(location())) {
            Region r = Thumbnails.render(src, TileDecoder.standard(), max);
            ImageFiles.write(r.image(), out);
            return RegionCommand.reportFailures(r, spec.commandLine().getErr());
        }
    }
}
