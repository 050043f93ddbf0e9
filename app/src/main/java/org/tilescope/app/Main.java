package org.tilescope.app;

/** Entry point: the viewer with no arguments or a path, the command line with a subcommand. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // one line per log record, on stderr, so command output on stdout stays clean
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "tilescope: %4$s %5$s%6$s%n");
        }
        System.exit(TilescopeCommand.run(args));
    }
}
