package org.tilescope.app.swing;

import java.awt.event.ActionEvent;
import java.awt.event.KeyEvent;
import java.util.function.Consumer;
import javax.swing.AbstractAction;
import javax.swing.JMenuItem;
import javax.swing.KeyStroke;

/** Swing actions and menu items from lambdas: the window's menus and key bindings are built from them. */
public final class Actions {
    private Actions() {
    }

    /** An action that runs {@code a}, for an input map's action map. */
    public static AbstractAction action(Consumer<ActionEvent> a) {
        return new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent e) {
                a.accept(e);
            }
        };
    }

    /**
     * A menu item that runs {@code a}, showing {@code key} as its accelerator. A typed-character
     * stroke ({@code KeyStroke.getKeyStroke('+')}, keycode VK_UNDEFINED) is not set: the pane's
     * key bindings handle those, and as an accelerator it would fire the command twice.
     */
    public static JMenuItem item(String label, KeyStroke key, Consumer<ActionEvent> a) {
        JMenuItem i = new JMenuItem(label);
        if (key != null && key.getKeyCode() != KeyEvent.VK_UNDEFINED) {
            i.setAccelerator(key);
        }
        i.addActionListener(a::accept);
        return i;
    }
}
