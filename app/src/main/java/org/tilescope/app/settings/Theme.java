package org.tilescope.app.settings;

import com.formdev.flatlaf.FlatDarkLaf;
import com.formdev.flatlaf.FlatLaf;
import com.formdev.flatlaf.FlatLightLaf;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Light, dark, or whatever the desktop prefers. */
public enum Theme {
    LIGHT("Light"), DARK("Dark"), SYSTEM("Follow System");

    private final String label;

    Theme(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Theme parse(String s) {
        try {
            return Theme.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            return SYSTEM;
        }
    }

    /** Installs the look and feel and refreshes every open window. Call on the EDT. */
    public static void apply(Theme t) {
        boolean dark = switch (t) {
            case LIGHT -> false;
            case DARK -> true;
            case SYSTEM -> systemPrefersDark();
        };
        if (dark) {
            FlatDarkLaf.setup();
        } else {
            FlatLightLaf.setup();
        }
        FlatLaf.updateUI();
    }

    /** GNOME's colour-scheme setting, or a dark GTK theme name; light when neither says. */
    static boolean systemPrefersDark() {
        String gtk = System.getenv("GTK_THEME");
        if (gtk != null && gtk.toLowerCase(Locale.ROOT).contains("dark")) {
            return true;
        }
        try {
            Process p = new ProcessBuilder("gsettings", "get", "org.gnome.desktop.interface", "color-scheme")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(1, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            String out = new String(p.getInputStream().readAllBytes()).toLowerCase(Locale.ROOT);
            return out.contains("dark");
        } catch (Exception e) {
            return false;
        }
    }
}
