package org.tilescope.app.cli;

import java.net.URI;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** What every subcommand about one slide shares. */
abstract class SlideCommand {
    @Parameters(index = "0", paramLabel = "SLIDE",
            description = "A .dzi file, a .fastpath folder, a pyramidal .tif/.svs file, or a URL: "
                    + "http(s)://…/NAME.dzi, an IIIF …/info.json, a …/NAME.fastpath/ folder, or a server's ?DeepZoom=…dzi.")
    String slide;

    @Option(names = "--verbose", description = "Print the full error trace.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    /** The slide as a location: a URL as given, a path as its absolute {@code file:} URI. */
    URI location() {
        return SlideLocations.of(slide);
    }

    /** The slide's local file or folder, or null for a URL (no sidecars to look beside). */
    java.nio.file.Path localPath() {
        URI u = location();
        return "file".equalsIgnoreCase(u.getScheme()) ? java.nio.file.Path.of(u) : null;
    }
}
