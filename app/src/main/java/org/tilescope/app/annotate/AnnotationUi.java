package org.tilescope.app.annotate;

import static org.tilescope.app.swing.Actions.action;
import static org.tilescope.app.swing.Actions.item;

import java.awt.BorderLayout;
import java.awt.Toolkit;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import javax.swing.ButtonGroup;
import javax.swing.JCheckBoxMenuItem;
import javax.swing.JComponent;
import javax.swing.JFileChooser;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JMenu;
import javax.swing.JMenuBar;
import javax.swing.JMenuItem;
import javax.swing.JOptionPane;
import javax.swing.JRadioButtonMenuItem;
import javax.swing.JToggleButton;
import javax.swing.JToolBar;
import javax.swing.KeyStroke;
import javax.swing.event.MenuEvent;
import javax.swing.event.MenuListener;
import javax.swing.filechooser.FileNameExtensionFilter;
import org.tilescope.app.render.AnnotationLayer;
import org.tilescope.app.viewer.TilePane;
import org.tilescope.app.viewer.Tool;
import org.tilescope.engine.annotation.AnnotationClass;
import org.tilescope.engine.annotation.AnnotationStore;
import org.tilescope.engine.cache.SlideHandle;

/**
 * The annotation parts of the main window, installed in one call: a toolbar and an Annotations
 * menu with the tools (M move, . points, T rectangle, O ellipse, L line, P polygon, B brush),
 * undo and redo, delete, lock, rename and class; import and export of GeoJSON in the File menu;
 * what is selected and its measurements in a status-bar label.
 */
public final class AnnotationUi {
    static final String KEYS = """
            M: move (click selects, shift+click adds; drag a selected annotation to move it, a handle to reshape)
            .: points (each click adds a point to the selected point set)
            T: rectangle      O: ellipse      L: line      (shift: square, circle)
            P: polygon (click vertices, double-click, Enter or click the first vertex to close; or drag freehand)
            B: brush (inside the selected area: adds to it; Alt: erases from it)
            Delete / Backspace: delete selected      Escape: stop drawing, deselect
            Ctrl+Z: undo      Ctrl+Shift+Z or Ctrl+Y: redo      Ctrl+Shift+L: lock / unlock      F2: rename""";

    private final JFrame window;
    private final AnnotationController controller;
    private final JLabel status;
    private final JToolBar toolbar = new JToolBar("Annotation tools");
    private long lastMessageVersion;

    /**
     * @param window the main window (its menu bar must be set)
     * @param status the status-bar label this fills
     */
    public AnnotationUi(JFrame window, TilePane pane, JLabel status) {
        this(window, pane, status, AnnotationStore.openDefault());
    }

