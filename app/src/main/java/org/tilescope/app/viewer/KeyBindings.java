package org.tilescope.app.viewer;

import java.awt.event.ActionEvent;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.util.function.Consumer;
import javax.swing.AbstractAction;
import javax.swing.ActionMap;
import javax.swing.InputMap;
import javax.swing.JComponent;
import javax.swing.KeyStroke;

/**
 * The viewer's keys, following OpenSeadragon and QuPath: arrows/WASD pan (shift: faster), +/-
 * zoom, 0/Home fit, 1 is 1:1, r/R rotate, f flips, h toggles the HUD. Window-level keys (F11,
 * slide navigation) are installed by the main window.
 */
public final class KeyBindings {
    /** Fraction of the window one pan key moves; with shift, this times {@link #FAST}. */
    static final double PAN_STEP = 0.125;
    static final double FAST = 4;
    static final double ZOOM_STEP = 1.5;

    private KeyBindings() {
    }

    static void install(TilePane pane) {
        InputMap in = pane.getInputMap(JComponent.WHEN_IN_FOCUSED_WINDOW);
        ActionMap am = pane.getActionMap();
        bindPan(pane, in, am, "left", -1, 0, KeyEvent.VK_LEFT, KeyEvent.VK_A);
        bindPan(pane, in, am, "right", 1, 0, KeyEvent.VK_RIGHT, KeyEvent.VK_D);
        bindPan(pane, in, am, "up", 0, -1, KeyEvent.VK_UP, KeyEvent.VK_W);
        bindPan(pane, in, am, "down", 0, 1, KeyEvent.VK_DOWN, KeyEvent.VK_S);
        // characters are bound as typed keys only: '+' on the main keyboard and on the keypad both type
        // '+', and binding the key press too would zoom twice
        bind(in, am, "zoom-in", p -> p.zoomBy(ZOOM_STEP), pane,
                KeyStroke.getKeyStroke('+'), KeyStroke.getKeyStroke('='));
        bind(in, am, "zoom-out", p -> p.zoomBy(1 / ZOOM_STEP), pane, KeyStroke.getKeyStroke('-'));
        bind(in, am, "fit", TilePane::fit, pane,
                KeyStroke.getKeyStroke('0'), KeyStroke.getKeyStroke(KeyEvent.VK_HOME, 0));
        bind(in, am, "one-to-one", p -> p.setDownsample(1), pane, KeyStroke.getKeyStroke('1'));
        bind(in, am, "rotate-cw", p -> p.rotate(1), pane, KeyStroke.getKeyStroke('r'));
        bind(in, am, "rotate-ccw", p -> p.rotate(-1), pane, KeyStroke.getKeyStroke('R'));
        bind(in, am, "flip", TilePane::flip, pane, KeyStroke.getKeyStroke('f'));
        bind(in, am, "toggle-hud", p -> p.setShowHud(!p.showHud()), pane, KeyStroke.getKeyStroke('h'));
    }

    private static void bindPan(TilePane pane, InputMap in, ActionMap am, String name, int dx, int dy, int... keys) {
        for (boolean fast : new boolean[] {false, true}) {
            String id = "pan-" + name + (fast ? "-fast" : "");
            double step = PAN_STEP * (fast ? FAST : 1);
            // pan the view towards the arrow: the content moves the other way
            am.put(id, action(p -> p.panByScreen(-dx * step * p.getWidth(), -dy * step * p.getHeight()), pane));
            for (int k : keys) {
                in.put(KeyStroke.getKeyStroke(k, fast ? InputEvent.SHIFT_DOWN_MASK : 0), id);
            }
        }
    }

    private static void bind(InputMap in, ActionMap am, String name, Consumer<TilePane> what, TilePane pane,
                             KeyStroke... strokes) {
        am.put(name, action(what, pane));
        for (KeyStroke k : strokes) {
            in.put(k, name);
        }
    }

    private static AbstractAction action(Consumer<TilePane> what, TilePane pane) {
        return new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent e) {
                // typing in a text field is not a viewer command
                var focus = java.awt.KeyboardFocusManager.getCurrentKeyboardFocusManager().getFocusOwner();
                if (focus instanceof javax.swing.text.JTextComponent) {
                    return;
                }
                if (pane.slide() != null && pane.view() != null) {
                    what.accept(pane);
                }
            }
        };
    }
}
