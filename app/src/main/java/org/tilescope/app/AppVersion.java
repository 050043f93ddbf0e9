package org.tilescope.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The app's version, as the build wrote it from the pom ("0.1.0-SNAPSHOT"). */
public final class AppVersion implements IVersionProvider {
    private static final String VERSION = read();

    /** The version, or "unknown" when the build's version file is missing (a broken classpath). */
    public static String current() {
        return VERSION;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"Tilescope " + VERSION, "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"};
    }

    private static String read() {
        try (InputStream in = AppVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "").trim();
            // An unfiltered copy (an IDE that skipped Maven's resource step) still says ${...}.
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
