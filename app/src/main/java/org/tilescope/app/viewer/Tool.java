package org.tilescope.app.viewer;

import java.awt.Cursor;
import java.awt.event.MouseEvent;
import javax.swing.KeyStroke;

/**
 * What the mouse does in the tile pane: pan and zoom today, drawing tools with annotations. One
 * tool is active at a time and its key selects it (QuPath's and JOSM's habit). The wheel zooms in
 * every tool, and layers that claim a press (the overview map) get it before the tool.
 */
public interface Tool {

    /** A short name for menus and the status bar. */
    String name();

    /** The key that selects this tool. */
    KeyStroke key();

    default Cursor cursor() {
        return Cursor.getDefaultCursor();
    }

    default void activated(TilePane pane) {
    }

    default void deactivated(TilePane pane) {
    }

    default void pressed(TilePane pane, MouseEvent e) {
    }

    default void dragged(TilePane pane, MouseEvent e) {
    }

    default void released(TilePane pane, MouseEvent e) {
    }

    default void clicked(TilePane pane, MouseEvent e) {
    }

    /** The mouse moved with no button down (drawing tools follow it with a rubber band). */
    default void moved(TilePane pane, MouseEvent e) {
    }

    /** True while the tool moves the view by hand: frames then favour speed over smoothing. */
    default boolean moving() {
        return false;
    }
}
