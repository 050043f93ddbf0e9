package org.tilescope.app;

import java.io.PrintWriter;
import org.tilescope.app.cli.AnnotationsCommand;
import org.tilescope.app.cli.DoctorCommand;
import org.tilescope.app.cli.ImportCommand;
import org.tilescope.app.cli.InfoCommand;
import org.tilescope.app.cli.RegionCommand;
import org.tilescope.app.cli.ThumbnailCommand;
import org.tilescope.app.cli.ViewCommand;
import org.tilescope.app.cli.CliErrors;
import org.tilescope.app.cli.library.ContextCommand;
import org.tilescope.app.cli.library.DuplicatesCommand;
import org.tilescope.app.cli.library.ScanCommand;
import org.tilescope.app.cli.library.SearchCommand;
import org.tilescope.app.cli.library.TagCommand;
import org.tilescope.app.cli.library.TagsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level command: subcommands for the command line. */
@Command(name = "tilescope", mixinStandardHelpOptions = true, versionProvider = AppVersion.class,
        description = "Viewer and tools for gigapixel tiled images: Deep Zoom, FastPATH, pyramidal TIFF and SVS.",
        subcommands = {InfoCommand.class, RegionCommand.class, ThumbnailCommand.class, ViewCommand.class, DoctorCommand.class,
                ImportCommand.class, AnnotationsCommand.class, ScanCommand.class, SearchCommand.class, TagCommand.class,
                TagsCommand.class, DuplicatesCommand.class, ContextCommand.class, CommandLine.HelpCommand.class})
public final class TilescopeCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** The names of the subcommands (a single other argument is a slide for the viewer). */
    public static java.util.Set<String> subcommandNames() {
        return new CommandLine(new TilescopeCommand()).getSubcommands().keySet();
    }

    /** Runs the command line and returns the exit code. */
    public static int run(String[] args) {
        return run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new TilescopeCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(CliErrors::handle);
        // "tag SLIDE -old" removes a tag: an unknown option there is a tag edit, not an error
        cl.getSubcommands().get("tag").setUnmatchedOptionsArePositionalParams(true);
        return cl.execute(args);
    }
}
