package org.tilescope.app;

/** Entry point: the viewer with no arguments or a path, the command line with a subcommand. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(TilescopeCommand.run(args));
    }
}
