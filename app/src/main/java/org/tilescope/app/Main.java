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
        if (isViewerLaunch(args)) {
            var settings = new org.tilescope.app.settings.Settings(org.tilescope.app.settings.Settings.defaultDir());
            var cacheDir = org.tilescope.engine.demo.DemoSlide.defaultCacheDir();
            org.tilescope.app.viewer.MainWindow window;
            if (args.length == 1 && org.tilescope.app.cli.SlideLocations.isUrl(args[0])) {
                java.net.URI url;
                try {
                    url = org.tilescope.app.cli.SlideLocations.of(args[0]);
                } catch (IllegalArgumentException e) {
                    System.err.println("tilescope: " + e.getMessage());
                    System.exit(1);
                    return;
                }
                window = org.tilescope.app.viewer.ViewerApp.launch(url, settings, cacheDir);
            } else {
                java.nio.file.Path path = args.length == 0 ? null : java.nio.file.Path.of(args[0]);
                if (path != null && !java.nio.file.Files.exists(path)) {
                    System.err.println("tilescope: " + path + ": no such file or folder");
                    System.exit(1);
                }
                window = org.tilescope.app.viewer.ViewerApp.launch(path, settings, cacheDir);
            }
            window.addWindowListener(new java.awt.event.WindowAdapter() {
                @Override
                public void windowClosed(java.awt.event.WindowEvent e) {
                    System.exit(0); // closing the window ends the program, background work included
                }
            });
            return;
        }
        System.exit(TilescopeCommand.run(args));
    }

    /** No arguments, or one that is not a subcommand or option: open the viewer. */
    static boolean isViewerLaunch(String[] args) {
        if (args.length == 0) {
            return true;
        }
        if (args.length != 1 || args[0].startsWith("-")) {
            return false;
        }
        return !TilescopeCommand.subcommandNames().contains(args[0]);
    }
}