    public AnnotationUi(JFrame window, TilePane pane, JLabel status, AnnotationStore store) {
        this.window = window;
        this.status = status;
        this.controller = new AnnotationController(pane, store);
        controller.setErrorSink((title, text) -> JOptionPane.showMessageDialog(window, text, title,
                JOptionPane.ERROR_MESSAGE));
        controller.addListener(this::updateStatus);
        pane.setTool(controller.tools().getFirst());
        installMenus(window.getJMenuBar());
        installToolbar(pane);
        installKeys(pane);
        window.getContentPane().add(toolbar, BorderLayout.NORTH);
        window.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosed(WindowEvent e) {
                controller.dispose();
            }
        });
    }

    public AnnotationController controller() {
        return controller;
    }

    public JToolBar toolbar() {
        return toolbar;
    }

    private void updateStatus() {
        // a new message shows until the next change; otherwise the selection's measurements, or the count
        long version = controller.messageVersion();
        String text;
        if (version != lastMessageVersion) {
            text = controller.message();
        } else if (!controller.layer().selected().isEmpty()) {
            text = controller.selectionText();
        } else {
            var set = controller.set();
            text = set == null ? controller.message() : set.size() + (set.size() == 1 ? " annotation" : " annotations");
        }
        lastMessageVersion = version;
        status.setText(text == null || text.isEmpty() ? " " : text);
    }

    // ---------------------------------------------------------------- menus

    private void installMenus(JMenuBar bar) {
        int menuKey = Toolkit.getDefaultToolkit().getMenuShortcutKeyMaskEx();
        JMenu file = bar.getMenuCount() > 0 ? bar.getMenu(0) : null;
        if (file != null) {
            // after the export of the view, before the separator that precedes Quit
            int at = Math.max(0, file.getMenuComponentCount() - 2);
            file.add(item("Export Annotations (GeoJSON)…", KeyStroke.getKeyStroke(KeyEvent.VK_E,
                    menuKey | InputEvent.SHIFT_DOWN_MASK), e -> chooseExport()), at);
            file.add(item("Import Annotations (GeoJSON)…", KeyStroke.getKeyStroke(KeyEvent.VK_I,
                    menuKey | InputEvent.SHIFT_DOWN_MASK), e -> chooseImport()), at);
        }
        JMenu menu = new JMenu("Annotations");
        ButtonGroup group = new ButtonGroup();
        for (Tool t : controller.tools()) {
            JRadioButtonMenuItem ti = new JRadioButtonMenuItem(t.name());
            ti.setAccelerator(t.key());
            ti.addActionListener(e -> controller.pane().setTool(t));
            controller.pane().addViewListener(p -> ti.setSelected(p.tool() == t));
            group.add(ti);
            menu.add(ti);
        }
        menu.addSeparator();
        JMenuItem undo = item("Undo", KeyStroke.getKeyStroke(KeyEvent.VK_Z, menuKey), e -> whenNotTyping(controller::undo));
        JMenuItem redo = item("Redo", KeyStroke.getKeyStroke(KeyEvent.VK_Z, menuKey | InputEvent.SHIFT_DOWN_MASK),
                e -> whenNotTyping(controller::redo));
        menu.add(undo);
        menu.add(redo);
        menu.add(item("Delete Selected", KeyStroke.getKeyStroke(KeyEvent.VK_DELETE, 0), e -> whenNotTyping(controller::deleteSelected)));
        menu.add(item("Lock / Unlock", KeyStroke.getKeyStroke(KeyEvent.VK_L, menuKey | InputEvent.SHIFT_DOWN_MASK), e -> controller.toggleLock()));
        menu.add(item("Rename…", KeyStroke.getKeyStroke(KeyEvent.VK_F2, 0), e -> rename()));
        JMenu classes = new JMenu("Set Class");
        menu.add(classes);
        menu.addSeparator();
        AnnotationLayer layer = controller.layer();
        JCheckBoxMenuItem show = new JCheckBoxMenuItem("Show Annotations", layer.visible());
        show.addActionListener(e -> {
            layer.setVisible(show.isSelected());
            controller.pane().repaint();
        });
        JCheckBoxMenuItem fill = new JCheckBoxMenuItem("Fill Areas", layer.fillOpacity() > 0);
        fill.addActionListener(e -> {
            layer.setFillOpacity(fill.isSelected() ? AnnotationLayer.DEFAULT_FILL_OPACITY : 0);
            controller.pane().repaint();
        });
        JCheckBoxMenuItem names = new JCheckBoxMenuItem("Show Names", layer.showNames());
        names.addActionListener(e -> {
            layer.setShowNames(names.isSelected());
            controller.pane().repaint();
        });
        menu.add(show);
        menu.add(fill);
        menu.add(names);
        menu.addSeparator();
        menu.add(item("Annotation List…", KeyStroke.getKeyStroke(KeyEvent.VK_A, menuKey | InputEvent.SHIFT_DOWN_MASK),
                e -> showList()));
        menu.add(item("Annotation Keys", null, e -> JOptionPane.showMessageDialog(window, KEYS, "Annotation keys",
                JOptionPane.INFORMATION_MESSAGE)));
        menu.addMenuListener(new MenuListener() {
            @Override
            public void menuSelected(MenuEvent e) {
                var s = controller.set();
                undo.setText(s != null && s.undoLabel() != null ? "Undo " + s.undoLabel() : "Undo");
                redo.setText(s != null && s.redoLabel() != null ? "Redo " + s.redoLabel() : "Redo");
                undo.setEnabled(s != null && s.undoLabel() != null);
                redo.setEnabled(s != null && s.redoLabel() != null);
                rebuildClasses(classes);
            }

            @Override
            public void menuDeselected(MenuEvent e) {
                undo.setEnabled(true); // the accelerators stay live while the menu is closed
                redo.setEnabled(true);
            }

            @Override
            public void menuCanceled(MenuEvent e) {
                menuDeselected(e);
            }
        });
        // before Help, which stays last
        bar.add(menu, Math.max(0, bar.getMenuCount() - 1));
    }

    private void rebuildClasses(JMenu classes) {
        classes.removeAll();
        classes.add(item("None", null, e -> controller.classify(null)));
        classes.addSeparator();
        List<AnnotationClass> all = controller.classes();
        for (int i = 0; i < all.size(); i++) {
            AnnotationClass c = all.get(i);
            JMenuItem ci = item(c.name(), null, e -> controller.classify(c));
            ci.setIcon(new javax.swing.Icon() {
                @Override
                public void paintIcon(java.awt.Component comp, java.awt.Graphics g, int x, int y) {
                    g.setColor(new java.awt.Color(c.red(), c.green(), c.blue()));
                    g.fillRect(x, y, 12, 12);
                }

                @Override
                public int getIconWidth() {
                    return 12;
                }

                @Override
                public int getIconHeight() {
                    return 12;
                }
            });
            classes.add(ci);
        }
    }

    private void installToolbar(TilePane pane) {
        toolbar.setFloatable(false);
        ButtonGroup group = new ButtonGroup();
        for (Tool t : controller.tools()) {
            String key = KeyEvent.getKeyText(t.key().getKeyCode());
            JToggleButton b = new JToggleButton(t.name() + " (" + (t.key().getKeyCode() == KeyEvent.VK_PERIOD ? "." : key) + ")");
            b.setFocusable(false);
            b.addActionListener(e -> pane.setTool(t));
            pane.addViewListener(p -> b.setSelected(p.tool() == t));
            b.setSelected(pane.tool() == t);
            group.add(b);
            toolbar.add(b);
        }
    }

    private void installKeys(TilePane pane) {
        var in = pane.getInputMap(JComponent.WHEN_IN_FOCUSED_WINDOW);
        var am = pane.getActionMap();
        am.put("annotation-delete", action(e -> whenNotTyping(controller::deleteSelected)));
        am.put("annotation-redo", action(e -> whenNotTyping(controller::redo)));
        am.put("annotation-escape", action(e -> whenNotTyping(() -> {
            if (pane.tool() instanceof PolygonTool p && p.drawing()) {
                p.cancel(pane);
            } else {
                controller.select(null, false);
            }
        })));
        am.put("annotation-finish", action(e -> whenNotTyping(() -> {
            if (pane.tool() instanceof PolygonTool p && p.drawing()) {
                p.finish(pane);
            }
        })));
        in.put(KeyStroke.getKeyStroke(KeyEvent.VK_BACK_SPACE, 0), "annotation-delete");
        in.put(KeyStroke.getKeyStroke(KeyEvent.VK_Y, Toolkit.getDefaultToolkit().getMenuShortcutKeyMaskEx()), "annotation-redo");
        in.put(KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0), "annotation-escape");
        in.put(KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, 0), "annotation-finish");
    }

    // ---------------------------------------------------------------- dialogs

    private void rename() {
        var sel = controller.selection();
        if (sel.size() != 1) {
            controller.say("Select one annotation to rename");
            return;
        }
        String name = (String) JOptionPane.showInputDialog(window, "Name:", "Rename annotation",
                JOptionPane.PLAIN_MESSAGE, null, null, sel.getFirst().name() == null ? "" : sel.getFirst().name());
        if (name != null) {
            controller.rename(name.trim());
        }
    }

    private void chooseImport() {
        SlideHandle h = controller.pane().slide();
        if (h == null) {
            return;
        }
        JFileChooser fc = new JFileChooser(h.path() == null ? null : h.path().toAbsolutePath().getParent().toFile());
        fc.setFileFilter(new FileNameExtensionFilter("GeoJSON (QuPath export)", "geojson", "json"));
        fc.setDialogTitle("Import annotations from GeoJSON");
        if (fc.showOpenDialog(window) != JFileChooser.APPROVE_OPTION) {
            return;
        }
        boolean replace = false;
        var set = controller.set();
        if (set != null && !set.isEmpty()) {
            Object[] options = {"Add", "Replace", "Cancel"};
            int answer = JOptionPane.showOptionDialog(window, "Add the file's annotations to the " + set.size()
                    + " on this slide, or replace them (undo brings them back)?", "Import annotations",
                    JOptionPane.DEFAULT_OPTION, JOptionPane.QUESTION_MESSAGE, null, options, options[0]);
            if (answer != 0 && answer != 1) {
                return;
            }
            replace = answer == 1;
        }
        controller.importFile(fc.getSelectedFile().toPath(), replace);
    }

    private void chooseExport() {
        SlideHandle h = controller.pane().slide();
        if (h == null || controller.set() == null) {
            return;
        }
        JFileChooser fc = new JFileChooser();
        fc.setSelectedFile(new File(h.info().name().replaceAll("\\.[^.]*$", "") + ".geojson"));
        fc.setDialogTitle("Export annotations as GeoJSON");
        if (fc.showSaveDialog(window) == JFileChooser.APPROVE_OPTION) {
            Path out = fc.getSelectedFile().toPath();
            controller.exportFile(out, false);
        }
    }

    private static void whenNotTyping(Runnable r) {
        var focus = java.awt.KeyboardFocusManager.getCurrentKeyboardFocusManager().getFocusOwner();
        if (!(focus instanceof javax.swing.text.JTextComponent)) {
            r.run();
        }
    }

    private javax.swing.JDialog listDialog;

    /** The annotation list in a window of its own beside the viewer (non-modal; kept once made). */
    public AnnotationList showList() {
        if (listDialog == null) {
            listDialog = new javax.swing.JDialog(window, "Annotations", false);
            listDialog.add(new AnnotationList(controller));
            listDialog.pack();
            listDialog.setLocationRelativeTo(window);
        }
        listDialog.setVisible(true);
        return (AnnotationList) listDialog.getContentPane().getComponent(0);
    }
}
