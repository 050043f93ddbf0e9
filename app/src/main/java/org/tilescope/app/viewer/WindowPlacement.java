package org.tilescope.app.viewer;

import java.awt.Component;
import java.awt.Container;
import java.awt.Frame;
import java.awt.GraphicsConfiguration;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.event.ComponentAdapter;
import java.awt.event.ComponentEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.swing.JSplitPane;
import org.tilescope.app.settings.Settings;

/**
 * The main window's size, position, maximised state and split positions, remembered per screen
 * layout and fitted to the screen's usable area (inside panels and docks). A first start at a
 * 2x UI scale on a 1920 x 1080 screen used to open a 1400 x 900 window, larger than the 960 x 540
 * the screen has in user space.
 */
final class WindowPlacement {
    /** The window's size on a first start, when the screen has room for it. */
    static final int DEFAULT_WIDTH = 1400;
    static final int DEFAULT_HEIGHT = 900;
    /** The info panel's width on a first start: room for the level table's four columns. */
    static final int DEFAULT_INFO_WIDTH = 360;
    /** A restored window must show at least this much of itself on the screen. */
    private static final int MIN_VISIBLE = 120;

    private WindowPlacement() {
    }

    /** Where a window goes on {@code usable}: the saved bounds when they still fit, else the default. */
    static Rectangle fit(Rectangle saved, Rectangle usable) {
        if (saved != null && saved.width >= MIN_VISIBLE && saved.height >= MIN_VISIBLE) {
            Rectangle r = new Rectangle(saved);
            r.width = Math.min(r.width, usable.width);
            r.height = Math.min(r.height, usable.height);
            Rectangle shown = r.intersection(usable);
            if (!shown.isEmpty() && shown.width >= MIN_VISIBLE && shown.height >= MIN_VISIBLE) {
                // keep the title bar reachable
                r.x = Math.clamp(r.x, usable.x, usable.x + usable.width - r.width);
                r.y = Math.clamp(r.y, usable.y, usable.y + usable.height - r.height);
                return r;
            }
        }
        int w = Math.min(DEFAULT_WIDTH, usable.width * 9 / 10);
        int h = Math.min(DEFAULT_HEIGHT, usable.height * 9 / 10);
        return new Rectangle(usable.x + (usable.width - w) / 2, usable.y + (usable.height - h) / 2, w, h);
    }

    /** The settings key for the screens as they are now: sizes and scales, so each setup has its own. */
    static String screenKey(GraphicsEnvironment env) {
        StringBuilder b = new StringBuilder("window.");
        for (var dev : env.getScreenDevices()) {
            GraphicsConfiguration gc = dev.getDefaultConfiguration();
            Rectangle r = gc.getBounds();
            b.append(String.format(Locale.ROOT, "%dx%d@%.2f_", r.width, r.height, gc.getDefaultTransform().getScaleX()));
        }
        return b.substring(0, b.length() - 1);
    }

    static Rectangle parse(String s) {
        if (s == null) {
            return null;
        }
        String[] p = s.split(",");
        if (p.length < 4) {
            return null;
        }
        try {
            return new Rectangle(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()),
                    Integer.parseInt(p[2].trim()), Integer.parseInt(p[3].trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Places the window before it is shown and saves its placement when it closes. Call on the
     * EDT before {@code setVisible(true)}.
     */
    static void apply(MainWindow w, Settings settings) {
        if (GraphicsEnvironment.isHeadless()) {
            return;
        }
        GraphicsEnvironment env = GraphicsEnvironment.getLocalGraphicsEnvironment();
        String key = screenKey(env);
        Rectangle usable = env.getMaximumWindowBounds();
        Rectangle saved = parse(settings.get(key + ".bounds", null));
        w.setLocationByPlatform(false);
        w.setBounds(fit(saved, usable));
        if (saved != null && Boolean.parseBoolean(settings.get(key + ".maximized", "false"))) {
            w.setExtendedState(w.getExtendedState() | Frame.MAXIMIZED_BOTH);
        }
        int navigatorWidth = parseInt(settings.get(key + ".navigator", null));
        int savedInfo = parseInt(settings.get(key + ".info", null));
        int infoWidth = savedInfo > 0 ? savedInfo : DEFAULT_INFO_WIDTH;
        // After the window's own first-layout listener (it places the info divider), so ours wins.
        w.addComponentListener(new ComponentAdapter() {
            private boolean placed;

            @Override
            public void componentResized(ComponentEvent e) {
                List<JSplitPane> splits = splits(w);
                if (placed || splits.size() < 2 || splits.get(1).getWidth() <= 0) {
                    return;
                }
                placed = true;
                if (navigatorWidth > 0) {
                    splits.get(0).setDividerLocation(navigatorWidth);
                }
                JSplitPane right = splits.get(1);
                right.setDividerLocation(Math.max(200, right.getWidth() - infoWidth));
            }
        });
        w.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosed(WindowEvent e) {
                save(w, settings, key);
            }
        });
    }

    private static void save(MainWindow w, Settings settings, String key) {
        boolean maximized = (w.getExtendedState() & Frame.MAXIMIZED_BOTH) == Frame.MAXIMIZED_BOTH;
        settings.put(key + ".maximized", Boolean.toString(maximized));
        if (!maximized && !w.isFullscreen()) {
            Rectangle r = w.getBounds();
            settings.put(key + ".bounds", r.x + "," + r.y + "," + r.width + "," + r.height);
        }
        List<JSplitPane> splits = splits(w);
        if (splits.size() >= 2) {
            settings.put(key + ".navigator", Integer.toString(splits.get(0).getDividerLocation()));
            JSplitPane right = splits.get(1);
            if (right.getRightComponent() != null && right.getRightComponent().isVisible()) {
                settings.put(key + ".info", Integer.toString(right.getWidth() - right.getDividerLocation()));
            }
        }
        settings.flush();   // the program exits right after the window closes
    }

    /**
     * The window's two split panes, navigator | rest first, then tiles | info; empty when the
     * window is not laid out that way (any more).
     */
    static List<JSplitPane> splits(MainWindow w) {
        List<JSplitPane> all = new ArrayList<>();
        collect(w.getContentPane(), all);
        JSplitPane right = all.stream().filter(sp -> sp.getLeftComponent() == w.pane()).findFirst().orElse(null);
        JSplitPane main = all.stream().filter(sp -> right != null && sp.getRightComponent() == right).findFirst().orElse(null);
        return main == null ? List.of() : List.of(main, right);
    }

    private static void collect(Container c, List<JSplitPane> out) {
        for (Component child : c.getComponents()) {
            if (child instanceof JSplitPane sp) {
                out.add(sp);
            }
            if (child instanceof Container cc) {
                collect(cc, out);
            }
        }
    }

    private static int parseInt(String s) {
        try {
            return s == null ? -1 : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
