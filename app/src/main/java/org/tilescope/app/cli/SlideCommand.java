package org.tilescope.app.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** What every subcommand about one slide shares. */
abstract class SlideCommand {
    @Parameters(index = "0", paramLabel = "SLIDE",
            description = "A .dzi file, a .fastpath folder, or a pyramidal .tif/.svs file.")
    Path slide;

    @Option(names = "--verbose", description = "Print the full error trace.")
    boolean verbose;

    @Spec
    CommandSpec spec;
}
