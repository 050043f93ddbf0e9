package org.tilescope.app.settings;

import org.tilescope.app.swing.Edt;
import com.formdev.flatlaf.FlatDarkLaf;
import com.formdev.flatlaf.FlatLaf;
import com.formdev.flatlaf.FlatLightLaf;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
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

    /**
     * Whether this theme is dark. For {@link #SYSTEM} this runs {@code gsettings} (up to a second),
     * so never on the EDT.
     */
    public static boolean isDark(Theme t) {
        return switch (t) {
            case LIGHT -> false;
            case DARK -> true;
            case SYSTEM -> {
                Edt.assertOffEdt();
                yield systemPrefersDark();
            }
        };
    }

    /** Installs the light or dark look and feel and refreshes every open window. On the EDT. */
    public static void install(boolean dark) {
        Edt.assertEdt();
        if (dark) {
            FlatDarkLaf.setup();
        } else {
            FlatLightLaf.setup();
        }
        FlatLaf.updateUI();
    }

    /**
     * Switches to a theme (call on the EDT): light and dark at once; "follow system" asks the
     * desktop on a background thread and switches on the EDT when it has the answer.
     *
     * @return completes on the EDT once the theme is installed
     */
    public static CompletableFuture<Void> apply(Theme t) {
        Edt.assertEdt();
        if (t != SYSTEM) {
            install(isDark(t));
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("tilescope-theme-probe").start(() -> {
            boolean dark = isDark(t);
            Edt.run(() -> {
                install(dark);
                done.complete(null);
            });
        });
        return done;
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
