package org.tilescope.app;

import java.io.PrintWriter;
import org.tilescope.app.cli.AnnotationsCommand;
import org.tilescope.app.cli.DoctorCommand;
import org.tilescope.app.cli.InfoCommand;
import org.tilescope.app.cli.RegionCommand;
import org.tilescope.app.cli.ThumbnailCommand;
import org.tilescope.app.cli.ViewCommand;
import org.tilescope.app.cli.CliErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level command: subcommands for the command line. */
@Command(name = "tilescope", mixinStandardHelpOptions = true, version = "Tilescope 0.1.0",
        description = "Viewer and tools for gigapixel tiled images: Deep Zoom, FastPATH, pyramidal TIFF and SVS.",
        subcommands = {InfoCommand.class, RegionCommand.class, ThumbnailCommand.class, ViewCommand.class, AnnotationsCommand.class,
                DoctorCommand.class,
                CommandLine.HelpCommand.class})
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
        return cl.execute(args);
    }
}
